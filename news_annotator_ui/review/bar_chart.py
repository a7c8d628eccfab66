"""A grouped bar chart painted with QPainter (QtCharts is not in PySide6-Essentials).

Values are in 0..1 (F1 scores); None is drawn as a grey 'n/a' tick. One group per
category, one bar per series; hovering a bar shows its exact value.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

BACKGROUND = QColor("#ffffff")
GRID = QColor("#e6e8eb")
AXIS_TEXT = QColor("#6b7480")
TEXT = QColor("#2b3038")
NA = QColor("#c3c8cf")


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    color: str
    values: tuple[float | None, ...]


class BarChart(QWidget):
    """Grouped bars of values in 0..1, with a legend, grid and category labels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("barChart")
        self.setMouseTracking(True)
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.title = ""
        self.categories: list[str] = []
        self.series: list[Series] = []
        self.empty_text = "No figures yet"
        self._bars: list[tuple[QRectF, str, str, float | None]] = []

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(520, 260)

    def set_data(self, categories: list[str], series: list[Series], *, title: str = "") -> None:
        self.categories, self.series, self.title = list(categories), list(series), title
        self.update()

    def clear(self, text: str = "No figures yet") -> None:
        self.categories, self.series, self.empty_text = [], [], text
        self.update()

    def bar_rects(self) -> list[tuple[QRectF, str, str, float | None]]:
        """(rect, category, series name, value) of every bar at the last paint."""
        return list(self._bars)

    # -- painting -----------------------------------------------------------------------

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), BACKGROUND)
        self._bars = []
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.85))
        painter.setFont(small)
        metrics = QFontMetricsF(small)
        if not self.categories or not self.series:
            painter.setPen(AXIS_TEXT)
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        top = 14 + metrics.height() * 1.6
        left, right = metrics.horizontalAdvance("0.75") + 16, 12
        label_room = metrics.height() * 2.4
        plot = QRectF(left, top, self.width() - left - right,
                      self.height() - top - label_room - 8)
        if plot.width() < 40 or plot.height() < 30:
            return
        self._paint_header(painter, metrics)
        self._paint_grid(painter, plot, metrics)
        self._paint_bars(painter, plot, metrics)

    def _paint_header(self, painter: QPainter, metrics: QFontMetricsF) -> None:
        x, y = self.width() - 12.0, 10.0
        for series in reversed(self.series):
            width = metrics.horizontalAdvance(series.name)
            x -= width
            painter.setPen(TEXT)
            painter.drawText(QPointF(x, y + metrics.ascent()), series.name)
            x -= 16
            painter.fillRect(QRectF(x, y + metrics.height() / 2 - 5, 10, 10),
                             QColor(series.color))
            x -= 14
        if self.title:
            bold = QFont(painter.font())
            bold.setBold(True)
            painter.setFont(bold)
            painter.setPen(TEXT)
            painter.drawText(QPointF(12, y + metrics.ascent()), self.title)
            bold.setBold(False)
            painter.setFont(bold)

    def _paint_grid(self, painter: QPainter, plot: QRectF, metrics: QFontMetricsF) -> None:
        for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
            y = plot.bottom() - tick * plot.height()
            painter.setPen(QPen(GRID if tick else AXIS_TEXT, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(AXIS_TEXT)
            text = f"{tick:g}"
            painter.drawText(QRectF(0, y - metrics.height() / 2, plot.left() - 6,
                                    metrics.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)

    def _paint_bars(self, painter: QPainter, plot: QRectF, metrics: QFontMetricsF) -> None:
        group = plot.width() / len(self.categories)
        gap = min(group * 0.25, 28.0)
        bar = max(2.0, (group - gap) / len(self.series))
        show_values = bar >= metrics.horizontalAdvance(".00") + 2
        for i, category in enumerate(self.categories):
            x0 = plot.left() + i * group + gap / 2
            for k, series in enumerate(self.series):
                value = series.values[i] if i < len(series.values) else None
                x = x0 + k * bar
                if value is None:
                    rect = QRectF(x + 1, plot.bottom() - 3, bar - 2, 3)
                    painter.fillRect(rect, NA)
                else:
                    height = max(0.0, min(1.0, value)) * plot.height()
                    rect = QRectF(x + 1, plot.bottom() - height, bar - 2, height)
                    painter.fillRect(rect, QColor(series.color))
                    if show_values:
                        painter.setPen(AXIS_TEXT)
                        painter.drawText(QRectF(x, rect.top() - metrics.height() - 1, bar,
                                                metrics.height()),
                                         Qt.AlignmentFlag.AlignCenter, _short(value))
                self._bars.append((rect, category, series.name, value))
            painter.setPen(TEXT)
            name = metrics.elidedText(category, Qt.TextElideMode.ElideRight, group - 4)
            painter.drawText(QRectF(plot.left() + i * group, plot.bottom() + 4, group,
                                    metrics.height() * 1.2),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, name)

    # -- hover --------------------------------------------------------------------------

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt override
        point = event.position()
        for rect, category, name, value in self._bars:
            hit = QRectF(rect.left(), 0, rect.width(), self.height())
            if hit.contains(point):
                shown = "n/a" if value is None else f"{value:.3f}"
                QToolTip.showText(event.globalPosition().toPoint(),
                                  f"{category} · {name}: {shown}", self)
                return
        QToolTip.hideText()


def _short(value: float) -> str:
    return "1" if value >= 0.9995 else f"{value:.2f}".lstrip("0")
