"""Learning from accepted work in a child process: the window stays smooth (no shared
interpreter lock), progress arrives a layer at a time, and Cancel really stops it.

The child is `python -m news_annotator.suggest.app_support learn …` on its own connection; it
saves each layer's model in its own transaction, so a stopped run keeps the layers it
finished and rolls back the one in progress. Asked for by the user, a run shows a
progress dialog with Cancel; a run of its own (after new work) shows nothing but its
`progress` signal.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class LearnRunner(QObject):
    """One learning run at a time; `progress(done, total, text)`, then `finished(ok, text)`."""

    progress = Signal(int, int, str)
    finished = Signal(bool, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.process: QProcess | None = None
        self.dialog: QProgressDialog | None = None
        self.cancelled = False
        self.learned: list[dict] = []
        self._buffer = b""
        self._errors = b""

    def running(self) -> bool:
        return self.process is not None

    def start(self, path: Path, learn_from: tuple[str, ...], layers: tuple[str, ...] | None,
              *, dialog_parent: QWidget | None = None) -> bool:
        """Start learning `layers` (None: all) from `learn_from`, with a progress dialog
        over `dialog_parent` when given; False if a run is going on already."""
        if self.process is not None or not learn_from:
            return False
        if dialog_parent is not None:
            self._show_dialog(dialog_parent)
        self.cancelled, self.learned, self._buffer, self._errors = False, [], b"", b""
        arguments = ["-m", "news_annotator.suggest.app_support", "learn", str(path),
                     "--learn-from", ",".join(learn_from)]
        for layer in layers or ():
            arguments += ["--layer", layer]
        process = QProcess(self)
        process.readyReadStandardOutput.connect(self._read)
        process.readyReadStandardError.connect(
            lambda: setattr(self, "_errors", self._errors + bytes(process.readAllStandardError())))
        process.finished.connect(self._finished)
        process.errorOccurred.connect(self._error)
        self.process = process
        process.start(sys.executable, arguments)
        return True

    def cancel(self) -> None:
        if self.process is not None:
            self.cancelled = True
            self.process.kill()

    def wait(self, milliseconds: int = 30000) -> None:
        """Stop and wait (the window is closing): a model half learned is not kept."""
        if self.process is not None:
            self.cancel()
            self.process.waitForFinished(milliseconds)

    def _show_dialog(self, parent: QWidget) -> None:
        dialog = QProgressDialog("Learning from your work…", "Cancel", 0, 0, parent)
        dialog.setWindowTitle("Learning")
        dialog.setObjectName("learnProgress")
        dialog.setMinimumDuration(0)
        dialog.canceled.connect(self.cancel)
        self.progress.connect(self._show_progress)
        dialog.show()
        self.dialog = dialog

    def _show_progress(self, done: int, total: int, text: str) -> None:
        if self.dialog is not None:
            self.dialog.setRange(0, max(total, 1))
            self.dialog.setValue(done)
            self.dialog.setLabelText(text)

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            self.progress.disconnect(self._show_progress)
            dialog.canceled.disconnect(self.cancel)
            dialog.close()
            dialog.deleteLater()

    def _read(self) -> None:
        assert self.process is not None
        self._buffer += bytes(self.process.readAllStandardOutput())
        *lines, self._buffer = self._buffer.split(b"\n")
        for raw in lines:
            try:
                line = json.loads(raw)
            except ValueError:
                continue
            if line.get("step") == "learned":
                self.learned.append(line)
            text = (f"learning {line['layer']}…" if line.get("step") == "learning" else
                    f"{line['layer']}: {line.get('step')}")
            self.progress.emit(int(line.get("done", 0)), int(line.get("total", 1)), text)

    def _finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        if self.process is None:
            return
        self._read()
        process, self.process = self.process, None
        process.deleteLater()
        self._close_dialog()
        if self.cancelled:
            self.finished.emit(False, "Learning cancelled"
                               + (f" (kept {self._layers()})" if self.learned else ""))
        elif code != 0:
            detail = self._errors.decode(errors="replace").strip().splitlines()
            self.finished.emit(False, "Learning failed: " + (detail[-1] if detail
                                                              else f"exit code {code}"))
        elif not self.learned:
            self.finished.emit(True, "Nothing to learn from yet: annotate a few documents")
        else:
            spans = sum(int(line.get("spans", 0)) for line in self.learned)
            seconds = sum(float(line.get("seconds", 0)) for line in self.learned)
            self.finished.emit(True, f"Learned {self._layers()} from {spans:,} spans "
                               f"in {seconds:.1f} s")

    def _error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and self.process is not None:
            process, self.process = self.process, None
            process.deleteLater()
            self._close_dialog()
            self.finished.emit(False, f"Could not start learning: {process.errorString()}")

    def _layers(self) -> str:
        return ", ".join(line["layer"] for line in self.learned)
