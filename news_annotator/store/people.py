"""SQL for annotators and their per-document status."""

from __future__ import annotations

from news_annotator.model import Annotator, AnnotatorId, DocumentId, Status
from news_annotator.store.database import Database, utc_now


class AnnotatorStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    def all(self) -> list[Annotator]:
        return [Annotator(AnnotatorId(r[0]), r[1])
                for r in self._db.query("SELECT id, name FROM annotators ORDER BY id")]

    def find(self, name: str) -> Annotator | None:
        row = self._db.query("SELECT id, name FROM annotators WHERE name = ?", (name,)).fetchone()
        return Annotator(AnnotatorId(row[0]), row[1]) if row else None

    def get(self, annotator_id: int) -> Annotator | None:
        row = self._db.query("SELECT id, name FROM annotators WHERE id = ?",
                             (annotator_id,)).fetchone()
        return Annotator(AnnotatorId(row[0]), row[1]) if row else None

    def ensure(self, name: str) -> Annotator:
        """The annotator called `name`, created if new (inside the caller's transaction)."""
        found = self.find(name)
        if found:
            return found
        cursor = self._db.conn.execute("INSERT INTO annotators(name) VALUES (?)", (name,))
        return Annotator(AnnotatorId(cursor.lastrowid), name)


class StatusStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    def get(self, document_id: int, annotator_id: int) -> Status:
        row = self._db.query("SELECT status FROM document_status WHERE document_id = ? "
                             "AND annotator_id = ?", (document_id, annotator_id)).fetchone()
        return Status(row[0]) if row else Status.NEW

    def set(self, document_id: int, annotator_id: int, status: Status,
            updated_at: str = "") -> None:
        self._db.conn.execute(
            "INSERT INTO document_status(document_id, annotator_id, status, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(document_id, annotator_id) DO UPDATE SET "
            "status = excluded.status, updated_at = excluded.updated_at",
            (document_id, annotator_id, status.value, updated_at or utc_now()))

    def start(self, document_id: int, annotator_id: int) -> None:
        """New (no row, or 'new') becomes in progress, in one statement."""
        self._db.conn.execute(
            "INSERT INTO document_status(document_id, annotator_id, status, updated_at) "
            "VALUES (?, ?, 'in progress', ?) ON CONFLICT(document_id, annotator_id) DO UPDATE "
            "SET status = excluded.status, updated_at = excluded.updated_at "
            "WHERE document_status.status = 'new'", (document_id, annotator_id, utc_now()))

    def for_document(self, document_id: int) -> list[tuple[AnnotatorId, Status, str]]:
        rows = self._db.query("SELECT annotator_id, status, updated_at FROM document_status "
                              "WHERE document_id = ? ORDER BY annotator_id", (document_id,))
        return [(AnnotatorId(r[0]), Status(r[1]), r[2]) for r in rows]

    def all(self) -> list[tuple[DocumentId, AnnotatorId, Status, str]]:
        rows = self._db.query("SELECT document_id, annotator_id, status, updated_at "
                              "FROM document_status ORDER BY document_id, annotator_id")
        return [(DocumentId(r[0]), AnnotatorId(r[1]), Status(r[2]), r[3]) for r in rows]
