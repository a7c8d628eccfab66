"""The article view: read-only text with the spans and relations painted over it.

A QTextEdit (not QPlainTextEdit: it honours line height, which leaves a band under each
line for underline lanes). Spans are painted on the viewport before the text, only for
the lines in view, each line's layer cached as an image; edits repaint the lines they
touch. Offsets in and out are code points; ui.offsets converts to Qt positions. The band
under a line belongs to the line: a click there lands on the glyph above it.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPalette,
    QTextBlock,
    QTextCursor,
    QTextLine,
)
from PySide6.QtWidgets import QApplication, QTextEdit, QToolTip, QWidget

from annotator.model import Relation, Span
from annotator.schema import Schema
from ui.offsets import OffsetMap
from ui.span_index import SpanIndex
from ui.span_painter import (
    PAD,
    LineJob,
    LineLayerCache,
    Marker,
    SpanStyles,
    band_height,
    paint_outline,
    paint_relation_arc,
    render_line,
)
from ui.text_layout import (
    format_blocks,
    line_at,
    lines_in,
    lines_touching,
    onto_text,
    piece_rects,
    set_frame_margins,
)

READING_WIDTH_EM = 46


class DocumentView(QTextEdit):
    """Shows one document's text with its spans; emits what the user points at."""

    span_selected = Signal(object)  # span id, or None when the selection is cleared
    span_clicked = Signal(int, object)  # span id, Qt.KeyboardModifiers
    hovered = Signal(list)  # ids of the spans under the mouse, innermost first

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._offsets = OffsetMap("")
        self._spans = SpanIndex()
        self._muted = SpanIndex()
        self._relations: list[Relation] = []
        self._markers: dict[int, list[Marker]] = {}
        self._styles = SpanStyles()
        self._visible_layers: set[str] | None = None
        self._annotator_names: dict[int, str] = {}
        self._selected: int | None = None
        self._hovered: list[int] = []
        self._press_pos: QPoint | None = None
        self._clicking = False
        self._cache = LineLayerCache()
        self._side_margin = -1.0
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setFrameShape(QTextEdit.Shape.NoFrame)
        self.viewport().setMouseTracking(True)
        font = QFont()
        font.setFamilies(["Source Serif 4", "Charter", "Georgia", "Noto Serif", "DejaVu Serif",
                          "serif"])
        font.setPointSizeF(12.0)
        self.setFont(font)
        self.document().setDefaultFont(font)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Base, QColor("#fdfdfb"))
        palette.setColor(QPalette.ColorRole.Text, QColor("#1f2328"))
        self.setPalette(palette)

    # -- showing a document ---------------------------------------------------------------

    def set_document(self, text: str, spans: Iterable[Span], relations: Iterable[Relation],
                     schema: Schema, *, muted_spans: Iterable[Span] = ()) -> None:
        """Show `text` with the given spans; muted spans are other annotators', read-only."""
        self._text = text
        self._offsets = OffsetMap(text)
        self._spans.reset(spans)
        self._muted.reset(muted_spans)
        self._selected = None
        self._hovered = []
        self._styles = SpanStyles(schema)
        self._set_relations_only(relations)
        self._cache.clear()
        self.document().setUndoRedoEnabled(False)  # read-only: no history of the formats
        # Qt would merge "\r\n" into one paragraph break and shift every later offset.
        self.setPlainText(text.replace("\r\n", " \n"))
        # After the text: setPlainText resets the root frame's margins to Qt's default.
        self._update_side_margins(force=True)
        self._format_blocks()

    def _format_blocks(self) -> None:
        format_blocks(self.document(), band_height(), self.font())
        self.setTextCursor(QTextCursor(self.document()))

    def _update_side_margins(self, *, force: bool = False) -> None:
        """Keep the text in a centred column of a comfortable reading width."""
        em = QFontMetricsF(self.font()).horizontalAdvance("M")
        side = max(18.0, (self.viewport().width() - READING_WIDTH_EM * em) / 2)
        if force or abs(side - self._side_margin) >= 0.5:
            self._side_margin = side
            # Whole pixels: lines then start on a pixel row, as the mouse counts them.
            set_frame_margins(self.document(), side, top=round(em * 1.5),
                              bottom=round(em * 3))
            self._cache.clear()

    def text(self) -> str:
        """The document's text exactly as given to set_document."""
        return self._text

    def offsets(self) -> OffsetMap:
        return self._offsets

    def set_schema(self, schema: Schema) -> None:
        """Use a schema's colours (and relation colours) from now on."""
        self._styles = SpanStyles(schema)
        self._set_relations_only(self._relations)
        self._invalidate_all()

    def set_visible_layers(self, names: Iterable[str] | None) -> None:
        """Show only spans of these layers (None shows every layer)."""
        self._visible_layers = None if names is None else set(names)
        self._hovered = []
        self._invalidate_all()

    def set_annotator_names(self, names: dict[int, str]) -> None:
        """Names shown in tooltips for muted spans, by annotator id."""
        self._annotator_names = dict(names)

    # -- incremental edits ----------------------------------------------------------------

    def add_span(self, span: Span) -> None:
        """Show a new span (or replace one with the same id); repaints its lines only."""
        old = self._spans.get(span.id)
        self._spans.add(span)
        if old is not None:
            self._invalidate_range(old.start, old.end)
        self._invalidate_range(span.start, span.end)

    def update_span(self, span: Span) -> None:
        """Show the new state of an existing span (label, bounds, fragments)."""
        self.add_span(span)

    def remove_span(self, span_id: int) -> None:
        """Stop showing a span; clears the selection if it was selected."""
        span = self._spans.remove(span_id)
        if span is None:
            return
        self._invalidate_range(span.start, span.end)
        if span_id in self._hovered:
            self._hovered = [sid for sid in self._hovered if sid != span_id]
        if self._selected == span_id:
            self.select_span(None)

    def set_relations(self, relations: Iterable[Relation]) -> None:
        """Replace the relations; repaints the spans whose markers changed."""
        before = {(span_id, marker.role, marker.color.name())
                  for span_id, markers in self._markers.items() for marker in markers}
        self._set_relations_only(relations)
        after = {(span_id, marker.role, marker.color.name())
                 for span_id, markers in self._markers.items() for marker in markers}
        for span_id in {entry[0] for entry in before ^ after}:
            span = self._span(span_id)
            if span is not None:
                self._invalidate_range(span.start, span.end)
        self.viewport().update()

    def _set_relations_only(self, relations: Iterable[Relation]) -> None:
        self._relations = list(relations)
        markers: dict[int, list[Marker]] = {}
        for relation in self._relations:
            color = self._styles.relation_color(relation.type)
            markers.setdefault(relation.source_id, []).append(Marker("source", color))
            markers.setdefault(relation.target_id, []).append(Marker("target", color))
        self._markers = markers

    # -- selection ------------------------------------------------------------------------

    def selected_span_id(self) -> int | None:
        return self._selected

    def select_span(self, span_id: int | None, *, reveal: bool = True) -> None:
        """Outline a span (None clears) and, with `reveal`, scroll it into view; emits
        span_selected on change."""
        if span_id is not None and span_id not in self._spans:
            span_id = None
        if span_id == self._selected:
            if span_id is not None and reveal:
                self._scroll_to(self._spans.get(span_id))
            return
        self._selected = span_id
        if span_id is not None and reveal:
            self._scroll_to(self._spans.get(span_id))
        self.viewport().update()
        self.span_selected.emit(span_id)

    def next_span(self, step: int = 1) -> int | None:
        """Select the next (step > 0) or previous span in reading order, wrapping round."""
        order = [span for span in self._spans.reading_order() if self._layer_shown(span)]
        if not order:
            return None
        current = self._spans.get(self._selected) if self._selected is not None else None
        if current is not None and self._layer_shown(current):
            index = next(i for i, span in enumerate(order) if span.id == current.id)
            target = order[(index + (1 if step > 0 else -1)) % len(order)]
        else:
            anchor = self._offsets.from_qt(self.textCursor().position())
            if step > 0:
                target = next((s for s in order if s.start >= anchor), order[0])
            else:
                target = next((s for s in reversed(order) if s.start < anchor), order[-1])
        self.select_span(target.id)
        return target.id

    def selection_fragment(self, *, snap_words: bool = False) -> tuple[int, int] | None:
        """The user's text selection as code points, trimmed and snapped; None if blank."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = self._offsets.from_qt(cursor.selectionStart())
        end_qt = cursor.selectionEnd()
        end = self._offsets.from_qt(end_qt)
        if self._offsets.to_qt(end) < end_qt:
            end += 1  # the selection ended inside a surrogate pair
        return self._offsets.snap(start, end, words=snap_words)

    def _scroll_to(self, span: Span | None) -> None:
        if span is None:
            return
        rects = self._piece_rects(*span.fragments[0])
        if not rects:
            return
        target = rects[0]
        bar = self.verticalScrollBar()
        top, height = bar.value(), self.viewport().height()
        if target.top() < top + 8 or target.bottom() + band_height() > top + height - 8:
            bar.setValue(int(target.center().y() - height / 3))

    # -- queries --------------------------------------------------------------------------

    def spans_at(self, position: int, *, include_muted: bool = False) -> list[Span]:
        """Shown spans covering code point `position`, innermost (shortest) first."""
        found = [s for s in self._spans.at(position) if self._layer_shown(s)]
        if include_muted:
            found += [s for s in self._muted.at(position) if self._layer_shown(s)]
        found.sort(key=lambda s: (s.end - s.start, s.start, s.id))
        return found

    def spans_at_point(self, point: QPoint | QPointF, *,
                       include_muted: bool = False) -> list[Span]:
        """Shown spans under a viewport point, innermost first (empty between words)."""
        position = self.position_at_point(point)
        if position is None:
            return []
        return self.spans_at(position, include_muted=include_muted)

    def position_at_point(self, point: QPoint | QPointF) -> int | None:
        """The code point under a viewport point, or None off the text (the band counts)."""
        found = line_at(self.document(), QPointF(point) + self._scroll_offset(), band_height())
        return None if found is None else self._offsets.from_qt(found)

    # -- painting -------------------------------------------------------------------------

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        offset = self._scroll_offset()
        area = QRectF(event.rect()).translated(offset)
        painter = QPainter(self.viewport())
        painter.translate(-offset)
        ratio = self.viewport().devicePixelRatioF()
        for block, index, line in lines_in(self.document(), area, band_height()):
            image, x = self._line_layer(block, index, line, ratio)
            if image is not None:
                painter.drawImage(QPointF(x, block.layout().position().y() + line.y()), image)
        self._paint_outlines(painter, area)
        painter.end()
        super().paintEvent(event)
        if self._selected is not None and self._relations:
            painter = QPainter(self.viewport())
            painter.translate(-offset)
            self._paint_relation_arcs(painter)
            painter.end()

    def _scroll_offset(self) -> QPointF:
        return QPointF(self.horizontalScrollBar().value(), self.verticalScrollBar().value())

    def _line_layer(self, block: QTextBlock, index: int, line: QTextLine,
                    ratio: float) -> tuple[object, float]:
        """The (image or None, image x) of a line's span layer, rendered when stale."""
        block_position = block.position()
        line_start = block_position + line.textStart()
        signature = (line_start, line.textLength(), line.width(), ratio)
        key = (block.blockNumber(), index)
        entry = self._cache.get(key, signature)
        if entry is None:
            x = block.layout().position().x() + line.x() - PAD
            entry = (self._render_line(block_position, line, line_start, ratio), x)
            self._cache.put(key, signature, *entry)
        return entry

    def _render_line(self, block_position: int, line: QTextLine, line_start: int,
                     ratio: float):
        offsets = self._offsets
        cp_start = offsets.from_qt(line_start)
        cp_end = offsets.from_qt(line_start + line.textLength())
        if cp_start >= cp_end:
            return None
        spans = [s for s in self._spans.overlapping(cp_start, cp_end) if self._layer_shown(s)]
        muted = [s for s in self._muted.overlapping(cp_start, cp_end) if self._layer_shown(s)]
        if not spans and not muted:
            return None
        styles = {s.id: self._styles.span(s.label) for s in spans}
        styles.update((s.id, self._styles.span(s.label, muted=True)) for s in muted)
        shift = line.x()

        def x_of(cp: int) -> float:
            return line.cursorToX(offsets.to_qt(cp) - block_position)[0] - shift

        return render_line(LineJob(
            cp_start=cp_start, cp_end=cp_end, width=line.width(), text_height=line.height(),
            x_of=x_of, spans=spans + muted, styles=styles, markers=self._markers,
            device_pixel_ratio=ratio))

    def _paint_outlines(self, painter: QPainter, area: QRectF) -> None:
        """The selected span's outline, and a faint one round the hovered span."""
        hovered = self._span(self._hovered[0]) if self._hovered else None
        if hovered is not None and hovered.id != self._selected:
            color = QColor(self._styles.span(hovered.label, muted=hovered.id in self._muted).color)
            color.setAlpha(150)
            rects = [r for a, b in hovered.fragments for r in self._piece_rects(a, b, area)]
            paint_outline(painter, rects, color)
        span = self._spans.get(self._selected) if self._selected is not None else None
        if span is None or not self._layer_shown(span):
            return
        color = self._styles.label_color(span.label)
        fill = QColor(color)
        fill.setAlpha(40)
        rects = [r for a, b in span.fragments for r in self._piece_rects(a, b, area)]
        paint_outline(painter, rects, color.darker(135), width=1.6, fill=fill, grow=1.5)

    def _piece_rects(self, start: int, end: int, area: QRectF | None = None) -> list[QRectF]:
        """Document rects (text height) covering code points [start, end), one per line."""
        return piece_rects(self.document(), self._offsets.to_qt(start),
                           self._offsets.to_qt(end), area)

    def _paint_relation_arcs(self, painter: QPainter) -> None:
        """Curves from the selected span to the spans it is related to, arrow at the target."""
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.62))
        background = self.palette().color(QPalette.ColorRole.Base)
        drawn = 0
        for relation in self._relations:
            if self._selected not in (relation.source_id, relation.target_id):
                continue
            source, target = self._span(relation.source_id), self._span(relation.target_id)
            if source is None or target is None:
                continue
            start_rects = self._piece_rects(*source.fragments[0])
            end_rects = self._piece_rects(*target.fragments[0])
            if not start_rects or not end_rects:
                continue
            start = QPointF(start_rects[0].center().x(), start_rects[0].top() + 1)
            end = QPointF(end_rects[0].center().x(), end_rects[0].top() + 1)
            paint_relation_arc(painter, start, end, self._styles.relation_color(relation.type),
                               relation.type, background=background, font=font,
                               lift=9.0 * drawn)
            drawn += 1

    # -- cache invalidation ---------------------------------------------------------------

    def _invalidate_all(self) -> None:
        self._cache.clear()
        self.viewport().update()

    def _invalidate_range(self, start: int, end: int) -> None:
        """Forget the cached layers of the lines meeting [start, end] and repaint them."""
        offset_y = self.verticalScrollBar().value()
        band = band_height()
        dirty = QRect()
        q_start, q_end = self._offsets.to_qt(start), self._offsets.to_qt(end)
        for block, index, line in lines_touching(self.document(), q_start, q_end):
            self._cache.discard((block.blockNumber(), index))
            top = block.layout().position().y() + line.y() - offset_y
            dirty = dirty.united(QRect(0, int(top) - 1, self.viewport().width(),
                                       int(line.height() + band) + 3))
        if not dirty.isNull():
            self.viewport().update(dirty)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._update_side_margins()
        self._cache.clear()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._cache.clear()
            if self._text:
                self._format_blocks()
                self._update_side_margins(force=True)

    # -- mouse and keyboard ---------------------------------------------------------------

    # Presses, drags and releases in a line's underline band reach Qt as if on the line:
    # the band belongs to the line above it, as it does for hovering.

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._press_pos = event.position().toPoint()
        self._pass_on(super().mousePressEvent, event)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._pass_on(super().mouseDoubleClickEvent, event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._pass_on(super().mouseReleaseEvent, event)
        press, self._press_pos = self._press_pos, None
        if event.button() != Qt.MouseButton.LeftButton or press is None:
            return
        point = event.position().toPoint()
        if (point - press).manhattanLength() >= QApplication.startDragDistance():
            return  # a drag selects text; it does not touch the span selection
        self._clicking = True
        try:
            self._click_spans(point, event.modifiers())
        finally:
            self._clicking = False

    def _click_spans(self, point: QPoint, modifiers: Qt.KeyboardModifier) -> None:
        """Select the span under a click, without scrolling: it is under the pointer."""
        spans = self.spans_at_point(point)
        if not spans:
            if modifiers == Qt.KeyboardModifier.NoModifier:
                self.select_span(None)
            return
        span_id = spans[0].id
        self.span_clicked.emit(span_id, modifiers)
        if modifiers == Qt.KeyboardModifier.NoModifier:
            self.select_span(span_id, reveal=False)

    def is_clicking(self) -> bool:
        """True while a click selects a span: listeners then leave the view where it is."""
        return self._clicking

    def _pass_on(self, handler: Callable[[QMouseEvent], None], event: QMouseEvent) -> None:
        """Hand `event` to Qt's handler, moved onto the line's text when it is in a band."""
        offset = self._scroll_offset()
        point = event.position()
        moved = onto_text(self.document(), point + offset, band_height()) - offset
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

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.buttons() != Qt.MouseButton.NoButton:
            self._pass_on(super().mouseMoveEvent, event)  # a drag selecting text
            return
        super().mouseMoveEvent(event)
        self._set_hovered([s.id for s in self.spans_at_point(event.position(),
                                                             include_muted=True)])

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().leaveEvent(event)
        self._set_hovered([])

    def _set_hovered(self, ids: list[int]) -> None:
        if ids == self._hovered:
            return
        old = self._hovered[0] if self._hovered else None
        self._hovered = ids
        for span_id in (old, ids[0] if ids else None):
            span = self._span(span_id) if span_id is not None else None
            if span is not None:
                self._update_span_area(span)
        self.hovered.emit(ids)

    def _update_span_area(self, span: Span) -> None:
        offset = self._scroll_offset()
        viewport = QRectF(self.viewport().rect()).translated(offset)
        for rect in self._piece_rects(span.start, span.end, viewport):
            self.viewport().update(rect.translated(-offset).toAlignedRect().adjusted(-4, -4, 4, 4))

    def viewportEvent(self, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.ToolTip:
            spans = self.spans_at_point(event.pos(), include_muted=True)
            if spans:
                QToolTip.showText(event.globalPos(), self._tooltip(spans), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def _tooltip(self, spans: list[Span]) -> str:
        rows = []
        for span in spans:
            color = self._styles.label_color(span.label).name()
            row = (f"<span style='color:{color}'>■</span> <b>{html.escape(span.label)}</b>"
                   f" <span style='color:#666'>· {html.escape(span.layer)}")
            if span.id in self._muted:
                name = self._annotator_names.get(span.annotator_id,
                                                 f"annotator {span.annotator_id}")
                row += f" · {html.escape(name)} (read-only)"
            rows.append(row + "</span>")
        return "<br>".join(rows)

    def event(self, event) -> bool:  # noqa: D401 (Qt override)
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Tab,
                                                                    Qt.Key.Key_Backtab):
            modifiers = event.modifiers()
            if not modifiers & (Qt.KeyboardModifier.ControlModifier
                                | Qt.KeyboardModifier.AltModifier):
                backwards = (event.key() == Qt.Key.Key_Backtab
                             or bool(modifiers & Qt.KeyboardModifier.ShiftModifier))
                self.next_span(-1 if backwards else 1)
                return True
        return super().event(event)

    # -- helpers --------------------------------------------------------------------------

    def _layer_shown(self, span: Span) -> bool:
        return self._visible_layers is None or span.layer in self._visible_layers

    def _span(self, span_id: int) -> Span | None:
        return self._spans.get(span_id) or self._muted.get(span_id)
