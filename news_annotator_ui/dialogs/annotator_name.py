"""Asks for the annotator's name at first start (never shown when a name is known)."""

from __future__ import annotations

import getpass

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout


class AnnotatorNameDialog(QDialog):
    def __init__(self, parent=None, name: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is annotating?")
        self.name_edit = QLineEdit(name or _login_name())
        self.name_edit.selectAll()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(lambda text: buttons.button(
            QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        intro = QLabel("Your name is stored with every span you make, so that a team's "
                       "project files can be merged and compared later.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.name_edit)
        layout.addWidget(buttons)
        self.resize(380, 140)

    def name(self) -> str:
        return self.name_edit.text().strip()


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def ask_annotator_name(parent=None, current: str = "") -> str | None:
    dialog = AnnotatorNameDialog(parent, current)
    if dialog.exec() == QDialog.DialogCode.Accepted and dialog.name():
        return dialog.name()
    return None
