"""Help › Keyboard shortcuts: every key the window answers to, including the schema's."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout


class ShortcutsDialog(QDialog):
    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        browser = QTextBrowser()
        browser.setObjectName("shortcutsText")
        browser.setHtml(shortcuts_html(sections))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(browser)
        layout.addWidget(buttons)
        self.resize(560, 640)


def shortcuts_html(sections: list[tuple[str, list[tuple[str, str]]]]) -> str:
    parts = ["<style>td{padding:2px 10px 2px 0} kbd{font-family:monospace;"
             "background:#eef0f3;border:1px solid #c9ced6;border-radius:3px;padding:0 4px}"
             "h3{margin:12px 0 4px 0}</style>"]
    for title, rows in sections:
        parts.append(f"<h3>{html.escape(title)}</h3><table>")
        for keys, what in rows:
            parts.append(f"<tr><td><kbd>{html.escape(keys)}</kbd></td>"
                         f"<td>{html.escape(what)}</td></tr>")
        parts.append("</table>")
    return "".join(parts)
