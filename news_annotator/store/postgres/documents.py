"""SQL for a server project's documents: COPY-fast import by uid, list pages, search."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable

import psycopg
from psycopg import errors

from news_annotator.errors import ProjectError
from news_annotator.model import (
    GOLD_ANNOTATOR,
    Document,
    DocumentId,
    DocumentSummary,
    NewDocument,
    Status,
)
from news_annotator.store.database import utc_now
from news_annotator.store.documents import uid_from_digest
from news_annotator.store.postgres.connection import ServerDatabase
from news_annotator.store.postgres.folding import fold
from news_annotator.store.postgres.search_query import CONFIG, QuerySyntaxError, compile_query
from news_annotator.store.protocol import SearchHit

_COLUMNS = "id, uid, title, text, source, url, published, metadata, sha256, added_at"
_NEW_COLUMNS = "uid, title, text, source, url, published, metadata, sha256, added_at"
INDEX_CHUNK = 2000  # documents indexed for search per transaction
# Sort indexes made on first use by the owner (kept up during bulk imports they cost).
LAZY_SORT_INDEXES = {"title": "lower(title), id", "source": "lower(source), id",
                     "published": "published, id"}
SPAN_COUNT = "(SELECT COUNT(*) FROM spans s WHERE s.document_id = d.id{who})"
LATEST_STATUS = ("(SELECT st.status FROM document_status st WHERE st.document_id = d.id{who} "
                 "ORDER BY st.updated_at DESC, st.annotator_id LIMIT 1)")
STATUS_RANK = (f"CASE {LATEST_STATUS} "
               + " ".join(f"WHEN '{value.value}' THEN {rank}" for rank, value in enumerate(Status))
               + " ELSE 0 END")
SORT_COLUMNS = {"id": "d.id", "title": 'lower(d.title) COLLATE "C"',
                "published": 'd.published COLLATE "C"', "source": 'lower(d.source) COLLATE "C"',
                "spans": SPAN_COUNT, "status": STATUS_RANK}
# Marks no text holds, swapped for [ ] once the snippet has its diacritics back.
START, STOP = "\x02", "\x03"
HEADLINE = (f"StartSel={START}, StopSel={STOP}, MaxWords=12, MinWords=4, ShortWord=1, "
            "MaxFragments=1, FragmentDelimiter=\" … \"")
_METADATA_JSON = json.JSONEncoder(ensure_ascii=False).encode


def document_row(doc: NewDocument, added_at: str) -> tuple:
    """The columns `_NEW_COLUMNS` names, for COPY (the text as a str: COPY sends text)."""
    digest = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
    return (doc.uid or uid_from_digest(digest), doc.title, doc.text, doc.source, doc.url,
            doc.published, _METADATA_JSON(doc.metadata) if doc.metadata else "{}", digest,
            added_at)


class ServerDocumentStore:
    """Documents of a server project."""

    def __init__(self, database: ServerDatabase, *, may_index: Callable[[], bool],
                 may_add: Callable[[], bool]) -> None:
        self._db = database
        self._may_index = may_index  # the owner's: sort indexes
        self._may_add = may_add  # a curator's (and the owner's): new documents
        self._text_cache: tuple[int, str, str] | tuple[None, None, str] = (None, None, "")

    def insert_many(self, documents: Iterable[NewDocument], batch_size: int = 500) -> int:
        """Insert in batches inside the caller's transaction; returns how many were new.
        New rows go by COPY; a uid another importer added meanwhile falls back to
        INSERT ... ON CONFLICT for that batch."""
        added_at = utc_now()
        inserted, batch = 0, {}
        for doc in documents:
            row = document_row(doc, added_at)
            batch.setdefault(row[0], row)
            if len(batch) >= batch_size:
                inserted += self._insert_batch(list(batch.values()))
                batch.clear()
        if batch:
            inserted += self._insert_batch(list(batch.values()))
        return inserted

    def _insert_batch(self, rows: list[tuple]) -> int:
        conn = self._db.conn
        present = {r[0] for r in self._db.query(
            "SELECT uid FROM documents WHERE uid = ANY(%s)", ([row[0] for row in rows],))}
        rows = [row for row in rows if row[0] not in present]
        if not rows:
            return 0
        try:
            with conn.transaction(), conn.cursor() as cursor, \
                    cursor.copy(f"COPY documents ({_NEW_COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return len(rows)
        except errors.UniqueViolation:
            pass  # another importer added one of these uids since we looked
        except errors.InsufficientPrivilege:
            raise self._not_ours_to_add(rows[0][0]) from None
        except psycopg.Error as error:
            raise self._db.explain(error) from None
        try:
            with conn.cursor() as cursor:
                cursor.executemany(f"INSERT INTO documents ({_NEW_COLUMNS}) VALUES "
                                   f"(%s, %s, %s, %s, %s, %s, %s, %s, %s) "
                                   f"ON CONFLICT (uid) DO NOTHING", rows)
                return cursor.rowcount
        except psycopg.Error as error:
            raise self._db.explain(error) from None

    def insert_with_id(self, document: Document) -> DocumentId:
        """Insert one document (keeping its uid); returns its id, existing or new."""
        existing = self.id_for_uid(document.uid)
        if existing is not None:
            return existing
        if not self._may_add():
            raise self._not_ours_to_add(document.uid)
        row = self._db.query(
            f"INSERT INTO documents ({_NEW_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (uid) DO NOTHING RETURNING id",
            (document.uid, document.title, document.text, document.source, document.url,
             document.published, json.dumps(document.metadata, ensure_ascii=False),
             document.sha256 or hashlib.sha256(document.text.encode("utf-8")).hexdigest(),
             document.added_at or utc_now())).fetchone()
        if row is None:  # another importer's, committed meanwhile
            found = self.id_for_uid(document.uid)
            assert found is not None
            return found
        return DocumentId(row[0])

    def _not_ours_to_add(self, uid: str) -> ProjectError:
        return ProjectError(
            f"{self._db.address}: the project has no document {uid!r}; connected as "
            f"{self._db.conn.info.user!r}, you may not add documents: the owner or a curator "
            "imports the texts first (the same files), then annotations find them")

    def id_for_uid(self, uid: str) -> DocumentId | None:
        row = self._db.query("SELECT id FROM documents WHERE uid = %s", (uid,)).fetchone()
        return DocumentId(row[0]) if row else None

    def text(self, document_id: int) -> str | None:
        """A document's text, kept for the last document asked for (every span edit needs
        it). Identity ids are never handed out twice and texts never change, so the id
        alone keys it; a document deleted meanwhile fails the edit's foreign key."""
        if self._text_cache[0] != document_id:
            row = self._db.query("SELECT uid, text FROM documents WHERE id = %s",
                                 (document_id,)).fetchone()
            if row is None:
                return None
            self._text_cache = (document_id, row[0], row[1])
        return self._text_cache[2]

    def get(self, document_id: int) -> Document | None:
        row = self._db.query(f"SELECT {_COLUMNS} FROM documents WHERE id = %s",
                             (document_id,)).fetchone()
        return _document(row) if row else None

    def iter_all(self, ids: Iterable[int] | None = None) -> Iterable[Document]:
        """Every document in id order, one at a time (constant memory)."""
        if ids is None:
            for row in self._db.stream(f"SELECT {_COLUMNS} FROM documents ORDER BY id"):
                yield _document(row)
        else:
            for document_id in ids:
                doc = self.get(document_id)
                if doc is not None:
                    yield doc

    def count(self, *, annotator_id: int | None = None, status: Status | None = None,
              query: str = "") -> int:
        source, where, params = self._filter(annotator_id, status, query)
        return self._db.query(f"SELECT COUNT(*) FROM {source} {where}", params).fetchone()[0]

    def page(self, offset: int, limit: int, *, annotator_id: int | None = None,
             status: Status | None = None, query: str = "", sort: str = "id",
             descending: bool = False) -> list[DocumentSummary]:
        """One page of list rows, as `DocumentStore.page` (ties in id order, reversed with
        the sort)."""
        source, where, params = self._filter(annotator_id, status, query)
        self._ensure_sort_index(sort)
        who = " AND annotator_id = %(annotator)s" if annotator_id is not None else ""
        params.update(annotator=annotator_id, limit=limit, offset=offset, gold=GOLD_ANNOTATOR)
        direction = " DESC" if descending else ""
        key = SORT_COLUMNS.get(sort, "d.id").format(who=who)
        picked = (f"SELECT d.id AS id, {key} AS k FROM {source} {where} "
                  f"ORDER BY k{direction}, d.id{direction} LIMIT %(limit)s OFFSET %(offset)s")
        columns = (f"d.id, d.uid, d.title, d.source, d.published, d.length, "
                   f"{SPAN_COUNT.format(who=who)}, {LATEST_STATUS.format(who=who)}, "
                   f"EXISTS (SELECT 1 FROM document_status g JOIN annotators a "
                   f" ON a.id = g.annotator_id WHERE g.document_id = d.id AND a.name = %(gold)s "
                   f" AND g.status = 'done')")
        sql = (f"SELECT {columns} FROM ({picked}) p JOIN documents d ON d.id = p.id "
               f"ORDER BY p.k{direction}, p.id{direction}")
        return [DocumentSummary(DocumentId(r[0]), r[1], r[2], r[3], r[4], r[5], r[6],
                                Status(r[7]) if r[7] else Status.NEW, bool(r[8]))
                for r in self._db.query(sql, params)]

    def _ensure_sort_index(self, sort: str) -> None:
        if sort not in LAZY_SORT_INDEXES or self._db.read_only or self._db.in_transaction() \
                or not self._may_index():
            return
        self._db.query(f"CREATE INDEX IF NOT EXISTS documents_{sort} ON documents "
                       f"({LAZY_SORT_INDEXES[sort]})")

    def ids(self, *, annotator_id: int | None = None,
            status: Status | None = None) -> list[DocumentId]:
        source, where, params = self._filter(annotator_id, status, "")
        return [DocumentId(r[0]) for r in self._db.query(
            f"SELECT d.id FROM {source} {where} ORDER BY d.id", params)]

    def position(self, document_id: int) -> int:
        return self._db.query("SELECT COUNT(*) FROM documents WHERE id <= %s",
                              (document_id,)).fetchone()[0]

    def neighbour(self, document_id: int, step: int) -> DocumentId | None:
        sql = ("SELECT id FROM documents WHERE id > %s ORDER BY id LIMIT 1" if step > 0 else
               "SELECT id FROM documents WHERE id < %s ORDER BY id DESC LIMIT 1")
        row = self._db.query(sql, (document_id,)).fetchone()
        return DocumentId(row[0]) if row else None

    def delete(self, document_id: int) -> None:
        self._db.query("DELETE FROM documents WHERE id = %s", (document_id,))
        if self._text_cache[0] == document_id:
            self._text_cache = (None, None, "")

    # -- full-text search -----------------------------------------------------------

    def unindexed_count(self) -> int:
        return self._db.query("SELECT (SELECT COUNT(*) FROM documents) - "
                              "(SELECT COUNT(*) FROM document_search)").fetchone()[0]

    def update_search_index(self, progress: Callable[[int, int], None] | None = None, *,
                            chunk: int | None = None) -> int:
        """Index documents added since the last search (as a file does on its first
        search); `progress(done, total)` hears of each chunk of `chunk`
        documents (INDEX_CHUNK by default)."""
        if self._db.read_only:
            return 0
        chunk = chunk or INDEX_CHUNK
        total = self.unindexed_count()
        count = 0
        while total > 0 and count < total:
            if progress is not None:
                progress(count, total)
            with self._db.transaction():
                added = self._db.query("SELECT index_documents(%s)", (chunk,)
                                       ).fetchone()[0]
            if added == 0:
                break
            count += added
        if progress is not None and total > 0:
            progress(total, total)
        return count

    def search(self, query: str, *, limit: int = 20, ranked: bool = True) -> list[SearchHit]:
        """Documents matching a search-box query (words, "phrases", AND/OR/NOT, prefix*)."""
        self.update_search_index()
        expression, any_term, params = _compiled(query)
        order = "ORDER BY ts_rank(f.terms, q.q) DESC, d.id" if ranked else "ORDER BY d.id"
        params.update(limit=limit, headline=HEADLINE)
        # The snippet marks every term found near each other, as FTS5's does, not only a
        # stretch where all of them occur.
        # The headline is made from the folded text, where the folded query's terms are;
        # folding keeps every character's place, so the snippet gets its letters back.
        sql = (f"SELECT d.id, d.title, ts_headline('{CONFIG}', fold(left(d.text, 300000)), "
               f"q.terms, %(headline)s), left(d.text, 300000) "
               f"FROM (SELECT {expression} AS q, {any_term} AS terms) q "
               f"JOIN document_search f ON f.terms @@ q.q JOIN documents d ON d.id = f.document_id "
               f"{order} LIMIT %(limit)s")
        return [SearchHit(DocumentId(r[0]), r[1], unfolded_snippet(r[2], r[3]))
                for r in self._db.query(sql, params)]

    def _filter(self, annotator_id: int | None, status: Status | None,
                query: str) -> tuple[str, str, dict]:
        """FROM and WHERE for documents `d` (joined to the search index for a query)."""
        clauses: list[str] = []
        params: dict = {}
        source = "documents d"
        if query.strip():
            self.update_search_index()
            expression, _, params = _compiled(query)
            source = "document_search f JOIN documents d ON d.id = f.document_id"
            clauses.append(f"f.terms @@ {expression}")
        if status is not None:
            params["status"] = status.value
            params["who"] = annotator_id
            who = "AND st.annotator_id = %(who)s" if annotator_id is not None else ""
            done = (f"EXISTS (SELECT 1 FROM document_status st WHERE st.document_id = d.id "
                    f"{who} AND st.status = %(status)s)")
            if status is Status.NEW:
                done = (f"NOT EXISTS (SELECT 1 FROM document_status st WHERE "
                        f"st.document_id = d.id {who} AND st.status != 'new')")
            clauses.append(done)
        return source, ("WHERE " + " AND ".join(clauses) if clauses else ""), params


def _compiled(query: str) -> tuple[str, str, dict]:
    try:
        return compile_query(query)
    except QuerySyntaxError as error:
        raise ValueError(f"cannot search for {query!r}: {error}") from None


def _document(row: tuple) -> Document:
    return Document(DocumentId(row[0]), row[1], row[2], row[3], row[4], row[5], row[6],
                    json.loads(row[7]), row[8], row[9])


def unfolded_snippet(snippet: str, text: str) -> str:
    """A headline made from the folded text, with the text's own letters put back and the
    marks shown as [ ]. Folding maps each character to one, so places match."""
    plain = snippet.replace(START, "").replace(STOP, "")
    fragment = plain.removesuffix(" …").removeprefix("… ")
    at = fold(text).find(fragment) if fragment else -1
    if at >= 0:
        restored, cursor = [], at
        for char in snippet:
            if char in (START, STOP):
                restored.append(char)
            elif cursor < at + len(fragment) and char == fold(text[cursor]):
                restored.append(text[cursor])
                cursor += 1
            else:
                restored.append(char)
        snippet = "".join(restored)
    return snippet.replace(START, "[").replace(STOP, "]")
