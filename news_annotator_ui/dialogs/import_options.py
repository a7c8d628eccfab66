"""Options for File › Import…, the same ones the command line offers: which format
(detected, or forced), who owns annotations that name no annotator, whether unknown
labels may join the schema, and whether bad records are skipped or stop the import."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from news_annotator.formats import FORMATS, available_formats
from news_annotator.formats.common.records import ReadOptions
from news_annotator.importing import DEFAULT_ANNOTATOR


@dataclass(frozen=True, slots=True)
class ImportChoices:
    format_name: str | None  # None: detect each file's format
    options: ReadOptions


class ImportOptionsDialog(QDialog):
    """Asks how to read the chosen files; `choices()` once accepted."""

    def __init__(self, file_count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import options")
        self.setObjectName("importOptionsDialog")
        self.setMinimumWidth(560)
        self.format_box = QComboBox()
        self.format_box.addItem("Detect from each file", None)
        for name in available_formats(reading=True):
            self.format_box.addItem(f"{name} — {FORMATS[name].description}", name)
        self.annotator_edit = QLineEdit()
        self.annotator_edit.setPlaceholderText(DEFAULT_ANNOTATOR)
        self.add_labels = QCheckBox("Add labels the schema does not have yet")
        self.skip_bad = QCheckBox("Skip bad records (listed at the end)")
        form = QFormLayout()
        form.addRow("Format", self.format_box)
        form.addRow("Annotator for unnamed annotations", self.annotator_edit)
        form.addRow("", self.add_labels)
        form.addRow("", self.skip_bad)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel(f"Import {file_count} item(s) into this project. Unless bad records "
                       "are skipped, an import is all or nothing: one unreadable record and "
                       "nothing is added.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def choices(self) -> ImportChoices:
        return ImportChoices(self.format_box.currentData(), ReadOptions(
            annotator=self.annotator_edit.text().strip(),
            skip_bad=self.skip_bad.isChecked(), add_labels=self.add_labels.isChecked()))
