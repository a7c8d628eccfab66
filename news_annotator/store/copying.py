"""Copy a whole project from one storage into a new, empty one (a server project's
backup is a project file). Uids and timestamps travel unchanged, so the copy merges
with its original as if it were the original (review/merge.py)."""

from __future__ import annotations

from dataclasses import replace

from news_annotator.model import AnnotatorId, DocumentId, SpanId
from news_annotator.store.protocol import Storage


def copy_project(source: Storage, target: Storage) -> None:
    """Everything in `source` into the empty `target`, in one transaction of the target."""
    with target.transaction():
        target.schema.save(source.schema.load())
        who = {a.id: target.annotators.ensure(a.name).id for a in source.annotators.all()}
        documents: dict[int, DocumentId] = {}
        for document in source.merging.iter_documents():
            documents[document.id] = target.documents.insert_with_id(document)
        spans: dict[int, SpanId] = {}
        for span in source.spans.iter_all():
            spans[span.id] = target.spans.insert(replace(
                span, document_id=documents[span.document_id],
                annotator_id=AnnotatorId(who[span.annotator_id])))
        for relation in source.relations.iter_all():
            target.relations.insert(replace(
                relation, document_id=documents[relation.document_id],
                annotator_id=AnnotatorId(who[relation.annotator_id]),
                source_id=spans[relation.source_id], target_id=spans[relation.target_id]))
        for document_id, annotator_id, status, updated_at in source.statuses.all():
            target.statuses.set(documents[document_id], who[annotator_id], status, updated_at)
