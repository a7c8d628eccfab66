"""A read-only table model over a short list of rows (agreement figures, ranked documents).

The rows are few (labels, pairs, the top documents) and computed at once, so the model
holds them; numbers sort as numbers and show with three decimals, None as an en dash.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

AnyIndex = QModelIndex | QPersistentModelIndex
SortRole = Qt.ItemDataRole.UserRole + 1
RowDataRole = Qt.ItemDataRole.UserRole + 2
UNDEFINED = QColor("#a0a7b0")


def _shown(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


class RecordsModel(QAbstractTableModel):
    """Rows of values under fixed headers; each row may carry a payload (RowDataRole)."""

    def __init__(self, headers: Sequence[str] = (), parent=None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows: list[tuple] = []
        self._payloads: list[Any] = []
        self._tips: dict[int, str] = {}
        self._shades: list[list[QColor | None]] = []

    def set_rows(self, rows: Sequence[Sequence[Any]], *, headers: Sequence[str] | None = None,
                 payloads: Sequence[Any] | None = None,
                 shades: Sequence[Sequence[QColor | None]] | None = None) -> None:
        self.beginResetModel()
        if headers is not None:
            self._headers = list(headers)
        self._rows = [tuple(row) for row in rows]
        self._payloads = list(payloads) if payloads is not None else [None] * len(self._rows)
        self._shades = [list(s) for s in shades] if shades is not None else []
        self.endResetModel()

    def set_header_tips(self, tips: dict[int, str]) -> None:
        self._tips = dict(tips)

    def row_values(self, row: int) -> tuple:
        return self._rows[row]

    def payload(self, row: int) -> Any:
        return self._payloads[row] if 0 <= row < len(self._payloads) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._headers):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tips.get(section)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows) \
                or not 0 <= index.column() < len(self._headers):
            return None
        row = self._rows[index.row()]
        value = row[index.column()] if index.column() < len(row) else None
        if role == Qt.ItemDataRole.DisplayRole:
            return _shown(value)
        if role == SortRole:
            return value if value is not None else float("-inf")
        if role == RowDataRole:
            return self.payload(index.row())
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int | float):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        faint = value is None or (value == 0 and bool(self._shades))
        if role == Qt.ItemDataRole.ForegroundRole and faint:
            return QBrush(UNDEFINED)  # undefined figures, and empty confusion cells
        if role == Qt.ItemDataRole.BackgroundRole and self._shades:
            shade = self._shades[index.row()][index.column()]
            return QBrush(shade) if shade is not None else None
        return None
