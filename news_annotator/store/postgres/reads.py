"""A server project's whole-project reads (agreement), merge writes and statistics,
with the same rows and order as a project file's (store/bulk_reads.py, merging.py,
stats.py)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from news_annotator.errors import ProjectError
from news_annotator.model import Document, DocumentId, Relation, Span
from news_annotator.store import stats
from news_annotator.store.annotations import json_text
from news_annotator.store.postgres.connection import ServerDatabase
from news_annotator.store.protocol import IdRange

# Continuous spans ('[[s, e]]') give NULL fragments: only discontinuous ones pay for JSON.
_SPAN_BOUNDS = ("SELECT document_id, annotator_id, layer, label, start, \"end\", "
                "CASE WHEN strpos(fragments, ']') < length(fragments) - 1 THEN fragments END "
                "FROM spans")
_DOCUMENT_COLUMNS = "id, uid, title, text, source, url, published, metadata, sha256, added_at"


def _ids(values: Iterable[int]) -> list[int]:
    return [int(v) for v in values]


def _in_range(column: str, id_range: IdRange | None) -> tuple[str, tuple]:
    if id_range is None:
        return "", ()
    return f" AND {column} BETWEEN %s AND %s", (int(id_range[0]), int(id_range[1]))


class ServerBulkReads:
    def __init__(self, database: ServerDatabase) -> None:
        self._db = database

    def iter_span_bounds(self, annotator_ids: Iterable[int],
                         document_ids: Iterable[int] | None = None,
                         id_range: IdRange | None = None) -> Iterator[tuple]:
        sql, params = f"{_SPAN_BOUNDS} WHERE annotator_id = ANY(%s)", [_ids(annotator_ids)]
        if document_ids is not None:
            sql += " AND document_id = ANY(%s)"
            params.append(_ids(document_ids))
        where, extra = _in_range("document_id", id_range)
        return self._db.stream(sql + where + " ORDER BY document_id, annotator_id, start",
                               (*params, *extra))

    def iter_raw_spans(self, annotator_ids: Iterable[int]) -> Iterator[tuple]:
        return self._db.stream("SELECT document_id, annotator_id, layer, label, start, \"end\", "
                               "fragments FROM spans WHERE annotator_id = ANY(%s) "
                               "ORDER BY document_id", (_ids(annotator_ids),))

    def worked_on(self, annotator_ids: Iterable[int],
                  id_range: IdRange | None = None) -> dict[int, set[int]]:
        found: dict[int, set[int]] = {}
        where, params = _in_range("document_id", id_range)
        for document_id, annotator_id in self._db.query(
                f"SELECT document_id, annotator_id FROM document_status WHERE status != 'new' "
                f"AND annotator_id = ANY(%s){where}", (_ids(annotator_ids), *params)):
            found.setdefault(document_id, set()).add(annotator_id)
        return found

    def iter_annotated_texts(self, annotator_ids: Iterable[int],
                             document_ids: Iterable[int] | None = None,
                             id_range: IdRange | None = None
                             ) -> Iterator[tuple[int, str]]:
        who = _ids(annotator_ids)
        where, params = _in_range("document_id", id_range)
        sql = (f"SELECT id, text FROM documents WHERE id IN ("
               f"SELECT document_id FROM document_status WHERE status != 'new' "
               f"AND annotator_id = ANY(%s){where} UNION "
               f"SELECT document_id FROM spans WHERE annotator_id = ANY(%s){where})")
        values: tuple = (who, *params, who, *params)
        if document_ids is not None:
            sql += " AND id = ANY(%s)"
            values += (_ids(document_ids),)
        return self._db.stream(sql + " ORDER BY id", values)

    def split_points(self, annotator_ids: Iterable[int], parts: int) -> list[int]:
        ids = self._db.query("SELECT DISTINCT document_id FROM document_status WHERE "
                             "status != 'new' AND annotator_id = ANY(%s) ORDER BY 1",
                             (_ids(annotator_ids),)).fetchall()
        if len(ids) < parts:
            ids = self._db.query("SELECT id FROM documents ORDER BY id").fetchall()
        return [ids[len(ids) * k // parts][0] for k in range(1, parts) if ids]

    def count_documents(self) -> int:
        return self._db.query("SELECT count(*) FROM documents").fetchone()[0]

    def document_labels(self, document_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
        ids = _ids(document_ids)
        if not ids:
            return {}
        return {r[0]: (r[1], r[2]) for r in self._db.query(
            "SELECT id, uid, title FROM documents WHERE id = ANY(%s)", (ids,))}


class ServerMerging:
    def __init__(self, database: ServerDatabase) -> None:
        self._db = database

    def document_keys(self) -> list[tuple[int, str, str]]:
        return self._db.query("SELECT id, uid, sha256 FROM documents ORDER BY id").fetchall()

    def iter_documents(self) -> Iterator[Document]:
        for r in self._db.stream(f"SELECT {_DOCUMENT_COLUMNS} FROM documents ORDER BY id"):
            yield Document(DocumentId(r[0]), r[1], r[2], r[3], r[4], r[5], r[6],
                           json.loads(r[7]), r[8], r[9])

    def rename_document(self, document_id: int, uid: str) -> None:
        self._db.query("UPDATE documents SET uid = %s WHERE id = %s", (uid, document_id))

    def overwrite_span(self, span_id: int, span: Span) -> None:
        cursor = self._db.query(
            "UPDATE spans SET layer = %s, label = %s, start = %s, \"end\" = %s, "
            "fragments = %s, text = %s, attributes = %s, note = %s, created_at = %s, "
            "updated_at = %s WHERE id = %s",
            (span.layer, span.label, span.start, span.end,
             json.dumps([list(f) for f in span.fragments]), span.text,
             json_text(span.attributes), span.note, span.created_at, span.updated_at, span_id))
        if cursor.rowcount == 0:
            raise ProjectError(f"{self._db.address}: span {span.uid} could not be updated "
                               "(another annotator's work)")

    def overwrite_relation(self, relation_id: int, relation: Relation) -> None:
        cursor = self._db.query(
            "UPDATE relations SET type = %s, source_id = %s, target_id = %s, attributes = %s "
            "WHERE id = %s", (relation.type, relation.source_id, relation.target_id,
                              json_text(relation.attributes), relation_id))
        if cursor.rowcount == 0:
            raise ProjectError(f"{self._db.address}: relation {relation.uid} could not be "
                               "updated (another annotator's work)")


C_ORDER = ' COLLATE "C"'  # names sorted as a project file sorts them


def project_stats(db: ServerDatabase) -> dict[str, Any]:
    """The same figures as a project file's (a server keeps each text's length)."""
    return stats.project_stats(db, characters="length", collate=C_ORDER)


def label_counts(db: ServerDatabase) -> dict[str, dict[str, int]]:
    return stats.label_counts(db, collate=C_ORDER)
