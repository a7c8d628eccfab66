"""SQL for a server project's annotators, statuses and schema."""

from __future__ import annotations

import json
from collections.abc import Callable

from news_annotator.errors import ProjectError
from news_annotator.model import Annotator, AnnotatorId, DocumentId, Status
from news_annotator.schema import Schema, attribute_to_dict, parse_schema
from news_annotator.store.database import utc_now
from news_annotator.store.postgres.connection import ServerDatabase
from news_annotator.store.protocol import Access


class ServerAnnotatorStore:
    """Annotators come into being as someone writes as them: a role as itself, a curator
    as gold, the owner as anyone (claim_annotator() on the server checks it again); a
    role asking for another's name is refused before anything is written."""

    def __init__(self, database: ServerDatabase, access: Callable[[], Access]) -> None:
        self._db = database
        self._access = access

    def all(self) -> list[Annotator]:
        return [Annotator(AnnotatorId(r[0]), r[1])
                for r in self._db.query("SELECT id, name FROM annotators ORDER BY id")]

    def find(self, name: str) -> Annotator | None:
        row = self._db.query("SELECT id, name FROM annotators WHERE name = %s",
                             (name,)).fetchone()
        return Annotator(AnnotatorId(row[0]), row[1]) if row else None

    def get(self, annotator_id: int) -> Annotator | None:
        row = self._db.query("SELECT id, name FROM annotators WHERE id = %s",
                             (annotator_id,)).fetchone()
        return Annotator(AnnotatorId(row[0]), row[1]) if row else None

    def ensure(self, name: str) -> Annotator:
        """The annotator called `name` to write as, created if new (owner only)."""
        access = self._access()
        if not access.may_write_as(name):
            raise ProjectError(f"{self._db.address}: {access.refusal(name)}")
        found = self.find(name)
        if found:
            return found
        row = self._db.query("SELECT claim_annotator(%s)", (name,)).fetchone()
        return Annotator(AnnotatorId(row[0]), name)


class ServerStatusStore:
    def __init__(self, database: ServerDatabase) -> None:
        self._db = database

    def get(self, document_id: int, annotator_id: int) -> Status:
        row = self._db.query("SELECT status FROM document_status WHERE document_id = %s "
                             "AND annotator_id = %s", (document_id, annotator_id)).fetchone()
        return Status(row[0]) if row else Status.NEW

    def set(self, document_id: int, annotator_id: int, status: Status,
            updated_at: str = "") -> None:
        self._db.query(
            "INSERT INTO document_status(document_id, annotator_id, status, updated_at) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT (document_id, annotator_id) DO UPDATE SET "
            "status = excluded.status, updated_at = excluded.updated_at",
            (document_id, annotator_id, status.value, updated_at or utc_now()))

    def start(self, document_id: int, annotator_id: int) -> None:
        """New (no row, or 'new') becomes in progress, in one round trip."""
        self._db.query(
            "INSERT INTO document_status(document_id, annotator_id, status, updated_at) "
            "VALUES (%s, %s, 'in progress', %s) ON CONFLICT (document_id, annotator_id) DO "
            "UPDATE SET status = excluded.status, updated_at = excluded.updated_at "
            "WHERE document_status.status = 'new'", (document_id, annotator_id, utc_now()))

    def for_document(self, document_id: int) -> list[tuple[AnnotatorId, Status, str]]:
        rows = self._db.query("SELECT annotator_id, status, updated_at FROM document_status "
                              "WHERE document_id = %s ORDER BY annotator_id", (document_id,))
        return [(AnnotatorId(r[0]), Status(r[1]), r[2]) for r in rows]

    def all(self) -> list[tuple[DocumentId, AnnotatorId, Status, str]]:
        rows = self._db.query("SELECT document_id, annotator_id, status, updated_at "
                              "FROM document_status ORDER BY document_id, annotator_id")
        return [(DocumentId(r[0]), AnnotatorId(r[1]), Status(r[2]), r[3]) for r in rows]


class ServerSchemaStore:
    """The label schema; writing it is for curators (and the owner)."""

    def __init__(self, database: ServerDatabase) -> None:
        self._db = database

    def load(self) -> Schema:
        labels: dict[str, list[dict]] = {}
        for layer, name, color, key, description in self._db.query(
                "SELECT layer, name, color, key, description FROM labels "
                "ORDER BY layer, position"):
            labels.setdefault(layer, []).append(
                {"name": name, "color": color, "key": key, "description": description})
        layers = [{"name": name, "description": description,
                   "labels": labels.get(name, []), "attributes": json.loads(attributes)}
                  for name, description, attributes in self._db.query(
                      "SELECT name, description, attributes FROM layers ORDER BY position")]
        relations = [{"name": r[0], "source_labels": json.loads(r[1]),
                      "target_labels": json.loads(r[2]), "key": r[3], "color": r[4],
                      "description": r[5]}
                     for r in self._db.query(
                         "SELECT name, source_labels, target_labels, key, color, description "
                         "FROM relation_types ORDER BY position")]
        return parse_schema({"name": self._db.get_meta("schema_name"), "layers": layers,
                             "relations": relations}, f"{self._db.address} (schema)")

    def save(self, schema: Schema) -> None:
        """Replace the stored schema (inside the caller's transaction)."""
        query = self._db.query
        query("DELETE FROM relation_types")
        query("DELETE FROM labels")
        query("DELETE FROM layers")
        with self._db.conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO layers(name, position, description, attributes) "
                "VALUES (%s, %s, %s, %s)",
                [(layer.name, position, layer.description,
                  json.dumps([attribute_to_dict(a) for a in layer.attributes],
                             ensure_ascii=False)) for position, layer in enumerate(schema.layers)])
            cursor.executemany(
                "INSERT INTO labels(layer, name, position, color, key, description) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [(layer.name, label.name, index, label.color, label.key, label.description)
                 for layer in schema.layers for index, label in enumerate(layer.labels)])
            cursor.executemany(
                "INSERT INTO relation_types(name, position, source_labels, target_labels, key, "
                "color, description) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [(r.name, i, json.dumps(list(r.source_labels)),
                  json.dumps(list(r.target_labels)), r.key, r.color, r.description)
                 for i, r in enumerate(schema.relation_types)])
        self._db.set_meta("schema_name", schema.name)

    def used_labels(self) -> set[tuple[str, str]]:
        return {(r[0], r[1]) for r in self._db.query("SELECT DISTINCT layer, label FROM spans")}

    def used_relation_types(self) -> set[str]:
        return {r[0] for r in self._db.query("SELECT DISTINCT type FROM relations")}

    def rename_label(self, layer: str, old: str, new: str) -> None:
        self._db.query("SELECT rename_label(%s, %s, %s)", (layer, old, new))
