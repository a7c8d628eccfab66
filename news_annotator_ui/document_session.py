"""The open document: loads it into the view and keeps the view in step with the project.

Every edit reaches the screen the same way, whether it came from a key press, undo, or
another window: the project announces a `Change`, and only the spans or relations it
names are sent to the view. The suggestions annotator's spans, when one is named, are
shown apart (dashed), never among other annotators' muted work.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from news_annotator.changes import Change, ChangeKind
from news_annotator.model import Document, Relation, Span, Status
from news_annotator.project import Project


class DocumentSession(QObject):
    """One project, one annotator, the current document, and the document view."""

    document_changed = Signal(object)  # Document | None
    spans_changed = Signal()  # the current annotator's spans or relations changed
    suggestions_changed = Signal()  # the suggestions shown changed
    status_changed = Signal(object)  # Status of the current document
    schema_changed = Signal(object)  # Schema

    def __init__(self, project: Project, annotator_id: int, view, parent=None) -> None:
        super().__init__(parent)
        self.project = project
        self.annotator_id = annotator_id
        self.view = view
        self.document: Document | None = None
        self.spans: dict[int, Span] = {}
        self.relations: list[Relation] = []
        self.muted: list[Span] = []  # other annotators' spans, shown muted
        self.show_others = False
        self.suggestions_id: int | None = None  # the suggestions annotator, shown apart
        self.suggestions: dict[int, Span] = {}
        project.subscribe(self._on_change)

    def detach(self) -> None:
        self.project.unsubscribe(self._on_change)

    # -- loading ------------------------------------------------------------------------

    def open_document(self, document_id: int | None) -> bool:
        document = self.project.documents.get(document_id) if document_id is not None else None
        if document_id is not None and document is None:
            return False
        self.document = document
        self._load()
        self.document_changed.emit(document)
        self.status_changed.emit(self.status())
        return True

    def reload(self) -> None:
        """Read the current document's spans again (after a toggle or an import)."""
        self._load()
        self.spans_changed.emit()

    def sync_with_file(self) -> bool:
        """Catch up with edits another program saved; True when the view changed.

        Only the spans that differ are sent to the view, so scrolling and the selection
        survive (a full reload would reset both).
        """
        if self.document is None:
            return False
        doc_id = self.document.id
        if self.show_others:
            others = [s for s in self.project.spans.for_document(doc_id)
                      if s.annotator_id not in (self.annotator_id, self.suggestions_id)]
            if others != self.muted:
                self.reload()
                return True
        if self.suggestions_id is not None:
            before = self.suggestions
            spans, relations = self._read_suggestions()
            if self.suggestions != before:
                self.view.set_suggestions(spans, relations)
                self.suggestions_changed.emit()
        fresh = {s.id: s for s in self.project.spans.for_document(doc_id, self.annotator_id)}
        changed = False
        for span_id in self.spans.keys() - fresh.keys():
            del self.spans[span_id]
            self.view.remove_span(span_id)
            changed = True
        for span_id, span in fresh.items():
            if span_id not in self.spans:
                self.view.add_span(span)
            elif self.spans[span_id] != span:
                self.view.update_span(span)
            else:
                continue
            self.spans[span_id] = span
            changed = True
        relations = self.project.relations.for_document(doc_id, self.annotator_id)
        if relations != self.relations:
            self.relations = relations
            self.view.set_relations(relations)
            changed = True
        if changed:
            self.spans_changed.emit()
        self.status_changed.emit(self.status())
        return changed

    def set_show_others(self, show: bool) -> None:
        self.show_others = show
        self.reload()

    def show_suggestions_of(self, annotator_id: int | None) -> None:
        """Show this annotator's spans as suggestions (None: show none)."""
        if annotator_id != self.suggestions_id:
            self.suggestions_id = annotator_id
            if self.show_others:
                self.reload()  # muted spans left out, or back in
            else:
                self.reload_suggestions()

    def reload_suggestions(self) -> None:
        """Read the current document's suggestions again (after a write of the app's own
        that announced no change)."""
        spans, relations = self._read_suggestions()
        self.view.set_suggestions(spans, relations)
        self.suggestions_changed.emit()

    def _read_suggestions(self) -> tuple[list[Span], list[Relation]]:
        if self.document is None or self.suggestions_id is None:
            self.suggestions = {}
            return [], []
        spans = self.project.spans.for_document(self.document.id, self.suggestions_id)
        self.suggestions = {span.id: span for span in spans}
        return spans, self.project.relations.for_document(self.document.id,
                                                          self.suggestions_id)

    def _load(self) -> None:
        if self.document is None:
            self.spans, self.relations = {}, []
            self.view.set_document("", [], [], self.project.schema)
            return
        doc_id = self.document.id
        mine = self.project.spans.for_document(doc_id, self.annotator_id)
        self.spans = {span.id: span for span in mine}
        self.relations = self.project.relations.for_document(doc_id, self.annotator_id)
        muted: list[Span] = []
        if self.show_others:
            muted = [span for span in self.project.spans.for_document(doc_id)
                     if span.annotator_id not in (self.annotator_id, self.suggestions_id)]
        self.muted = muted
        suggested, suggested_relations = self._read_suggestions()
        self.view.set_document(self.document.text, mine, self.relations, self.project.schema,
                               muted_spans=muted, suggestions=suggested,
                               suggestion_relations=suggested_relations)
        self.suggestions_changed.emit()

    # -- queries ------------------------------------------------------------------------

    @property
    def document_id(self) -> int | None:
        return self.document.id if self.document else None

    def status(self) -> Status:
        if self.document is None:
            return Status.NEW
        return self.project.statuses.get(self.document.id, self.annotator_id)

    def span(self, span_id: int | None) -> Span | None:
        return self.spans.get(span_id) if span_id is not None else None

    def relations_of(self, span_id: int) -> list[Relation]:
        return [r for r in self.relations if span_id in (r.source_id, r.target_id)]

    def spans_in_order(self) -> list[Span]:
        return sorted(self.spans.values(), key=lambda s: (s.start, -s.end, s.id))

    # -- project changes ----------------------------------------------------------------

    def _on_change(self, change: Change) -> None:
        if change.kind is ChangeKind.OUTSIDE:
            if self.show_others:
                self.view.set_annotator_names(
                    {a.id: a.name for a in self.project.annotators.all()})
            self.sync_with_file()
            return
        if change.kind is ChangeKind.SCHEMA:
            self.view.set_schema(self.project.schema)
            self.schema_changed.emit(self.project.schema)
            return
        if self.document is None or change.document_id != self.document.id:
            return
        if change.annotator_id is not None and change.annotator_id == self.suggestions_id:
            self._follow_suggestions(change)
            return
        if change.annotator_id not in (None, self.annotator_id):
            if self.show_others:
                self.reload()
            return
        if change.kind is ChangeKind.STATUS:
            self.status_changed.emit(self.status())
            return
        if change.kind is ChangeKind.SPAN_ADDED:
            for span_id in change.ids:
                span = self.project.spans.get(span_id)
                if span is not None:
                    self.spans[span.id] = span
                    self.view.add_span(span)
            self._refresh_relations()  # a restored span brings its relations back
        elif change.kind is ChangeKind.SPAN_CHANGED:
            for span_id in change.ids:
                span = self.project.spans.get(span_id)
                if span is not None:
                    self.spans[span.id] = span
                    self.view.update_span(span)
        elif change.kind is ChangeKind.SPAN_DELETED:
            for span_id in change.ids:
                self.spans.pop(span_id, None)
                self.view.remove_span(span_id)
            self._refresh_relations()
        elif change.kind in (ChangeKind.RELATION_ADDED, ChangeKind.RELATION_CHANGED,
                             ChangeKind.RELATION_DELETED):
            self._refresh_relations()
        self.spans_changed.emit()
        if change.kind is ChangeKind.SPAN_ADDED:
            self.status_changed.emit(self.status())  # the first span starts the document

    def _follow_suggestions(self, change: Change) -> None:
        """A suggestion accepted, rejected, or restored by undo: only its place repaints."""
        if change.kind is ChangeKind.SPAN_ADDED:
            for span_id in change.ids:
                span = self.project.spans.get(span_id)
                if span is not None:
                    self.suggestions[span.id] = span
                    self.view.add_span(span, suggested=True)
        elif change.kind is ChangeKind.SPAN_DELETED:
            for span_id in change.ids:
                self.suggestions.pop(span_id, None)
                self.view.remove_span(span_id)
        elif change.kind is ChangeKind.SPAN_CHANGED:
            self.reload_suggestions()
            return
        elif change.kind is ChangeKind.STATUS:
            return
        else:  # relations: the arcs drawn from the current suggestion
            self.reload_suggestions()
            return
        self.suggestions_changed.emit()

    def _refresh_relations(self) -> None:
        assert self.document is not None
        self.relations = self.project.relations.for_document(self.document.id,
                                                             self.annotator_id)
        self.view.set_relations(self.relations)
