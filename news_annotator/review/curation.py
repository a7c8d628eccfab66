"""Curate a gold annotator from a comparison, as undoable commands.

`AcceptVersions(document_id, difference, accept=(alice,), gold_id=gold)` makes gold's
version of one difference the chosen annotators' version: gold copies of the other
versions are removed, the chosen spans are copied (new uids, same label, fragments,
attributes and note), and the relations of the source annotator between spans that
now both have gold copies are copied too, so a quote accepted after its speaker gets
its `source` link. `accept=()` rejects every version. Gold's status for the document
becomes "in progress"; `finish(document, gold)` marks it done.

A gold copy's uid is derived from its source span's uid, which is how a later
command finds it (to link relations or to replace it); accepting twice adds nothing.
Every command applies in one transaction and reverts exactly, restoring rows under
their old ids (the undo stack relies on stable ids).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from news_annotator.commands import AddRelation, AddSpan, Command, DeleteSpan, SetStatus
from news_annotator.model import GOLD_ANNOTATOR, Relation, Span, Status
from news_annotator.project import Project
from news_annotator.review.compare import Difference, DifferenceKind

GOLD = GOLD_ANNOTATOR


def gold_annotator(project: Project, name: str = GOLD) -> int:
    """The id of the gold annotator, created on first use."""
    return project.annotator(name).id


def gold_uid(source_uid: str, gold_id: int) -> str:
    return hashlib.sha256(f"gold|{gold_id}|{source_uid}".encode()).hexdigest()[:32]


def copy_span(source: Span, gold_id: int) -> AddSpan:
    """The command that adds a gold copy of a span (its uid derived from the source's)."""
    return AddSpan(source.document_id, gold_id, source.label, source.fragments,
                   attributes=dict(source.attributes), note=source.note, layer=source.layer,
                   uid=gold_uid(source.uid, gold_id))


def copy_relation(source: Relation, gold_source_id: int, gold_target_id: int,
                  gold_id: int) -> AddRelation:
    return AddRelation(source.type, gold_source_id, gold_target_id,
                       attributes=dict(source.attributes), uid=gold_uid(source.uid, gold_id))


@dataclass
class Batch:
    """Several commands as one undo step, applied in one transaction."""

    description: str
    children: list[Any] = field(default_factory=list)

    def apply(self, project: Project) -> None:
        with project.transaction():
            for child in self.children:
                child.apply(project)

    def revert(self, project: Project) -> None:
        with project.transaction():
            for child in reversed(self.children):
                child.revert(project)


@dataclass
class AcceptVersions:
    """Make gold's version of one difference the version of the `accept` annotators."""

    document_id: int
    difference: Difference
    accept: tuple[int, ...]
    gold_id: int
    done: list[Command] = field(default_factory=list, init=False)

    @property
    def description(self) -> str:
        if not self.accept:
            return "reject all versions"
        return "accept both versions" if len(self.accept) > 1 else "accept version"

    def apply(self, project: Project) -> None:
        with project.transaction():
            if self.done:
                for child in self.done:
                    child.apply(project)
            else:
                self._plan_and_apply(project)

    def revert(self, project: Project) -> None:
        with project.transaction():
            for child in reversed(self.done):
                child.revert(project)

    def _run(self, project: Project, command: Command) -> None:
        command.apply(project)
        self.done.append(command)

    def _plan_and_apply(self, project: Project) -> None:
        gold = {s.uid: s for s in project.spans.for_document(self.document_id, self.gold_id)}
        if project.statuses.get(self.document_id, self.gold_id) is Status.NEW:
            self._run(project, SetStatus(self.document_id, self.gold_id, Status.IN_PROGRESS))
        chosen = [s for who in self.accept for s in self.difference.spans_of(who)]
        keep = {gold_uid(s.uid, self.gold_id) for s in chosen}
        for span in self.difference.spans:
            copy = gold.get(gold_uid(span.uid, self.gold_id))
            if copy is not None and copy.uid not in keep:
                self._run(project, DeleteSpan(copy.id))
                del gold[copy.uid]
        shapes = {(s.layer, s.label, s.fragments) for s in gold.values()}
        for span in chosen:
            shape = (span.layer, span.label, span.fragments)
            if gold_uid(span.uid, self.gold_id) in gold or shape in shapes:
                continue  # already in gold (accepted before, or an identical version)
            copy = copy_span(span, self.gold_id)
            self._run(project, copy)
            assert copy.created is not None
            gold[copy.created.uid] = copy.created
            shapes.add(shape)
        self._link(project, chosen, gold)

    def _link(self, project: Project, chosen: list[Span], gold: dict[str, Span]) -> None:
        """Copy the source relations whose two ends both have gold copies now."""
        def copy_of(span_id: int) -> Span | None:
            source = project.spans.get(span_id)
            if source is None:
                return None
            found = gold.get(gold_uid(source.uid, self.gold_id))
            if found is not None:
                return found
            return next((g for g in gold.values() if (g.layer, g.label, g.fragments)
                         == (source.layer, source.label, source.fragments)), None)

        for span in chosen:
            for relation in project.relations.touching(span.id):
                uid = gold_uid(relation.uid, self.gold_id)
                if project.relations.id_for_uid(uid) is not None:
                    continue
                source, target = copy_of(relation.source_id), copy_of(relation.target_id)
                if source is not None and target is not None:
                    self._run(project, copy_relation(relation, source.id, target.id,
                                                     self.gold_id))


def accept_agreed(document_id: int, differences: list[Difference], gold_id: int) -> Batch:
    """One undo step that copies every span all annotators agree on into gold."""
    return Batch("accept all agreed spans", [
        AcceptVersions(document_id, d, d.annotators[:1], gold_id)
        for d in differences if d.kind is DifferenceKind.SAME])


def finish(document_id: int, gold_id: int) -> SetStatus:
    """Mark the curated document done for gold."""
    return SetStatus(document_id, gold_id, Status.DONE)
