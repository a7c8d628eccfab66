"""SQL for the schema kept inside a project (layers, labels, relation types)."""

from __future__ import annotations

import json

from news_annotator.schema import Schema, attribute_to_dict, parse_schema
from news_annotator.store.database import Database


class SchemaStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    def load(self) -> Schema:
        layers = []
        for name, description, attributes in self._db.query(
                "SELECT name, description, attributes FROM layers ORDER BY position"):
            labels = [{"name": r[0], "color": r[1], "key": r[2], "description": r[3]}
                      for r in self._db.query(
                          "SELECT name, color, key, description FROM labels "
                          "WHERE layer = ? ORDER BY position", (name,))]
            layers.append({"name": name, "description": description, "labels": labels,
                           "attributes": json.loads(attributes)})
        relations = [{"name": r[0], "source_labels": json.loads(r[1]),
                      "target_labels": json.loads(r[2]), "key": r[3], "color": r[4],
                      "description": r[5]}
                     for r in self._db.query(
                         "SELECT name, source_labels, target_labels, key, color, description "
                         "FROM relation_types ORDER BY position")]
        return parse_schema({"name": self._db.get_meta("schema_name"), "layers": layers,
                             "relations": relations}, f"{self._db.path} (schema)")

    def save(self, schema: Schema) -> None:
        """Replace the stored schema (inside the caller's transaction)."""
        conn = self._db.conn
        conn.execute("DELETE FROM relation_types")
        conn.execute("DELETE FROM labels")
        conn.execute("DELETE FROM layers")
        for position, layer in enumerate(schema.layers):
            conn.execute("INSERT INTO layers(name, position, description, attributes) "
                         "VALUES (?, ?, ?, ?)",
                         (layer.name, position, layer.description,
                          json.dumps([attribute_to_dict(a) for a in layer.attributes],
                                     ensure_ascii=False)))
            conn.executemany("INSERT INTO labels(layer, name, position, color, key, description) "
                             "VALUES (?, ?, ?, ?, ?, ?)",
                             [(layer.name, label.name, index, label.color, label.key,
                               label.description) for index, label in enumerate(layer.labels)])
        conn.executemany(
            "INSERT INTO relation_types(name, position, source_labels, target_labels, key, "
            "color, description) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(r.name, i, json.dumps(list(r.source_labels)), json.dumps(list(r.target_labels)),
              r.key, r.color, r.description) for i, r in enumerate(schema.relation_types)])
        self._db.set_meta("schema_name", schema.name)

    def used_labels(self) -> set[tuple[str, str]]:
        return {(r[0], r[1]) for r in self._db.query("SELECT DISTINCT layer, label FROM spans")}

    def used_relation_types(self) -> set[str]:
        return {r[0] for r in self._db.query("SELECT DISTINCT type FROM relations")}

    def rename_label(self, layer: str, old: str, new: str) -> None:
        self._db.conn.execute("UPDATE spans SET label = ? WHERE layer = ? AND label = ?",
                              (new, layer, old))
