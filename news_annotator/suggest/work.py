"""Accepted work in plain form: what suggestions learn from and are scored against.

Several annotators may be named (say the user and gold); in each document the first of
them, in the order given, who has spans in the layers in question stands for it, so two
annotators' versions of one article are never mixed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from news_annotator.model import Fragment
from news_annotator.project import Project


@dataclass
class Work:
    """One annotator's spans and relations in one document, in plain form."""

    spans: dict[object, tuple[str, str, tuple[Fragment, ...]]] = field(default_factory=dict)
    relations: list[tuple[str, object, object]] = field(default_factory=list)


def work_of(project: Project, document_id: int, annotator_id: int,
            layers: Sequence[str] | None = None) -> Work:
    work = Work()
    for span in project.spans.for_document(document_id, annotator_id):
        if layers is None or span.layer in layers:
            work.spans[span.id] = (span.layer, span.label, span.fragments)
    for relation in project.relations.for_document(document_id, annotator_id):
        if relation.source_id in work.spans and relation.target_id in work.spans:
            work.relations.append((relation.type, relation.source_id, relation.target_id))
    return work



def reference_annotators(project: Project, names: Sequence[str]) -> list[int]:
    """The ids of the named annotators that exist, in the order given."""
    found = []
    for name in names:
        annotator = project.annotators.find(name.strip())
        if annotator is not None:
            found.append(annotator.id)
    return found


def reference_documents(project: Project, names: Sequence[str],
                        layers: Sequence[str] | None = None) -> dict[int, int]:
    """Document id → the annotator id that stands for the reference there."""
    store = project.suggestions
    chosen: dict[int, int] = {}
    for annotator_id in reference_annotators(project, names):
        for document_id in sorted(store.documents_with_work([annotator_id], layers)):
            chosen.setdefault(document_id, annotator_id)
    return dict(sorted(chosen.items()))


def reference_work(project: Project, names: Sequence[str], layers: Sequence[str] | None = None,
                   documents: Iterable[int] | None = None) -> Iterator[tuple[int, Work]]:
    """(document id, Work) for each document the reference annotators annotated: spans in
    `layers` and the spans their relations point to (a quote's source is an entity)."""
    wanted = None if documents is None else set(documents)
    for document_id, annotator_id in reference_documents(project, names, layers).items():
        if wanted is not None and document_id not in wanted:
            continue
        yield document_id, in_layers(work_of(project, document_id, annotator_id), layers)


def in_layers(work: Work, layers: Sequence[str] | None) -> Work:
    """The spans of `layers` with the spans their relations point to (a quote's source
    is an entity), and those relations."""
    if layers is None:
        return work
    kept = {k for k, (layer, _, _) in work.spans.items() if layer in layers}
    kept |= {target for _, source, target in work.relations if source in kept}
    return Work({k: v for k, v in work.spans.items() if k in kept},
                [r for r in work.relations if r[1] in kept and r[2] in kept])
