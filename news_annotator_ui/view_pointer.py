"""How the document view reads the mouse: presses, clicks, drags and hovering.

Presses, drags and releases in a line's underline band reach Qt as if on the line: the
band belongs to the line above it, as it does for hovering. A click (not a drag) selects
the span under it, or else the suggestion under it, without scrolling: it is under the
pointer. The view's Qt overrides hand their events here with Qt's own handler.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QHelpEvent, QMouseEvent, QTextDocument
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from news_annotator.model import Span
from news_annotator_ui.span_painter import band_height
from news_annotator_ui.text_layout import onto_text

Handler = Callable[[QMouseEvent], None]


class PointedView(Protocol):
    """What the pointer uses of the document view (news_annotator_ui/document_view.py)."""

    span_clicked: Any  # Signal(int, object)
    hovered: Any  # Signal(list)

    def document(self) -> QTextDocument: ...
    def viewport(self) -> QWidget: ...
    def scroll_offset(self) -> QPointF: ...
    def spans_at_point(self, point: QPoint | QPointF, *, include_muted: bool = False,
                       include_suggested: bool = False) -> list[Span]: ...
    def select_span(self, span_id: int | None, *, reveal: bool = True) -> None: ...
    def select_suggestion(self, span_id: int | None, *, reveal: bool = True) -> None: ...
    def repaint_span(self, span_id: int) -> None: ...
    def tooltip(self, spans: list[Span]) -> str: ...


class ViewPointer:
    """The mouse state of one view: where a press began, whether a click is selecting,
    and the spans under the pointer (innermost first)."""

    def __init__(self, view: PointedView) -> None:
        self.view = view
        self.press_pos: QPoint | None = None
        self.clicking = False
        self.hovered: list[int] = []

    def press(self, event: QMouseEvent, handler: Handler) -> None:
        self.press_pos = event.position().toPoint()
        self.pass_on(handler, event)

    def release(self, event: QMouseEvent, handler: Handler) -> None:
        self.pass_on(handler, event)
        press, self.press_pos = self.press_pos, None
        if event.button() != Qt.MouseButton.LeftButton or press is None:
            return
        point = event.position().toPoint()
        if (point - press).manhattanLength() >= QApplication.startDragDistance():
            return  # a drag selects text; it does not touch the span selection
        self.clicking = True
        try:
            self._click(point, event.modifiers())
        finally:
            self.clicking = False

    def move(self, event: QMouseEvent, handler: Handler) -> None:
        if event.buttons() != Qt.MouseButton.NoButton:
            self.pass_on(handler, event)  # a drag selecting text
            return
        handler(event)
        self.set_hovered([s.id for s in self.view.spans_at_point(
            event.position(), include_muted=True, include_suggested=True)])

    def _click(self, point: QPoint, modifiers: Qt.KeyboardModifier) -> None:
        view = self.view
        spans = view.spans_at_point(point)
        if not spans:
            if modifiers == Qt.KeyboardModifier.NoModifier:
                view.select_span(None)
                found = view.spans_at_point(point, include_suggested=True)
                view.select_suggestion(found[0].id if found else None, reveal=False)
            return
        span_id = spans[0].id
        view.span_clicked.emit(span_id, modifiers)
        if modifiers == Qt.KeyboardModifier.NoModifier:
            view.select_span(span_id, reveal=False)

    def pass_on(self, handler: Handler, event: QMouseEvent) -> None:
        """Hand `event` to Qt's handler, moved onto the line's text when it is in a band."""
        offset = self.view.scroll_offset()
        point = event.position()
        moved = onto_text(self.view.document(), point + offset, band_height()) - offset
        if moved == point:
            handler(event)
            return
        shift = moved - point
        copy = QMouseEvent(event.type(), moved, event.scenePosition() + shift,
                           event.globalPosition() + shift, event.button(), event.buttons(),
                           event.modifiers(), event.pointingDevice())
        copy.setTimestamp(event.timestamp())
        handler(copy)
        event.setAccepted(copy.isAccepted())

    # -- hovering -------------------------------------------------------------------------

    def show_tooltip(self, event: QHelpEvent) -> None:
        """The labels of every span under the pointer, whoever's they are."""
        spans = self.view.spans_at_point(event.pos(), include_muted=True,
                                         include_suggested=True)
        if spans:
            QToolTip.showText(event.globalPos(), self.view.tooltip(spans),
                              self.view.viewport())
        else:
            QToolTip.hideText()
            event.ignore()

    def set_hovered(self, ids: list[int]) -> None:
        if ids == self.hovered:
            return
        old = self.hovered[0] if self.hovered else None
        self.hovered = ids
        for span_id in (old, ids[0] if ids else None):
            if span_id is not None:
                self.view.repaint_span(span_id)
        self.view.hovered.emit(ids)

    def forget(self, span_id: int) -> None:
        """A span went away: it is no longer under the pointer."""
        self.hovered = [sid for sid in self.hovered if sid != span_id]
