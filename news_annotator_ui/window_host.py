"""What the main window's parts may use of the window: declared, not assumed.

The window (news_annotator_ui/main_window.py) is composed of parts with one concern each:
its files (window_files.py), the project file's safety (window_reliability.py), its menus
(window_menus.py) and suggestions (suggestions.py). Each part receives the window
as a `WindowHost` and touches only what this protocol names; anything else it needs
comes in through its constructor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QLabel, QMainWindow, QMenu

    from news_annotator.errors import AnnotatorError
    from news_annotator.project import Project
    from news_annotator_ui.corpus_model import CorpusModel
    from news_annotator_ui.document_session import DocumentSession
    from news_annotator_ui.settings import Settings
    from news_annotator_ui.undo import ProjectUndoStack


class WindowHost(Protocol):
    """The open project's parts (None while no project is open) and the window's voice."""

    project: Project | None
    session: DocumentSession | None
    stack: ProjectUndoStack | None
    corpus_model: CorpusModel | None
    settings: Settings
    annotator_name: str
    annotator_label: QLabel
    saved_label: QLabel
    menu_actions: dict[str, QAction]

    def as_widget(self) -> QMainWindow:
        """The QMainWindow itself: parent for dialogs, threads and tool bars."""
        ...

    def set_project(self, project: Project, *, document_id: int | None = None) -> None: ...

    def show_message(self, text: str) -> None: ...

    def report_error(self, title: str, error: AnnotatorError | str) -> None: ...

    def menu_named(self, title: str) -> QMenu | None:
        """A menu of the menu bar by its title without the & (say "Review")."""
        ...
