"""One QUndoCommand adapter for every core command, and the project's undo stack."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoCommand, QUndoStack

from news_annotator.commands import Command
from news_annotator.errors import AnnotatorError
from news_annotator.project import Project

ErrorHandler = Callable[[str], None]


class CoreCommand(QUndoCommand):
    """Runs an `news_annotator.commands` object's apply/revert on redo/undo.

    QUndoStack moves its index whatever redo/undo do, so a core error (the file is
    locked by another program, deleted, full) is reported and the move is taken back on
    the next turn of the event loop, skipping the command: the stack keeps matching the
    file, and the user can simply try again.
    """

    def __init__(self, project: Project, command: Command,
                 on_failure: Callable[[CoreCommand, str, str], None] | None = None) -> None:
        super().__init__(command.description)
        self.project = project
        self.command = command
        self.on_failure = on_failure
        self.skip_once = False

    def redo(self) -> None:
        self._run("redo", self.command.apply)

    def undo(self) -> None:
        self._run("undo", self.command.revert)

    def _run(self, direction: str, step: Callable[[Project], None]) -> None:
        if self.skip_once:
            self.skip_once = False
            return
        try:
            step(self.project)
        except AnnotatorError as error:
            if self.on_failure is None:
                raise
            self.on_failure(self, direction, str(error))


class ProjectUndoStack(QUndoStack):
    """The undo stack of one open project; `run` pushes a command, reporting failures.

    `QUndoStack.push` runs `redo()` at once: a core error there (say, an invalid relation)
    must not leave a broken entry on the stack, so the command is applied first and only
    pushed once it succeeded.
    """

    def __init__(self, project: Project, on_error: ErrorHandler | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self.project = project
        self.on_error = on_error

    def run(self, command: Command) -> bool:
        try:
            command.apply(self.project)
        except AnnotatorError as error:
            if self.on_error:
                self.on_error(str(error))
            return False
        self.push_applied(command)
        return True

    def push_applied(self, command: Command) -> None:
        """Put a command that its caller already applied (and reported on) on the stack."""
        wrapped = CoreCommand(self.project, command, self._on_step_failed)
        wrapped.skip_once = True  # push() runs redo() at once: it was just applied
        self.push(wrapped)

    def _on_step_failed(self, command: CoreCommand, direction: str, message: str) -> None:
        """An undo or redo did not reach the file: report it and step the index back."""
        if self.on_error:
            self.on_error(f"could not {direction} {command.text()!r}: {message}")
        command.skip_once = True
        QTimer.singleShot(0, self.redo if direction == "undo" else self.undo)
