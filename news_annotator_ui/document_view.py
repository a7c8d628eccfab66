"""The article view: read-only text with the spans and relations painted over it.

A QTextEdit (not QPlainTextEdit: it honours line height, which leaves a band under each
line for underline lanes). Spans are painted on the viewport before the text, only for
the lines in view, each line's layer cached as an image; edits repaint the lines they
touch. Offsets in and out are code points; news_annotator_ui.offsets converts to Qt
positions. The band under a line belongs to the line (news_annotator_ui/view_pointer.py).
Suggestions are drawn dashed.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPalette,
    QTextBlock,
    QTextCursor,
    QTextLine,
)
from PySide6.QtWidgets import QTextEdit, QWidget

from news_annotator.model import Relation, Span
from news_annotator.schema import Schema
from news_annotator_ui import span_overlays as overlays
from news_annotator_ui.offsets import OffsetMap
from news_annotator_ui.span_index import SpanIndex, step_through
from news_annotator_ui.span_painter import PAD, LineLayerCache, Marker, SpanStyles, band_height
from news_annotator_ui.text_layout import (
    format_blocks,
    line_at,
    lines_in,
    lines_touching,
    piece_rects,
    set_frame_margins,
)
from news_annotator_ui.view_pointer import ViewPointer

READING_WIDTH_EM = 46


class DocumentView(QTextEdit):
    """Shows one document's text with its spans; emits what the user points at."""

    span_selected = Signal(object)  # span id, or None when the selection is cleared
    span_clicked = Signal(int, object)  # span id, Qt.KeyboardModifiers
    hovered = Signal(list)  # ids of the spans under the mouse, innermost first
    suggestion_selected = Signal(object)  # the current suggestion's id, or None
    document_shown = Signal()  # set_document has shown a text (or none)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._offsets = OffsetMap("")
        self._spans = SpanIndex()
        self._muted = SpanIndex()
        self._suggested = SpanIndex()
        self._suggested_relations: list[Relation] = []
        self._current: int | None = None  # the current suggestion
        self.suggestion_hint = "suggestion"  # said in the tooltip of a suggestion
        self._relations: list[Relation] = []
        self._markers: dict[int, list[Marker]] = {}
        self._styles = SpanStyles()
        self._visible_layers: set[str] | None = None
        self._annotator_names: dict[int, str] = {}
        self._selected: int | None = None
        self.pointer = ViewPointer(self)
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
                     schema: Schema, *, muted_spans: Iterable[Span] = (),
                     suggestions: Iterable[Span] = (),
                     suggestion_relations: Iterable[Relation] = ()) -> None:
        """Show `text` with the given spans; muted spans are other annotators', read-only;
        suggestions are drawn dashed, apart from everyone's work."""
        self._text = text
        self._offsets = OffsetMap(text)
        self._spans.reset(spans)
        self._muted.reset(muted_spans)
        self._suggested.reset(suggestions)
        self._suggested_relations = list(suggestion_relations)
        self._selected = self._current = None
        self.pointer.hovered = []
        self._styles = SpanStyles(schema)
        self._set_relations_only(relations)
        self._cache.clear()
        self.document().setUndoRedoEnabled(False)  # read-only: no history of the formats
        # Qt would merge "\r\n" into one paragraph break and shift every later offset.
        self.setPlainText(text.replace("\r\n", " \n"))
        # After the text: setPlainText resets the root frame's margins to Qt's default.
        self._update_side_margins(force=True)
        self._format_blocks()
        self.document_shown.emit()

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
        self.pointer.hovered = []
        self._invalidate_all()

    def set_annotator_names(self, names: dict[int, str]) -> None:
        """Names shown in tooltips for muted spans, by annotator id."""
        self._annotator_names = dict(names)

    # -- incremental edits ----------------------------------------------------------------

    def add_span(self, span: Span, *, suggested: bool = False) -> None:
        """Show a new span or suggestion (or replace one with the same id); repaints its
        lines only."""
        index = self._suggested if suggested else self._spans
        old = index.get(span.id)
        index.add(span)
        if old is not None:
            self._invalidate_range(old.start, old.end)
        self._invalidate_range(span.start, span.end)

    def update_span(self, span: Span) -> None:
        """Show the new state of an existing span (label, bounds, fragments)."""
        self.add_span(span)

    def remove_span(self, span_id: int) -> None:
        """Stop showing a span or suggestion; clears the selection if it was selected."""
        span = self._spans.remove(span_id) or self._suggested.remove(span_id)
        if span is None:
            return
        self._invalidate_range(span.start, span.end)
        self.pointer.forget(span_id)
        if self._selected == span_id:
            self.select_span(None)
        if self._current == span_id:
            self.select_suggestion(None)

    def set_relations(self, relations: Iterable[Relation]) -> None:
        """Replace the relations; repaints the spans whose markers changed."""
        before = self._markers
        self._set_relations_only(relations)
        for span_id in overlays.markers_changed(before, self._markers):
            span = self._span(span_id)
            if span is not None:
                self._invalidate_range(span.start, span.end)
        self.viewport().update()

    def _set_relations_only(self, relations: Iterable[Relation]) -> None:
        self._relations = list(relations)
        self._markers = overlays.relation_markers(self._relations, self._styles)

    # -- suggestions ----------------------------------------------------------------------

    def set_suggestions(self, spans: Iterable[Span], relations: Iterable[Relation]) -> None:
        """Replace the suggestions shown, repainting the lines of those that changed; the
        current one stays if it is still there."""
        changed = self._suggested.replace(spans)
        self._suggested_relations = list(relations)
        if self._current is not None and self._current not in self._suggested:
            self.select_suggestion(None)
        for span in changed:
            self._invalidate_range(span.start, span.end)
        self.viewport().update()  # the arcs of the current suggestion

    def suggestion(self, span_id: int | None) -> Span | None:
        return self._suggested.get(span_id) if span_id is not None else None

    def suggestion_frame(self, span_id: int) -> list[tuple[Relation, Span | None]]:
        """The suggested relations from or to a suggestion, with the span at the other
        end (a quote's cue and source; the quote of a cue)."""
        return [(relation, self._suggested.get(relation.target_id if relation.source_id
                                               == span_id else relation.source_id))
                for relation in self._suggested_relations
                if span_id in (relation.source_id, relation.target_id)]

    def suggestions_in_order(self) -> list[Span]:
        """The suggestions of the shown layers, in reading order."""
        return [s for s in self._suggested.reading_order() if self._layer_shown(s)]

    def current_suggestion_id(self) -> int | None:
        return self._current

    def next_suggestion(self, step: int = 1) -> int | None:
        """Make the next (step > 0) or previous suggestion current, wrapping round."""
        selected = self._spans.get(self._selected) if self._selected is not None else None
        anchor = (selected.start + (1 if step > 0 else 0) if selected is not None
                  else self._offsets.from_qt(self.textCursor().position()))
        target = step_through(self.suggestions_in_order(), self._current, anchor, step)
        self.select_suggestion(target.id if target is not None else None)
        return self._current

    def select_suggestion(self, span_id: int | None, *, reveal: bool = True) -> None:
        """Make a suggestion current (None: none), clearing the span selection; emits."""
        if span_id is not None and span_id not in self._suggested:
            span_id = None
        if span_id is not None:
            self.select_span(None)
            if reveal:
                self._scroll_to(self._suggested.get(span_id))
        if span_id != self._current:
            self._current = span_id
            self.viewport().update()
            self.suggestion_selected.emit(span_id)

    # -- selection ------------------------------------------------------------------------

    def selected_span_id(self) -> int | None:
        return self._selected

    def select_span(self, span_id: int | None, *, reveal: bool = True) -> None:
        """Outline a span (None clears) and, with `reveal`, scroll it into view; emits
        span_selected on change."""
        if span_id is not None and span_id not in self._spans:
            span_id = None
        if span_id is not None:
            self.select_suggestion(None)
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
        anchor = self._offsets.from_qt(self.textCursor().position())
        target = step_through(order, self._selected, anchor, step)
        if target is not None:
            self.select_span(target.id)
        return target.id if target is not None else None

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

    def spans_at(self, position: int, *, include_muted: bool = False,
                 include_suggested: bool = False) -> list[Span]:
        """Shown spans covering code point `position`, innermost (shortest) first."""
        found = [s for s in self._spans.at(position) if self._layer_shown(s)]
        for index, wanted in ((self._muted, include_muted),
                              (self._suggested, include_suggested)):
            if wanted:
                found += [s for s in index.at(position) if self._layer_shown(s)]
        found.sort(key=lambda s: (s.end - s.start, s.start, s.id))
        return found

    def spans_at_point(self, point: QPoint | QPointF, *, include_muted: bool = False,
                       include_suggested: bool = False) -> list[Span]:
        """Shown spans under a viewport point, innermost first (empty between words)."""
        position = self.position_at_point(point)
        if position is None:
            return []
        return self.spans_at(position, include_muted=include_muted,
                             include_suggested=include_suggested)

    def position_at_point(self, point: QPoint | QPointF) -> int | None:
        """The code point under a viewport point, or None off the text (the band counts)."""
        found = line_at(self.document(), QPointF(point) + self.scroll_offset(), band_height())
        return None if found is None else self._offsets.from_qt(found)

    # -- painting -------------------------------------------------------------------------

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        offset = self.scroll_offset()
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
        for chosen, relations in ((self._selected, self._relations),
                                  (self._current, self._suggested_relations)):
            if chosen is not None and relations:
                painter = QPainter(self.viewport())
                painter.translate(-offset)
                overlays.paint_relation_arcs(
                    painter, relations, chosen, self._span, self._piece_rects, self._styles,
                    base_font=self.font(), background=self.palette().color(QPalette.ColorRole.Base))
                painter.end()

    def scroll_offset(self) -> QPointF:
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
            cp_start = self._offsets.from_qt(line_start)
            cp_end = self._offsets.from_qt(line_start + line.textLength())
            styled = [(s, self._styles.span(s.label, muted=group is self._muted,
                                            suggested=group is self._suggested))
                      for group in (self._spans, self._muted, self._suggested)
                      for s in group.overlapping(cp_start, cp_end) if self._layer_shown(s)]
            image = overlays.render_text_line(line, block_position, cp_start, cp_end,
                                              self._offsets, styled, self._markers, ratio)
            entry = (image, block.layout().position().x() + line.x() - PAD)
            self._cache.put(key, signature, *entry)
        return entry

    def _paint_outlines(self, painter: QPainter, area: QRectF) -> None:
        """The selected span's (or current suggestion's) outline, a faint one round the
        hovered span."""
        hovered = self._span(self.pointer.hovered[0]) if self.pointer.hovered else None
        if hovered is not None and hovered.id not in (self._selected, self._current):
            style = self._styles.span(hovered.label, muted=hovered.id in self._muted)
            rects = [r for a, b in hovered.fragments for r in self._piece_rects(a, b, area)]
            overlays.paint_hover(painter, rects, style.color, dashed=hovered.id in self._suggested)
        span = self._spans.get(self._selected) if self._selected is not None else None
        suggested = span is None and self._current is not None
        if suggested:
            span = self._suggested.get(self._current)
        if span is not None and self._layer_shown(span):
            rects = [r for a, b in span.fragments for r in self._piece_rects(a, b, area)]
            overlays.paint_chosen(painter, rects, self._styles.label_color(span.label),
                         suggestion=suggested)

    def _piece_rects(self, start: int, end: int, area: QRectF | None = None) -> list[QRectF]:
        """Document rects (text height) covering code points [start, end), one per line."""
        return piece_rects(self.document(), self._offsets.to_qt(start),
                           self._offsets.to_qt(end), area)

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

    # -- mouse and keyboard (news_annotator_ui/view_pointer.py reads the mouse) --------

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.pointer.press(event, super().mousePressEvent)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.pointer.pass_on(super().mouseDoubleClickEvent, event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.pointer.release(event, super().mouseReleaseEvent)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.pointer.move(event, super().mouseMoveEvent)

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().leaveEvent(event)
        self.pointer.set_hovered([])

    def is_clicking(self) -> bool:
        """True while a click selects a span: listeners then leave the view where it is."""
        return self.pointer.clicking

    def repaint_span(self, span_id: int) -> None:
        """Repaint the area of a span (or suggestion) in view, with a margin for outlines."""
        span = self._span(span_id)
        if span is None:
            return
        offset = self.scroll_offset()
        viewport = QRectF(self.viewport().rect()).translated(offset)
        for rect in self._piece_rects(span.start, span.end, viewport):
            self.viewport().update(rect.translated(-offset).toAlignedRect().adjusted(-4, -4, 4, 4))

    def viewportEvent(self, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.ToolTip:
            self.pointer.show_tooltip(event)
            return True
        return super().viewportEvent(event)

    def tooltip(self, spans: list[Span]) -> str:
        """The tooltip for these spans: label, layer, and whose (or a suggestion)."""
        def whose(span: Span) -> str:
            if span.id in self._suggested:
                return self.suggestion_hint
            if span.id in self._muted:
                name = self._annotator_names.get(span.annotator_id,
                                                 f"annotator {span.annotator_id}")
                return f"{name} (read-only)"
            return ""
        return overlays.tooltip_html((s, self._styles.label_color(s.label), whose(s))
                                     for s in spans)

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
        return (self._spans.get(span_id) or self._muted.get(span_id)
                or self._suggested.get(span_id))
