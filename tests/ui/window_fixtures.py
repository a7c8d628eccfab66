"""Shared helpers for UI tests: a main window on a project file, and user gestures."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QTextCursor

from news_annotator.model import NewDocument
from news_annotator.project import Project
from news_annotator_ui.settings import Settings

ANNOTATOR = "tester"
TRICKY_TEXT = ("Zoë Ångström-Łukasiewicz 😊 met Dr. Søren Ødegård in Zürich. "
               "“We agreed,” he said, “to act before 2030.” "
               "Families 👩‍👩‍👧 waved 🇫🇷 flags.")
SECOND_TEXT = "The Ministry of Finance said on Monday that inflation fell to 2.1 percent."


def make_project_file(path: Path, texts: tuple[str, ...] = (TRICKY_TEXT, SECOND_TEXT)) -> Path:
    with Project.create(path) as project, project.transaction():
        project.documents.insert_many(
            NewDocument(text=text, title=f"Article {i + 1}", uid=f"doc-{i + 1}",
                        source="Test Wire", published=f"2026-01-0{i + 1}")
            for i, text in enumerate(texts))
    return path


def temporary_settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def open_window(qtbot, tmp_path: Path, project_path: Path, **kwargs):
    from news_annotator_ui.main_window import MainWindow

    window = MainWindow(temporary_settings(tmp_path), annotator_name=ANNOTATOR)
    qtbot.addWidget(window)
    window.open_path(project_path, **kwargs)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    return window


def select_text(view, start: int, end: int) -> str:
    """Select code points start..end in the view as a user would; returns what Qt shows."""
    offsets = view.offsets()
    cursor = QTextCursor(view.document())
    cursor.setPosition(offsets.to_qt(start))
    cursor.setPosition(offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    return cursor.selectedText()


def select_substring(view, needle: str, occurrence: int = 0) -> tuple[int, int]:
    text = view.text()
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    shown = select_text(view, start, start + len(needle))
    assert shown == needle
    return start, start + len(needle)


def point_of(view, code_point: int) -> QPoint:
    """A viewport point inside the character at `code_point`."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets().to_qt(code_point))
    rect = view.cursorRect(cursor)
    return QPoint(rect.x() + 3, rect.center().y())


def click_span_at(qtbot, view, code_point: int) -> None:
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(view, code_point))


def stored_spans(path: Path) -> list:
    with Project.open(path, read_only=True) as project:
        return sorted(project.spans.iter_all(), key=lambda s: (s.document_id, s.start, s.id))


def stored_relations(path: Path) -> list:
    with Project.open(path, read_only=True) as project:
        return list(project.relations.iter_all())
