"""The review window's toolbar: document, annotators, layer, agreed filter, decision keys."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QMenu, QToolBar, QToolButton

from news_annotator.model import Annotator
from news_annotator.review.curation import GOLD
from news_annotator_ui.review.gold_state import letters
from news_annotator_ui.review.review_keys import REVIEW_KEYS, TOOLBAR

ALL_LAYERS = "All layers"


class ReviewToolBar(QToolBar):
    """Choices that change what is compared, and a button for each decision key."""

    annotators_chosen = Signal(list)  # annotator ids, in column order
    agreed_toggled = Signal(bool)
    layer_changed = Signal(object)  # layer name or None

    def __init__(self, actions: dict[str, QAction], parent=None) -> None:
        super().__init__("Review", parent)
        self.setObjectName("reviewToolBar")
        self.setMovable(False)
        self.document_label = QLabel()
        self.document_label.setObjectName("reviewDocumentTitle")
        self.addWidget(self.document_label)
        self.addSeparator()
        self.annotator_button = QToolButton()
        self.annotator_button.setObjectName("annotatorChooser")
        self.annotator_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.annotator_menu = QMenu(self.annotator_button)
        self.annotator_button.setMenu(self.annotator_menu)
        self.addWidget(self.annotator_button)
        self.layer_box = QComboBox()
        self.layer_box.setObjectName("reviewLayer")
        self.layer_box.currentIndexChanged.connect(
            lambda _i: self.layer_changed.emit(self.layer()))
        self.addWidget(self.layer_box)
        self.agreed_box = QCheckBox("Show agreed")
        self.agreed_box.setObjectName("showAgreed")
        self.agreed_box.setToolTip("List the spans every annotator agrees on too")
        self.agreed_box.toggled.connect(self.agreed_toggled)
        self.addWidget(self.agreed_box)
        self.addSeparator()
        keys = {key.name: key for key in REVIEW_KEYS}
        for name in TOOLBAR:
            button = QToolButton()
            button.setObjectName("decisionButton")
            button.setDefaultAction(actions[name])
            shown = keys[name].keys[0].replace("Return", "↵")
            actions[name].setIconText(f"{keys[name].text}  {shown}")
            self.addWidget(button)
        self._order: list[int] = []
        self._all: list[Annotator] = []

    def set_document(self, title: str) -> None:
        self.document_label.setText(title if len(title) < 60 else title[:59] + "…")
        self.document_label.setToolTip(title)

    def set_annotators(self, everyone: list[Annotator], chosen: list[int]) -> None:
        self._order, self._all = list(chosen), [a for a in everyone if a.name != GOLD]
        names = {a.id: a.name for a in everyone}
        tags = letters(len(chosen))
        self.annotator_button.setText("  ".join(f"{tags[i]}: {names.get(who, who)}"
                                                for i, who in enumerate(chosen)) + "  ▾")
        self.annotator_menu.clear()
        for annotator in self._all:
            action = self.annotator_menu.addAction(annotator.name)
            action.setCheckable(True)
            action.setChecked(annotator.id in chosen)
            action.toggled.connect(lambda on, a=annotator.id: self._toggle(a, on))

    def _toggle(self, annotator_id: int, on: bool) -> None:
        order = [a for a in self._order if a != annotator_id] + ([annotator_id] if on else [])
        if len(order) < 2:
            self.set_annotators(self._all, self._order)  # at least two are compared
            return
        self.annotators_chosen.emit(order)

    def set_layers(self, names: list[str]) -> None:
        current = self.layer()
        self.layer_box.blockSignals(True)
        self.layer_box.clear()
        self.layer_box.addItem(ALL_LAYERS)
        self.layer_box.addItems(names)
        if current in names:
            self.layer_box.setCurrentText(current)
        self.layer_box.blockSignals(False)

    def layer(self) -> str | None:
        text = self.layer_box.currentText()
        return None if text in ("", ALL_LAYERS) else text

    def show_agreed(self) -> bool:
        return self.agreed_box.isChecked()
