"""The main window's menu bar, and the menus made from the schema (rebuilt when it
changes). A part of MainWindow: it is handed every action and widget it places."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from news_annotator.schema import Schema
from news_annotator_ui import settings as prefs
from news_annotator_ui.label_palette import LabelPalette
from news_annotator_ui.schema_actions import SchemaActions
from news_annotator_ui.window_actions import (
    ANNOTATE,
    EDIT,
    FILE,
    HELP,
    NAVIGATE,
    RESERVED,
    SUGGEST,
    VIEW,
    add_to_menu,
)


class WindowMenus:
    """File, Edit, View, Annotate, Navigate and Help; recent projects; schema menus."""

    def __init__(self, window: QMainWindow, actions: dict[str, QAction], *,
                 undo: QAction, redo: QAction, view_toggles: list[QAction],
                 schema_actions: SchemaActions, palette: LabelPalette,
                 settings: prefs.Settings, open_recent: Callable[[str], object]) -> None:
        self.window = window
        self.actions = actions
        self.schema_actions = schema_actions
        self.palette = palette
        self.settings = settings
        self.open_recent = open_recent
        bar = window.menuBar()
        file_menu = bar.addMenu("&File")
        add_to_menu(file_menu, actions, FILE[:3])
        self.recent_menu = file_menu.addMenu("&Recent projects")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        add_to_menu(file_menu, actions, FILE[3:5])  # export, back up now
        file_menu.addSeparator()
        file_menu.addAction(actions["quit"])
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([undo, redo])
        edit_menu.addSeparator()
        add_to_menu(edit_menu, actions, EDIT)
        self.view_menu = bar.addMenu("&View")
        self.layers_menu = self.view_menu.addMenu("&Layers")
        add_to_menu(self.view_menu, actions, VIEW)
        self.view_menu.addSeparator()
        self.view_menu.addActions(view_toggles)
        self.annotate_menu = bar.addMenu("&Annotate")
        self.labels_menu = self.annotate_menu.addMenu("&Label")
        self.fragments_menu = self.annotate_menu.addMenu("Add &fragment")
        self.relations_menu = self.annotate_menu.addMenu("&Relation")
        self.annotate_menu.addSeparator()
        add_to_menu(self.annotate_menu, actions, ANNOTATE)
        self.annotate_menu.addSeparator()
        self.suggestions_menu = self.annotate_menu.addMenu("S&uggestions")
        add_to_menu(self.suggestions_menu, actions, SUGGEST[:6])
        self.suggestions_menu.addSeparator()
        add_to_menu(self.suggestions_menu, actions, SUGGEST[6:9])  # quality: Review menu
        navigate_menu = bar.addMenu("&Navigate")
        add_to_menu(navigate_menu, actions, NAVIGATE)
        help_menu = bar.addMenu("&Help")
        add_to_menu(help_menu, actions, HELP)

    def named(self, title: str) -> QMenu | None:
        return next((a.menu() for a in self.window.menuBar().actions()
                     if a.text().replace("&", "") == title), None)

    def rebuild_schema(self, schema: Schema, hidden_layers: set[str]) -> None:
        """The schema's label, fragment, relation and layer actions, in menus, palette
        and as window shortcuts; Quit moves to Ctrl+Shift+Q when Ctrl+Q adds a fragment."""
        self.schema_actions.rebuild(schema, RESERVED, hidden_layers)
        for action in self.schema_actions.all_actions():
            self.window.addAction(action)
        taken = self.schema_actions.fragment_sequences()
        self.actions["quit"].setShortcut(
            QKeySequence("Ctrl+Shift+Q" if "Ctrl+Q" in taken else "Ctrl+Q"))
        for menu in (self.labels_menu, self.fragments_menu, self.relations_menu,
                     self.layers_menu):
            menu.clear()
        for index, layer in enumerate(schema.layers):
            if index:
                self.labels_menu.addSeparator()
            self.layers_menu.addAction(self.schema_actions.layers[layer.name])
            for label in layer.labels:
                self.labels_menu.addAction(self.schema_actions.labels[label.name])
                self.fragments_menu.addAction(self.schema_actions.fragments[label.name])
        self.relations_menu.addActions(list(self.schema_actions.relations.values()))
        self.palette.populate(schema, self.schema_actions.labels, self.schema_actions.layers)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.get(prefs.RECENT_PROJECTS):
            action = QAction(path, self.recent_menu)
            action.triggered.connect(lambda _c=False, p=path: self.open_recent(p))
            self.recent_menu.addAction(action)
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("(none yet)").setEnabled(False)
