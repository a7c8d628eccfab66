"""A message bar across the top of the window: what went wrong, and what to do about it.

Non-modal on purpose: the project file may be gone or locked, but the window keeps
running and the user keeps reading; the bar names the reason and offers the way out
(most often "Save a copy…").
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget


class Severity(Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


_COLORS = {Severity.INFO: ("#e8f1fb", "#8fb3de", "#1d3f66"),
           Severity.WARNING: ("#fff6dd", "#e3c16f", "#5c4400"),
           Severity.ERROR: ("#fdecea", "#e6a19a", "#7a1f16")}
_MARKS = {Severity.INFO: "ℹ", Severity.WARNING: "⚠", Severity.ERROR: "✗"}


class Banner(QFrame):
    """One message at a time, with up to a few buttons and a close button.

    The host shows and hides it (it lives in a tool bar); `severity` is None when there
    is nothing to say.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.mark = QLabel()
        self.text = QLabel()
        self.text.setObjectName("bannerText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.close_button = QPushButton("Dismiss")
        self.close_button.setObjectName("bannerDismiss")
        self.close_button.clicked.connect(self.dismiss)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(10, 6, 8, 6)
        self._layout.addWidget(self.mark)
        self._layout.addWidget(self.text, 1)
        self._layout.addWidget(self.close_button)
        self._buttons: list[QPushButton] = []
        self.severity: Severity | None = None
        self.on_dismiss: Callable[[], None] | None = None  # the host hides the bar

    def show_message(self, text: str, severity: Severity = Severity.WARNING, *,
                     actions: tuple[tuple[str, Callable[[], None]], ...] = (),
                     dismissable: bool = True) -> None:
        """Show `text`; each action is (button text, callback)."""
        for button in self._buttons:
            self._layout.removeWidget(button)
            button.hide()  # deleted later, gone from sight now
            button.deleteLater()
        self._buttons = []
        for title, callback in actions:
            button = QPushButton(title)
            button.setObjectName("bannerAction")
            button.clicked.connect(lambda _checked=False, c=callback: c())
            self._layout.insertWidget(self._layout.count() - 1, button)
            self._buttons.append(button)
        background, border, ink = _COLORS[severity]
        self.setStyleSheet(f"QFrame#banner {{ background: {background}; border: 1px solid "
                           f"{border}; border-radius: 4px; }} QFrame#banner QLabel "
                           f"{{ color: {ink}; background: transparent; border: none; }}")
        self.mark.setText(_MARKS[severity])
        self.text.setText(text)
        self.close_button.setVisible(dismissable)
        self.severity = severity

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # A word-wrapped label asks for a tall, narrow box; a bar wants the full width.
        hint = super().sizeHint()
        width = max(self.width(), hint.width())
        if self.layout().hasHeightForWidth():
            hint.setHeight(self.layout().totalHeightForWidth(width))
        return hint

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()

    def message(self) -> str:
        return self.text.text() if self.severity is not None else ""

    def button_texts(self) -> list[str]:
        return [button.text() for button in self._buttons]

    def click(self, title: str) -> None:
        """Press the action button called `title` (tests and keyboard users)."""
        next(b for b in self._buttons if b.text() == title).click()

    def dismiss(self) -> None:
        self.severity = None
        if self.on_dismiss is not None:
            self.on_dismiss()
