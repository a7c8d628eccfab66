"""The current document's spans as a list model (label, text), in reading order."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap

from news_annotator.model import Span
from news_annotator.schema import Schema

SpanIdRole = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


class SpanListModel(QAbstractListModel):
    """Rows are spans; `set_spans` replaces them when the document or its spans change."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._spans: list[Span] = []
        self._schema: Schema | None = None
        self._icons: dict[str, QIcon] = {}

    def set_spans(self, spans: list[Span], schema: Schema) -> None:
        self.beginResetModel()
        self._spans = list(spans)
        if schema is not self._schema:
            self._icons.clear()
        self._schema = schema
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._spans)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._spans):
            return None
        span = self._spans[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            text = span.text.replace("\n", " ")
            text = text if len(text) <= 60 else text[:59] + "…"
            return f"{span.label}  {text}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{span.layer} · {span.label}\n{span.text}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(span.label)
        if role == SpanIdRole:
            return int(span.id)
        return None

    def row_of(self, span_id: int | None) -> int | None:
        return next((row for row, span in enumerate(self._spans) if span.id == span_id), None)

    def _icon(self, label: str) -> QIcon:
        if label not in self._icons:
            color = "#999999"
            if self._schema is not None:
                layer = self._schema.layer_of_label(label)
                found = layer.label(label) if layer else None
                color = found.color if found else color
            pixmap = QPixmap(10, 10)
            pixmap.fill(QColor(color))
            self._icons[label] = QIcon(pixmap)
        return self._icons[label]
