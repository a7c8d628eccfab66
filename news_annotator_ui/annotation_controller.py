"""What the annotation keys do: each user intent becomes one core command on the stack.

Label keys create or relabel spans (or, with Ctrl, add a fragment), edge keys resize the
selected span, relation keys start a "pick the target" mode that a click completes.
Every failure becomes a short status-bar message, never a dialog.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from news_annotator.commands import (
    AddRelation,
    AddSpan,
    DeleteRelation,
    DeleteSpan,
    SetStatus,
    UpdateSpan,
)
from news_annotator.model import Fragment, Span, Status
from news_annotator_ui.document_session import DocumentSession
from news_annotator_ui.offsets import grapheme_ceil, grapheme_floor
from news_annotator_ui.undo import ProjectUndoStack

_WORD_START = re.compile(r"(?<!\w)\w")
_WORD_END = re.compile(r"\w(?!\w)")


def merge_fragments(fragments: list[Fragment]) -> tuple[Fragment, ...]:
    """Sort fragments and join the ones that overlap or touch."""
    merged: list[list[int]] = []
    for start, end in sorted(fragments):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((start, end) for start, end in merged)


def step_edge(text: str, position: int, direction: int, *, by_word: bool,
              edge: str = "end") -> int:
    """The next grapheme (or word) boundary from `position` in `direction` (+1 or -1).

    By word, an end edge stops at word ends and a start edge at word starts, so a span
    grows or shrinks by whole words.
    """
    if not by_word:
        if direction > 0:
            return grapheme_ceil(text, position + 1)
        return grapheme_floor(text, position - 1)
    # Look only near `position`: a 50 MB article must not be scanned per key press.
    pattern, shift = (_WORD_END, 1) if edge == "end" else (_WORD_START, 0)
    if direction > 0:
        found = pattern.search(text, position + 1 - shift)
        return found.start() + shift if found else len(text)
    window = 256
    while True:
        low = max(0, position - window)
        stops = [m.start() + shift for m in pattern.finditer(text, low, position)]
        stops = [stop for stop in stops if stop < position]
        if stops:
            return stops[-1]
        if low == 0:
            return 0
        window *= 4


class AnnotationController(QObject):
    """Turns annotation intents into commands for the current document and annotator."""

    message = Signal(str)
    picking_changed = Signal(bool)

    def __init__(self, session: DocumentSession, stack: ProjectUndoStack, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.stack = stack
        self.view = session.view
        self.snap_to_words = False
        self.pending_relation: tuple[str, int] | None = None  # (type, source span id)
        self.view.span_clicked.connect(self.on_span_clicked)

    @property
    def project(self):
        return self.session.project

    def selected_span(self) -> Span | None:
        return self.session.span(self.view.selected_span_id())

    def _run(self, command) -> bool:
        return self.stack.run(command)

    # -- spans --------------------------------------------------------------------------

    def apply_label(self, label: str, *, add_fragment: bool = False) -> None:
        """Create a span from the selection, add it as a fragment, or relabel."""
        document = self.session.document
        if document is None:
            self.message.emit("Open a document first")
            return
        fragment = self.view.selection_fragment(snap_words=self.snap_to_words)
        selected = self.selected_span()
        if add_fragment:
            if selected is None or fragment is None:
                self.message.emit("To add a fragment: select a span, then select more text "
                                  "and press Ctrl + the label key")
                return
            fragments = merge_fragments([*selected.fragments, fragment])
            self._run(UpdateSpan(selected.id, fragments=fragments,
                                 label=label if label != selected.label else None))
            self.view.select_span(selected.id)
            return
        if fragment is not None:
            command = AddSpan(document.id, self.session.annotator_id, label, (fragment,))
            if self._run(command) and command.created is not None:
                self.view.select_span(command.created.id)
                self.message.emit(f"Added {label}: {_short(command.created.text)}")
            return
        if selected is not None:
            if selected.label != label:
                self._run(UpdateSpan(selected.id, label=label))
            return
        if self.view.selected_span_id() is not None:
            self.message.emit("That span belongs to another annotator (read-only)")
            return
        self.message.emit(f"Select some text, then press the key for {label}")

    def delete_selected(self) -> None:
        span = self.selected_span()
        if span is None:
            self.message.emit("Select a span to delete (click it, or Tab to it)")
            return
        span_ids = [s.id for s in self.session.spans_in_order()]
        position = span_ids.index(span.id)
        if self._run(DeleteSpan(span.id)):
            rest = [i for i in span_ids if i != span.id]
            self.view.select_span(rest[min(position, len(rest) - 1)] if rest else None)
            self.message.emit(f"Deleted {span.label}")

    def move_edge(self, edge: str, direction: int, *, by_word: bool = False) -> None:
        """Move the selected span's start or end one grapheme (or word) left or right."""
        span, document = self.selected_span(), self.session.document
        if span is None or document is None:
            self.message.emit("Select a span to resize")
            return
        fragments = [list(f) for f in span.fragments]
        if edge == "start":
            moved = step_edge(document.text, fragments[0][0], direction, by_word=by_word,
                              edge="start")
            fragments[0][0] = moved
        else:
            moved = step_edge(document.text, fragments[-1][1], direction, by_word=by_word)
            fragments[-1][1] = moved
        if any(start >= end for start, end in fragments):
            self.message.emit("A span cannot get any shorter")
            return
        new = tuple((start, end) for start, end in fragments)
        if new != span.fragments:
            self._run(UpdateSpan(span.id, fragments=new))
            self.view.select_span(span.id)

    def set_attributes(self, span_id: int, attributes: dict) -> None:
        self._run(UpdateSpan(span_id, attributes=attributes))

    def set_note(self, span_id: int, note: str) -> None:
        span = self.session.span(span_id)
        if span is not None and span.note != note:
            self._run(UpdateSpan(span_id, note=note))

    def delete_relation(self, relation_id: int) -> None:
        self._run(DeleteRelation(relation_id))

    def walk_spans(self, step: int) -> None:
        self.view.next_span(step)

    def toggle_done(self) -> None:
        document = self.session.document
        if document is None:
            return
        status = Status.IN_PROGRESS if self.session.status() is Status.DONE else Status.DONE
        if self._run(SetStatus(document.id, self.session.annotator_id, status)):
            self.message.emit(f"Marked {status.value}")

    # -- relations ----------------------------------------------------------------------

    def begin_relation(self, relation_type: str) -> None:
        kind = self.project.schema.relation_type(relation_type)
        source = self.selected_span()
        if kind is None:
            return
        if source is None:
            self.message.emit(f"Select the span a {relation_type} relation starts from "
                              "(e.g. a quote), then press its key")
            return
        if kind.source_labels and source.label not in kind.source_labels:
            self.message.emit(f"A {relation_type} relation starts at "
                              f"{_either(kind.source_labels)}, not {source.label}")
            return
        self.pending_relation = (relation_type, source.id)
        targets = _either(kind.target_labels) if kind.target_labels else "any span"
        self.message.emit(f"Pick target for {relation_type} ({targets}): click it… "
                          "Esc cancels")
        self.picking_changed.emit(True)

    def cancel_relation(self) -> None:
        if self.pending_relation is not None:
            self.pending_relation = None
            self.picking_changed.emit(False)
            self.message.emit("Relation cancelled")

    def on_span_clicked(self, span_id: int, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
        if self.pending_relation is None:
            return
        relation_type, source_id = self.pending_relation
        if span_id == source_id:
            self.message.emit("Pick another span as the target… Esc cancels")
            return
        target = self.session.span(span_id)
        self.pending_relation = None
        self.picking_changed.emit(False)
        # The view selects the clicked span after this signal; keep the source selected
        # so that the next relation key (say, V after S) starts from the quote again.
        QTimer.singleShot(0, lambda: self.view.select_span(source_id))
        if target is None:
            self.message.emit("The target must be one of your own spans")
            return
        kind = self.project.schema.relation_type(relation_type)
        if kind is not None and kind.target_labels and target.label not in kind.target_labels:
            self.message.emit(f"A {relation_type} relation must end at "
                              f"{_either(kind.target_labels)}, not {target.label}")
            return
        if self._run(AddRelation(relation_type, source_id, span_id)):
            self.message.emit(f"Linked {relation_type} → {target.label} "
                              f"“{_short(target.text)}”")


def _either(labels: tuple[str, ...]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
