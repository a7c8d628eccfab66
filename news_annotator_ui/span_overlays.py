"""What the document view draws for its spans, given its indexes and geometry: a text
line's span layer (which spans, in which style), the relation arcs of the selected span,
relation markers, and the tooltip under the mouse.

The view (news_annotator_ui/document_view.py) owns the widget, the indexes and the cache;
this module turns them into pictures and text. Nothing here scrolls or handles events.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QTextLine

from news_annotator.model import Relation, Span
from news_annotator_ui.offsets import OffsetMap
from news_annotator_ui.span_painter import (
    LineJob,
    Marker,
    SpanStyle,
    SpanStyles,
    paint_outline,
    paint_relation_arc,
    render_line,
)

RectsOf = Callable[[int, int], list[QRectF]]


def relation_markers(relations: Iterable[Relation], styles: SpanStyles
                     ) -> dict[int, list[Marker]]:
    """Span id -> the relation ends drawn on it (an arrow out, a dot in)."""
    markers: dict[int, list[Marker]] = {}
    for relation in relations:
        color = styles.relation_color(relation.type)
        markers.setdefault(relation.source_id, []).append(Marker("source", color))
        markers.setdefault(relation.target_id, []).append(Marker("target", color))
    return markers


def markers_changed(before: dict[int, list[Marker]], after: dict[int, list[Marker]]
                    ) -> set[int]:
    """The spans whose relation markers differ between two marker maps."""
    def entries(markers: dict[int, list[Marker]]) -> set[tuple[int, str, str]]:
        return {(span_id, marker.role, marker.color.name())
                for span_id, found in markers.items() for marker in found}
    return {entry[0] for entry in entries(before) ^ entries(after)}


def paint_hover(painter: QPainter, rects: list[QRectF], color: QColor, *,
                dashed: bool) -> None:
    """A faint outline round the span under the pointer (dashed for a suggestion)."""
    faded = QColor(color)
    faded.setAlpha(150)
    paint_outline(painter, rects, faded, dashed=dashed)


def paint_chosen(painter: QPainter, rects: list[QRectF], color: QColor, *,
                 suggestion: bool) -> None:
    """The selected span's outline and tint; the current suggestion's, dashed and paler."""
    fill = QColor(color)
    fill.setAlpha(22 if suggestion else 40)
    paint_outline(painter, rects, color.darker(135), width=1.6, fill=fill, grow=1.5,
                  dashed=suggestion)


def render_text_line(line: QTextLine, block_position: int, cp_start: int, cp_end: int,
                     offsets: OffsetMap, styled: Sequence[tuple[Span, SpanStyle]],
                     markers: dict[int, list[Marker]], ratio: float) -> QImage | None:
    """The span layer of one laid-out line covering code points [cp_start, cp_end)."""
    if cp_start >= cp_end or not styled:
        return None
    shift = line.x()

    def x_of(cp: int) -> float:
        return line.cursorToX(offsets.to_qt(cp) - block_position)[0] - shift

    return render_line(LineJob(
        cp_start=cp_start, cp_end=cp_end, width=line.width(), text_height=line.height(),
        x_of=x_of, spans=[span for span, _ in styled],
        styles={span.id: style for span, style in styled}, markers=markers,
        device_pixel_ratio=ratio))


def paint_relation_arcs(painter: QPainter, relations: Iterable[Relation], selected: int,
                        span_of: Callable[[int], Span | None], rects_of: RectsOf,
                        styles: SpanStyles, *, base_font: QFont, background: QColor) -> None:
    """Curves from the selected span to the spans it is related to, arrow at the target,
    named in a small version of the text's font."""
    font = QFont(base_font)
    font.setPointSizeF(max(7.0, base_font.pointSizeF() * 0.62))
    drawn = 0
    for relation in relations:
        if selected not in (relation.source_id, relation.target_id):
            continue
        source, target = span_of(relation.source_id), span_of(relation.target_id)
        if source is None or target is None:
            continue
        start_rects = rects_of(*source.fragments[0])
        end_rects = rects_of(*target.fragments[0])
        if not start_rects or not end_rects:
            continue
        start = QPointF(start_rects[0].center().x(), start_rects[0].top() + 1)
        end = QPointF(end_rects[0].center().x(), end_rects[0].top() + 1)
        paint_relation_arc(painter, start, end, styles.relation_color(relation.type),
                           relation.type, background=background, font=font,
                           lift=9.0 * drawn)
        drawn += 1


def tooltip_html(rows: Iterable[tuple[Span, QColor, str]]) -> str:
    """One line per span: a colour square, label, layer, and who or what it is."""
    lines = []
    for span, color, whose in rows:
        row = (f"<span style='color:{color.name()}'>■</span> <b>{html.escape(span.label)}</b>"
               f" <span style='color:#666'>· {html.escape(span.layer)}")
        if whose:
            row += f" · {html.escape(whose)}"
        lines.append(row + "</span>")
    return "<br>".join(lines)
