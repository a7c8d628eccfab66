"""One QUndoCommand adapter for every core command, and the project's undo stack."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.commands import Command
from annotator.errors import AnnotatorError
from annotator.project import Project

ErrorHandler = Callable[[str], None]


class CoreCommand(QUndoCommand):
    """Runs an `annotator.commands` object's apply/revert on redo/undo."""

    def __init__(self, project: Project, command: Command) -> None:
        super().__init__(command.description)
        self.project = project
        self.command = command

    def redo(self) -> None:
        self.command.apply(self.project)

    def undo(self) -> None:
        self.command.revert(self.project)


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
        wrapped = _AlreadyApplied(self.project, command)
        self.push(wrapped)
        return True


class _AlreadyApplied(CoreCommand):
    """A CoreCommand whose first redo (run by push) is skipped: it was just applied."""

    def __init__(self, project: Project, command: Command) -> None:
        super().__init__(project, command)
        self._fresh = True

    def redo(self) -> None:
        if self._fresh:
            self._fresh = False
            return
        super().redo()
