"""Write proposals as one annotator's spans and relations, in one transaction.

Earlier suggestions of that annotator in the documents covered are replaced; a proposal
that another annotator already made (same layer, label and fragments), or that was
rejected there, is skipped, and so are relations the schema does not allow.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from news_annotator.model import DocumentId, Relation, RelationId, Span, SpanId, fragments_text
from news_annotator.project import Project
from news_annotator.store.annotations import new_uid
from news_annotator.store.database import utc_now
from news_annotator.store.suggestion_store import fragments_key
from news_annotator.suggest.parallel import Propose, Proposers
from news_annotator.suggest.proposals import Proposals
from news_annotator.suggest.results import SuggestResult

CHUNK = 200  # documents read and proposed between writes


def write_proposals(project: Project, propose: Propose, document_ids: Sequence[int],
                    annotator_name: str, layers: Sequence[str] | None,
                    result: SuggestResult, progress: Callable[[int, int], None] | None = None,
                    *, accepted_by: Sequence[int] | None = None, workers: int = 1) -> None:
    """Propose and write for each document; `accepted_by`: the annotators whose spans
    count as existing (default: everyone but the suggestions annotator); `workers`:
    processes that propose (see parallel.py)."""
    store = project.suggestions
    annotator = project.annotator(annotator_name)
    if accepted_by is None:
        accepted_by = [a.id for a in project.annotators.all() if a.id != annotator.id]
    with project.transaction(), Proposers(propose, workers, len(document_ids)) as proposers:
        for first in range(0, len(document_ids), CHUNK):
            chunk = document_ids[first:first + CHUNK]
            result.replaced += store.delete_annotator_work(annotator.id, chunk, layers)
            existing = store.span_keys(chunk, accepted_by)
            rejected = store.rejected(chunk)
            by_document: dict[int, list] = {}
            for doc, layer, _, key in existing:
                by_document.setdefault(doc, []).append((layer, _fragments(key)))
            documents = list(project.documents.iter_all(chunk))
            items = [(d.text, by_document.get(d.id, [])) for d in documents]
            for document, proposals in zip(documents, proposers.map(items), strict=True):
                if layers:
                    proposals = _only_layers(proposals, layers)
                write_document(project, document.id, document.text, annotator.id, proposals,
                               existing, rejected, result)
                result.documents += 1
            if progress is not None:
                progress(min(first + CHUNK, len(document_ids)), len(document_ids))
    project.changed_outside()  # one refresh for every view, instead of a change per span


def write_document(project: Project, document_id: int, text: str, annotator_id: int,
                   proposals: Proposals, existing: set[tuple], rejected: set[tuple],
                   result: SuggestResult) -> dict[int, SpanId]:
    """Insert one document's proposals (inside the caller's transaction); returns the
    proposal index → new span id of what was written."""
    schema = project.schema
    now = utc_now()
    written: dict[int, SpanId] = {}
    labels: dict[int, str] = {}
    for index, proposed in enumerate(proposals.spans):
        key = (document_id, proposed.layer, proposed.label, fragments_key(proposed.fragments))
        if key in existing:
            result.skipped_existing += 1
            continue
        if key in rejected:
            result.skipped_rejected += 1
            continue
        layer = schema.layer(proposed.layer)
        if layer is None or layer.label(proposed.label) is None or \
                proposed.fragments[-1][1] > len(text):
            continue
        span = Span(SpanId(0), new_uid(), DocumentId(document_id), annotator_id,  # type: ignore[arg-type]
                    proposed.layer, proposed.label, proposed.fragments,
                    fragments_text(text, proposed.fragments),
                    project.default_attributes(proposed.layer, proposed.label), "", now, now)
        written[index] = project.spans.insert(span)
        labels[index] = proposed.label
        result.spans += 1
        result.by_origin[proposed.origin] = result.by_origin.get(proposed.origin, 0) + 1
    for relation in proposals.relations:
        if relation.source not in written or relation.target not in written:
            continue
        kind = schema.relation_type(relation.type)
        if kind is None or not kind.allows(labels[relation.source], labels[relation.target]):
            continue
        project.relations.insert(Relation(
            RelationId(0), new_uid(), DocumentId(document_id), annotator_id,  # type: ignore[arg-type]
            relation.type, written[relation.source], written[relation.target], {}))
        result.relations += 1
    return written


def _only_layers(proposals: Proposals, layers: Sequence[str]) -> Proposals:
    """Proposals in `layers`, with the spans their relations point to (a quote's source)."""
    keep = {i for i, span in enumerate(proposals.spans) if span.layer in layers}
    keep |= {r.target for r in proposals.relations if r.source in keep}
    kept = Proposals()
    mapping = {i: kept.add(proposals.spans[i]) for i in sorted(keep)}
    for relation in proposals.relations:
        if relation.source in mapping and relation.target in mapping:
            kept.relate(relation.type, mapping[relation.source], mapping[relation.target])
    return kept


def _fragments(key: str) -> tuple[tuple[int, int], ...]:
    import json

    return tuple((int(s), int(e)) for s, e in json.loads(key))
