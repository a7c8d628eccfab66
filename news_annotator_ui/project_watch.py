"""Notices, while a project is open, what other programs do to its file (or server).

Every second: SQLite's `data_version` tells whether another connection (a second
window, the command line, an import worker) committed something; a stat of the file
tells whether it was deleted, moved or replaced. Both are cheap enough to poll.
A team project on a server announces every commit (LISTEN/NOTIFY): the watcher wakes
when the notification's socket turns readable, so others' work shows within moments.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from news_annotator.errors import ProjectError
from news_annotator.project import Project

POLL_MS = 1000


class ProjectWatcher(QObject):
    """Polls one open project; emits `changed_elsewhere` and `file_problem` (once each)."""

    changed_elsewhere = Signal()
    file_problem = Signal(str)

    def __init__(self, project: Project, parent: QObject | None = None, *,
                 interval_ms: int = POLL_MS,
                 busy: Callable[[], bool] | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.busy = busy  # while our own worker writes, its commits are not news
        self.problem = ""
        self._version = self._read_version()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.notifier: QSocketNotifier | None = None
        socket = self._change_socket()
        if socket is not None:
            self.notifier = QSocketNotifier(socket, QSocketNotifier.Type.Read, self)
            self.notifier.activated.connect(self.poll)

    def start(self) -> None:
        self.timer.start()
        if self.notifier is not None:
            self.notifier.setEnabled(True)

    def stop(self) -> None:
        self.timer.stop()
        if self.notifier is not None:
            self.notifier.setEnabled(False)

    def _change_socket(self) -> int | None:
        try:
            return self.project.change_socket()
        except ProjectError as error:
            self._report(str(error))
            return None

    def sync(self) -> None:
        """Take the file as it is now as seen (after we refreshed for our own worker)."""
        self._version = self._read_version()

    def poll(self) -> bool:
        """Check once; True when another program changed the project since last time."""
        self._check_file()
        version = self._read_version()
        if version is None or version == self._version:
            return False
        self._version = version
        if self.busy is not None and self.busy():
            return False
        self.changed_elsewhere.emit()
        return True

    def _read_version(self) -> int | None:
        try:
            return self.project.data_version()
        except ProjectError as error:
            self._report(str(error))
            return None

    def _check_file(self) -> None:
        if self.problem:
            return
        try:
            self.project.check_file()
        except ProjectError as error:
            self._report(str(error))

    def _report(self, message: str) -> None:
        if not self.problem:
            self.problem = message
            self.file_problem.emit(message)
