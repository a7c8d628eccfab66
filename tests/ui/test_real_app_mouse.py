"""The real app in its own process on a real X server (Xvfb): a drag with a real pointer
(xdotool) across a name on the first line of a paragraph after a blank line selects that
name, 1 labels it, Ctrl+Z and Ctrl+Shift+Z undo and redo it, and the file holds exactly
that span. Skips, saying why, where Xvfb or xdotool is missing (.ci/run installs both).

Where the name is on screen comes from an identical offscreen main window in this
process (the same project, style sheet and size as the real window); a screenshot of the
real screen checks that the two agree before the pointer moves.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage, QTextCursor
from PySide6.QtWidgets import QApplication

from news_annotator.importing import import_paths
from news_annotator.project import Project
from news_annotator_ui.app import load_style_sheet
from tests.conftest import DEMO_CORPUS
from tests.real_display import start_app, wait_for
from tests.ui.window_fixtures import temporary_settings

ARTICLE = DEMO_CORPUS / "articles" / "03-glacier-retreat-study.txt"
ANNOTATOR = "pointer"
NAME = "Lukas Frei"  # "ZURICH — By Lukas Frei, …": a first line after a blank line


def make_project(path: Path) -> Path:
    with Project.create(path) as project:
        import_paths(project, [ARTICLE])
    return path


def stored_spans(path: Path) -> list[tuple[str, str, int, int]]:
    """(label, text, start, end) of every span in the file, read with plain sqlite."""
    with Project.open(path, read_only=True) as project:
        return sorted((s.label, s.text, s.start, s.end) for s in project.spans.iter_all())


def span_rows(path: Path) -> int:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT COUNT(*) FROM spans").fetchone()[0]
    finally:
        connection.close()


def twin_window(qtbot, tmp_path: Path, size: tuple[int, int]):
    """An offscreen main window made as the app makes its own (the style sheet set on the
    application first: set later, the tool bars come out taller), at `size`."""
    from news_annotator_ui.main_window import MainWindow

    app = QApplication.instance()
    before = app.styleSheet()
    app.setStyleSheet(load_style_sheet())
    try:
        twin = MainWindow(temporary_settings(tmp_path), annotator_name=ANNOTATOR,
                          remember_layout=False)
        qtbot.addWidget(twin)
        twin.open_path(make_project(tmp_path / "twin.annotator"))
        twin.resize(*size)
        twin.show()
        qtbot.waitExposed(twin)
        QApplication.processEvents()
        image = twin.grab().toImage()
    finally:
        app.setStyleSheet(before)
    assert (twin.width(), twin.height()) == size
    return twin, image


def name_on_screen(twin) -> tuple[QPoint, QPoint, int]:
    """Window points 30% into the name's first glyph and 70% into its last, at the line's
    vertical middle; and the name's offset in the text."""
    view = twin.view
    start = view.text().index(NAME)
    offsets = view.offsets()

    def caret(cp: int) -> QPoint:
        cursor = QTextCursor(view.document())
        cursor.setPosition(offsets.to_qt(cp))
        rect = view.cursorRect(cursor)
        return QPoint(rect.left(), rect.center().y())

    first, second = caret(start), caret(start + 1)
    last, after = caret(start + len(NAME) - 1), caret(start + len(NAME))
    assert first.y() == after.y(), "the name must sit on one line"
    press = QPoint(first.x() + round((second.x() - first.x()) * 0.3), first.y())
    release = QPoint(last.x() + round((after.x() - last.x()) * 0.7), last.y())
    viewport = view.viewport()
    return viewport.mapTo(twin, press), viewport.mapTo(twin, release), start


def row_shift(real: QImage, twin: QImage, area: QRect) -> int:
    """How many pixels the real window's text sits below the twin's within `area`."""
    def profile(image: QImage, dy: int) -> list[int]:
        return [sum(image.pixelColor(x, y + dy).lightness() < 128
                    for x in range(area.left(), area.right(), 2))
                for y in range(area.top(), area.bottom())]

    ours = profile(twin, 0)
    return min(range(-12, 13), key=lambda dy: sum(
        abs(a - b) for a, b in zip(ours, profile(real, dy), strict=True)))


def test_drag_across_a_name_labels_exactly_that_name(xvfb, qtbot, tmp_path):
    path = make_project(tmp_path / "real.annotator")
    log = tmp_path / "app.log"
    app = start_app(xvfb, path, "--annotator", ANNOTATOR, log=log,
                    env={"XDG_CONFIG_HOME": str(tmp_path / "app-config")})
    try:
        window = xvfb.find_window(app.pid)
        wait_for(lambda: xvfb.window_geometry(window)[2] > 600, 15, "the window's full size")
        x, y, width, height = xvfb.window_geometry(window)
        twin, twin_image = twin_window(qtbot, tmp_path, (width, height))
        press, release, start = name_on_screen(twin)
        time.sleep(0.5)  # the first paint
        real = xvfb.screenshot(tmp_path / "real.png").copy(x, y, width, height)
        around = QRect(press.x() - 60, press.y() - 60, 400, 120)
        assert row_shift(real, twin_image, around) == 0, "the twin is not laid out as the app"
        xvfb.key(window, "Escape")  # focus on the window, nothing else
        xvfb.drag((x + press.x(), y + press.y()), (x + release.x(), y + release.y()))
        xvfb.key(window, "1")  # PERSON
        wait_for(lambda: span_rows(path) == 1, 10, "the app to save the span")
        assert stored_spans(path) == [("PERSON", NAME, start, start + len(NAME))]
        xvfb.key(window, "ctrl+z")
        wait_for(lambda: span_rows(path) == 0, 10, "the undo to be saved")
        xvfb.key(window, "ctrl+shift+z")
        wait_for(lambda: span_rows(path) == 1, 10, "the redo to be saved")
        xvfb.key(window, "ctrl+shift+q")
        app.wait(timeout=20)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    assert app.returncode == 0, log.read_text()
    assert stored_spans(path) == [("PERSON", NAME, start, start + len(NAME))]
