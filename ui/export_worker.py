"""Runs a format writer off the UI thread, on its own read-only connection to the project.

A file is written under a temporary name and moved into place only when complete, so
a cancelled or failed export never leaves half a file where the user asked for one; a
new folder (brat, XMI) is staged the same way.
"""

from __future__ import annotations

import inspect
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from annotator.errors import AnnotatorError
from annotator.formats import get_format
from annotator.project import Project

FOLDER_FORMATS = frozenset({"brat", "xmi"})  # xmi also writes a .zip when asked for one
PROGRESS_INTERVAL_S = 0.05


class ExportCancelled(Exception):
    """Raised from the progress callback to stop a writer between documents."""


@dataclass(frozen=True, slots=True)
class ExportRequest:
    project_path: Path
    format_name: str
    out: Path
    annotators: list[str] | None = None  # None: everyone
    document_ids: list[int] | None = None  # None: every document
    layers: list[str] | None = None  # None: every layer


def writes_folder(format_name: str, out: Path | None = None) -> bool:
    """True when the format writes a folder of files (rather than one file) to `out`."""
    if format_name == "xmi" and out is not None and out.suffix.lower() == ".zip":
        return False
    return format_name in FOLDER_FORMATS


class ExportWorker(QObject):
    """Lives on a QThread; `run` exports, then emits `finished`, `failed` or `cancelled`."""

    progress = Signal(int, int)  # documents written, documents in the export
    finished = Signal(int, list)  # documents written, warnings
    failed = Signal(str)
    cancelled = Signal(str)  # what was left behind, if anything

    def __init__(self, request: ExportRequest) -> None:
        super().__init__()
        self.request = request
        self._cancel = threading.Event()
        self._total = 0
        self._last_report = 0.0

    def cancel(self) -> None:
        """Ask the writer to stop at the next document (callable from any thread)."""
        self._cancel.set()

    def run(self) -> None:
        request = self.request
        out = request.out
        staged = _staging_path(out, folder=writes_folder(request.format_name, out))
        target = staged or out
        warnings: list[str] = []
        _remove(staged)  # left over from an export that was killed
        try:
            spec = get_format(request.format_name)
            if not (spec.can_write and hasattr(spec.module, "write")):
                raise AnnotatorError(f"{spec.name}: this format can be imported but not "
                                     "exported")
            with Project.open(request.project_path, read_only=True) as project:
                project.limit_layers(request.layers)
                self._total = (len(request.document_ids) if request.document_ids is not None
                               else project.documents.count())
                self.progress.emit(0, self._total)
                options: dict = {"annotators": request.annotators,
                                 "document_ids": request.document_ids,
                                 "progress": self._report}
                if "warnings" in inspect.signature(spec.module.write).parameters:
                    options["warnings"] = warnings
                count = spec.module.write(project, target, **options)
            if staged is not None:
                staged.replace(out)
        except ExportCancelled:
            _remove(staged)
            left = "" if staged is not None else f"{out} holds the documents written so far"
            self.cancelled.emit(left)
            return
        except AnnotatorError as error:
            _remove(staged)
            self.failed.emit(str(error))
            return
        except Exception as error:  # noqa: BLE001 - shown to the user rather than lost
            _remove(staged)
            self.failed.emit(f"{out}: export failed ({error})")
            return
        self.progress.emit(count, max(self._total, count))
        self.finished.emit(count, warnings)

    def _report(self, done: int, *_args, **_kwargs) -> None:
        if self._cancel.is_set():
            raise ExportCancelled
        now = time.monotonic()
        if now - self._last_report >= PROGRESS_INTERVAL_S or done >= self._total:
            self._last_report = now
            self.progress.emit(done, self._total)


def _staging_path(out: Path, *, folder: bool) -> Path | None:
    """Where to write before moving into place; None to write in place (an existing
    folder, whose other files must stay)."""
    if folder and out.exists():
        return None
    return out.with_name(f".{out.name}.partial")


def _remove(path: Path | None) -> None:
    if path is None or not path.exists():
        return
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def start_export(request: ExportRequest, parent: QObject) -> tuple[QThread, ExportWorker]:
    """A worker on a new thread; the caller connects to its signals, then starts the thread."""
    thread = QThread(parent)
    worker = ExportWorker(request)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    for done in (worker.finished, worker.failed, worker.cancelled):
        done.connect(thread.quit)
    thread.finished.connect(worker.deleteLater)
    return thread, worker
