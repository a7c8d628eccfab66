"""SQL for spans and relations: add, update, delete, restore, read per document."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from news_annotator.model import (
    AnnotatorId,
    DocumentId,
    Fragment,
    Relation,
    RelationId,
    Span,
    SpanId,
)
from news_annotator.store.database import Database, utc_now

SPAN_COLUMNS = ("id, uid, document_id, annotator_id, layer, label, fragments, text, "
                 "attributes, note, created_at, updated_at")
RELATION_COLUMNS = "id, uid, document_id, annotator_id, type, source_id, target_id, attributes"


def new_uid() -> str:
    return uuid.uuid4().hex


def span_from_row(row: tuple) -> Span:
    return Span(SpanId(row[0]), row[1], DocumentId(row[2]), AnnotatorId(row[3]), row[4], row[5],
                _fragments(row[6]), row[7], _object(row[8]), row[9], row[10], row[11])


def relation_from_row(row: tuple) -> Relation:
    return Relation(RelationId(row[0]), row[1], DocumentId(row[2]), AnnotatorId(row[3]), row[4],
                    SpanId(row[5]), SpanId(row[6]), _object(row[7]))


def _fragments(value: str) -> tuple[Fragment, ...]:
    """The fragments column; the common single pair is read without the JSON parser
    (exports read a million of them)."""
    if value.count("[") == 2:  # "[[start, end]]"
        start, end = value[2:-2].split(",")
        return ((int(start), int(end)),)
    return tuple((start, end) for start, end in json.loads(value))


def _object(value: str) -> dict[str, Any]:
    return {} if value == "{}" else json.loads(value)


def json_text(value: Any) -> str:
    """Attributes and fragments as stored: keys sorted, non-ASCII text as is."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def span_row(span: Span) -> tuple:
    """The row `SpanStore.insert_many` takes: a uid made if empty, times now if empty."""
    return (span.uid or new_uid(), span.document_id, span.annotator_id, span.layer,
            span.label, span.start, span.end, json_text([list(f) for f in span.fragments]),
            span.text, json_text(span.attributes), span.note,
            span.created_at or utc_now(), span.updated_at or utc_now())


def relation_row(relation: Relation) -> tuple:
    """The row `RelationStore.insert_many` takes."""
    return (relation.uid or new_uid(), relation.document_id, relation.annotator_id,
            relation.type, relation.source_id, relation.target_id, json_text(relation.attributes))


def layer_clause(layers: frozenset[str] | None, column: str = "layer") -> tuple[str, tuple]:
    """An SQL condition keeping only the given layers (none: keep all)."""
    if layers is None:
        return "", ()
    return f" AND {column} IN ({', '.join('?' * len(layers))})", tuple(sorted(layers))


class SpanStore:
    def __init__(self, database: Database) -> None:
        self._db = database
        self.layers: frozenset[str] | None = None  # an export's layer choice; None: all

    def insert(self, span: Span, *, keep_id: bool = False) -> SpanId:
        """Insert a span row; `keep_id` re-creates a deleted span under its old id (undo)."""
        values = span_row(span)
        columns = ("uid, document_id, annotator_id, layer, label, start, \"end\", fragments, "
                   "text, attributes, note, created_at, updated_at")
        if keep_id:
            cursor = self._db.conn.execute(
                f"INSERT INTO spans (id, {columns}) VALUES (?{', ?' * 13})", (span.id, *values))
        else:
            cursor = self._db.conn.execute(
                f"INSERT INTO spans ({columns}) VALUES (?{', ?' * 12})", values)
        return SpanId(cursor.lastrowid)

    def insert_many(self, rows: Iterable[tuple]) -> int:
        """Bulk insert rows shaped as `span_row` gives them, in the caller's transaction."""
        return self._db.conn.executemany(
            "INSERT INTO spans (uid, document_id, annotator_id, layer, label, start, \"end\", "
            "fragments, text, attributes, note, created_at, updated_at) "
            f"VALUES (?{', ?' * 12})", rows).rowcount

    def get(self, span_id: int) -> Span | None:
        row = self._db.query(f"SELECT {SPAN_COLUMNS} FROM spans WHERE id = ?",
                             (span_id,)).fetchone()
        return span_from_row(row) if row else None

    def id_for_uid(self, uid: str) -> SpanId | None:
        row = self._db.query("SELECT id FROM spans WHERE uid = ?", (uid,)).fetchone()
        return SpanId(row[0]) if row else None

    def for_document(self, document_id: int, annotator_id: int | None = None) -> list[Span]:
        layers, layer_params = layer_clause(self.layers)
        who, who_params = ("", ()) if annotator_id is None else (" AND annotator_id = ?",
                                                                 (annotator_id,))
        rows = self._db.query(f"SELECT {SPAN_COLUMNS} FROM spans WHERE document_id = ?{who}"
                              f"{layers} ORDER BY start, \"end\" DESC, id",
                              (document_id, *who_params, *layer_params))
        return [span_from_row(r) for r in rows]

    def iter_all(self, annotator_ids: list[int] | None = None) -> Iterator[Span]:
        cursor = self._db.conn.cursor()
        cursor.arraysize = 1000
        cursor.execute(f"SELECT {SPAN_COLUMNS} FROM spans ORDER BY document_id, start, id")
        wanted = set(annotator_ids) if annotator_ids is not None else None
        while rows := cursor.fetchmany():
            for row in rows:
                if wanted is None or row[3] in wanted:
                    yield span_from_row(row)

    def update(self, span_id: int, *, label: str | None = None,
               fragments: tuple[Fragment, ...] | None = None, text: str | None = None,
               attributes: dict[str, Any] | None = None, note: str | None = None) -> None:
        sets, params = ["updated_at = ?"], [utc_now()]
        if label is not None:
            sets.append("label = ?")
            params.append(label)
        if fragments is not None:
            sets += ["start = ?", "\"end\" = ?", "fragments = ?"]
            params += [fragments[0][0], fragments[-1][1], json_text([list(f) for f in fragments])]
        if text is not None:
            sets.append("text = ?")
            params.append(text)
        if attributes is not None:
            sets.append("attributes = ?")
            params.append(json_text(attributes))
        if note is not None:
            sets.append("note = ?")
            params.append(note)
        self._db.conn.execute(f"UPDATE spans SET {', '.join(sets)} WHERE id = ?",
                              (*params, span_id))

    def delete(self, span_id: int) -> None:
        self._db.conn.execute("DELETE FROM spans WHERE id = ?", (span_id,))

    def count(self) -> int:
        return self._db.query("SELECT COUNT(*) FROM spans").fetchone()[0]


class RelationStore:
    def __init__(self, database: Database) -> None:
        self._db = database
        self.layers: frozenset[str] | None = None  # keep relations between these layers

    def insert(self, relation: Relation, *, keep_id: bool = False) -> RelationId:
        values = relation_row(relation)
        columns = "uid, document_id, annotator_id, type, source_id, target_id, attributes"
        if keep_id:
            cursor = self._db.conn.execute(
                f"INSERT INTO relations (id, {columns}) VALUES (?{', ?' * 7})",
                (relation.id, *values))
        else:
            cursor = self._db.conn.execute(
                f"INSERT INTO relations ({columns}) VALUES (?{', ?' * 6})", values)
        return RelationId(cursor.lastrowid)

    def insert_many(self, rows: Iterable[tuple]) -> int:
        """Bulk insert rows shaped as `relation_row` gives them, in the caller's transaction."""
        return self._db.conn.executemany(
            "INSERT INTO relations (uid, document_id, annotator_id, type, source_id, target_id, "
            "attributes) VALUES (?, ?, ?, ?, ?, ?, ?)", rows).rowcount

    def get(self, relation_id: int) -> Relation | None:
        row = self._db.query(f"SELECT {RELATION_COLUMNS} FROM relations WHERE id = ?",
                             (relation_id,)).fetchone()
        return relation_from_row(row) if row else None

    def id_for_uid(self, uid: str) -> RelationId | None:
        row = self._db.query("SELECT id FROM relations WHERE uid = ?", (uid,)).fetchone()
        return RelationId(row[0]) if row else None

    def for_document(self, document_id: int, annotator_id: int | None = None) -> list[Relation]:
        sql = f"SELECT {RELATION_COLUMNS} FROM relations WHERE document_id = ?"
        params: tuple = (document_id,)
        if annotator_id is not None:
            sql += " AND annotator_id = ?"
            params += (annotator_id,)
        if self.layers is not None:
            layers, layer_params = layer_clause(self.layers)
            for end in ("source_id", "target_id"):
                sql += f" AND {end} IN (SELECT id FROM spans WHERE 1{layers})"
                params += layer_params
        return [relation_from_row(r) for r in self._db.query(sql + " ORDER BY id", params)]

    def touching(self, span_id: int) -> list[Relation]:
        rows = self._db.query(f"SELECT {RELATION_COLUMNS} FROM relations "
                              "WHERE source_id = ? OR target_id = ? ORDER BY id",
                              (span_id, span_id))
        return [relation_from_row(r) for r in rows]

    def iter_all(self) -> Iterator[Relation]:
        cursor = self._db.conn.cursor()
        cursor.arraysize = 1000
        cursor.execute(f"SELECT {RELATION_COLUMNS} FROM relations ORDER BY document_id, id")
        while rows := cursor.fetchmany():
            yield from (relation_from_row(r) for r in rows)

    def update_attributes(self, relation_id: int, attributes: dict[str, Any]) -> None:
        self._db.conn.execute("UPDATE relations SET attributes = ? WHERE id = ?",
                              (json_text(attributes), relation_id))

    def delete(self, relation_id: int) -> None:
        self._db.conn.execute("DELETE FROM relations WHERE id = ?", (relation_id,))

    def count(self) -> int:
        return self._db.query("SELECT COUNT(*) FROM relations").fetchone()[0]
