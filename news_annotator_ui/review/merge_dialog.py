"""File › Merge project files: pick the annotators' files and an output, merge on a
worker thread, show the report (or why nothing was written)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from news_annotator.review.merge import merge_projects
from news_annotator_ui.project_files import PROJECT_SUFFIX
from news_annotator_ui.task import Task

FILTER = f"Projects (*{PROJECT_SUFFIX});;All files (*)"


class MergeDialog(QDialog):
    """Inputs, output, Merge; the report below. Merging again is safe (idempotent)."""

    merged = Signal(str)  # the output path, after a successful merge

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.setWindowTitle("Merge project files")
        self.task: Task | None = None
        self.inputs = QStringListModel(self)
        self.input_view = QListView()
        self.input_view.setObjectName("mergeInputs")
        self.input_view.setModel(self.inputs)
        self.input_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.input_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        add = QPushButton("Add files…")
        add.clicked.connect(self._browse_inputs)
        remove = QPushButton("Remove")
        remove.clicked.connect(self._remove_selected)
        self.output = QLineEdit()
        self.output.setObjectName("mergeOutput")
        self.output.setPlaceholderText(f"merged{PROJECT_SUFFIX} (created, or merged into)")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse_output)
        self.merge_button = QPushButton("Merge")
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.setDefault(True)
        self.merge_button.clicked.connect(self.start)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.error = QLabel()
        self.error.setObjectName("mergeError")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet("background:#fdecea;color:#8c1d18;border:1px solid #f1b6b0;"
                                 "border-radius:4px;padding:8px;")
        self.error.hide()
        self.report = QPlainTextEdit()
        self.report.setObjectName("mergeReport")
        self.report.setReadOnly(True)
        self.report.setPlaceholderText("The merge report appears here.")
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.report.setFont(mono)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Project files to merge</b> (matched by uid; a merge "
                                "never deletes, and merging again changes nothing)"))
        row = QHBoxLayout()
        row.addWidget(self.input_view, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        row.addLayout(buttons)
        layout.addLayout(row)
        layout.addWidget(QLabel("<b>Output project</b>"))
        out_row = QHBoxLayout()
        out_row.addWidget(self.output, 1)
        out_row.addWidget(browse)
        layout.addLayout(out_row)
        layout.addWidget(self.error)
        layout.addWidget(self.report, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.busy, 1)
        bottom.addStretch(1)
        bottom.addWidget(self.merge_button)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self.resize(760, 560)

    def set_inputs(self, paths: list[str | Path]) -> None:
        self.inputs.setStringList([str(p) for p in paths])

    def input_paths(self) -> list[str]:
        return self.inputs.stringList()

    def set_output(self, path: str | Path) -> None:
        self.output.setText(str(path))

    def _browse_inputs(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Project files to merge", "", FILTER)
        known = self.input_paths()
        self.set_inputs(known + [p for p in paths if p not in known])

    def _remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.input_view.selectedIndexes()}, reverse=True)
        for row in rows:
            self.inputs.removeRows(row, 1)

    def _browse_output(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Merge into", "merged" + PROJECT_SUFFIX, FILTER,
            options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.set_output(path)

    # -- running ------------------------------------------------------------------------

    def is_running(self) -> bool:
        return self.task is not None and self.task.is_running()

    def start(self) -> None:
        inputs, out = self.input_paths(), self.output.text().strip()
        if not inputs or not out:
            self._show_error("Choose at least one input file and an output file.")
            return
        if self.is_running():
            return
        self.error.hide()
        self.report.setPlainText(f"Merging {len(inputs)} file(s) into {out}…")
        self.busy.show()
        self.merge_button.setEnabled(False)
        self.task = Task(lambda: merge_projects(out, inputs), self)
        self.task.finished.connect(self._on_merged)
        self.task.failed.connect(self._on_failed)
        self.task.start()

    def _done(self) -> None:
        if self.task is not None:
            self.task.wait()
            self.task.deleteLater()
            self.task = None
        self.busy.hide()
        self.merge_button.setEnabled(True)

    def _on_merged(self, report) -> None:
        self._done()
        self.report.setPlainText("\n".join(report.lines()))
        self.merged.emit(report.out_path)

    def _on_failed(self, message: str) -> None:
        self._done()
        self.report.setPlainText("Nothing was merged.")
        self._show_error(message)

    def _show_error(self, message: str) -> None:
        self.error.setText(f"<b>Cannot merge.</b> {message}")
        self.error.show()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.is_running():
            event.ignore()  # the merge runs in one transaction; let it end
            return
        super().closeEvent(event)
