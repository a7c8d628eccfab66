"""The label palette: one colored button per label with its key, grouped by layer.

The buttons show the window's actions (so a click, a key press and the menu all do the
same thing); each layer group starts with a toggle that shows or hides the layer.
Relation buttons sit in the span panel, next to the span they start from.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import QToolBar, QToolButton, QWidget

from news_annotator.schema import Schema


def text_color_for(background: str) -> str:
    """Black or white, whichever reads better on `background`."""
    color = QColor(background)
    luminance = 0.299 * color.red() + 0.587 * color.green() + 0.114 * color.blue()
    return "#1d1f23" if luminance > 150 else "#ffffff"


def label_button_style(color: str) -> str:
    base = QColor(color)
    soft = QColor(base)
    soft.setAlpha(52)
    rgba = f"rgba({soft.red()}, {soft.green()}, {soft.blue()}, {soft.alphaF():.2f})"
    return (f"QToolButton {{ background: {rgba}; border: 1px solid {base.name()};"
            f" border-left: 5px solid {base.name()}; border-radius: 4px;"
            f" padding: 2px 7px; color: #1d1f23; font-weight: 600; }}"
            f" QToolButton:hover {{ background: {base.name()};"
            f" color: {text_color_for(base.name())}; }}"
            f" QToolButton:pressed {{ background: {base.darker(120).name()}; }}")


class LabelPalette(QToolBar):
    """A toolbar rebuilt from the schema whenever the schema changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Labels", parent)
        self.setObjectName("labelPalette")
        self.setMovable(True)
        self.setIconSize(QSize(14, 14))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.buttons: dict[str, QToolButton] = {}

    def populate(self, schema: Schema, label_actions: dict[str, QAction],
                 layer_actions: dict[str, QAction]) -> None:
        self.clear()
        self.buttons.clear()
        for index, layer in enumerate(schema.layers):
            if index:
                self.addSeparator()
            toggle = layer_actions.get(layer.name)
            if toggle is not None:
                button = self._button(toggle, f"{layer.name}")
                button.setObjectName("layerToggle")
                button.setToolTip(f"Show or hide the {layer.name} layer")
            for label in layer.labels:
                action = label_actions.get(label.name)
                if action is None:
                    continue
                caption = f"{label.key.upper()}  {label.name}" if label.key else label.name
                button = self._button(action, caption)
                button.setStyleSheet(label_button_style(label.color))
                self.buttons[label.name] = button

    def _button(self, action: QAction, caption: str) -> QToolButton:
        # A tool button shows its action's icon text; the menus show the plain text.
        action.setIconText(caption)
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.addWidget(button)
        return button
