"""Where lines are: the document's block formats and margins, and the geometry the
painter and the mouse share (which line a point is on, the rectangles of a span's piece).

Kept apart from the painting (span_painter.py): hit tests and layout must agree with what
is drawn, so both read their geometry from here.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextLine,
)

# Block rects leave out the line gap under a block's last line, so a line's row is taken
# as line top .. top + height + band: the band holds the line's underlines.

PARAGRAPH_GAP = 0.8  # space between paragraphs, in text line heights


def format_blocks(document: QTextDocument, band: float, font: QFont) -> None:
    """Leave a band under every line (line distance) and space paragraphs gently.

    The blank line between paragraphs is set in a small font, not squeezed by a line
    height under 100%: a squeezed line keeps its full height in the layout, overlaps the
    next paragraph's first line, and Qt's hit test then finds the blank line instead of
    the text under the mouse. Spacing is in whole pixels so every line starts on a pixel.
    """
    metrics = QFontMetricsF(font)
    margin = round(metrics.height() * 0.35)
    blank = max(2, round(metrics.height() * PARAGRAPH_GAP) - margin)
    block_format = QTextBlockFormat()
    block_format.setLineHeight(band, QTextBlockFormat.LineHeightTypes.LineDistanceHeight.value)
    block_format.setBottomMargin(margin)
    small = blank_line_font(font, blank - 1)
    blank_format = QTextBlockFormat()  # the small line on top, a gap of at least 1 px below
    blank_format.setLineHeight(max(0, blank - math.ceil(QFontMetricsF(small).height())),
                               QTextBlockFormat.LineHeightTypes.LineDistanceHeight.value)
    blank_chars = QTextCharFormat()
    blank_chars.setFont(small)
    cursor = QTextCursor(document)
    # One edit block: the layout hears of the change once, not once per blank line
    # (which made a 2 MB article take 5 s, quadratic in its length).
    cursor.beginEditBlock()
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.mergeBlockFormat(block_format)
    block = document.begin()
    while block.isValid():
        if block.length() == 1:
            blank_cursor = QTextCursor(block)
            blank_cursor.setBlockFormat(blank_format)
            blank_cursor.setBlockCharFormat(blank_chars)
        block = block.next()
    cursor.endEditBlock()


def blank_line_font(font: QFont, height: float) -> QFont:
    """`font`, shrunk until a line of it is at most `height` pixels tall."""
    small = QFont(font)
    scale = 0.4
    for _ in range(12):
        if font.pointSizeF() > 0:
            small.setPointSizeF(max(0.5, font.pointSizeF() * scale))
        else:
            small.setPixelSize(max(1, int(font.pixelSize() * scale)))
        if math.ceil(QFontMetricsF(small).height()) <= height:
            break
        scale *= 0.8
    return small


def set_frame_margins(document: QTextDocument, side: float, *, top: float,
                      bottom: float) -> None:
    """Margins of the document's root frame: how the view centres a reading column."""
    frame = document.rootFrame()
    frame_format = frame.frameFormat()
    frame_format.setLeftMargin(side)
    frame_format.setRightMargin(side)
    frame_format.setTopMargin(top)
    frame_format.setBottomMargin(bottom)
    frame.setFrameFormat(frame_format)


def block_near(document: QTextDocument, y: float) -> QTextBlock:
    """The block at document height y (the hit test clamped inside the text column)."""
    frame = document.rootFrame().frameFormat()
    point = QPointF(frame.leftMargin() + 1, max(y, frame.topMargin() + 1))
    hit = document.documentLayout().hitTest(point, Qt.HitTestAccuracy.FuzzyHit)
    return document.findBlock(max(hit, 0))


def lines_in(document: QTextDocument, area: QRectF,
             band: float) -> Iterator[tuple[QTextBlock, int, QTextLine]]:
    """The lines whose rows (text plus band) meet `area`, in document order."""
    layout = document.documentLayout()
    block = block_near(document, area.top())
    while block.previous().isValid() and layout.blockBoundingRect(block).top() > area.top():
        block = block.previous()
    while block.isValid():
        rect = layout.blockBoundingRect(block)  # lays the block out if still pending
        if rect.top() > area.bottom():
            break
        if rect.bottom() + band >= area.top():
            block_layout = block.layout()
            top = block_layout.position().y()
            for index in range(block_layout.lineCount()):
                line = block_layout.lineAt(index)
                if top + line.y() > area.bottom():
                    break
                if top + line.y() + line.height() + band >= area.top():
                    yield block, index, line
        block = block.next()


def lines_touching(document: QTextDocument, q_start: int,
                   q_end: int) -> Iterator[tuple[QTextBlock, int, QTextLine]]:
    """The laid-out lines whose text meets Qt positions [q_start, q_end] (ends included)."""
    block = document.findBlock(q_start)
    while block.isValid() and block.position() <= q_end:
        block_layout = block.layout()
        base = block.position()
        for index in range(block_layout.lineCount()):
            line = block_layout.lineAt(index)
            line_start = base + line.textStart()
            if line_start <= q_end and line_start + line.textLength() >= q_start:
                yield block, index, line
        block = block.next()


def row_at(document: QTextDocument, point: QPointF,
           band: float) -> tuple[QTextBlock, QTextLine, float] | None:
    """The line whose row (its text, and the band under it if it has text) holds a document
    point, with the line's top; None between rows."""
    best: tuple[float, QTextBlock, QTextLine] | None = None
    block = block_near(document, point.y())
    for candidate in (block.previous(), block, block.next()):
        if not candidate.isValid():
            continue
        block_layout = candidate.layout()
        top = block_layout.position().y()
        for index in range(block_layout.lineCount()):
            line = block_layout.lineAt(index)
            line_top = top + line.y()
            bottom = line_top + line.height() + (band if line.textLength() else 0.0)
            # Rows may meet where a band reaches the next block: the later row wins.
            if line_top <= point.y() < bottom and (best is None or line_top > best[0]):
                best = (line_top, candidate, line)
    return None if best is None else (best[1], best[2], best[0])


def line_at(document: QTextDocument, point: QPointF, band: float) -> int | None:
    """The Qt position of the character under a document point, None between or off lines."""
    found = row_at(document, point, band)
    if found is None:
        return None
    block, line, _ = found
    x = point.x() - block.layout().position().x()
    if not line.x() <= x < line.x() + line.naturalTextWidth():
        return None
    position = line.xToCursor(x, QTextLine.CursorPosition.CursorOnCharacter)
    if position >= line.textStart() + line.textLength():
        return None
    return block.position() + position


def onto_text(document: QTextDocument, point: QPointF, band: float) -> QPointF:
    """`point`, moved up to the middle of its line when it is in the line's underline band
    (Qt's hit test knows nothing of the band: it would answer the end of the line)."""
    found = row_at(document, point, band)
    if found is None:
        return point
    _, line, top = found
    if point.y() < top + line.height():
        return point
    return QPointF(point.x(), top + line.height() / 2)


def piece_rects(document: QTextDocument, q_start: int, q_end: int,
                area: QRectF | None = None) -> list[QRectF]:
    """Document rects (text height) covering Qt positions [q_start, q_end), one per line."""
    layout = document.documentLayout()
    block = document.findBlock(q_start)
    rects: list[QRectF] = []
    while block.isValid() and block.position() <= q_end:
        block_rect = layout.blockBoundingRect(block)
        if area is not None and block_rect.top() > area.bottom():
            break
        block_layout = block.layout()
        origin = block_layout.position()
        base = block.position()
        for index in range(block_layout.lineCount()):
            line = block_layout.lineAt(index)
            a = max(q_start, base + line.textStart())
            b = min(q_end, base + line.textStart() + line.textLength())
            if a < b:
                x0, x1 = line.cursorToX(a - base)[0], line.cursorToX(b - base)[0]
                rects.append(QRectF(origin.x() + min(x0, x1), origin.y() + line.y(),
                                    abs(x1 - x0), line.height()))
        block = block.next()
    return rects
