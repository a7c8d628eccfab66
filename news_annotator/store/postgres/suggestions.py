"""SQL for a server project's suggestions: learned models, remembered rejections, and
bulk replacement of the suggestions annotator's spans (store/suggestion_store.py's twin)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from news_annotator.model import Fragment
from news_annotator.store.database import utc_now
from news_annotator.store.postgres.connection import ServerDatabase
from news_annotator.store.suggestion_store import StoredModel, fragments_key


class ServerSuggestionStore:
    def __init__(self, database: ServerDatabase) -> None:
        self._db = database

    def save_model(self, model: StoredModel) -> None:
        self._db.query(
            "INSERT INTO suggestion_models(layer, trained_at, annotators, documents, params, "
            "bytes) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (layer) DO UPDATE SET "
            "trained_at = excluded.trained_at, annotators = excluded.annotators, "
            "documents = excluded.documents, params = excluded.params, bytes = excluded.bytes",
            (model.layer, model.trained_at or utc_now(), json.dumps(list(model.annotators)),
             model.documents, json.dumps(model.params, sort_keys=True), model.data))

    def model(self, layer: str) -> StoredModel | None:
        row = self._db.query("SELECT layer, trained_at, annotators, documents, params, bytes "
                             "FROM suggestion_models WHERE layer = %s", (layer,)).fetchone()
        if row is None:
            return None
        return StoredModel(row[0], row[1], tuple(json.loads(row[2])), row[3],
                           json.loads(row[4]), bytes(row[5]))

    def model_layers(self) -> list[str]:
        return [r[0] for r in self._db.query("SELECT layer FROM suggestion_models "
                                             "ORDER BY layer COLLATE \"C\"")]

    def delete_model(self, layer: str) -> None:
        self._db.query("DELETE FROM suggestion_models WHERE layer = %s", (layer,))

    def reject(self, document_id: int, layer: str, label: str,
               fragments: Iterable[Fragment]) -> bool:
        cursor = self._db.query(
            "INSERT INTO rejected_suggestions(document_id, layer, label, fragments, "
            "rejected_at) VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (document_id, layer, label, fragments_key(fragments), utc_now()))
        return cursor.rowcount > 0

    def forget_rejection(self, document_id: int, layer: str, label: str,
                         fragments: Iterable[Fragment]) -> None:
        self._db.query("DELETE FROM rejected_suggestions WHERE document_id = %s AND layer = %s "
                       "AND label = %s AND fragments = %s",
                       (document_id, layer, label, fragments_key(fragments)))

    def rejected(self, document_ids: Iterable[int] | None = None
                 ) -> set[tuple[int, str, str, str]]:
        if document_ids is None:
            rows = self._db.query("SELECT document_id, layer, label, fragments "
                                  "FROM rejected_suggestions")
        else:
            rows = self._db.query("SELECT document_id, layer, label, fragments FROM "
                                  "rejected_suggestions WHERE document_id = ANY(%s)",
                                  ([int(i) for i in document_ids],))
        return {(r[0], r[1], r[2], r[3]) for r in rows}

    def delete_annotator_work(self, annotator_id: int, document_ids: Iterable[int],
                              layers: Iterable[str] | None = None) -> int:
        """As the file's: one annotator's spans in these documents (only `layers`, with
        the spans their relations point to, when given); returns spans deleted."""
        ids = [int(i) for i in document_ids]
        where = "annotator_id = %s AND document_id = ANY(%s)"
        params: list[Any] = [annotator_id, ids]
        if layers is None:
            return self._db.query(f"DELETE FROM spans WHERE {where}", params).rowcount
        in_layers = f"{where} AND layer = ANY(%s)"
        params.append(sorted(set(layers)))
        deleted = self._db.query(
            f"DELETE FROM spans WHERE id IN (SELECT target_id FROM relations WHERE "
            f"source_id IN (SELECT id FROM spans WHERE {in_layers})) AND annotator_id = %s",
            (*params, annotator_id)).rowcount
        return deleted + self._db.query(f"DELETE FROM spans WHERE {in_layers}",
                                        params).rowcount

    def documents_with_work(self, annotator_ids: Iterable[int],
                            layers: Iterable[str] | None = None) -> set[int]:
        sql = "SELECT DISTINCT document_id FROM spans WHERE annotator_id = ANY(%s)"
        params: list[Any] = [[int(i) for i in annotator_ids]]
        if layers is not None:
            sql += " AND layer = ANY(%s)"
            params.append(sorted(set(layers)))
        return {r[0] for r in self._db.query(sql, params)}

    def span_keys(self, document_ids: Iterable[int], annotator_ids: Iterable[int]
                  ) -> set[tuple[int, str, str, str]]:
        who = sorted({int(i) for i in annotator_ids})
        if not who:
            return set()
        rows = self._db.query("SELECT document_id, layer, label, fragments FROM spans "
                              "WHERE document_id = ANY(%s) AND annotator_id = ANY(%s)",
                              ([int(i) for i in document_ids], who))
        return {(r[0], r[1], r[2], fragments_key(json.loads(r[3]))) for r in rows}

    def span_texts(self, annotator_ids: Iterable[int], layers: Iterable[str]
                   ) -> Iterator[tuple[str, str, str, int, int]]:
        who, chosen = sorted({int(i) for i in annotator_ids}), sorted(set(layers))
        if not who or not chosen:
            return iter(())
        return iter(self._db.query(
            "SELECT layer, label, text, count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 "
            "FROM relations WHERE relations.target_id = spans.id)) FROM spans "
            "WHERE annotator_id = ANY(%s) "
            "AND layer = ANY(%s) GROUP BY layer, label, text", (who, chosen)))
