"""Run one slow core call (import, merge, agreement) on a QThread; hand back its result.

The call opens its own Project connection inside the thread: a SQLite connection must
stay on the thread that made it, and the window keeps its own. Results, failures and
progress reach the caller's thread through queued signals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal

from news_annotator.errors import AnnotatorError


class TaskWorker(QObject):
    """Lives on a QThread; `run` calls the task, then emits `finished` or `failed`."""

    finished = Signal(object)
    failed = Signal(str)
    progress = Signal(object)

    def __init__(self, task: Callable[[], Any]) -> None:
        super().__init__()
        self.task = task

    def run(self) -> None:
        try:
            result = self.task()
        except AnnotatorError as error:
            self.failed.emit(str(error))
            return
        except Exception as error:  # noqa: BLE001 - shown to the user rather than lost
            self.failed.emit(f"Failed unexpectedly: {error!r}")
            return
        self.finished.emit(result)


class Task(QObject):
    """A worker thread; `finished`/`failed`/`progress` arrive on the caller's thread."""

    finished = Signal(object)
    failed = Signal(str)
    progress = Signal(object)

    def __init__(self, task: Callable[[], Any], parent: QObject) -> None:
        super().__init__(parent)
        self.thread = QThread(self)
        self.worker = TaskWorker(task)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.finished.connect(self._done)
        self.worker.failed.connect(self._fail)
        # The thread ends as soon as the task does (quit is thread-safe), so `wait` never
        # depends on the caller's event loop having delivered the result first.
        for ended in (self.worker.finished, self.worker.failed):
            ended.connect(self.thread.quit, Qt.ConnectionType.DirectConnection)
        self.worker.progress.connect(self.progress)
        # The worker is not deleted on its own thread (deleteLater once the thread ended):
        # a QObject's destructor holds Qt's connection lock while PySide asks for the
        # interpreter, and the UI thread, holding the interpreter, waited for that lock to
        # connect a new widget (a hang in tests/ui/test_suggestions.py). It goes with this
        # Task, on the thread that holds the interpreter.

    def start(self) -> None:
        self.thread.start()

    def report(self, value: object) -> None:
        """Called by the task, on its thread, to tell the caller how far it got."""
        self.worker.progress.emit(value)

    def is_running(self) -> bool:
        return self.thread.isRunning()

    def wait(self, milliseconds: int = 30000) -> bool:
        return self.thread.wait(milliseconds)

    def _done(self, result: object) -> None:
        self.finished.emit(result)

    def _fail(self, message: str) -> None:
        self.failed.emit(message)
