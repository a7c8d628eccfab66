"""The main window's safety side: the banner, watching the file, backups, read-only opens.

A part of MainWindow (see news_annotator_ui/window_host.py). Whatever happens to the project file
(another program edits it, holds its lock, deletes it; the disk fills up; it cannot be
written), the window keeps running, says so in the banner, and offers "Save a copy…" so
nothing saved is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, QTimer
from PySide6.QtWidgets import QFileDialog, QToolBar

from news_annotator.backup import backup_project
from news_annotator.errors import AnnotatorError, ProjectError
from news_annotator.project import Project
from news_annotator_ui import settings as prefs
from news_annotator_ui.banner import Banner, Severity
from news_annotator_ui.project_backup import (
    RollingBackup,
    SearchIndexer,
    UpkeepGate,
    rolling_backup_for,
)
from news_annotator_ui.project_files import PROJECT_SUFFIX, unwritable_reason
from news_annotator_ui.project_watch import ProjectWatcher
from news_annotator_ui.window_host import WindowHost

LOCKED_HINT = ("another program (a second window, or the command line) is saving to this "
               "project right now. Try again in a moment.")

QUICK_INDEX = 200  # at most this many documents are indexed for search on the UI thread
# Upkeep (the daily copy, the search index) waits this long after a project is shown: the
# first document's suggester builds and proposes meanwhile, on the same two cores. From
# then on it works in small steps while the user is quiet (`user_active`, UpkeepGate).
UPKEEP_DELAY_MS = 2000


class WindowReliability(QObject):
    """Banner, project watcher, rolling and on-demand backups, read-only mode.

    `worker_writing` tells whether a worker thread of the window's own is saving (an
    import): its commits are not another program's; `add_writer` names more of them.
    """

    def __init__(self, host: WindowHost, worker_writing: Callable[[], bool]) -> None:
        super().__init__(host.as_widget())
        self.host = host
        self.worker_writing = worker_writing
        self.writers: list[Callable[[], bool]] = []  # more of the window's own writers
        window = host.as_widget()
        self.banner = Banner()
        self.banner_bar = QToolBar("Messages")
        self.banner_bar.setObjectName("bannerBar")
        self.banner_bar.setMovable(False)
        self.banner_bar.setFloatable(False)
        self.banner_bar.toggleViewAction().setVisible(False)
        self.banner_bar.addWidget(self.banner)
        self.banner.on_dismiss = self.banner_bar.hide
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.banner_bar)
        self.banner_bar.hide()
        self.watcher: ProjectWatcher | None = None
        self.backup_thread: RollingBackup | None = None
        self.index_thread: SearchIndexer | None = None
        self.gate = UpkeepGate()
        self.upkeep_timer = QTimer(self)
        self.upkeep_timer.setSingleShot(True)
        self.upkeep_timer.setInterval(UPKEEP_DELAY_MS)
        self.upkeep_timer.timeout.connect(self.start_upkeep)
        self.read_only_reason = ""
        self.file_problem = ""

    def show_banner(self, text: str, severity: Severity = Severity.WARNING, *,
                    save_copy: bool = False) -> None:
        actions = (("Save a copy…", self.save_a_copy),) if save_copy else ()
        self.banner.show_message(text, severity, actions=actions)
        self.banner_bar.show()

    # -- opening ------------------------------------------------------------------------

    def open_project_file(self, path: Path) -> Project:
        """Open for editing, or read-only (with the reason kept for the banner) when the
        file cannot be written. A file from a newer version is refused either way."""
        reason = unwritable_reason(path)
        if reason is None:
            try:
                return Project.open(path)
            except ProjectError as error:  # e.g. on a read-only disk; read-only may work
                reason = str(error)
        project = Project.open(path, read_only=True)
        self.read_only_reason = reason
        return project

    def watch(self, project: Project) -> None:
        """Called when a project is shown: banner for read-only, watcher; the daily backup
        and the search index's catch-up a moment later (`start_upkeep`)."""
        self.file_problem = ""
        self.banner.dismiss()
        if project.read_only:
            reason = self.read_only_reason or "opened read-only"
            self.show_banner(f"Read-only: {reason}. You can read and export; edits are not "
                             "saved.", Severity.INFO, save_copy=True)
        self.read_only_reason = ""
        self.watcher = ProjectWatcher(project, self, busy=self._own_worker_writing)
        self.watcher.changed_elsewhere.connect(self._on_changed_elsewhere)
        self.watcher.file_problem.connect(self._on_file_problem)
        self.watcher.start()
        if not project.read_only:
            self.gate = UpkeepGate()
            self.backup_thread = rolling_backup_for(
                project.path, self.host.settings.get(prefs.BACKUP_KEEP_DAYS), self, self.gate)
            if self.backup_thread is not None:
                self.backup_thread.failed.connect(self.host.show_message)
            self._prepare_search_index(project)
            self.upkeep_timer.start()

    def user_active(self) -> None:
        """The user opened a document or had suggestions proposed: upkeep pauses between
        its steps until they have been quiet a while (project_backup.QUIET_SECONDS)."""
        self.gate.active()

    def start_upkeep(self) -> None:
        """Start the upkeep put off when the project was shown (idempotent): the user is
        reading the first document by now, its suggestions drawn. Until then a search
        catches the index up itself, and closing the project makes the daily copy. Both
        threads wait for the user to be quiet before each step."""
        self.upkeep_timer.stop()
        # Idle priority (SCHED_IDLE on Linux): the documents opened next come first.
        if self.backup_thread is not None and not self.backup_thread.started_yet():
            self.backup_thread.start(QThread.Priority.IdlePriority)
        project = self.host.project
        if self.index_thread is not None:
            if not self.index_thread.started_yet():
                self.index_thread.start(QThread.Priority.IdlePriority)
        elif project is not None and not project.read_only:
            try:
                project.documents.update_search_index()  # a few documents: at once
            except AnnotatorError as error:
                self.host.show_message(f"search index not updated: {error}")

    def unwatch(self) -> None:
        self.upkeep_timer.stop()
        self.gate.close()  # the copy unpaused, the index's catch-up stopped
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher.deleteLater()
            self.watcher = None
        if self.backup_thread is not None:
            self.backup_thread.wait()  # made now if its turn had not come
            self.backup_thread = None
        if self.index_thread is not None:
            self.index_thread.finished.disconnect(self._search_index_done)
            self.index_thread.batch_done.disconnect(self._search_index_batch_done)
            if self.index_thread.started_yet():
                self.index_thread.wait()
            self.index_thread.deleteLater()  # not started: the next search catches up
            self.index_thread = None

    def _prepare_search_index(self, project: Project) -> None:
        """Ready the indexing of what earlier imports left unindexed: at once when it is
        quick, else on a thread (our own connection's commits are invisible to the
        watcher; a thread's are not, so the watcher counts them as ours from its start
        until it has reported)."""
        if project.documents.unindexed_count() <= QUICK_INDEX:
            return
        thread = SearchIndexer(project.path, self, self.gate)
        thread.failed.connect(self.host.show_message)
        thread.batch_done.connect(self._search_index_batch_done)
        thread.finished.connect(self._search_index_done)
        self.index_thread = thread

    def _search_index_batch_done(self, batches: int) -> None:
        """The index thread committed a batch: take it in, so that what others commit
        while it pauses is news again."""
        thread = self.index_thread
        if thread is None or self.sender() is not thread:
            return
        if self.watcher is not None:
            self.watcher.sync()
        thread.taken_in(batches)

    def _search_index_done(self) -> None:
        if self.watcher is not None:
            self.watcher.sync()
        self.index_thread = None

    def add_writer(self, writing: Callable[[], bool]) -> None:
        """Another part's background writer (say, learning suggestions in a child
        process): while `writing()` holds, commits to the file are the window's own."""
        self.writers.append(writing)

    def own_writes_done(self) -> None:
        """A writer of the window's own has finished: what it saved is not news."""
        if self.watcher is not None:
            self.watcher.sync()

    def _own_worker_writing(self) -> bool:
        indexing = (self.index_thread is not None  # in a batch, until it is taken in
                    and self.index_thread.started_yet() and self.index_thread.writing())
        return indexing or self.worker_writing() or any(w() for w in self.writers)

    # -- what other programs did ----------------------------------------------------------

    def _on_changed_elsewhere(self) -> None:
        """Another program saved: refresh the list's counts and this document's spans."""
        if self.host.project is None:
            return
        try:
            self.host.project.changed_outside()
        except AnnotatorError as error:
            self.host.show_message(f"Could not read the changes: {error}")
            return
        self.host.as_widget().statusBar().showMessage("Updated by another program", 4000)

    def _on_file_problem(self, message: str) -> None:
        self.file_problem = message
        self.host.saved_label.setText("not saved ✗")
        self.show_banner(message, Severity.ERROR, save_copy=True)

    def on_edit_failed(self, message: str) -> None:
        """An edit did not reach the file: say why in the banner; the window goes on."""
        if self.host.project is not None and self.host.project.read_only:
            self.show_banner(f"Read-only: {message}", Severity.INFO, save_copy=True)
        elif "locked" in message:
            what = (message.split(":", 1)[0] if message.startswith("could not ")
                    else "your last edit was not saved")
            self.show_banner(f"{what[0].upper()}{what[1:]}: {LOCKED_HINT}", Severity.WARNING)
        else:
            self.show_banner(f"Your last edit was not saved: {message}", Severity.ERROR,
                             save_copy=True)

    # -- copies ---------------------------------------------------------------------------

    def save_a_copy(self, path: str | Path | None = None) -> Path | None:
        """Copy the open project (even one whose file was deleted) to a chosen file."""
        project = self.host.project
        if project is None:
            return None
        if path is None:
            suggestion = str(project.path.with_name(f"{project.path.stem}-copy{PROJECT_SUFFIX}"))
            path, _ = QFileDialog.getSaveFileName(self.host.as_widget(),
                                                  "Save a copy of the project",
                                                  suggestion,
                                                  f"Projects (*{PROJECT_SUFFIX})")
            if not path:
                return None
        try:
            saved = project.save_copy(Path(path))
        except AnnotatorError as error:
            self.host.report_error("Could not save a copy", error)
            return None
        self.host.show_message(f"Saved a copy to {saved}")
        return saved

    def back_up_now(self, path: str | Path | None = None) -> Path | None:
        """File › Back up now…: a consistent copy of the project to a chosen place."""
        project = self.host.project
        if project is None:
            return None
        if self.file_problem:  # the file is gone: copy what this window still holds
            return self.save_a_copy(path)
        if path is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            suggestion = str(project.path.with_name(f"{project.path.stem}-{stamp}{PROJECT_SUFFIX}"))
            path, _ = QFileDialog.getSaveFileName(self.host.as_widget(), "Back up the project",
                                                  suggestion, f"Projects (*{PROJECT_SUFFIX})")
            if not path:
                return None
        try:
            saved = backup_project(project.path, path)
        except AnnotatorError as error:
            self.host.report_error("Backup failed", error)
            return None
        self.host.show_message(f"Backed up to {saved}")
        return saved
