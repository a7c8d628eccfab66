"""File › Export…: choose a format, a target, whose annotations and which documents; the
export (news_annotator.exporting, all or nothing) runs on a worker thread with a progress bar,
can be cancelled, and its warnings are listed at the end."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from news_annotator.errors import InputError
from news_annotator.exporting import ExportRequest, check_target, writes_folder
from news_annotator.formats import FORMATS, available_formats
from news_annotator.model import Status
from news_annotator.project import Project
from news_annotator.suggest.engine import SUGGESTIONS_ANNOTATOR
from news_annotator_ui.export_worker import start_export

# Formats without a suffix of their own in the registry still deserve a sensible name.
DEFAULT_SUFFIXES = {"doccano": ".jsonl", "labelstudio": ".json"}
ALL, DONE, CURRENT = "all", "done", "current"


class ExportDialog(QDialog):
    """Export the open project; `start()` (the Export button) runs the writer."""

    def __init__(self, project: Project, annotator_name: str,
                 current_document_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.setObjectName("exportDialog")
        self.setMinimumWidth(560)
        self.project = project
        self.annotator_name = annotator_name
        self.current_document_id = current_document_id
        self.thread = self.worker = None
        self.result_count: int | None = None
        self.out: Path | None = None
        self.warnings: list[str] = []
        self.error = ""
        self._path_edited = False

        self.format_box = QComboBox()
        for name in available_formats(reading=False):
            self.format_box.addItem(f"{name} — {FORMATS[name].description}", name)
        self.format_box.setCurrentIndex(max(0, self.format_box.findData("json")))
        self.path_edit = QLineEdit()
        self.path_edit.textEdited.connect(lambda _text: setattr(self, "_path_edited", True))
        self.browse_button = QPushButton("Choose…")
        self.browse_button.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        self.annotator_list = QListWidget()
        self.annotator_list.setMaximumHeight(
            min(110, 8 + 22 * max(1, len(project.annotators.all()))))
        for annotator in project.annotators.all():
            item = QListWidgetItem(annotator.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            suggestions = annotator.name == SUGGESTIONS_ANNOTATOR  # nobody's work: opt in
            item.setCheckState(Qt.CheckState.Unchecked if suggestions else Qt.CheckState.Checked)
            if suggestions:
                item.setToolTip("Suggestions nobody has accepted: tick to export them too")
            self.annotator_list.addItem(item)
        self.layer_boxes: list[QCheckBox] = []
        layer_row = QHBoxLayout()
        for layer in project.schema.layers:
            box = QCheckBox(layer.name)
            box.setChecked(True)
            self.layer_boxes.append(box)
            layer_row.addWidget(box)
        layer_row.addStretch(1)
        self.scope_group = QButtonGroup(self)
        scope_row = QHBoxLayout()
        for key, text in ((ALL, "All documents"), (DONE, f"Only done by {annotator_name}"),
                          (CURRENT, "Only the current document")):
            button = QRadioButton(text)
            button.setObjectName(f"scope_{key}")
            button.setProperty("scope", key)
            button.setEnabled(key != CURRENT or current_document_id is not None)
            self.scope_group.addButton(button)
            scope_row.addWidget(button)
        self.scope_group.buttons()[0].setChecked(True)

        form = QFormLayout()
        form.addRow("Format", self.format_box)
        self.path_label = QLabel("Save to")
        form.addRow(self.path_label, path_row)
        form.addRow("Annotators", self.annotator_list if self.annotator_list.count() else
                    QLabel("nobody has annotated yet: documents only"))
        form.addRow("Layers", layer_row)
        form.addRow("Documents", scope_row)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setVisible(False)
        self.warning_box = QPlainTextEdit()
        self.warning_box.setReadOnly(True)
        self.warning_box.setMaximumHeight(120)
        self.warning_box.setVisible(False)
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton("Export",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel_or_close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addWidget(self.warning_box)
        layout.addWidget(self.buttons)
        self.format_box.currentIndexChanged.connect(self._on_format_changed)
        self._on_format_changed()

    # -- choices ----------------------------------------------------------------------

    def format_name(self) -> str:
        return self.format_box.currentData()

    def set_format(self, name: str) -> None:
        self.format_box.setCurrentIndex(self.format_box.findData(name))

    def set_output(self, path: str | Path) -> None:
        self.path_edit.setText(str(path))
        self._path_edited = True

    def set_scope(self, key: str) -> None:
        next(b for b in self.scope_group.buttons() if b.property("scope") == key).setChecked(True)

    def set_annotators(self, names: set[str]) -> None:
        for row in range(self.annotator_list.count()):
            item = self.annotator_list.item(row)
            item.setCheckState(Qt.CheckState.Checked if item.text() in names
                               else Qt.CheckState.Unchecked)

    def _on_format_changed(self) -> None:
        folder = writes_folder(self.format_name())
        self.path_label.setText("Folder" if folder else "File")
        if not self._path_edited:
            self.path_edit.setText(str(self._suggested_path()))

    def _suggested_path(self) -> Path:
        name = self.format_name()
        stem = f"{self.project.path.stem}-{name}"
        if writes_folder(name):
            return self.project.path.with_name(stem)
        suffixes = FORMATS[name].suffixes
        return self.project.path.with_name(stem + (suffixes[0] if suffixes else
                                                   DEFAULT_SUFFIXES.get(name, ".txt")))

    def browse(self) -> None:
        current = self.path_edit.text() or str(self._suggested_path())
        if writes_folder(self.format_name()):
            path = QFileDialog.getExistingDirectory(self, "Export into folder", current)
        else:
            path, _ = QFileDialog.getSaveFileName(self, "Export to file", current)
        if path:
            self.set_output(path)

    def request(self) -> ExportRequest:
        """What to export; raises ValueError with a message for the user."""
        out_text = self.path_edit.text().strip()
        if not out_text:
            raise ValueError("Choose where to save the export.")
        out = Path(out_text).expanduser()
        try:
            check_target(out, self.format_name())
        except InputError as error:
            raise ValueError(str(error)) from None
        items = [self.annotator_list.item(r) for r in range(self.annotator_list.count())]
        chosen = [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]
        if items and not chosen:
            raise ValueError("Choose at least one annotator.")
        annotators = None if len(chosen) == len(items) else tuple(chosen)
        layers = [box.text() for box in self.layer_boxes if box.isChecked()]
        if self.layer_boxes and not layers:
            raise ValueError("Choose at least one layer.")
        scope = self.scope_group.checkedButton().property("scope")
        document_ids: tuple[int, ...] | None = None
        if scope == CURRENT and self.current_document_id is not None:
            document_ids = (self.current_document_id,)
        elif scope == DONE:
            me = self.project.annotators.find(self.annotator_name)
            document_ids = tuple(self.project.documents.ids(annotator_id=me.id,
                                                            status=Status.DONE) if me else ())
            if not document_ids:
                raise ValueError(f"No document is marked done by {self.annotator_name}.")
        return ExportRequest(self.project.path, out, self.format_name(),
                             annotators=annotators, document_ids=document_ids,
                             layers=None if len(layers) == len(self.layer_boxes)
                             else tuple(layers))

    # -- running ----------------------------------------------------------------------

    def start(self) -> bool:
        """Start the export; False (with the reason shown) when the choices do not add up."""
        if self.is_running():
            return False
        try:
            request = self.request()
        except ValueError as error:
            self._show_error(str(error))
            return False
        self.error, self.warnings, self.result_count = "", [], None
        self.out = request.out
        self.warning_box.setVisible(False)
        self.thread, self.worker = start_export(request, self)
        connection = Qt.ConnectionType.QueuedConnection
        self.worker.progress.connect(self._on_progress, connection)
        self.worker.finished.connect(self._on_finished, connection)
        self.worker.failed.connect(self._on_failed, connection)
        self.worker.cancelled.connect(self._on_cancelled, connection)
        self.bar.setRange(0, 0)
        self.bar.setVisible(True)
        self.status.setStyleSheet("")
        self.status.setText(f"Exporting to {request.out}…")
        self._set_running(True)
        self.thread.start()
        return True

    def is_running(self) -> bool:
        return self.thread is not None and self.thread.isRunning()

    def wait(self, ms: int = 60_000) -> bool:
        return self.thread is None or self.thread.wait(ms)

    def cancel_or_close(self) -> None:
        if self.is_running():
            self.worker.cancel()
            self.status.setText("Cancelling…")
        else:
            self.reject()

    def _set_running(self, running: bool) -> None:
        self.export_button.setEnabled(not running)
        for widget in (self.format_box, self.path_edit, self.browse_button,
                       self.annotator_list):
            widget.setEnabled(not running)
        self.cancel_button.setText("Cancel" if running else "Close")

    def _on_progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(min(done, max(total, 1)))
        self.status.setText(f"{done:,} of {total:,} documents written…")

    def _on_finished(self, count: int, warnings: list) -> None:
        self.result_count, self.warnings = count, list(warnings)
        self._set_running(False)
        self.bar.setRange(0, max(count, 1))
        self.bar.setValue(max(count, 1))
        self.status.setText(f"Exported {count:,} documents to {self.out}."
                            + (f" {len(warnings)} warning(s):" if warnings else ""))
        if warnings:
            self.warning_box.setPlainText("\n".join(warnings))
            self.warning_box.setVisible(True)

    def _on_failed(self, message: str) -> None:
        self._set_running(False)
        self.bar.setVisible(False)
        self._show_error("Nothing was exported: " + message)

    def _on_cancelled(self) -> None:
        self._set_running(False)
        self.bar.setVisible(False)
        self.status.setText("Export cancelled. Nothing was written.")

    def _show_error(self, message: str) -> None:
        self.error = message
        self.status.setStyleSheet("color: #a1261a;")
        self.status.setText(message)

    def reject(self) -> None:
        if self.is_running():
            self.cancel_or_close()
            return
        super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.is_running():
            self.worker.cancel()
            self.wait()
        super().closeEvent(event)
