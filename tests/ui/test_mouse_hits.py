"""The mouse lands where a person clicks: click, drag, double-click and shift+click reach
the glyph under the pointer on every line (first lines after blank lines, wrapped lines,
after scrolling), with overlapping spans drawing underline lanes, in the main window and
in the review window's text columns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from news_annotator.model import NewDocument
from news_annotator.project import Project
from news_annotator_ui.span_painter import band_height
from tests.conftest import DEMO_CORPUS
from tests.ui.review_fixtures import seed_glacier
from tests.ui.window_fixtures import ANNOTATOR, open_window

LEFT = Qt.MouseButton.LeftButton
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier
NAME = re.compile(r"\b[A-Z][\w’'-]+(?: [A-Z][\w’'-]+)*")
GLACIER_ARTICLE = DEMO_CORPUS / "articles" / "03-glacier-retreat-study.txt"


def seed_lanes(project: Project, document_id: int, annotator: str = ANNOTATOR) -> int:
    """Names, pairs of nearby names and each paragraph's opening: up to three lanes."""
    who = project.annotator(annotator).id
    text = project.documents.get(document_id).text
    names = list(NAME.finditer(text))
    count = 0
    for n, match in enumerate(names):
        project.add_span(document_id, who, ("PERSON", "ORG", "GPE")[n % 3], [match.span()])
        count += 1
        following = names[n + 1] if n + 1 < len(names) else None
        if n % 3 == 0 and following is not None and following.start() - match.end() < 80:
            project.add_span(document_id, who, "EVENT", [(match.start(), following.end())])
            count += 1
    for paragraph in re.finditer(r"[^\n]+", text):
        start, end = paragraph.span()
        project.add_span(document_id, who, "ORG", [(start, min(end, start + 60))])
        count += 1
    return count


def article_project(path: Path, article: Path | str) -> tuple[Path, int]:
    """A project holding one article (a file, or its text), with lane spans."""
    text = article.read_text("utf-8") if isinstance(article, Path) else article
    with Project.create(path) as project:
        with project.transaction():
            project.documents.insert_many([NewDocument(text=text, title="article",
                                                       uid="article")])
        document_id = project.documents.ids()[0]
        assert seed_lanes(project, document_id) > 10
    return path, document_id


@dataclass(frozen=True, slots=True)
class Glyph:
    """One character's box in viewport pixels (caret x before and after it)."""

    cp: int
    left: int
    right: int
    top: int
    height: int

    def at(self, share: float, y: float | None = None) -> QPoint:
        middle = self.top + self.height / 2 if y is None else y
        return QPoint(round(self.left + (self.right - self.left) * share), round(middle))


class Pointer:
    """A person's mouse on one view: each gesture at a glyph, returning a miss or None."""

    def __init__(self, qtbot, view) -> None:
        self.qtbot, self.view = qtbot, view
        self.text, self.offsets = view.text(), view.offsets()
        self.last_double: QPoint | None = None

    def _caret_rect(self, cp: int):
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(self.offsets.to_qt(cp))
        return self.view.cursorRect(cursor)

    def glyph(self, cp: int) -> Glyph | None:
        """The glyph of code point `cp` when it is a visible one-line character."""
        if cp >= len(self.text) or self.text[cp].isspace() or ord(self.text[cp]) > 0x2FFF:
            return None
        left, right = self._caret_rect(cp), self._caret_rect(cp + 1)
        if left.top() != right.top() or right.left() - left.left() < 3:
            return None
        if left.top() < 0 or left.bottom() >= self.view.viewport().height():
            return None
        return Glyph(cp, left.left(), right.left(), left.top(), left.height())

    def reveal(self, cp: int) -> Glyph | None:
        """The glyph at `cp`, scrolled to the middle of the view when out of view."""
        found = self.glyph(cp)
        if found is None and cp < len(self.text) and not self.text[cp].isspace():
            bar = self.view.verticalScrollBar()
            bar.setValue(bar.value() + self._caret_rect(cp).top()
                         - self.view.viewport().height() // 2)
            found = self.glyph(cp)
        return found

    def selection(self) -> tuple[int, int]:
        cursor = self.view.textCursor()
        return (self.offsets.from_qt(cursor.selectionStart()),
                self.offsets.from_qt(cursor.selectionEnd()))

    def shown(self, start: int, end: int) -> str:
        text = self.text
        return repr(f"{text[max(0, start - 10):start]}[{text[start:end]}]{text[end:end + 10]}")

    def _expect(self, want: tuple[int, int], gesture: str) -> str | None:
        got = self.selection()
        if got == want:
            return None
        return f"{gesture} {self.shown(*want)} gave {self.shown(*got)}"

    def click(self, cp: int, *, y: float | None = None, where: str = "") -> str | None:
        glyph = self.reveal(cp)
        if glyph is None:
            return None
        self.qtbot.mouseClick(self.view.viewport(), LEFT, pos=glyph.at(0.3, y))
        return self._expect((cp, cp), f"click{where} on")

    def drag(self, cp: int, last: int) -> str | None:
        """Press 30% into `cp`, move in steps, release 70% into `last` (same line)."""
        if self.click(cp) is not None:
            return None  # counted as a click miss; a press in a selection would start a drag
        start, end = self.glyph(cp), self.glyph(last)
        if start is None or end is None or start.top != end.top:
            return None
        viewport = self.view.viewport()
        a, b = start.at(0.3), end.at(0.7)
        self.qtbot.mousePress(viewport, LEFT, pos=a)
        for step in range(1, 5):
            self.qtbot.mouseMove(viewport, pos=a + (b - a) * step / 4)
        self.qtbot.mouseRelease(viewport, LEFT, pos=b)
        return self._expect((cp, last + 1), "drag over")

    def shift_click(self, cp: int, last: int) -> str | None:
        """Click `cp`, scroll to `last` if needed, shift+click 70% into it."""
        if self.click(cp) is not None:
            return None
        end = self.reveal(last)
        if end is None:
            return None
        self.qtbot.mouseClick(self.view.viewport(), LEFT, SHIFT, pos=end.at(0.7))
        return self._expect((cp, last + 1), "shift+click extending")

    def double_click(self, cp: int) -> str | None:
        glyph = self.reveal(cp)
        if glyph is None or not self.text[cp].isalpha():
            return None
        point = glyph.at(0.3)
        if self.last_double is not None and (point - self.last_double).manhattanLength() < 40:
            return None  # Qt would take it for a triple click
        self.qtbot.mouseClick(self.view.viewport(), LEFT, pos=QPoint(2, 2))
        self.qtbot.mouseDClick(self.view.viewport(), LEFT, pos=point)
        self.last_double = point
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(self.offsets.to_qt(cp))
        cursor.select(QTextCursor.SelectionType.WordUnderCursor)
        word = (self.offsets.from_qt(cursor.selectionStart()),
                self.offsets.from_qt(cursor.selectionEnd()))
        assert word[0] <= cp < word[1]
        return self._expect(word, "double-click selecting")


def next_on_line(pointer: Pointer, cp: int, reach: range) -> int | None:
    """A glyph a few characters after `cp` on the same line."""
    first = pointer.glyph(cp)
    for step in reach:
        found = pointer.glyph(cp + step)
        if first is not None and found is not None and found.top == first.top:
            return cp + step
    return None


def sweep(qtbot, view, *, every: int, reach: int = 120) -> dict[str, list[str]]:
    """Every gesture at every `every`-th code point; the misses (and tries) by gesture."""
    pointer = Pointer(qtbot, view)
    misses: dict[str, list[str]] = {"click": [], "drag": [], "shift+click": [],
                                    "double-click": []}
    tries = dict.fromkeys(misses, 0)
    for cp in range(0, len(pointer.text), every):
        if pointer.reveal(cp) is None:
            continue
        results = {"click": pointer.click(cp)}
        last = next_on_line(pointer, cp, range(3, 12))
        if last is not None:
            results["drag"] = pointer.drag(cp, last)
        far = next((cp + reach + k for k in range(8) if cp + reach + k < len(pointer.text)
                    and not pointer.text[cp + reach + k].isspace()), None)
        if far is not None:
            results["shift+click"] = pointer.shift_click(cp, far)
        results["double-click"] = pointer.double_click(cp)  # last: a triple click is near
        for gesture, miss in results.items():
            tries[gesture] += 1
            if miss is not None:
                misses[gesture].append(miss)
    assert tries["click"] > 20 and tries["drag"] > 10 and tries["double-click"] > 10, tries
    return {gesture: found for gesture, found in misses.items() if found}


def describe(misses: dict[str, list[str]]) -> str:
    return "; ".join(f"{len(found)} {gesture} misses, e.g. {found[:3]}"
                     for gesture, found in misses.items())


def wrapped_line_starts(view) -> list[int]:
    """Code points that begin a line wrapped inside a paragraph (not a paragraph start)."""
    starts = []
    block = view.document().begin()
    while block.isValid():
        layout = block.layout()
        starts += [view.offsets().from_qt(block.position() + layout.lineAt(i).textStart())
                   for i in range(1, layout.lineCount())]
        block = block.next()
    return starts


def first_lines_after_blank(view) -> list[int]:
    """Code points starting a paragraph that follows a blank line (where clicks missed)."""
    text = view.text()
    return [m.end() for m in re.finditer(r"\n\n+", text) if m.end() < len(text)]


# -- the main window ----------------------------------------------------------------------

def test_gestures_land_on_the_glyph_in_the_main_window(qtbot, tmp_path):
    path, document_id = article_project(tmp_path / "glacier.annotator", GLACIER_ARTICLE)
    window = open_window(qtbot, tmp_path, path, document_id=document_id)
    view = window.view
    assert len(first_lines_after_blank(view)) > 5 and view.text().count("\n\n") > 5
    misses = sweep(qtbot, view, every=7)
    assert not misses, describe(misses)
    pointer = Pointer(qtbot, view)
    for start in first_lines_after_blank(view):  # every paragraph's first glyphs too
        for cp in range(start, start + 12):
            miss = pointer.click(cp)
            assert miss is None, miss


def test_clicks_anywhere_on_a_line_or_its_lanes_land_on_the_glyph(qtbot, tmp_path):
    """The top and bottom pixel rows of a line hit it, and so does the band of underline
    lanes under it (it belongs to the line, as it does for hovering)."""
    path, document_id = article_project(tmp_path / "rows.annotator", GLACIER_ARTICLE)
    window = open_window(qtbot, tmp_path, path, document_id=document_id)
    view = window.view
    pointer = Pointer(qtbot, view)
    band = band_height()
    misses, tries = [], 0
    for cp in range(0, len(view.text()), 11):
        glyph = pointer.reveal(cp)
        if glyph is None or glyph.top + glyph.height + band >= view.viewport().height():
            continue
        rows = {"top row": glyph.top, "bottom row": glyph.top + glyph.height - 1,
                "lane band": glyph.top + glyph.height + 2,
                "band bottom": glyph.top + glyph.height + band - 1}
        for where, y in rows.items():
            tries += 1
            miss = pointer.click(cp, y=y, where=f" ({where})")
            if miss is not None:
                misses.append(miss)
    assert tries > 80
    assert not misses, f"{len(misses)} of {tries}: {misses[:4]}"


def test_gestures_after_scrolling_a_long_wrapped_article(qtbot, tmp_path):
    """All demo articles as one long document in a small window: scrolled, wrapped."""
    articles = sorted((DEMO_CORPUS / "articles").glob("*.txt"))
    text = "\n\n".join(a.read_text("utf-8").strip() for a in articles)
    path, document_id = article_project(tmp_path / "long.annotator", text)
    window = open_window(qtbot, tmp_path, path, document_id=document_id)
    window.resize(1180, 520)  # docks either side: the text column is about 500 px wide
    QApplication.processEvents()
    view = window.view
    bar = view.verticalScrollBar()
    assert bar.maximum() > 10 * view.viewport().height()  # most of it is scrolled to
    misses = sweep(qtbot, view, every=53, reach=400)
    assert not misses, describe(misses)
    assert bar.value() > bar.maximum() // 2  # the sweep reached the end
    wrapped = wrapped_line_starts(view)  # (laid out by now: Qt lays out lazily)
    assert len(wrapped) > 100
    pointer = Pointer(qtbot, view)
    bar.setValue(0)
    for start in wrapped[::9] + first_lines_after_blank(view)[::5]:
        miss = pointer.click(start + 1)
        assert miss is None, miss


def test_a_click_on_a_span_does_not_scroll_the_text_under_the_pointer(qtbot, tmp_path):
    """Double-clicking a word of a span on the last visible line selects that word: the
    first click selects the span and must not scroll it (it is in view already)."""
    path, document_id = article_project(tmp_path / "edge.annotator", GLACIER_ARTICLE)
    window = open_window(qtbot, tmp_path, path, document_id=document_id)
    window.resize(1180, 420)
    QApplication.processEvents()
    view = window.view
    pointer = Pointer(qtbot, view)
    starts = [cp for cp in range(len(view.text())) if view.text()[cp].isalpha()
              and view.spans_at(cp) and view.spans_at(cp)[0].start == cp
              and pointer.glyph(cp) is not None]  # spans whose first glyph is in view
    bottom = max(starts, key=lambda cp: pointer.glyph(cp).top)
    assert pointer.glyph(bottom).top > view.viewport().height() - 60
    scrolled = view.verticalScrollBar().value()
    assert pointer.click(bottom) is None
    assert view.selected_span_id() == view.spans_at(bottom)[0].id
    assert view.verticalScrollBar().value() == scrolled
    pointer.last_double = None
    assert pointer.double_click(bottom) is None


def test_gestures_on_a_real_article(qtbot, tmp_path, shared_data):
    article = shared_data / "articles" / "rferl-israel-russia-syria.txt"
    path, document_id = article_project(tmp_path / "rferl.annotator", article)
    window = open_window(qtbot, tmp_path, path, document_id=document_id)
    window.resize(1180, 560)
    QApplication.processEvents()
    view = window.view
    text = view.text()
    misses = sweep(qtbot, view, every=7)
    assert not misses, describe(misses)
    pointer = Pointer(qtbot, view)  # the reported example: "Israel" in the headline
    israel = text.index("Israel, Russia to cooperate")
    assert pointer.click(israel + 2) is None
    assert pointer.double_click(israel + 2) is None
    assert text[slice(*pointer.selection())] == "Israel"


# -- the review window --------------------------------------------------------------------

def open_review(qtbot, tmp_path, demo_project):
    document_id, *_ = seed_glacier(demo_project)
    window = open_window(qtbot, tmp_path, demo_project.path, document_id=document_id)
    qtbot.keyClick(window.view, Qt.Key.Key_R, CTRL)
    review = window.review_menu.review
    qtbot.waitExposed(review)
    return window, review


def test_gestures_land_on_the_glyph_in_the_review_columns(qtbot, tmp_path, demo_project):
    window, review = open_review(qtbot, tmp_path, demo_project)
    review.resize(1280, 620)
    QApplication.processEvents()
    for column in review.columns.columns:
        misses = sweep(qtbot, column.view, every=9, reach=90)
        assert not misses, f"{column.title.text()}: {describe(misses)}"


def test_a_click_on_a_span_in_a_review_column_keeps_that_column_still(qtbot, tmp_path,
                                                                       demo_project):
    """The click selects the span's difference in the list, and the column clicked in
    keeps its caret and scroll, so a double-click there selects the word clicked."""
    window, review = open_review(qtbot, tmp_path, demo_project)
    review.resize(1280, 420)
    QApplication.processEvents()
    column = review.columns.columns[1]  # bob: his Alps span is the last difference
    view = column.view
    pointer = Pointer(qtbot, view)
    alps = view.text().index("Alps")
    review.select_row(0)  # the first difference: the columns show the article's top
    view.verticalScrollBar().setValue(view.verticalScrollBar().value()
                                      + pointer._caret_rect(alps + 1).top()
                                      - view.viewport().height() + 60)
    glyph = pointer.glyph(alps + 1)
    assert glyph is not None
    scrolled = view.verticalScrollBar().value()
    assert pointer.click(alps + 1) is None
    assert review.current_difference().start == alps  # the click chose its difference
    assert view.verticalScrollBar().value() == scrolled
    pointer.last_double = None
    assert pointer.double_click(alps + 1) is None
    assert view.text()[slice(*pointer.selection())] == "Alps"
