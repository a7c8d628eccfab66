"""SQL that merging project files needs beyond the per-table stores.

Merging copies rows between files while keeping their timestamps and uids, so it
overwrites whole rows instead of going through the edit path (which stamps `now`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from news_annotator.model import Document, DocumentId, Relation, Span
from news_annotator.store.database import Database

_DOCUMENT_COLUMNS = "id, uid, title, text, source, url, published, metadata, sha256, added_at"


class SqliteMerging:
    """The `MergeWrites` of a project file."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def document_keys(self) -> list[tuple[int, str, str]]:
        """(id, uid, sha256) of every document: enough to match incoming documents in
        memory."""
        return self._db.query("SELECT id, uid, sha256 FROM documents ORDER BY id").fetchall()

    def iter_documents(self) -> Iterator[Document]:
        """Every document, whole, in id order."""
        cursor = self._db.conn.cursor()
        cursor.arraysize = 500
        cursor.execute(f"SELECT {_DOCUMENT_COLUMNS} FROM documents ORDER BY id")
        while rows := cursor.fetchmany():
            for r in rows:
                yield Document(DocumentId(r[0]), r[1], r[2], r[3], r[4], r[5], r[6],
                               json.loads(r[7]), r[8], r[9])

    def rename_document(self, document_id: int, uid: str) -> None:
        self._db.conn.execute("UPDATE documents SET uid = ? WHERE id = ?", (uid, document_id))

    def overwrite_span(self, span_id: int, span: Span) -> None:
        """Replace a span's content and timestamps with another file's version of it."""
        self._db.conn.execute(
            "UPDATE spans SET layer = ?, label = ?, start = ?, \"end\" = ?, fragments = ?, "
            "text = ?, attributes = ?, note = ?, created_at = ?, updated_at = ? WHERE id = ?",
            (span.layer, span.label, span.start, span.end,
             json.dumps([list(f) for f in span.fragments]), span.text,
             json.dumps(span.attributes, ensure_ascii=False, sort_keys=True), span.note,
             span.created_at, span.updated_at, span_id))

    def overwrite_relation(self, relation_id: int, relation: Relation) -> None:
        self._db.conn.execute(
            "UPDATE relations SET type = ?, source_id = ?, target_id = ?, attributes = ? "
            "WHERE id = ?",
            (relation.type, relation.source_id, relation.target_id,
             json.dumps(relation.attributes, ensure_ascii=False, sort_keys=True), relation_id))
