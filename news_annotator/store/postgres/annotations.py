"""SQL for a server project's spans and relations.

Rows are shaped as in a project file (`store/annotations.py`). Row-level security makes
another annotator's rows invisible to UPDATE and DELETE; a change that finds no row it
may write says so instead of doing nothing quietly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from news_annotator.errors import ProjectError
from news_annotator.model import Fragment, Relation, RelationId, Span, SpanId
from news_annotator.store.annotations import (
    RELATION_COLUMNS,
    SPAN_COLUMNS,
    json_text,
    relation_from_row,
    relation_row,
    span_from_row,
    span_row,
)
from news_annotator.store.database import utc_now
from news_annotator.store.postgres.connection import ServerDatabase

_SPAN_INSERT = ("uid, document_id, annotator_id, layer, label, start, \"end\", fragments, "
                "text, attributes, note, created_at, updated_at")
_RELATION_INSERT = "uid, document_id, annotator_id, type, source_id, target_id, attributes"


def layer_clause(layers: frozenset[str] | None, column: str = "layer") -> tuple[str, tuple]:
    if layers is None:
        return "", ()
    return f" AND {column} = ANY(%s)", (sorted(layers),)


def refused(db: ServerDatabase, what: str) -> ProjectError:
    return ProjectError(f"{db.address}: {what} is another annotator's work: connected as "
                        f"{db.conn.info.user!r}, you may change only your own (the server "
                        "enforces it)")


class ServerSpanStore:
    def __init__(self, database: ServerDatabase) -> None:
        self._db = database
        self.layers: frozenset[str] | None = None

    def insert(self, span: Span, *, keep_id: bool = False) -> SpanId:
        values = span_row(span)
        if keep_id:
            row = self._db.query(f"INSERT INTO spans (id, {_SPAN_INSERT}) VALUES "
                                 f"(%s{', %s' * 13}) RETURNING id", (span.id, *values))
        else:
            row = self._db.query(f"INSERT INTO spans ({_SPAN_INSERT}) VALUES "
                                 f"(%s{', %s' * 12}) RETURNING id", values)
        return SpanId(row.fetchone()[0])

    def insert_many(self, rows: Iterable[tuple]) -> int:
        """Bulk insert rows shaped as `span_row` gives them, in the caller's transaction."""
        count = 0
        with self._db.conn.cursor() as cursor, \
                cursor.copy(f"COPY spans ({_SPAN_INSERT}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count

    def get(self, span_id: int) -> Span | None:
        row = self._db.query(f"SELECT {SPAN_COLUMNS} FROM spans WHERE id = %s",
                             (span_id,)).fetchone()
        return span_from_row(row) if row else None

    def id_for_uid(self, uid: str) -> SpanId | None:
        row = self._db.query("SELECT id FROM spans WHERE uid = %s", (uid,)).fetchone()
        return SpanId(row[0]) if row else None

    def for_document(self, document_id: int, annotator_id: int | None = None) -> list[Span]:
        layers, layer_params = layer_clause(self.layers)
        who, who_params = ("", ()) if annotator_id is None else (" AND annotator_id = %s",
                                                                 (annotator_id,))
        rows = self._db.query(f"SELECT {SPAN_COLUMNS} FROM spans WHERE document_id = %s{who}"
                              f"{layers} ORDER BY start, \"end\" DESC, id",
                              (document_id, *who_params, *layer_params))
        return [span_from_row(r) for r in rows]

    def iter_all(self, annotator_ids: list[int] | None = None) -> Iterator[Span]:
        if annotator_ids is None:
            rows = self._db.stream(f"SELECT {SPAN_COLUMNS} FROM spans "
                                   "ORDER BY document_id, start, id")
        else:
            rows = self._db.stream(f"SELECT {SPAN_COLUMNS} FROM spans WHERE annotator_id = "
                                   "ANY(%s) ORDER BY document_id, start, id",
                                   (list(annotator_ids),))
        for row in rows:
            yield span_from_row(row)

    def update(self, span_id: int, *, label: str | None = None,
               fragments: tuple[Fragment, ...] | None = None, text: str | None = None,
               attributes: dict[str, Any] | None = None, note: str | None = None) -> None:
        sets, params = ["updated_at = %s"], [utc_now()]
        if label is not None:
            sets.append("label = %s")
            params.append(label)
        if fragments is not None:
            sets += ["start = %s", "\"end\" = %s", "fragments = %s"]
            params += [fragments[0][0], fragments[-1][1], json_text([list(f) for f in fragments])]
        if text is not None:
            sets.append("text = %s")
            params.append(text)
        if attributes is not None:
            sets.append("attributes = %s")
            params.append(json_text(attributes))
        if note is not None:
            sets.append("note = %s")
            params.append(note)
        cursor = self._db.query(f"UPDATE spans SET {', '.join(sets)} WHERE id = %s",
                                (*params, span_id))
        if cursor.rowcount == 0 and self.get(span_id) is not None:
            raise refused(self._db, f"span {span_id}")

    def delete(self, span_id: int) -> None:
        cursor = self._db.query("DELETE FROM spans WHERE id = %s", (span_id,))
        if cursor.rowcount == 0 and self.get(span_id) is not None:
            raise refused(self._db, f"span {span_id}")

    def count(self) -> int:
        return self._db.query("SELECT COUNT(*) FROM spans").fetchone()[0]


class ServerRelationStore:
    def __init__(self, database: ServerDatabase) -> None:
        self._db = database
        self.layers: frozenset[str] | None = None

    def insert(self, relation: Relation, *, keep_id: bool = False) -> RelationId:
        values = relation_row(relation)
        if keep_id:
            row = self._db.query(f"INSERT INTO relations (id, {_RELATION_INSERT}) VALUES "
                                 f"(%s{', %s' * 7}) RETURNING id", (relation.id, *values))
        else:
            row = self._db.query(f"INSERT INTO relations ({_RELATION_INSERT}) VALUES "
                                 f"(%s{', %s' * 6}) RETURNING id", values)
        return RelationId(row.fetchone()[0])

    def insert_many(self, rows: Iterable[tuple]) -> int:
        count = 0
        with self._db.conn.cursor() as cursor, \
                cursor.copy(f"COPY relations ({_RELATION_INSERT}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count

    def get(self, relation_id: int) -> Relation | None:
        row = self._db.query(f"SELECT {RELATION_COLUMNS} FROM relations WHERE id = %s",
                             (relation_id,)).fetchone()
        return relation_from_row(row) if row else None

    def id_for_uid(self, uid: str) -> RelationId | None:
        row = self._db.query("SELECT id FROM relations WHERE uid = %s", (uid,)).fetchone()
        return RelationId(row[0]) if row else None

    def for_document(self, document_id: int, annotator_id: int | None = None) -> list[Relation]:
        sql = f"SELECT {RELATION_COLUMNS} FROM relations WHERE document_id = %s"
        params: tuple = (document_id,)
        if annotator_id is not None:
            sql += " AND annotator_id = %s"
            params += (annotator_id,)
        if self.layers is not None:
            layers, layer_params = layer_clause(self.layers)
            for end in ("source_id", "target_id"):
                sql += f" AND {end} IN (SELECT id FROM spans WHERE true{layers})"
                params += layer_params
        return [relation_from_row(r) for r in self._db.query(sql + " ORDER BY id", params)]

    def touching(self, span_id: int) -> list[Relation]:
        rows = self._db.query(f"SELECT {RELATION_COLUMNS} FROM relations "
                              "WHERE source_id = %s OR target_id = %s ORDER BY id",
                              (span_id, span_id))
        return [relation_from_row(r) for r in rows]

    def iter_all(self) -> Iterator[Relation]:
        for row in self._db.stream(f"SELECT {RELATION_COLUMNS} FROM relations "
                                   "ORDER BY document_id, id"):
            yield relation_from_row(row)

    def update_attributes(self, relation_id: int, attributes: dict[str, Any]) -> None:
        cursor = self._db.query("UPDATE relations SET attributes = %s WHERE id = %s",
                                (json_text(attributes), relation_id))
        if cursor.rowcount == 0 and self.get(relation_id) is not None:
            raise refused(self._db, f"relation {relation_id}")

    def delete(self, relation_id: int) -> None:
        cursor = self._db.query("DELETE FROM relations WHERE id = %s", (relation_id,))
        if cursor.rowcount == 0 and self.get(relation_id) is not None:
            raise refused(self._db, f"relation {relation_id}")

    def count(self) -> int:
        return self._db.query("SELECT COUNT(*) FROM relations").fetchone()[0]
