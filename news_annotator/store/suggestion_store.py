"""SQL for suggestions: learned models, remembered rejections, and bulk replacement of
one annotator's spans in chosen documents (the suggestions annotator's)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from news_annotator.model import Fragment
from news_annotator.store.database import Database, utc_now


@dataclass(frozen=True, slots=True)
class StoredModel:
    """A learned model as the project file keeps it."""

    layer: str
    trained_at: str
    annotators: tuple[str, ...]
    documents: int
    params: dict[str, Any]
    data: bytes


def fragments_key(fragments: Iterable[Fragment]) -> str:
    return json.dumps([[int(s), int(e)] for s, e in fragments])


class SuggestionStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    # -- models ---------------------------------------------------------------------

    def save_model(self, model: StoredModel) -> None:
        """Keep `model` as its layer's model (replacing the one before), in the caller's
        transaction."""
        self._db.conn.execute(
            "INSERT INTO suggestion_models(layer, trained_at, annotators, documents, params, "
            "bytes) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(layer) DO UPDATE SET "
            "trained_at = excluded.trained_at, annotators = excluded.annotators, "
            "documents = excluded.documents, params = excluded.params, bytes = excluded.bytes",
            (model.layer, model.trained_at or utc_now(), json.dumps(list(model.annotators)),
             model.documents, json.dumps(model.params, sort_keys=True), model.data))

    def model(self, layer: str) -> StoredModel | None:
        row = self._db.query("SELECT layer, trained_at, annotators, documents, params, bytes "
                             "FROM suggestion_models WHERE layer = ?", (layer,)).fetchone()
        if row is None:
            return None
        return StoredModel(row[0], row[1], tuple(json.loads(row[2])), row[3],
                           json.loads(row[4]), bytes(row[5]))

    def model_layers(self) -> list[str]:
        return [r[0] for r in self._db.query("SELECT layer FROM suggestion_models "
                                             "ORDER BY layer")]

    def delete_model(self, layer: str) -> None:
        self._db.conn.execute("DELETE FROM suggestion_models WHERE layer = ?", (layer,))

    # -- rejections -----------------------------------------------------------------

    def reject(self, document_id: int, layer: str, label: str,
               fragments: Iterable[Fragment]) -> bool:
        """Remember a rejection; False when it was already remembered."""
        cursor = self._db.conn.execute(
            "INSERT OR IGNORE INTO rejected_suggestions(document_id, layer, label, fragments, "
            "rejected_at) VALUES (?, ?, ?, ?, ?)",
            (document_id, layer, label, fragments_key(fragments), utc_now()))
        return cursor.rowcount > 0

    def forget_rejection(self, document_id: int, layer: str, label: str,
                         fragments: Iterable[Fragment]) -> None:
        self._db.conn.execute(
            "DELETE FROM rejected_suggestions WHERE document_id = ? AND layer = ? AND "
            "label = ? AND fragments = ?", (document_id, layer, label, fragments_key(fragments)))

    def rejected(self, document_ids: Iterable[int] | None = None
                 ) -> set[tuple[int, str, str, str]]:
        """(document id, layer, label, fragments key) of every remembered rejection."""
        rows = self._db.query("SELECT document_id, layer, label, fragments "
                              "FROM rejected_suggestions")
        wanted = None if document_ids is None else set(document_ids)
        return {(r[0], r[1], r[2], r[3]) for r in rows if wanted is None or r[0] in wanted}

    # -- bulk replacement -----------------------------------------------------------

    def delete_annotator_work(self, annotator_id: int, document_ids: Iterable[int],
                              layers: Iterable[str] | None = None) -> int:
        """Delete one annotator's spans (their relations go with them) in these documents,
        in the caller's transaction: only those in `layers` when given, with the spans
        their relations point to (a suggested quote's source). Returns spans deleted."""
        layer_list = None if layers is None else sorted(set(layers))
        deleted = 0
        ids = list(document_ids)
        for first in range(0, len(ids), 500):
            chunk = ids[first:first + 500]
            where = f"annotator_id = ? AND document_id IN ({', '.join('?' * len(chunk))})"
            params: list[Any] = [annotator_id, *chunk]
            if layer_list is None:
                deleted += self._db.conn.execute(f"DELETE FROM spans WHERE {where}",
                                                 params).rowcount
                continue
            in_layers = f"{where} AND layer IN ({', '.join('?' * len(layer_list))})"
            params += layer_list
            deleted += self._db.conn.execute(
                f"DELETE FROM spans WHERE id IN (SELECT target_id FROM relations WHERE "
                f"source_id IN (SELECT id FROM spans WHERE {in_layers})) AND annotator_id = ?",
                (*params, annotator_id)).rowcount
            deleted += self._db.conn.execute(f"DELETE FROM spans WHERE {in_layers}",
                                             params).rowcount
        return deleted

    def documents_with_work(self, annotator_ids: Iterable[int],
                            layers: Iterable[str] | None = None) -> set[int]:
        """Documents where any of these annotators has a span (in `layers`, if given)."""
        found: set[int] = set()
        layer_list = None if layers is None else sorted(set(layers))
        for annotator_id in annotator_ids:
            sql = "SELECT DISTINCT document_id FROM spans WHERE annotator_id = ?"
            params: list[Any] = [annotator_id]
            if layer_list is not None:
                sql += f" AND layer IN ({', '.join('?' * len(layer_list))})"
                params += layer_list
            found.update(r[0] for r in self._db.query(sql, tuple(params)))
        return found

    def span_keys(self, document_ids: Iterable[int], annotator_ids: Iterable[int]
                  ) -> set[tuple[int, str, str, str]]:
        """(document, layer, label, fragments key) of the spans these annotators made in
        these documents: suggestions skip what already exists."""
        keys: set[tuple[int, str, str, str]] = set()
        ids = list(document_ids)
        who = sorted(set(annotator_ids))
        if not who:
            return keys
        for first in range(0, len(ids), 500):
            chunk = ids[first:first + 500]
            rows = self._db.query(
                f"SELECT document_id, layer, label, fragments FROM spans WHERE document_id IN "
                f"({', '.join('?' * len(chunk))}) AND annotator_id IN "
                f"({', '.join('?' * len(who))})", (*chunk, *who))
            keys.update((r[0], r[1], r[2], fragments_key(json.loads(r[3]))) for r in rows)
        return keys

    def span_texts(self, annotator_ids: Iterable[int], layers: Iterable[str]
                   ) -> Iterator[tuple[str, str, str, int, int]]:
        """(layer, label, text, how many spans, how many of them relations point at) of
        these annotators' spans in `layers`: the gazetteer, read in one pass without
        building the spans."""
        who, chosen = sorted({int(i) for i in annotator_ids}), sorted(set(layers))
        if not who or not chosen:
            return iter(())
        return iter(self._db.query(
            f"SELECT layer, label, text, count(*), sum(EXISTS (SELECT 1 FROM relations "
            f"WHERE relations.target_id = spans.id)) FROM spans WHERE annotator_id IN "
            f"({', '.join('?' * len(who))}) AND layer IN ({', '.join('?' * len(chosen))}) "
            f"GROUP BY layer, label, text", (*who, *chosen)))
