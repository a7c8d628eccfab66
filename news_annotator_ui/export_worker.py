"""Runs news_annotator.exporting off the UI thread and relays its progress as signals.

The export opens its own read-only connection to the project on the worker's thread, and
is all or nothing: a cancelled or failed export leaves the target as it was.
"""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, QThread, Signal

from news_annotator.errors import AnnotatorError
from news_annotator.exporting import ExportCancelled, ExportRequest, export_project

PROGRESS_INTERVAL_S = 0.05


class ExportWorker(QObject):
    """Lives on a QThread; `run` exports, then emits `finished`, `failed` or `cancelled`."""

    progress = Signal(int, int)  # documents written, documents in the export
    finished = Signal(int, list)  # documents written, warnings
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, request: ExportRequest) -> None:
        super().__init__()
        self.request = request
        self._cancel = threading.Event()
        self._last_report = 0.0

    def cancel(self) -> None:
        """Ask the export to stop at the next document (callable from any thread)."""
        self._cancel.set()

    def run(self) -> None:
        try:
            result = export_project(self.request, progress=self._report,
                                    cancelled=self._cancel.is_set)
        except ExportCancelled:
            self.cancelled.emit()
            return
        except AnnotatorError as error:
            self.failed.emit(str(error))
            return
        except Exception as error:  # noqa: BLE001 - shown to the user rather than lost
            self.failed.emit(f"{self.request.out}: export failed ({error})")
            return
        self.finished.emit(result.documents, list(result.warnings))

    def _report(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last_report >= PROGRESS_INTERVAL_S or done >= total:
            self._last_report = now
            self.progress.emit(done, total)


def start_export(request: ExportRequest, parent: QObject) -> tuple[QThread, ExportWorker]:
    """A worker on a new thread; the caller connects to its signals, then starts the thread."""
    thread = QThread(parent)
    worker = ExportWorker(request)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    for done in (worker.finished, worker.failed, worker.cancelled):
        done.connect(thread.quit)
    # Not deleteLater on its own thread: see news_annotator_ui/task.py (a lock-order hang
    # between Qt's connection lock and the interpreter). The caller's reference keeps it.
    return thread, worker
