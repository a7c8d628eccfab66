"""Upkeep when a project opens, off the UI thread: the daily rolling copy, and catching
the full-text index up with documents imported since the last search.

Each uses a connection of its own, so the window keeps reading and writing meanwhile.
Both are made when the project opens and started a little later (see
news_annotator_ui/window_reliability.py): on two cores, a 48 MB copy and indexing a fresh
import's texts slowed building the suggester for the first document by half.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from news_annotator.backup import rolling_backup
from news_annotator.errors import AnnotatorError
from news_annotator.project import Project
from news_annotator.server_address import ServerAddress


class RollingBackup(QThread):
    """Makes today's copy of a project (if none yet) and prunes old ones."""

    done = Signal(object)  # Path of the new copy, or None when today's existed
    failed = Signal(str)

    def __init__(self, project_path: Path, keep_days: int,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project_path = project_path
        self.keep_days = keep_days

    def run(self) -> None:
        try:
            with Project.open(self.project_path, read_only=True) as project:
                made = rolling_backup(project, keep_days=self.keep_days)
        except (AnnotatorError, OSError) as error:
            self.failed.emit(f"daily backup failed: {error}")
            return
        except Exception as error:  # noqa: BLE001 - a backup must never take the app down
            self.failed.emit(f"daily backup failed unexpectedly: {error!r}")
            return
        self.done.emit(made)

    def started_yet(self) -> bool:
        return self.isRunning() or self.isFinished()

    def wait(self, *args) -> bool:
        """Wait for the copy, making it now if its turn has not come yet (the project is
        closing): a daily copy put off is never a copy skipped."""
        if not self.started_yet():
            self.start()
        return super().wait(*args)


def rolling_backup_for(project_path: Path | ServerAddress, keep_days: int,
                       parent: QObject) -> RollingBackup | None:
    """The daily copy, not started yet, unless backups are off (keep_days 0); a server
    project is the server's to back up (`annotator backup URL` pulls one into a file)."""
    if keep_days <= 0 or isinstance(project_path, ServerAddress):
        return None
    return RollingBackup(project_path, keep_days, parent)



class SearchIndexer(QThread):
    """Indexes unindexed documents so the first filter query does not wait for it."""

    failed = Signal(str)

    def __init__(self, project_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project_path = project_path

    def started_yet(self) -> bool:
        return self.isRunning() or self.isFinished()

    def run(self) -> None:
        try:
            with Project.open(self.project_path) as project:
                project.documents.update_search_index()
        except (AnnotatorError, OSError) as error:
            self.failed.emit(f"search index not updated: {error}")
        except Exception as error:  # noqa: BLE001 - upkeep must never take the app down
            self.failed.emit(f"search index not updated: {error!r}")
