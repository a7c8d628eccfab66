"""SQL for documents: bulk insert by stable uid, lazy paging, full-text search."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable

from news_annotator.model import (
    GOLD_ANNOTATOR,
    Document,
    DocumentId,
    DocumentSummary,
    NewDocument,
    Status,
)
from news_annotator.store.database import Database, utc_now
from news_annotator.store.protocol import SearchHit

_INSERT = ("INSERT OR IGNORE INTO documents "
           "(uid, title, text, source, url, published, metadata, sha256, added_at) "
           "VALUES (?, ?, CAST(? AS TEXT), ?, ?, ?, ?, ?, ?)")  # text: a str, or UTF-8 bytes
_COLUMNS = "id, uid, title, text, source, url, published, metadata, sha256, added_at"
# Sort indexes made on first use (kept up during a bulk import, each would cost it time).
LAZY_SORT_INDEXES = {"title": "title COLLATE NOCASE, id", "source": "source COLLATE NOCASE, id",
                     "published": "published, id"}
INDEX_CHUNK = 2000  # documents indexed for search per transaction
# What the list shows of a document `d` for one annotator: {who} is a condition on the
# subquery's own annotator_id column, or empty (every annotator; the latest status of any,
# ties broken the same way each time, so that the status shown is the one sorted by).
SPAN_COUNT = "(SELECT COUNT(*) FROM spans s WHERE s.document_id = d.id{who})"
LATEST_STATUS = ("(SELECT st.status FROM document_status st WHERE st.document_id = d.id{who} "
                 "ORDER BY st.updated_at DESC, st.annotator_id LIMIT 1)")
# Statuses in their order of work (new < in progress < done); no status row at all is new.
STATUS_RANK = (f"CASE {LATEST_STATUS} "
               + " ".join(f"WHEN '{value.value}' THEN {rank}" for rank, value in enumerate(Status))
               + " ELSE 0 END")
SORT_COLUMNS = {"id": "d.id", "title": "d.title COLLATE NOCASE", "published": "d.published",
                "source": "d.source COLLATE NOCASE", "spans": SPAN_COUNT, "status": STATUS_RANK}
COMPUTED_SORTS = {"spans", "status"}  # no index holds them: computed for every document


def text_digest(text: str) -> str:
    """The sha256 column: what merges match documents by when their uids differ."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def uid_from_digest(digest: str) -> str:
    """The uid of a document with no id of its own: its text's hash (stable on re-import)."""
    return "sha256:" + digest[:32]


def content_uid(text: str) -> str:
    return uid_from_digest(text_digest(text))


_METADATA_JSON = json.JSONEncoder(ensure_ascii=False).encode  # built once: a hot path


def document_row(doc: NewDocument, added_at: str) -> tuple:
    """The row `_INSERT` takes. The text goes as the UTF-8 bytes the hash was made of
    (the statement casts them back to TEXT): binding the str would encode it again."""
    data = doc.text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    uid = doc.uid or uid_from_digest(digest)
    return (uid, doc.title, data, doc.source, doc.url, doc.published,
            _METADATA_JSON(doc.metadata) if doc.metadata else "{}", digest, added_at)


class DocumentStore:
    """Documents of one project."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._text_cache: tuple[int, str, str] | tuple[None, None, str] = (None, None, "")

    def insert_many(self, documents: Iterable[NewDocument], batch_size: int = 500) -> int:
        """Insert in batches inside the caller's transaction; returns how many were new."""
        added_at = utc_now()
        inserted, batch = 0, []
        for doc in documents:
            batch.append(document_row(doc, added_at))
            if len(batch) >= batch_size:
                inserted += self._db.conn.executemany(_INSERT, batch).rowcount
                batch.clear()
        if batch:
            inserted += self._db.conn.executemany(_INSERT, batch).rowcount
        return inserted

    def insert_with_id(self, document: Document) -> DocumentId:
        """Insert one document (keeping its uid); returns its id, existing or new."""
        existing = self.id_for_uid(document.uid)
        if existing is not None:
            return existing
        cursor = self._db.conn.execute(_INSERT, (
            document.uid, document.title, document.text, document.source, document.url,
            document.published, json.dumps(document.metadata, ensure_ascii=False),
            document.sha256 or hashlib.sha256(document.text.encode("utf-8")).hexdigest(),
            document.added_at or utc_now()))
        return DocumentId(cursor.lastrowid)

    def id_for_uid(self, uid: str) -> DocumentId | None:
        row = self._db.query("SELECT id FROM documents WHERE uid = ?", (uid,)).fetchone()
        return DocumentId(row[0]) if row else None

    def text(self, document_id: int) -> str | None:
        """A document's text, kept for the last document asked for: every span edit needs
        it, and an article can be 50 MB. Texts never change; the uid check guards
        against a deleted document's id being reused."""
        row = self._db.query("SELECT uid FROM documents WHERE id = ?", (document_id,)
                             ).fetchone()
        if row is None:
            return None
        if self._text_cache[:2] != (document_id, row[0]):
            text = self._db.query("SELECT text FROM documents WHERE id = ?",
                                  (document_id,)).fetchone()[0]
            self._text_cache = (document_id, row[0], text)
        return self._text_cache[2]

    def get(self, document_id: int) -> Document | None:
        row = self._db.query(f"SELECT {_COLUMNS} FROM documents WHERE id = ?",
                             (document_id,)).fetchone()
        return _document(row) if row else None

    def iter_all(self, ids: Iterable[int] | None = None) -> Iterable[Document]:
        """Every document in id order, one at a time (constant memory)."""
        if ids is None:
            cursor = self._db.conn.cursor()
            cursor.arraysize = 256
            cursor.execute(f"SELECT {_COLUMNS} FROM documents ORDER BY id")
            while rows := cursor.fetchmany():
                yield from (_document(row) for row in rows)
        else:
            for document_id in ids:
                doc = self.get(document_id)
                if doc is not None:
                    yield doc

    def count(self, *, annotator_id: int | None = None, status: Status | None = None,
              query: str = "") -> int:
        source, where, params = self._filter(annotator_id, status, query)
        if status is None and query.strip():
            # Deletes keep the index exact, so its matches are the documents: counting
            # them there takes 3 ms where joining 100,000 matches to rows takes 60.
            source, where = "documents_fts", "WHERE documents_fts MATCH :q"
        return self._db.query(f"SELECT COUNT(*) FROM {source} {where}", params).fetchone()[0]

    def page(self, offset: int, limit: int, *, annotator_id: int | None = None,
             status: Status | None = None, query: str = "", sort: str = "id",
             descending: bool = False) -> list[DocumentSummary]:
        """One page of list rows, with span count and status for `annotator_id` (None: all
        annotators' spans, the latest status of any). Ties come in id order, reversed
        with the sort."""
        source, where, params = self._filter(annotator_id, status, query)
        self._ensure_sort_index(sort)
        who = " AND annotator_id = :annotator" if annotator_id is not None else ""
        params.update(annotator=annotator_id, limit=limit, offset=offset, gold=GOLD_ANNOTATOR)
        direction = " DESC" if descending else ""
        columns = (f"d.id, d.uid, d.title, d.source, d.published, length(d.text), "
                   f"{SPAN_COUNT.format(who=who)}, {LATEST_STATUS.format(who=who)}, "
                   f"EXISTS (SELECT 1 FROM document_status g JOIN annotators a "
                   f" ON a.id = g.annotator_id WHERE g.document_id = d.id AND a.name = :gold "
                   f" AND g.status = 'done')")
        if sort not in SORT_COLUMNS or sort == "id":
            # Id order is the index's (or the search index's) own: nothing to sort.
            order = ("f.rowid" if query.strip() else "d.id") + direction
            sql = (f"SELECT {columns} FROM {source} {where} ORDER BY {order} "
                   f"LIMIT :limit OFFSET :offset")
        else:
            # Sort ids and keys only, then read the other columns for the page's rows: a sort
            # of whole rows computed every listed document's columns (a page 50,000 rows in
            # took 0.3-0.6 s). Ties follow the sort's direction, so a column's index serves
            # both directions, and pages never overlap.
            key = SORT_COLUMNS[sort].format(who=who)
            if sort in COMPUTED_SORTS:
                # Ids in id order, so the values' lookups walk their indexes in order: on
                # 100,000 documents with 1.5 million spans, 330 ms became 120.
                if query.strip():  # as in count(): the index's matches are the documents
                    ids = "SELECT rowid AS id FROM documents_fts WHERE documents_fts MATCH :q"
                else:  # `+` and LIMIT: read the smallest index and sort, not the table
                    ids = "SELECT id FROM documents ORDER BY +id LIMIT -1"
                source = f"({ids}) d"
                where = self._filter(annotator_id, status, "")[1]  # the status filter alone
            picked = (f"SELECT d.id AS id, {key} AS k FROM {source} {where} "
                      f"ORDER BY k{direction}, d.id{direction} LIMIT :limit OFFSET :offset")
            sql = (f"SELECT {columns} FROM ({picked}) p CROSS JOIN documents d ON d.id = p.id "
                   f"ORDER BY p.k{direction}, p.id{direction}")
        return [DocumentSummary(DocumentId(r[0]), r[1], r[2], r[3], r[4], r[5], r[6],
                                Status(r[7]) if r[7] else Status.NEW, bool(r[8]))
                for r in self._db.query(sql, params)]

    def _ensure_sort_index(self, sort: str) -> None:
        """Index a sort column on first use (kept out of bulk imports, where it costs)."""
        if sort not in LAZY_SORT_INDEXES or self._db.read_only or self._db.conn.in_transaction:
            return
        with self._db.transaction() as conn:
            conn.execute(f"CREATE INDEX IF NOT EXISTS documents_{sort} ON documents"
                         f"({LAZY_SORT_INDEXES[sort]})")

    def ids(self, *, annotator_id: int | None = None,
            status: Status | None = None) -> list[DocumentId]:
        """Document ids in id order, optionally only those with `status` for an annotator."""
        source, where, params = self._filter(annotator_id, status, "")
        return [DocumentId(r[0]) for r in self._db.query(
            f"SELECT d.id FROM {source} {where} ORDER BY d.id", params)]

    def position(self, document_id: int) -> int:
        """The 1-based rank of a document in id order ("document i of N" in the UI)."""
        return self._db.query("SELECT COUNT(*) FROM documents WHERE id <= ?",
                              (document_id,)).fetchone()[0]

    def neighbour(self, document_id: int, step: int) -> DocumentId | None:
        """The next (step > 0) or previous document id in id order."""
        sql = ("SELECT id FROM documents WHERE id > ? ORDER BY id LIMIT 1" if step > 0 else
               "SELECT id FROM documents WHERE id < ? ORDER BY id DESC LIMIT 1")
        row = self._db.query(sql, (document_id,)).fetchone()
        return DocumentId(row[0]) if row else None

    def delete(self, document_id: int) -> None:
        doc = self.get(document_id)
        if doc is None:
            return
        if document_id <= self.indexed_upto():
            self._db.conn.execute(
                "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
                "VALUES ('delete', ?, ?, ?)", (doc.id, doc.title, doc.text))
        self._db.conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))

    # -- full-text search -----------------------------------------------------------

    def indexed_upto(self) -> int:
        return int(self._db.get_meta("fts_indexed_upto", "0"))

    def unindexed_count(self) -> int:
        return self._db.query("SELECT COUNT(*) FROM documents WHERE id > ?",
                              (self.indexed_upto(),)).fetchone()[0]

    def update_search_index(self, progress: Callable[[int, int], None] | None = None, *,
                            chunk: int | None = None) -> int:
        """Index documents added since the last search; returns how many were indexed.

        Imports leave indexing to the first search so that bulk loads stay close to raw
        insert speed; documents are immutable, so catching up by id is complete.
        `progress(done, total)` hears of each chunk (in document ids) of `chunk`
        documents (INDEX_CHUNK by default), a transaction each, between them. Another
        connection may catch up meanwhile (a window's search while its upkeep indexes):
        each chunk goes on from where the file says, so no document is indexed twice.
        """
        upto = self.indexed_upto()
        last = self._db.query("SELECT COALESCE(MAX(id), 0) FROM documents").fetchone()[0]
        if last <= upto or self._db.read_only:
            return 0
        count, first, chunk = 0, upto, chunk or INDEX_CHUNK
        while upto < last:
            if progress is not None:
                progress(upto - first, last - first)
            # Small transactions, so an editor sharing the file never waits long for the lock.
            with self._db.transaction() as conn:
                upto = self.indexed_upto()
                chunk_end = max(upto, min(last, upto + chunk))
                if chunk_end > upto:
                    count += conn.execute(
                        "INSERT INTO documents_fts(rowid, title, text) "
                        "SELECT id, title, text FROM documents WHERE id > ? AND id <= ?",
                        (upto, chunk_end)).rowcount
                    self._db.set_meta("fts_indexed_upto", str(chunk_end))
            upto = chunk_end
        if progress is not None:
            progress(last - first, last - first)
        return count

    def search(self, query: str, *, limit: int = 20, ranked: bool = True) -> list[SearchHit]:
        """Documents matching an FTS5 query (words, "phrases", AND/OR/NOT, prefix*)."""
        self.update_search_index()
        # bm25() in ORDER BY is `rank` itself, yet a third faster: SQLite's own sorter
        # keeps the top rows, where FTS5's rank plan sorts every match.
        order = "ORDER BY bm25(documents_fts), rowid" if ranked else ""
        sql = (f"SELECT rowid, title, snippet(documents_fts, 1, '[', ']', '…', 12) "
               f"FROM documents_fts WHERE documents_fts MATCH ? {order} LIMIT ?")
        try:
            rows = self._db.query(sql, (fts_query(query), limit)).fetchall()
        except sqlite3.OperationalError as error:
            raise ValueError(f"cannot search for {query!r}: {error}") from error
        return [SearchHit(DocumentId(r[0]), r[1], r[2]) for r in rows]

    def _filter(self, annotator_id: int | None, status: Status | None,
                query: str) -> tuple[str, str, dict]:
        """FROM and WHERE for documents (`d`; `f` the search index when there is a query)."""
        clauses, params, source = [], {}, "documents d"
        if query.strip():
            self.update_search_index()
            # The index drives the join (CROSS JOIN keeps that order): its matches come in
            # id order, so the first page of a 100,000-match list is read, not sorted.
            source = "documents_fts f CROSS JOIN documents d ON d.id = f.rowid"
            clauses.append("documents_fts MATCH :q")
            params["q"] = fts_query(query)
        if status is not None:
            params["status"] = status.value
            params["who"] = annotator_id
            who = "AND st.annotator_id = :who" if annotator_id is not None else ""
            done = (f"EXISTS (SELECT 1 FROM document_status st WHERE st.document_id = d.id "
                    f"{who} AND st.status = :status)")
            if status is Status.NEW:
                done = (f"NOT EXISTS (SELECT 1 FROM document_status st WHERE "
                        f"st.document_id = d.id {who} AND st.status != 'new')")
            clauses.append(done)
        return source, ("WHERE " + " AND ".join(clauses) if clauses else ""), params


def fts_query(query: str) -> str:
    """Pass FTS5 syntax through when it parses; otherwise quote each word.

    Users type things like `Putin's visit` or `co-operate`; FTS5 would reject the
    apostrophe or read the hyphen as an operator, so plain words are quoted.
    """
    query = query.strip()
    operators = ("AND", "OR", "NOT", "NEAR")
    if any(ch in query for ch in '"*()') or any(op in query.split() for op in operators):
        return query
    quoted = []
    for word in query.split():
        column, _, rest = word.partition(":")
        if rest and column.lower() in ("title", "text"):  # a column filter, as FTS5 has
            quoted.append(f'{column.lower()}:"{rest.replace(chr(34), chr(34) * 2)}"')
        else:
            quoted.append('"' + word.replace('"', '""') + '"')
    return " ".join(quoted)


def _document(row: tuple) -> Document:
    return Document(DocumentId(row[0]), row[1], row[2], row[3], row[4], row[5], row[6],
                    json.loads(row[7]), row[8], row[9])
