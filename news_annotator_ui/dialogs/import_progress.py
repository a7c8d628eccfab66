"""A progress dialog for an import running on a worker thread (the window stays live).

A clean import closes it by itself (the window's status bar says what was imported);
a failure, or files skipped, keeps it open to be read.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout

from news_annotator.importing import ImportProgress, ImportReport, import_paths
from news_annotator.project import Project
from news_annotator_ui.dialogs.import_options import ImportChoices
from news_annotator_ui.task import Task


def import_summary(report: ImportReport) -> str:
    """What an import did, in one line (the dialog shows it when it stays open)."""
    text = (f"Imported {report.documents_added:,} new documents"
            f" ({report.duplicates:,} already there)")
    if report.spans_added:
        text += f", {report.spans_added:,} spans, {report.relations_added:,} relations"
    for problems, what in ((report.skipped, "skipped"),
                           (report.skipped_annotations, "annotations skipped"),
                           (report.warnings, "warnings")):
        if problems:
            text += f"; {what} {len(problems):,}: " + "; ".join(str(e) for e in problems[:3])
    return text + "."


class ImportDialog(QDialog):
    """Shows the files and documents read so far; emits `imported` with the report."""

    imported = Signal(object)  # ImportReport
    failed = Signal(str)

    def __init__(self, project_path: Path, paths: list[Path], parent=None, *,
                 choices: ImportChoices | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Importing")
        self.setModal(False)
        self.setMinimumWidth(440)
        self.status = QLabel(f"Reading {len(paths)} item(s)…")
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.setEnabled(False)
        self.buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.buttons)
        self.report = None
        self.error = ""
        self.project_path, self.paths, self.choices = project_path, paths, choices
        self.task = Task(self._run, self)
        self.task.progress.connect(self._on_progress)
        self.task.finished.connect(self._on_finished)
        self.task.failed.connect(self._on_failed)

    def _run(self) -> ImportReport:
        """On the task's thread: the import through a second connection (WAL lets the
        window keep reading), then the search index, so the first filter is instant."""
        choices = self.choices
        with Project.open(self.project_path) as project:
            report = import_paths(project, self.paths,
                                  format_name=choices.format_name if choices else None,
                                  options=choices.options if choices else None,
                                  progress=self.task.report)
            project.documents.update_search_index()
        return report

    def start(self) -> None:
        self.task.start()

    def is_running(self) -> bool:
        return self.task.is_running()

    def wait(self, ms: int = 60_000) -> bool:
        return self.task.wait(ms)

    def _on_progress(self, progress: ImportProgress) -> None:
        done, total = progress.files_done, progress.files_total
        if progress.bytes_total:  # by bytes: one 1 GB file moves the bar too
            self.bar.setRange(0, 1000)
            self.bar.setValue(round(1000 * progress.bytes_done / progress.bytes_total))
        else:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(done)
        name = Path(progress.current).name if progress.current else ""
        self.status.setText(f"{progress.documents:,} documents read · file "
                            f"{min(done + 1, total)} of {total}" + (f"\n{name}" if name else ""))

    def _on_finished(self, report) -> None:
        self.report = report
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        self.status.setText(import_summary(report))
        self.buttons.setEnabled(True)
        self.imported.emit(report)
        if not (report.skipped or report.skipped_annotations or report.warnings):
            self.accept()  # nothing to read or decide: no Close to click

    def _on_failed(self, message: str) -> None:
        self.error = message
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.status.setText("Nothing was imported:\n" + message)
        self.buttons.setEnabled(True)
        self.failed.emit(message)

    def reject(self) -> None:
        if not self.task.is_running():
            super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.task.is_running():
            event.ignore()  # an import is all-or-nothing; let it finish
            return
        super().closeEvent(event)
