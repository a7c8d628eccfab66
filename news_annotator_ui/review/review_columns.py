"""The review window's text columns: one DocumentView per annotator plus gold, scrolled
together, and how a difference is shown in them."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QColor, QPalette, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from news_annotator.model import Relation, Span
from news_annotator.schema import Schema
from news_annotator_ui.document_view import DocumentView

BADGE_COLORS = ("#3d7cc9", "#e8871e", "#9c5fb5", "#2a9d8f", "#c0504d")
GOLD_BADGE = "#b8860b"


class AnnotatorColumn(QWidget):
    """A header (letter badge, name, count) above a read-only view of one annotator."""

    def __init__(self, letter: str, name: str, color: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewColumn")
        self.badge = QLabel(letter)
        self.badge.setObjectName("reviewBadge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.badge.setFixedSize(22, 22)
        self.badge.setStyleSheet(f"background:{color};color:white;border-radius:11px;"
                                 "font-weight:700;")
        self.title = QLabel(name)
        self.title.setObjectName("reviewColumnTitle")
        self.count = QLabel()
        self.count.setObjectName("reviewColumnCount")
        header = QHBoxLayout()
        header.setContentsMargins(10, 6, 10, 6)
        header.setSpacing(8)
        header.addWidget(self.badge)
        header.addWidget(self.title)
        header.addStretch(1)
        header.addWidget(self.count)
        head = QWidget()
        head.setObjectName("reviewColumnHeader")
        head.setLayout(header)
        self.view = DocumentView()
        self.view.setObjectName("reviewDocumentView")
        palette = self.view.palette()  # a soft marker for "here", not a loud selection
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.Highlight, QColor("#fde9a8"))
            palette.setColor(group, QPalette.ColorRole.HighlightedText, QColor("#1f2328"))
        self.view.setPalette(palette)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(head)
        layout.addWidget(self.view, 1)

    def set_count(self, spans: int, extra: str = "") -> None:
        self.count.setText(f"{spans} span{'s' if spans != 1 else ''}{extra}")


class ReviewColumns(QSplitter):
    """Side-by-side views of the same text; scrolling one scrolls them all."""

    span_selected = Signal(object, object)  # annotator id (or None for gold), span id

    def __init__(self, parent=None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("reviewColumns")
        self.setChildrenCollapsible(False)
        self.columns: list[AnnotatorColumn] = []
        self.owners: list[int | None] = []  # annotator id per column, None for gold
        self._syncing = False
        self._pointer: DocumentView | None = None  # the view a click is selecting in

    def build(self, owners: list[tuple[int | None, str, str, str]]) -> None:
        """Columns for (annotator id or None, letter, name, colour), replacing the old."""
        for column in self.columns:
            column.hide()
            column.deleteLater()
        self.columns, self.owners = [], []
        for owner, letter, name, color in owners:
            column = AnnotatorColumn(letter, name, color)
            bar = column.view.verticalScrollBar()
            bar.valueChanged.connect(lambda _v, b=bar: self._sync(b))
            column.view.span_selected.connect(
                lambda span_id, o=owner, v=column.view: self._on_span_selected(o, v, span_id))
            self.addWidget(column)
            self.columns.append(column)
            self.owners.append(owner)
        self.setSizes([1000] * len(self.columns))

    def _on_span_selected(self, owner: int | None, view: DocumentView,
                          span_id: int | None) -> None:
        """Pass a view's selection on; while it is a click, show_range keeps that view still."""
        self._pointer = view if view.is_clicking() else None
        try:
            self.span_selected.emit(owner, span_id)
        finally:
            self._pointer = None

    def column_of(self, owner: int | None) -> AnnotatorColumn | None:
        return self.columns[self.owners.index(owner)] if owner in self.owners else None

    def load(self, owner: int | None, text: str, spans: Iterable[Span],
             relations: Iterable[Relation], schema: Schema) -> None:
        column = self.column_of(owner)
        if column is not None:
            spans = list(spans)
            column.view.set_document(text, spans, relations, schema)
            column.set_count(len(spans))

    def _sync(self, source) -> None:
        """Scroll the other views so the line at the top of `source` is at their top too
        (by text position: the columns may wrap lines differently)."""
        if self._syncing:
            return
        origin = next((c.view for c in self.columns if c.view.verticalScrollBar() is source),
                      None)
        if origin is None:
            return
        self._syncing = True
        try:
            top = origin.cursorForPosition(QPoint(origin.viewport().width() // 2, 4))
            offset = origin.cursorRect(top).top()
            for column in self.columns:
                view, bar = column.view, column.view.verticalScrollBar()
                if view is origin:
                    continue
                if source.value() in (source.minimum(), source.maximum()):
                    bar.setValue(bar.minimum() if source.value() == source.minimum()
                                 else bar.maximum())
                    continue
                cursor = QTextCursor(view.document())
                cursor.setPosition(min(top.position(), view.document().characterCount() - 1))
                bar.setValue(bar.value() + view.cursorRect(cursor).top() - offset)
        finally:
            self._syncing = False

    def show_range(self, start: int, end: int, chosen: dict[int | None, int | None]) -> None:
        """Scroll every view to start..end; outline each view's span in `chosen`, or
        select the text there when that view has no span for it.

        When a click in a view chose the range, that view is left as the click left it
        (its caret, its span, its scroll): the text must not move under the pointer.
        """
        if not self.columns:
            return
        pointer = self._pointer
        still = pointer.verticalScrollBar().value() if pointer is not None else None
        if pointer is None:
            scroll_to(self.columns[0].view, start)
        for owner, column in zip(self.owners, self.columns, strict=True):
            view = column.view
            if view is pointer:
                continue
            span_id = chosen.get(owner)
            cursor = QTextCursor(view.document())
            offsets = view.offsets()
            cursor.setPosition(offsets.to_qt(min(start, len(view.text()))))
            if span_id is None:
                cursor.setPosition(offsets.to_qt(min(end, len(view.text()))),
                                   QTextCursor.MoveMode.KeepAnchor)
            view.blockSignals(True)
            view.setTextCursor(cursor)
            view.select_span(span_id, reveal=pointer is None)
            view.blockSignals(False)
            view.viewport().update()
        if pointer is not None and pointer.verticalScrollBar().value() != still:
            pointer.verticalScrollBar().setValue(still)  # and the others follow it back


def scroll_to(view: DocumentView, start: int) -> None:
    """Bring code point `start` into the top third of the view when it is out of view."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets().to_qt(min(start, len(view.text()))))
    rect = view.cursorRect(cursor)
    height = view.viewport().height()
    if rect.top() < 12 or rect.bottom() > height * 0.7:
        bar = view.verticalScrollBar()
        bar.setValue(int(bar.value() + rect.center().y() - height / 3))
