"""Every user edit as a command with apply/revert, the one path the UI edits through.

The UI wraps these in QUndoCommand; scripts (and the crash tests) run them directly.
Commands keep ids stable across undo/redo: a deleted span is restored under its old id,
so later commands on the stack still point at the right rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from news_annotator.model import Fragment, Relation, Span, Status
from news_annotator.project import DeletedSpan, Project
from news_annotator.schema import Schema


class Command(Protocol):
    description: str

    def apply(self, project: Project) -> None: ...

    def revert(self, project: Project) -> None: ...


@dataclass
class AddSpan:
    document_id: int
    annotator_id: int
    label: str
    fragments: tuple[Fragment, ...]
    attributes: dict[str, Any] | None = None
    note: str = ""
    layer: str | None = None
    uid: str = ""
    created: Span | None = field(default=None, init=False)

    @property
    def description(self) -> str:
        return f"add {self.label}"

    def apply(self, project: Project) -> None:
        if self.created is None:
            self.created = project.add_span(self.document_id, self.annotator_id, self.label,
                                            self.fragments, attributes=self.attributes,
                                            note=self.note, layer=self.layer, uid=self.uid)
        else:
            project.restore_span(DeletedSpan(self.created, ()))

    def revert(self, project: Project) -> None:
        assert self.created is not None
        project.delete_span(self.created.id)


@dataclass
class UpdateSpan:
    """Relabel, resize, add a fragment, set attributes or the note of one span."""

    span_id: int
    label: str | None = None
    fragments: tuple[Fragment, ...] | None = None
    attributes: dict[str, Any] | None = None
    note: str | None = None
    before: Span | None = field(default=None, init=False)

    @property
    def description(self) -> str:
        if self.label is not None:
            return f"relabel as {self.label}"
        if self.fragments is not None:
            return "resize span"
        if self.attributes is not None:
            return "set attributes"
        return "edit note"

    def apply(self, project: Project) -> None:
        self.before = project.spans.get(self.span_id)
        project.update_span(self.span_id, label=self.label, fragments=self.fragments,
                            attributes=self.attributes, note=self.note)

    def revert(self, project: Project) -> None:
        before = self.before
        assert before is not None
        project.update_span(self.span_id,
                            label=before.label if self.label is not None else None,
                            fragments=before.fragments if self.fragments is not None else None,
                            attributes=before.attributes if self.attributes is not None else None,
                            note=before.note if self.note is not None else None)


@dataclass
class DeleteSpan:
    span_id: int
    deleted: DeletedSpan | None = field(default=None, init=False)
    description: str = "delete span"

    def apply(self, project: Project) -> None:
        self.deleted = project.delete_span(self.span_id)

    def revert(self, project: Project) -> None:
        assert self.deleted is not None
        project.restore_span(self.deleted)


@dataclass
class AddRelation:
    relation_type: str
    source_id: int
    target_id: int
    attributes: dict[str, Any] | None = None
    uid: str = ""
    created: Relation | None = field(default=None, init=False)

    @property
    def description(self) -> str:
        return f"add {self.relation_type} relation"

    def apply(self, project: Project) -> None:
        if self.created is None:
            self.created = project.add_relation(self.relation_type, self.source_id,
                                                self.target_id, attributes=self.attributes,
                                                uid=self.uid)
        else:
            project.restore_relation(self.created)

    def revert(self, project: Project) -> None:
        assert self.created is not None
        project.delete_relation(self.created.id)


@dataclass
class DeleteRelation:
    relation_id: int
    deleted: Relation | None = field(default=None, init=False)
    description: str = "delete relation"

    def apply(self, project: Project) -> None:
        self.deleted = project.delete_relation(self.relation_id)

    def revert(self, project: Project) -> None:
        assert self.deleted is not None
        project.restore_relation(self.deleted)


@dataclass
class SetStatus:
    document_id: int
    annotator_id: int
    status: Status
    previous: Status | None = field(default=None, init=False)

    @property
    def description(self) -> str:
        return f"mark document {self.status.value}"

    def apply(self, project: Project) -> None:
        self.previous = project.set_status(self.document_id, self.annotator_id, self.status)

    def revert(self, project: Project) -> None:
        assert self.previous is not None
        project.set_status(self.document_id, self.annotator_id, self.previous)


@dataclass
class SetSchema:
    """Labels, layers, attributes and relation types edited (Edit labels): undoable.

    `renames` maps (layer, old label) to the new name; spans follow a rename, and undo
    renames them back. Undo refuses (SchemaError) when spans now use a label the old
    schema lacks, e.g. ones another program added since.
    """

    schema: Schema
    renames: dict[tuple[str, str], str] = field(default_factory=dict)
    previous: Schema | None = field(default=None, init=False)
    description: str = field(default="edit labels", init=False)

    def apply(self, project: Project) -> None:
        before = project.schema
        project.set_schema(self.schema, renames=self.renames)
        self.previous = before

    def revert(self, project: Project) -> None:
        assert self.previous is not None
        back = {(layer, new): old for (layer, old), new in self.renames.items()}
        project.set_schema(self.previous, renames=back)
