"""Runs `import_paths` off the UI thread, on its own connection to the project file.

The worker opens the project file a second time (SQLite in WAL mode lets the window keep
reading while the import writes) and reports progress through queued signals.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from annotator.errors import AnnotatorError
from annotator.formats.records import ReadOptions
from annotator.importing import ImportProgress, import_paths
from annotator.project import Project


class ImportWorker(QObject):
    """Lives on a QThread; `run` imports, then emits `finished` or `failed`."""

    progress = Signal(int, int, int, str)  # files done, files total, documents, current file
    finished = Signal(object)  # ImportReport
    failed = Signal(str)

    def __init__(self, project_path: Path, paths: list[Path], *,
                 format_name: str | None = None, options: ReadOptions | None = None) -> None:
        super().__init__()
        self.project_path = project_path
        self.paths = paths
        self.format_name = format_name
        self.options = options

    def run(self) -> None:
        try:
            with Project.open(self.project_path) as project:
                report = import_paths(project, self.paths, format_name=self.format_name,
                                      options=self.options, progress=self._report)
                # Index here, off the UI thread, so the first filter query is instant.
                project.documents.update_search_index()
        except AnnotatorError as error:
            self.failed.emit(str(error))
            return
        except Exception as error:  # noqa: BLE001 - shown to the user rather than lost
            self.failed.emit(f"Import failed unexpectedly: {error!r}")
            return
        self.finished.emit(report)

    def _report(self, progress: ImportProgress) -> None:
        self.progress.emit(progress.files_done, progress.files_total, progress.documents,
                           progress.current)


def start_import(project_path: Path, paths: list[Path], parent: QObject, *,
                 format_name: str | None = None, options: ReadOptions | None = None
                 ) -> tuple[QThread, ImportWorker]:
    """Start a worker thread; the caller connects to the worker's signals first."""
    thread = QThread(parent)
    worker = ImportWorker(project_path, paths, format_name=format_name, options=options)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    worker.failed.connect(thread.quit)
    thread.finished.connect(worker.deleteLater)
    return thread, worker

