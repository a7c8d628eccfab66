"""Document view paint benchmark: our DocumentView against a bare QPlainTextEdit.

A deterministic 20,000-character article with 5,000 overlapping spans. The baseline, in
the same run, is a QPlainTextEdit showing the same text with the spans as
ExtraSelections. Prints medians of several repetitions and the ratios the design
targets (first paint <= 0.5 x baseline, one added span <= 0.1 x baseline first paint,
hover hit-test < 1 ms).

    .venv/bin/python bench/bench_paint.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QPoint  # noqa: E402
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit  # noqa: E402

from news_annotator.model import Span  # noqa: E402
from news_annotator.schema import Schema, default_schema  # noqa: E402
from news_annotator_ui.document_view import DocumentView  # noqa: E402
from news_annotator_ui.offsets import OffsetMap  # noqa: E402

SEED = 20260212
TEXT_LENGTH = 20_000
SPAN_COUNT = 5_000
SIZE = (1000, 720)
WORDS = ("the council said minister would not government vote plan on Thursday after "
         "residents opposition million percent report agreement Gdańsk Zürich Kraków "
         "officials told reporters week city harbour quay lease contract market library "
         "“we are not against renewal” claimed spokesperson Łukasz Dąbrowska 😊 🇺🇦").split()


def make_text(rng: random.Random) -> str:
    parts: list[str] = []
    length = 0
    since_break = 0
    while length < TEXT_LENGTH:
        word = rng.choice(WORDS)
        if since_break > rng.randint(400, 900):
            word += "\n\n"
            since_break = 0
        else:
            word += " "
        parts.append(word)
        length += len(word)
        since_break += len(word)
    return "".join(parts)[:TEXT_LENGTH]


def make_spans(rng: random.Random, text: str, schema: Schema, count: int,
               first_id: int = 1) -> list[Span]:
    starts = [i for i in range(len(text)) if i == 0 or text[i - 1] in " \n"]
    labels = [(layer.name, label.name) for layer, label in schema.all_labels()]
    spans = []
    for offset in range(count):
        start = rng.choice(starts)
        roll = rng.random()
        length = (rng.randint(3, 25) if roll < 0.7 else rng.randint(25, 160) if roll < 0.96
                  else rng.randint(160, 900))
        end = min(len(text), start + length)
        if rng.random() < 0.03 and end - start > 12:
            middle = start + (end - start) // 2
            fragments = ((start, middle - 3), (middle + 2, end))
        else:
            fragments = ((start, end),)
        layer, label = rng.choice(labels)
        spans.append(Span(id=first_id + offset, uid=f"s{first_id + offset}", document_id=1,
                          annotator_id=1, layer=layer, label=label, fragments=fragments))
    return spans


def settle(app: QApplication) -> None:
    app.processEvents()


def baseline_first_paint(app: QApplication, text: str, spans: list[Span],
                         schema: Schema) -> tuple[float, float]:
    """Seconds to first paint, and seconds to add one more ExtraSelection and repaint."""
    colors = {label.name: QColor(label.color) for _, label in schema.all_labels()}
    offsets = OffsetMap(text)
    started = time.perf_counter()
    widget = QPlainTextEdit()
    widget.setReadOnly(True)
    widget.resize(*SIZE)
    widget.setPlainText(text)
    selections = [_extra_selection(widget, offsets, span, colors) for span in spans]
    widget.setExtraSelections(selections)
    widget.show()
    widget.grab()
    settle(app)
    first = time.perf_counter() - started
    extra = spans[0]
    started = time.perf_counter()
    selections.append(_extra_selection(widget, offsets, extra, colors))
    widget.setExtraSelections(selections)
    widget.viewport().repaint()
    settle(app)
    added = time.perf_counter() - started
    widget.close()
    widget.deleteLater()
    settle(app)
    return first, added


def _extra_selection(widget: QPlainTextEdit, offsets: OffsetMap, span: Span,
                     colors: dict[str, QColor]) -> QTextEdit.ExtraSelection:
    selection = QTextEdit.ExtraSelection()
    cursor = QTextCursor(widget.document())
    cursor.setPosition(offsets.to_qt(span.start))
    cursor.setPosition(offsets.to_qt(span.end), QTextCursor.MoveMode.KeepAnchor)
    selection.cursor = cursor
    char_format = QTextCharFormat()
    color = QColor(colors[span.label])
    color.setAlpha(50)
    char_format.setBackground(color)
    char_format.setUnderlineColor(colors[span.label])
    char_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
    selection.format = char_format
    return selection


def ours(app: QApplication, text: str, spans: list[Span], schema: Schema,
         extra: Span, points: list[QPoint]) -> tuple[float, float, float, int]:
    """First paint, add-one-span repaint (s), mean hit test (s), paint events for the add."""
    started = time.perf_counter()
    view = DocumentView()
    view.resize(*SIZE)
    view.set_document(text, spans, [], schema)
    view.show()
    view.grab()
    settle(app)
    first = time.perf_counter() - started
    painted = _PaintCounter(view)
    started = time.perf_counter()
    view.add_span(extra)
    settle(app)
    added = time.perf_counter() - started
    if painted.count == 0:  # the platform did not paint on its own: force the dirty lines
        started = time.perf_counter()
        view.remove_span(extra.id)
        view.add_span(extra)
        view.viewport().repaint(view.viewport().rect())
        added = time.perf_counter() - started
    started = time.perf_counter()
    for point in points:
        view.spans_at_point(point, include_muted=True)
    hit = (time.perf_counter() - started) / len(points)
    count = painted.count
    painted.remove()
    view.close()
    view.deleteLater()
    settle(app)
    return first, added, hit, count


class _PaintCounter:
    """Counts the paint events a viewport receives (to prove a repaint happened)."""

    def __init__(self, view: DocumentView) -> None:
        from PySide6.QtCore import QEvent, QObject

        self.count = 0
        counter = self

        class Filter(QObject):
            def eventFilter(self, watched, event):  # noqa: N802 (Qt override)
                if event.type() == QEvent.Type.Paint:
                    counter.count += 1
                return False

        self._filter = Filter()
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self._filter)

    def remove(self) -> None:
        self._viewport.removeEventFilter(self._filter)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    rng = random.Random(SEED)
    schema = default_schema()
    text = make_text(rng)
    spans = make_spans(rng, text, schema, SPAN_COUNT)
    extra = make_spans(random.Random(SEED + 1), text[:1500], schema, 1,
                       first_id=SPAN_COUNT + 1)[0]
    points = [QPoint(rng.randint(0, SIZE[0] - 20), rng.randint(0, SIZE[1] - 20))
              for _ in range(1000)]
    # One untimed round each, so font and module loading is not charged to either side.
    baseline_first_paint(app, text, spans, schema)
    ours(app, text, spans, schema, extra, points)
    base_first, base_add, our_first, our_add, our_hit = [], [], [], [], []
    for _ in range(args.repeat):
        first, added = baseline_first_paint(app, text, spans, schema)
        base_first.append(first)
        base_add.append(added)
        first, added, hit, _ = ours(app, text, spans, schema, extra, points)
        our_first.append(first)
        our_add.append(added)
        our_hit.append(hit)
    median = statistics.median
    b_first, o_first, o_add = median(base_first), median(our_first), median(our_add)
    print(f"text {len(text):,} code points, {len(spans):,} spans, viewport {SIZE[0]}x{SIZE[1]},"
          f" median of {args.repeat}")
    print(f"baseline QPlainTextEdit + ExtraSelections: first paint {b_first * 1e3:7.1f} ms,"
          f" add one + repaint {median(base_add) * 1e3:6.1f} ms")
    print(f"DocumentView:                             first paint {o_first * 1e3:7.1f} ms,"
          f" add one + repaint {o_add * 1e3:6.2f} ms")
    print(f"first paint / baseline first paint      = {o_first / b_first:5.2f}  (target <= 0.5)")
    print(f"add one span repaint / baseline first   = {o_add / b_first:5.3f}  (target <= 0.1)")
    print(f"hover hit-test, mean of {len(points)} points    = {median(our_hit) * 1e3:5.3f} ms"
          f" (target < 1 ms)")


if __name__ == "__main__":
    main()
