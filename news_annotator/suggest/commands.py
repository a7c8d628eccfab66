"""Undoable commands on suggestions (same protocol as news_annotator/commands.py).

- AcceptSuggestion: the suggested span becomes the user's, with its attributes; accepting
  a quote's content accepts its frame (the spans its relations point to, cue and source)
  with the relations; a cue or source accepted alone comes without them.
- RejectSuggestion: the suggestion goes (a content takes its frame's parts that no other
  suggestion uses) and is remembered, so no later run proposes it again.
- AcceptAllOfLabel: every suggestion of one label in a document, each with its frame.
Undo restores the suggestions under their old ids and removes what accepting made.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from news_annotator.model import Relation, Span
from news_annotator.project import DeletedSpan, Project


def frame_of(project: Project, span: Span) -> list[Span]:
    """The span and the spans its relations point to (a quote's cue and source)."""
    spans = [span]
    for relation in project.relations.touching(span.id):
        if relation.source_id == span.id:
            target = project.spans.get(relation.target_id)
            if target is not None and target.annotator_id == span.annotator_id:
                spans.append(target)
    return spans


@dataclass
class _Removal:
    """Suggestion spans deleted by a command, restorable with their relations."""

    deleted: list[DeletedSpan] = field(default_factory=list)

    def delete(self, project: Project, span_ids: list[int]) -> None:
        for span_id in span_ids:
            if project.spans.get(span_id) is not None:
                self.deleted.append(project.delete_span(span_id))

    def restore(self, project: Project) -> None:
        relations: dict[int, Relation] = {}
        for deleted in reversed(self.deleted):
            project.restore_span(DeletedSpan(deleted.span, ()))
            relations.update((r.id, r) for r in deleted.relations)
        for relation in sorted(relations.values(), key=lambda r: r.id):
            if project.relations.get(relation.id) is None:
                project.restore_relation(relation)
        self.deleted = []


@dataclass
class AcceptSuggestion:
    """Make a suggestion (and, with `with_frame`, its frame) the user's."""

    span_id: int
    annotator_id: int  # the user who accepts
    with_frame: bool = True
    created: list[int] = field(default_factory=list, init=False)
    linked: list[int] = field(default_factory=list, init=False)  # relations made
    removal: _Removal = field(default_factory=_Removal, init=False)

    @property
    def description(self) -> str:
        return "accept suggestion"

    def apply(self, project: Project) -> None:
        span = project.spans.get(self.span_id)
        if span is None:
            return
        parts = frame_of(project, span) if self.with_frame else [span]
        part_ids = {p.id for p in parts}
        links = [r for p in parts for r in project.relations.touching(p.id)
                 if r.source_id in part_ids and r.target_id in part_ids]
        with project.transaction():
            mine: dict[int, int] = {}
            for part in parts:
                same = _same_span(project, part, self.annotator_id)
                if same is None:
                    same = project.add_span(part.document_id, self.annotator_id, part.label,
                                            part.fragments, layer=part.layer,
                                            attributes=dict(part.attributes), note=part.note)
                    self.created.append(same.id)
                mine[part.id] = same.id
            for relation in {r.id: r for r in links}.values():
                if not _has_relation(project, relation.type, mine[relation.source_id],
                                     mine[relation.target_id]):
                    made = project.add_relation(relation.type, mine[relation.source_id],
                                                mine[relation.target_id],
                                                attributes=dict(relation.attributes))
                    self.linked.append(made.id)
            self.removal.delete(project, [p.id for p in parts])

    def revert(self, project: Project) -> None:
        with project.transaction():
            for relation_id in reversed(self.linked):
                if project.relations.get(relation_id) is not None:
                    project.delete_relation(relation_id)
            for span_id in reversed(self.created):
                if project.spans.get(span_id) is not None:
                    project.delete_span(span_id)
            self.linked, self.created = [], []
            self.removal.restore(project)


@dataclass
class RejectSuggestion:
    """Delete a suggestion (a content with its frame's unshared parts) and remember it."""

    span_id: int
    with_frame: bool = True
    removal: _Removal = field(default_factory=_Removal, init=False)
    remembered: list[tuple[int, str, str, tuple]] = field(default_factory=list, init=False)

    @property
    def description(self) -> str:
        return "reject suggestion"

    def apply(self, project: Project) -> None:
        span = project.spans.get(self.span_id)
        if span is None:
            return
        parts = [span]
        if self.with_frame:
            for part in frame_of(project, span)[1:]:
                others = [r for r in project.relations.touching(part.id)
                          if r.source_id != span.id and r.target_id == part.id]
                if not others:
                    parts.append(part)
        store = project.suggestions
        with project.transaction():
            for part in parts:
                if store.reject(part.document_id, part.layer, part.label, part.fragments):
                    self.remembered.append((part.document_id, part.layer, part.label,
                                            part.fragments))
            self.removal.delete(project, [p.id for p in parts])

    def revert(self, project: Project) -> None:
        store = project.suggestions
        with project.transaction():
            for document_id, layer, label, fragments in self.remembered:
                store.forget_rejection(document_id, layer, label, fragments)
            self.remembered = []
            self.removal.restore(project)


@dataclass
class AcceptAllOfLabel:
    """Accept every suggestion of `label` (in `layer`) in one document, frames included."""

    document_id: int
    suggestions_id: int  # the suggestions annotator
    annotator_id: int
    label: str
    layer: str | None = None
    accepted: list[AcceptSuggestion] = field(default_factory=list, init=False)

    @property
    def description(self) -> str:
        return f"accept all {self.label} suggestions"

    def apply(self, project: Project) -> None:
        spans = [s for s in project.spans.for_document(self.document_id, self.suggestions_id)
                 if s.label == self.label and (self.layer is None or s.layer == self.layer)]
        with project.transaction():
            for span in spans:
                if project.spans.get(span.id) is None:  # taken along by an earlier frame
                    continue
                command = AcceptSuggestion(span.id, self.annotator_id)
                command.apply(project)
                self.accepted.append(command)

    def revert(self, project: Project) -> None:
        with project.transaction():
            for command in reversed(self.accepted):
                command.revert(project)
            self.accepted = []


def _same_span(project: Project, span: Span, annotator_id: int) -> Span | None:
    for other in project.spans.for_document(span.document_id, annotator_id):
        if (other.layer, other.label, other.fragments) == (span.layer, span.label,
                                                           span.fragments):
            return other
    return None


def _has_relation(project: Project, kind: str, source_id: int, target_id: int) -> bool:
    return any(r.type == kind and r.source_id == source_id and r.target_id == target_id
               for r in project.relations.touching(source_id))
