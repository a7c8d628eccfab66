"""The differences of one document as a table: kind, text, each annotator's version, gold."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from news_annotator.review.compare import Difference, DifferenceKind
from news_annotator_ui.review.gold_state import GoldVersion, letters

AnyIndex = QModelIndex | QPersistentModelIndex
KIND_STYLE: dict[DifferenceKind, tuple[str, str, str]] = {  # colour, glyph, short name
    DifferenceKind.SAME: ("#59a14f", "=", "agreed"),
    DifferenceKind.ONLY_IN: ("#e8871e", "1", "only in"),
    DifferenceKind.LABEL: ("#9c5fb5", "L", "label"),
    DifferenceKind.BOUNDARIES: ("#3d7cc9", "↔", "bounds"),
}
KIND_COLUMN, TEXT_COLUMN = 0, 1
MUTED = QColor("#8a929c")
GOLD_COLOR = QColor("#b8860b")


def kind_icon(kind: DifferenceKind, size: int = 16) -> QIcon:
    """A filled circle in the kind's colour with its glyph."""
    color, glyph, _ = KIND_STYLE[kind]
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    font = QFont()
    font.setPixelSize(int(size * 0.62))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, glyph)
    painter.end()
    return QIcon(pixmap)


def kind_text(difference: Difference, names: dict[int, str], order: Sequence[int]) -> str:
    """'agreed', 'only in A', 'label', 'bounds' (+ ', label too' when labels differ)."""
    _, _, short = KIND_STYLE[difference.kind]
    if difference.kind is DifferenceKind.ONLY_IN:
        tags = letters(len(order))
        present = [tags[order.index(a)] for a in difference.annotators if a in order]
        return f"only in {'+'.join(present)}"
    if difference.kind is DifferenceKind.BOUNDARIES and not difference.same_label:
        return "bounds + label"
    return short


class DifferenceModel(QAbstractTableModel):
    """Rows are differences; the gold column says whose version gold holds."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._text = ""
        self._rows: list[Difference] = []
        self._gold: list[GoldVersion] = []
        self._rejected: set[int] = set()
        self._order: list[int] = []
        self._names: dict[int, str] = {}
        self._label_colors: dict[str, QColor] = {}
        self._icons = {kind: kind_icon(kind) for kind in DifferenceKind}

    def reset(self, text: str, rows: list[Difference], gold: list[GoldVersion],
              order: Sequence[int], names: dict[int, str],
              label_colors: dict[str, QColor]) -> None:
        self.beginResetModel()
        self._text, self._rows, self._gold = text, list(rows), list(gold)
        self._order, self._names = list(order), dict(names)
        self._label_colors = label_colors
        self._rejected = set()
        self.endResetModel()

    def set_gold(self, gold: list[GoldVersion], rejected: set[int]) -> None:
        """New gold states (same rows); repaints the gold column."""
        self._gold, self._rejected = list(gold), set(rejected)
        if self._rows:
            column = self.columnCount() - 1
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))

    def difference(self, row: int) -> Difference | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def gold(self, row: int) -> GoldVersion:
        return self._gold[row] if 0 <= row < len(self._gold) else GoldVersion()

    def differences(self) -> list[Difference]:
        return list(self._rows)

    # -- Qt model API -------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3 + len(self._order)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == KIND_COLUMN:
                return "Difference"
            if section == TEXT_COLUMN:
                return "Text"
            if section == self.columnCount() - 1:
                return "Gold"
            who = self._order[section - 2]
            return f"{letters(len(self._order))[section - 2]} · {self._names.get(who, who)}"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        difference = self._rows[index.row()]
        column = index.column()
        last = self.columnCount() - 1
        if column == KIND_COLUMN:
            if role == Qt.ItemDataRole.DisplayRole:
                return kind_text(difference, self._names, self._order)
            if role == Qt.ItemDataRole.DecorationRole:
                return self._icons[difference.kind]
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{difference.kind.value} ({difference.layer})"
        elif column == TEXT_COLUMN:
            if role == Qt.ItemDataRole.DisplayRole:
                return _excerpt(self._text[difference.start:difference.end])
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._text[difference.start:difference.end]
        elif column == last:
            return self._gold_data(index.row(), role)
        else:
            spans = difference.spans_of(self._order[column - 2])
            if role == Qt.ItemDataRole.DisplayRole:
                return self._version_text(difference, spans)
            if role == Qt.ItemDataRole.DecorationRole and spans:
                return self._label_colors.get(spans[0].label, MUTED)
            if role == Qt.ItemDataRole.ForegroundRole and not spans:
                return QBrush(MUTED)
            if role == Qt.ItemDataRole.ToolTipRole and spans:
                return "\n".join(f"{s.label} “{s.text}” {s.start}–{s.end}" for s in spans)
        if role == Qt.ItemDataRole.ForegroundRole and difference.kind is DifferenceKind.SAME:
            return QBrush(MUTED)
        return None

    def _version_text(self, difference: Difference, spans) -> str:
        if not spans:
            return "—"
        if difference.kind is DifferenceKind.BOUNDARIES:  # the bounds are the point here
            return ", ".join(f"{s.label} “{_excerpt(s.text, 30)}”" for s in spans)
        return ", ".join(s.label for s in spans)

    def _gold_data(self, row: int, role: int):
        gold = self.gold(row)
        tags = letters(len(self._order))
        if role == Qt.ItemDataRole.DisplayRole:
            if gold.accepted:
                text = "+".join(tags[self._order.index(a)] for a in gold.accepted
                                if a in self._order)
                return "✓ " + text + (" +edit" if gold.other else "")
            if gold.other:
                return "✎ other"
            return "✗ none" if row in self._rejected else "·"
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(GOLD_COLOR if not gold.empty else MUTED)
        if role == Qt.ItemDataRole.ToolTipRole:
            return ("gold holds the version of " + ", ".join(
                self._names.get(a, str(a)) for a in gold.accepted) if gold.accepted else
                "rejected: gold has no span here" if row in self._rejected else
                "not decided yet")
        return None


def _excerpt(text: str, limit: int = 42) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
