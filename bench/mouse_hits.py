"""Mouse hit benchmark: where clicks, drags, double-clicks and shift+clicks land in the
real main window (offscreen), on a real article with overlapping spans.

At every Nth code point of the article (scrolled into view when needed) it clicks 30%
into the glyph at its vertical middle and checks the caret; clicks the band of underline
lanes under it; drags from it to a glyph a few later on the same line and checks the
selection; shift+clicks a glyph 120 code points on and checks the extended selection;
double-clicks letters and checks the word. Prints the misses per gesture, with the
first few. Exits 1 when anything missed.

    .venv/bin/python bench/mouse_hits.py [ARTICLE.txt] [--every N] [--size WxH]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QPoint, QSettings, Qt, qInstallMessageHandler  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from news_annotator.model import NewDocument  # noqa: E402
from news_annotator.project import Project  # noqa: E402
from news_annotator_ui.span_painter import band_height  # noqa: E402

DEFAULT_ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "articles" / \
    "rferl-israel-russia-syria.txt"
ANNOTATOR = "bench"
LEFT = Qt.MouseButton.LeftButton
NO_MODIFIER = Qt.KeyboardModifier.NoModifier
NAME = re.compile(r"\b[A-Z][\w’'-]+(?: [A-Z][\w’'-]+)*")
LABELS = ("PERSON", "ORG", "GPE")


def add_lane_spans(project: Project, document_id: int, annotator_id: int) -> int:
    """Names, each paragraph's opening, and every third name pair: up to three lanes."""
    text = project.documents.get(document_id).text
    count = 0
    names = list(NAME.finditer(text))
    for n, match in enumerate(names):
        project.add_span(document_id, annotator_id, LABELS[n % 3], [match.span()])
        count += 1
        if n % 3 == 0 and n + 1 < len(names) and names[n + 1].start() - match.end() < 80:
            project.add_span(document_id, annotator_id, "EVENT",
                             [(match.start(), names[n + 1].end())])
            count += 1
    for paragraph in re.finditer(r"[^\n]+", text):
        start, end = paragraph.span()
        project.add_span(document_id, annotator_id, "ORG", [(start, min(end, start + 60))])
        count += 1
    return count


@dataclass
class Tally:
    """Tries and misses of one gesture, with the first few misses described."""

    tries: int = 0
    missed: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, miss: str | None) -> None:
        self.tries += 1
        if miss is not None:
            self.missed += 1
            if len(self.examples) < 4:
                self.examples.append(miss)

    def line(self, name: str) -> str:
        share = 100 * self.missed / self.tries if self.tries else 0.0
        return f"{name:<13} {self.missed:4d} missed of {self.tries:4d} ({share:4.1f}%)"


@dataclass(frozen=True, slots=True)
class Glyph:
    """One character's box in viewport pixels: caret x before and after it, line rows."""

    left: int
    right: int
    top: int
    height: int

    def at(self, share: float, y: float | None = None) -> QPoint:
        middle = self.top + self.height / 2 if y is None else y
        return QPoint(round(self.left + (self.right - self.left) * share), round(middle))


class Probe:
    """Glyph geometry in viewport coordinates, and each gesture at a glyph of one view,
    returning None where it does not apply, else a miss (a description) or ''."""

    def __init__(self, view) -> None:
        self.view = view
        self.text = view.text()
        self.offsets = view.offsets()
        self.last_double: QPoint | None = None

    def _rect(self, cp: int):
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(self.offsets.to_qt(cp))
        return self.view.cursorRect(cursor)

    def glyph(self, cp: int) -> Glyph | None:
        """The glyph of code point `cp` when it is a visible character on one line."""
        if cp >= len(self.text) or self.text[cp].isspace() or ord(self.text[cp]) > 0x2FFF:
            return None
        left, right = self._rect(cp), self._rect(cp + 1)
        if left.top() != right.top() or right.left() - left.left() < 3:
            return None
        if left.top() < 0 or left.bottom() >= self.view.viewport().height():
            return None
        return Glyph(left.left(), right.left(), left.top(), left.height())

    def reveal(self, cp: int) -> Glyph | None:
        """The glyph at `cp`, scrolled to the middle of the view when out of view."""
        found = self.glyph(cp)
        if found is None and cp < len(self.text) and not self.text[cp].isspace():
            bar = self.view.verticalScrollBar()
            bar.setValue(bar.value() + self._rect(cp).top() - self.view.viewport().height() // 2)
            found = self.glyph(cp)
        return found

    def _expect(self, want: tuple[int, int], gesture: str) -> str:
        cursor = self.view.textCursor()
        got = (self.offsets.from_qt(cursor.selectionStart()),
               self.offsets.from_qt(cursor.selectionEnd()))
        return "" if got == want else f"{gesture} {self.shown(*want)} gave {self.shown(*got)}"

    def shown(self, start: int, end: int) -> str:
        text = self.text
        return repr(f"{text[max(0, start - 8):start]}[{text[start:end]}]{text[end:end + 8]}")

    def _click(self, point: QPoint, modifier=NO_MODIFIER) -> None:
        QTest.mouseClick(self.view.viewport(), LEFT, modifier, point)

    def click(self, cp: int) -> str | None:
        glyph = self.reveal(cp)
        if glyph is None:
            return None
        self._click(glyph.at(0.3))
        return self._expect((cp, cp), "click on")

    def lane_click(self, cp: int) -> str | None:
        """A click in the band of underline lanes under the glyph."""
        glyph = self.reveal(cp)
        y = None if glyph is None else glyph.top + glyph.height + band_height() / 2
        if glyph is None or y >= self.view.viewport().height():
            return None
        self._click(glyph.at(0.3, y))
        return self._expect((cp, cp), "click on the lanes under")

    def drag(self, cp: int) -> str | None:
        """Press 30% into `cp`, move in steps, release 70% into a glyph a few later."""
        start = self.reveal(cp)
        if start is None:
            return None
        last = next((cp + k for k in range(4, 12) if (g := self.glyph(cp + k)) is not None
                     and g.top == start.top), None)
        if last is None:
            return None
        self._click(start.at(0.3))  # a caret: a press inside a selection would drag it
        start, end = self.glyph(cp), self.glyph(last)
        if start is None or end is None:
            return None
        viewport, a, b = self.view.viewport(), start.at(0.3), end.at(0.7)
        QTest.mousePress(viewport, LEFT, NO_MODIFIER, a)
        for step in range(1, 5):
            QTest.mouseMove(viewport, a + (b - a) * step / 4)
        QTest.mouseRelease(viewport, LEFT, NO_MODIFIER, b)
        return self._expect((cp, last + 1), "drag over")

    def shift_click(self, cp: int, reach: int = 120) -> str | None:
        """Click `cp`, scroll to a glyph `reach` later if needed, shift+click 70% into it."""
        last = next((cp + reach + k for k in range(8) if cp + reach + k < len(self.text)
                     and not self.text[cp + reach + k].isspace()), None)
        start = self.reveal(cp)
        if start is None or last is None:
            return None
        self._click(start.at(0.3))
        end = self.reveal(last)
        if end is None:
            return None
        self._click(end.at(0.7), Qt.KeyboardModifier.ShiftModifier)
        return self._expect((cp, last + 1), "shift+click extending")

    def double_click(self, cp: int) -> str | None:
        glyph = self.reveal(cp)
        if glyph is None or not self.text[cp].isalpha():
            return None
        point = glyph.at(0.3)
        if self.last_double is not None and (point - self.last_double).manhattanLength() < 40:
            return None  # Qt would take it for a triple click
        self._click(QPoint(2, 2))  # no selection: a press inside one would drag it
        QTest.mouseDClick(self.view.viewport(), LEFT, NO_MODIFIER, point)
        self.last_double = point
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(self.offsets.to_qt(cp))
        cursor.select(QTextCursor.SelectionType.WordUnderCursor)
        word = (self.offsets.from_qt(cursor.selectionStart()),
                self.offsets.from_qt(cursor.selectionEnd()))
        return self._expect(word, "double-click selecting")


def run(probe: Probe, every: int) -> dict[str, Tally]:
    """Every gesture at every `every`-th code point; the tallies by gesture (a
    double-click comes last: a click near it soon after would be a triple click)."""
    gestures = {"click": probe.click, "lane click": probe.lane_click, "drag": probe.drag,
                "shift+click": probe.shift_click, "double-click": probe.double_click}
    tallies = {name: Tally() for name in gestures}
    for cp in range(0, len(probe.text), every):
        for name, gesture in gestures.items():
            miss = gesture(cp)
            if miss is not None:
                tallies[name].add(miss or None)
    return tallies


def open_main_window(project_path: Path, settings_dir: Path, size: tuple[int, int]):
    """The real main window on the project, shown offscreen at `size`."""
    from news_annotator_ui.main_window import MainWindow
    from news_annotator_ui.settings import Settings

    settings = Settings(QSettings(str(settings_dir / "settings.ini"),
                                  QSettings.Format.IniFormat))
    window = MainWindow(settings, annotator_name=ANNOTATOR, remember_layout=False)
    window.resize(*size)
    window.open_path(project_path)
    window.show()
    for _ in range(5):
        QApplication.processEvents()
    window.view.setFocus()
    return window


def quiet(_kind, _context, message: str) -> None:
    """Qt's messages, less the offscreen platform's note on every window shown."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", type=Path, default=DEFAULT_ARTICLE)
    parser.add_argument("--every", type=int, default=9, help="test every Nth code point")
    parser.add_argument("--size", default="1400x900", metavar="WxH",
                        help="window size (default: the app's own, 1400x900)")
    parser.add_argument("--no-spans", action="store_true", help="leave the text bare")
    args = parser.parse_args()
    if not args.article.is_file():
        print(f"{args.article} not found", file=sys.stderr)
        return 2
    width, _, height = args.size.partition("x")
    qInstallMessageHandler(quiet)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="mouse-hits-") as folder:
        path = Path(folder) / "bench.annotator"
        with Project.create(path) as project:
            with project.transaction():
                project.documents.insert_many([NewDocument(
                    text=args.article.read_text("utf-8"), title=args.article.stem,
                    uid=args.article.stem)])
            document_id = project.documents.ids()[0]
            annotator_id = project.annotator(ANNOTATOR).id
            spans = 0 if args.no_spans else add_lane_spans(project, document_id, annotator_id)
        window = open_main_window(path, Path(folder), (int(width), int(height)))
        probe = Probe(window.view)
        print(f"{args.article.name}: {len(probe.text):,} code points, {spans} spans, "
              f"window {width}x{height}, gestures at every {args.every}th code point")
        tallies = run(probe, args.every)
        window.close()
        app.processEvents()
    for name, tally in tallies.items():
        print(tally.line(name))
        for example in tally.examples:
            print(f"    {example}")
    return 1 if any(t.missed for t in tallies.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
