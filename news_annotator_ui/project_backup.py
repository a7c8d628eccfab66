"""Upkeep when a project opens, off the UI thread: the daily rolling copy, and catching
the full-text index up with documents imported since the last search.

Each uses a connection of its own, so the window keeps reading and writing meanwhile.
Both are made when the project opens and started a little later (see
news_annotator_ui/window_reliability.py): on two cores, a 48 MB copy and indexing a fresh
import's texts slowed building the suggester for the first document by half.

Both wait while the user is busy (`UpkeepGate`): a document opened while the index
caught up in one transaction waited for its lock to write its suggestions (PolNeAR's
923 articles: 150 ms; suggestions drawn 217 ms after the open). The index catches up in
batches of INDEX_BATCH documents (a few ms each), waiting before each; the copy waits
before it starts, then goes in one step of SQLite's online backup (48 MB: ~0.3 s with
the GIL let go and no lock that the window's writes wait for). Stepping the copy too
would need a step size through the Project facade (the UI reaches no Database).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from news_annotator.backup import rolling_backup
from news_annotator.errors import AnnotatorError
from news_annotator.project import Project
from news_annotator.server_address import ServerAddress

QUIET_SECONDS = 1.0  # upkeep waits until nothing was opened or proposed for this long
INDEX_BATCH = 50  # documents indexed for search per transaction (PolNeAR's: ~8 ms)


class UpkeepGate:
    """Tells the upkeep threads when they may take their next step: once the user has
    done nothing that wants the two cores (opened a document, had suggestions proposed)
    for QUIET_SECONDS. `active()` is called on the UI thread; the threads only read.

    When the project closes, the gate `close`s: the daily copy then runs unpaused (a copy
    put off is never a copy skipped) and the index's catch-up stops (the next search
    catches up itself)."""

    POLL_SECONDS = 0.05

    def __init__(self, quiet_seconds: float | None = None) -> None:
        self.quiet_seconds = QUIET_SECONDS if quiet_seconds is None else quiet_seconds
        self.last_active = time.monotonic()
        self.closing = threading.Event()
        self.pauses = 0  # steps that waited for the user (for tests and benches)

    def active(self) -> None:
        """The user is at it now: upkeep waits until they have been quiet a while."""
        self.last_active = time.monotonic()

    def quiet(self) -> bool:
        return time.monotonic() - self.last_active >= self.quiet_seconds

    def wait_quiet(self) -> bool:
        """Block (a thread) until the user is quiet or the project closes; False then."""
        paused = False
        while not self.closing.is_set():
            left = self.quiet_seconds - (time.monotonic() - self.last_active)
            if left <= 0:
                break
            paused = True
            self.closing.wait(min(left, self.POLL_SECONDS))
        if paused:
            self.pauses += 1
        return not self.closing.is_set()

    def close(self) -> None:
        self.closing.set()


class UpkeepThread(QThread):
    """One upkeep job on a project file, stepping aside through `gate` (none: never)."""

    def __init__(self, project_path: Path, parent: QObject | None = None,
                 gate: UpkeepGate | None = None) -> None:
        super().__init__(parent)
        self.project_path = project_path
        self.gate = gate or UpkeepGate(0)

    def started_yet(self) -> bool:
        return self.isRunning() or self.isFinished()


class RollingBackup(UpkeepThread):
    """Makes today's copy of a project (if none yet) and prunes old ones."""

    done = Signal(object)  # Path of the new copy, or None when today's existed
    failed = Signal(str)

    def __init__(self, project_path: Path, keep_days: int,
                 parent: QObject | None = None, gate: UpkeepGate | None = None) -> None:
        super().__init__(project_path, parent, gate)
        self.keep_days = keep_days

    def run(self) -> None:
        try:
            self.gate.wait_quiet()
            with Project.open(self.project_path, read_only=True) as project:
                made = rolling_backup(project, keep_days=self.keep_days)
        except (AnnotatorError, OSError) as error:
            self.failed.emit(f"daily backup failed: {error}")
            return
        except Exception as error:  # noqa: BLE001 - a backup must never take the app down
            self.failed.emit(f"daily backup failed unexpectedly: {error!r}")
            return
        self.done.emit(made)

    def wait(self, *args) -> bool:
        """Wait for the copy, making it now if its turn has not come yet (the project is
        closing): a daily copy put off is never a copy skipped."""
        self.gate.close()  # no more pauses for the user
        if not self.started_yet():
            self.start()
        return super().wait(*args)


def rolling_backup_for(project_path: Path | ServerAddress, keep_days: int,
                       parent: QObject, gate: UpkeepGate | None = None
                       ) -> RollingBackup | None:
    """The daily copy, not started yet, unless backups are off (keep_days 0); a server
    project is the server's to back up (`annotator backup URL` pulls one into a file)."""
    if keep_days <= 0 or isinstance(project_path, ServerAddress):
        return None
    return RollingBackup(project_path, keep_days, parent, gate)


class _Closing(Exception):
    """The project closes: the catch-up stops between two batches."""


class SearchIndexer(UpkeepThread):
    """Indexes unindexed documents so the first filter query does not wait for it, in
    batches of INDEX_BATCH documents while the user is quiet.

    Its commits are another connection's to the window's watcher: `writing()` holds from
    a batch's start until the window has taken the batch in (`batch_done(n)` with the
    batches started so far, which the window hands to `taken_in`). So between batches,
    a pause included, another program's changes are news again."""

    failed = Signal(str)
    batch_done = Signal(int)

    def __init__(self, project_path: Path, parent: QObject | None = None,
                 gate: UpkeepGate | None = None) -> None:
        super().__init__(project_path, parent, gate)
        self.started_batches = 0  # written by the thread
        self.taken_batches = 0  # written by the UI thread

    def writing(self) -> bool:
        return self.started_batches != self.taken_batches

    def taken_in(self, batches: int) -> None:
        self.taken_batches = max(self.taken_batches, batches)

    def _next_batch(self, done: int = 0, total: int = 1) -> None:
        if self.started_batches:
            self.batch_done.emit(self.started_batches)  # the last one is committed
        if done >= total:
            return
        if not self.gate.wait_quiet():
            raise _Closing
        self.started_batches += 1

    def run(self) -> None:
        try:
            self._next_batch()  # opening the file for writing counts as one
            with Project.open(self.project_path) as project:
                project.documents.update_search_index(self._next_batch, chunk=INDEX_BATCH)
            self._next_batch(1, 1)
        except _Closing:
            pass
        except (AnnotatorError, OSError) as error:
            self.failed.emit(f"search index not updated: {error}")
        except Exception as error:  # noqa: BLE001 - upkeep must never take the app down
            self.failed.emit(f"search index not updated: {error!r}")
