"""How spans look: each text line's span layer (tints, underline lanes, relation markers)
rendered into a cached QImage, plus the overlays drawn live (selection, relation arcs).

The view hands over a line's code-point range, a function giving x for a code point,
and the spans touching the line; this module decides lanes and the innermost tint. The
last section finds laid-out lines in a QTextDocument (Qt positions, document coordinates);
nothing here knows about scrolling or code points.
"""

from __future__ import annotations

import heapq
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
)

from news_annotator.model import Span
from news_annotator.schema import Schema

MAX_LANES = 4  # lanes drawn under a line; deeper overlaps get an overflow mark
LANE_PITCH = 3.0  # px between lane tops
LANE_WIDTH = 2.0  # px thickness of an underline
PAD = 4  # px of image drawn either side of the line, for markers at its ends


def band_height() -> float:
    """The extra line gap the view must leave under every line for the lanes."""
    return MAX_LANES * LANE_PITCH + 4


@dataclass(frozen=True, slots=True)
class SpanStyle:
    """How one span is drawn: its label color, and whether it is someone else's (muted:
    dashed lane, no tint) or a suggestion (a dashed outline only, no lane, no tint)."""

    color: QColor
    tint: QColor
    muted: bool = False
    suggested: bool = False


@dataclass(frozen=True, slots=True)
class Marker:
    """A relation end drawn on a span: 'source' (arrow out) or 'target' (dot in)."""

    role: str
    color: QColor


class SpanStyles:
    """A schema's label and relation colours, as the styles the painter uses."""

    FALLBACK = QColor("#888888")

    def __init__(self, schema: Schema | None = None) -> None:
        self._labels: dict[str, QColor] = {}
        self._relations: dict[str, QColor] = {}
        self._styles: dict[tuple[str, bool, bool], SpanStyle] = {}
        if schema is not None:
            self._labels = {lb.name: QColor(lb.color) for _, lb in schema.all_labels()}
            self._relations = {rel.name: QColor(rel.color) for rel in schema.relation_types}

    def label_color(self, label: str) -> QColor:
        return self._labels.get(label, self.FALLBACK)

    def relation_color(self, name: str) -> QColor:
        return self._relations.get(name, QColor("#555555"))

    def span(self, label: str, *, muted: bool = False, suggested: bool = False) -> SpanStyle:
        """Own spans: the label colour and a light tint; muted: desaturated, no tint;
        suggested: the label colour, a little transparent, for a dashed outline."""
        style = self._styles.get((label, muted, suggested))
        if style is None:
            color = self.label_color(label)
            if suggested:
                outline = QColor(color)
                outline.setAlpha(215)
                style = SpanStyle(outline, QColor(0, 0, 0, 0), suggested=True)
            elif muted:
                hue, sat, val, _ = color.getHsv()
                grey = QColor.fromHsv(max(hue, 0), int(sat * 0.35),
                                      min(255, int(val * 0.85) + 40), 210)
                style = SpanStyle(grey, QColor(0, 0, 0, 0), muted=True)
            else:
                tint = QColor(color)
                tint.setAlpha(46)
                style = SpanStyle(color, tint)
            self._styles[(label, muted, suggested)] = style
        return style


@dataclass(slots=True)
class LineJob:
    """Everything needed to paint one line; x_of maps a code point to image x."""

    cp_start: int
    cp_end: int
    width: float
    text_height: float
    x_of: Callable[[int], float]
    spans: Sequence[Span]
    styles: dict[int, SpanStyle]
    markers: dict[int, list[Marker]]
    device_pixel_ratio: float = 1.0


def assign_lanes(pieces: list[tuple[int, int, int]]) -> dict[int, int]:
    """Greedy interval colouring: (start, end, span id) -> lane, fewest lanes possible."""
    lane_ends: list[int] = []
    lanes: dict[int, int] = {}
    for start, end, span_id in sorted(pieces, key=lambda p: (p[0], -p[1], p[2])):
        for lane, lane_end in enumerate(lane_ends):
            if lane_end <= start:
                lane_ends[lane] = end
                lanes[span_id] = lane
                break
        else:
            lanes[span_id] = len(lane_ends)
            lane_ends.append(end)
    return lanes


def innermost_runs(fragments: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int]]:
    """(start, end, length, span id) fragments -> runs (start, end, span id) of the shortest
    span covering each stretch, adjacent runs of the same span merged."""
    if not fragments:
        return []
    fragments.sort()
    points = sorted({p for a, b, _, _ in fragments for p in (a, b)})
    heap: list[tuple[int, int, int]] = []  # (length, span id, end)
    runs: list[tuple[int, int, int]] = []
    next_fragment = 0
    for left, right in zip(points, points[1:], strict=False):
        while next_fragment < len(fragments) and fragments[next_fragment][0] <= left:
            a, b, length, span_id = fragments[next_fragment]
            heapq.heappush(heap, (length, span_id, b))
            next_fragment += 1
        while heap and heap[0][2] <= left:
            heapq.heappop(heap)
        if not heap:
            continue
        winner = heap[0][1]
        if runs and runs[-1][2] == winner and runs[-1][1] == left:
            runs[-1] = (runs[-1][0], right, winner)
        else:
            runs.append((left, right, winner))
    return runs


def render_line(job: LineJob) -> QImage | None:
    """The line's span layer, or None when no span touches the line."""
    line_start, line_end = job.cp_start, job.cp_end
    pieces: list[tuple[int, int, int]] = []
    tint_fragments: list[tuple[int, int, int, int]] = []
    suggested: list[Span] = []
    for span in job.spans:
        start, end = max(span.start, line_start), min(span.end, line_end)
        if start >= end:
            continue
        if job.styles[span.id].suggested:
            suggested.append(span)
            continue
        pieces.append((start, end, span.id))
        if not job.styles[span.id].muted:
            length = span.end - span.start
            for a, b in span.fragments:
                a, b = max(a, line_start), min(b, line_end)
                if a < b:
                    tint_fragments.append((a, b, length, span.id))
    if not pieces and not suggested:
        return None
    ratio = job.device_pixel_ratio
    height = job.text_height + band_height()
    image = QImage(int((job.width + 2 * PAD) * ratio) + 1, int(height * ratio) + 1,
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    xs: dict[int, float] = {}

    def x_of(cp: int) -> float:
        x = xs.get(cp)
        if x is None:
            x = xs[cp] = job.x_of(cp) + PAD
        return x

    _paint_tints(painter, job, innermost_runs(tint_fragments), x_of)
    _paint_lanes(painter, job, pieces, x_of)
    _paint_suggested(painter, job, suggested, x_of)
    _paint_markers(painter, job, x_of)
    painter.end()
    return image


def _paint_tints(painter: QPainter, job: LineJob, runs: list[tuple[int, int, int]],
                 x_of: Callable[[int], float]) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    for start, end, span_id in runs:
        left, right = sorted((x_of(start), x_of(end)))
        painter.setBrush(job.styles[span_id].tint)
        painter.drawRoundedRect(QRectF(left, 0.5, right - left, job.text_height - 0.5), 2, 2)


def _paint_lanes(painter: QPainter, job: LineJob, pieces: list[tuple[int, int, int]],
                 x_of: Callable[[int], float]) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    lanes = assign_lanes(pieces)
    spans = {span.id: span for span in job.spans}
    band_top = job.text_height
    overflow: list[tuple[float, float]] = []
    for start, end, span_id in pieces:
        lane = lanes[span_id]
        if lane >= MAX_LANES:
            overflow.append((min(x_of(start), x_of(end)), max(x_of(start), x_of(end))))
            continue
        style = job.styles[span_id]
        y = band_top + lane * LANE_PITCH
        cursor = start  # gaps between fragments get a dotted connector in the same lane
        for a, b in spans[span_id].fragments:
            a, b = max(a, start), min(b, end)
            if a >= b:
                continue
            if a > cursor:
                _dotted(painter, x_of(cursor), x_of(a), y, style.color)
            left, right = sorted((x_of(a), x_of(b)))
            if style.muted:
                _dashed(painter, left, right, y, style.color)
            else:
                painter.fillRect(QRectF(left + 0.5, y, right - left - 1, LANE_WIDTH), style.color)
            cursor = b
        if cursor < end:
            _dotted(painter, x_of(cursor), x_of(end), y, style.color)
    if overflow:
        y = band_top + MAX_LANES * LANE_PITCH
        grey = QColor(90, 90, 90)
        for left, right in _merge(overflow):
            _dotted(painter, left, right, y, grey, step=2.0)


def _paint_suggested(painter: QPainter, job: LineJob, spans: list[Span],
                     x_of: Callable[[int], float]) -> None:
    """Suggestions: a dashed outline round each fragment, no fill and no lane, so that
    they never look like anyone's work."""
    if not spans:
        return
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for span in spans:
        pen = QPen(job.styles[span.id].color, 1.2, Qt.PenStyle.CustomDashLine)
        pen.setDashPattern([3.0, 2.0])
        painter.setPen(pen)
        for a, b in span.fragments:
            a, b = max(a, job.cp_start), min(b, job.cp_end)
            if a < b:
                left, right = sorted((x_of(a), x_of(b)))
                painter.drawRoundedRect(QRectF(left - 0.5, 1.0, right - left + 1,
                                               job.text_height - 1.5), 3, 3)


def _dotted(painter: QPainter, x0: float, x1: float, y: float, color: QColor, *,
            step: float = 3.0) -> None:
    """A row of 1 px dots (connectors between fragments, overflow marks)."""
    left, right = sorted((x0, x1))
    if right - left < 1.5:
        return
    pen = QPen(color, 1.0, Qt.PenStyle.CustomDashLine, Qt.PenCapStyle.FlatCap)
    pen.setDashPattern([1.0, step - 1.0])
    painter.setPen(pen)
    painter.drawLine(QPointF(left + 0.5, y + 1.0), QPointF(right - 0.5, y + 1.0))


def _dashed(painter: QPainter, left: float, right: float, y: float, color: QColor) -> None:
    """A dashed lane: how read-only spans of other annotators are underlined."""
    if right - left < 1.5:
        return
    pen = QPen(color, LANE_WIDTH, Qt.PenStyle.CustomDashLine, Qt.PenCapStyle.FlatCap)
    pen.setDashPattern([2.0, 1.0])  # in pen widths: 4 px on, 2 px off
    painter.setPen(pen)
    middle = y + LANE_WIDTH / 2
    painter.drawLine(QPointF(left + 0.5, middle), QPointF(right - 0.5, middle))


def _merge(runs: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for left, right in sorted(runs):
        if merged and left <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], right))
        else:
            merged.append((left, right))
    return merged


def _paint_markers(painter: QPainter, job: LineJob, x_of: Callable[[int], float]) -> None:
    """A small arrow after a relation source's end, a dot before a target's start."""
    if not job.markers:
        return
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    for span in job.spans:
        markers = job.markers.get(span.id)
        if not markers:
            continue
        for marker in markers:
            painter.setBrush(marker.color)
            if marker.role == "source" and job.cp_start < span.end <= job.cp_end:
                x = x_of(span.end)
                path = QPainterPath(QPointF(x - 1.5, 0.5))
                path.lineTo(x + 3.5, 3.0)
                path.lineTo(x - 1.5, 5.5)
                path.closeSubpath()
                painter.drawPath(path)
            elif marker.role == "target" and job.cp_start <= span.start < job.cp_end:
                painter.drawEllipse(QPointF(x_of(span.start), 2.5), 2.2, 2.2)


class LineLayerCache:
    """Rendered line layers by key, least recently used dropped first.

    Each entry carries the signature of the line it was drawn for (its text range and
    width), so a stale entry after a rewrap is never shown, only redrawn.
    """

    def __init__(self, limit: int = 4000) -> None:
        self._limit = limit
        self._entries: OrderedDict[Hashable, tuple[Hashable, QImage | None, float]] = \
            OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def keys(self) -> set[Hashable]:
        return set(self._entries)

    def get(self, key: Hashable, signature: Hashable) -> tuple[QImage | None, float] | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] != signature:
            return None
        self._entries.move_to_end(key)
        return entry[1], entry[2]

    def put(self, key: Hashable, signature: Hashable, image: QImage | None, x: float) -> None:
        self._entries[key] = (signature, image, x)
        self._entries.move_to_end(key)
        if len(self._entries) > self._limit:
            self._entries.popitem(last=False)

    def discard(self, key: Hashable) -> None:
        self._entries.pop(key, None)

    def clear(self) -> None:
        self._entries.clear()


# -- live overlays ------------------------------------------------------------------------

def paint_outline(painter: QPainter, rects: Sequence[QRectF], color: QColor, *,
                  width: float = 1.0, fill: QColor | None = None, grow: float = 1.0,
                  dashed: bool = False) -> None:
    """Rounded outlines round each line piece of a span (selection, hover; dashed for a
    suggestion)."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    pen = QPen(color, width)
    if dashed:
        pen.setStyle(Qt.PenStyle.CustomDashLine)
        pen.setDashPattern([3.0, 2.0])
    painter.setPen(pen)
    painter.setBrush(fill if fill is not None else Qt.BrushStyle.NoBrush)
    for rect in rects:
        painter.drawRoundedRect(rect.adjusted(-grow, -grow * 0.6, grow, grow * 0.6), 3, 3)


def paint_relation_arc(painter: QPainter, start: QPointF, end: QPointF, color: QColor,
                       label: str, *, background: QColor, font: QFont, lift: float = 0.0) -> None:
    """A curve from one span's top to another's, an arrowhead at the end, a name tag."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    height = lift + min(46.0, 14.0 + 0.12 * abs(end.x() - start.x())
                        + 0.1 * abs(end.y() - start.y()))
    top = min(start.y(), end.y()) - height
    path = QPainterPath(start)
    path.cubicTo(QPointF(start.x(), top), QPointF(end.x(), top), end)
    halo = QColor(background)
    halo.setAlpha(200)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(halo, 4.0))
    painter.drawPath(path)
    painter.setPen(QPen(color, 1.6))
    painter.drawPath(path)
    arrow = QPainterPath(end)
    arrow.lineTo(end.x() - 4, end.y() - 7)
    arrow.lineTo(end.x() + 4, end.y() - 7)
    arrow.closeSubpath()
    painter.setBrush(color)
    painter.drawPath(arrow)
    metrics = QFontMetricsF(font)
    middle = path.pointAtPercent(0.5)
    width = metrics.horizontalAdvance(label) + 8
    tag = QRectF(middle.x() - width / 2, middle.y() - metrics.height() / 2 - 1,
                 width, metrics.height() + 2)
    painter.setPen(QPen(color, 1.0))
    painter.setBrush(background)
    painter.drawRoundedRect(tag, 4, 4)
    painter.setFont(font)
    painter.setPen(color.darker(130))
    painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, label)
