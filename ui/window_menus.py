"""The main window's menus and the actions made from the schema (rebuilt when it changes),
plus the View toggles; mixed into MainWindow."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from ui import settings as prefs
from ui.window_actions import ANNOTATE, EDIT, FILE, HELP, NAVIGATE, RESERVED, VIEW, add_to_menu


class WindowMenus:
    """Menus, recent projects, layer visibility and the View toggles."""

    def _handlers(self) -> dict:
        def ctl(method: str, *args, **kwargs):
            return lambda: self.controller and getattr(self.controller, method)(*args, **kwargs)
        return {
            "new_project": self.new_project_dialog, "open": self.open_dialog,
            "import": self.import_dialog_for_files, "quit": self.close,
            "export": self.export_dialog, "backup_now": self.back_up_now,
            "delete_span": ctl("delete_selected"), "filter": self._focus_filter,
            "next_span": ctl("walk_spans", 1), "previous_span": ctl("walk_spans", -1),
            "next_document": lambda: self.walk_documents(1),
            "previous_document": lambda: self.walk_documents(-1),
            "end_left": ctl("move_edge", "end", -1), "end_right": ctl("move_edge", "end", 1),
            "start_left": ctl("move_edge", "start", -1),
            "start_right": ctl("move_edge", "start", 1),
            "end_word_left": ctl("move_edge", "end", -1, by_word=True),
            "end_word_right": ctl("move_edge", "end", 1, by_word=True),
            "start_word_left": ctl("move_edge", "start", -1, by_word=True),
            "start_word_right": ctl("move_edge", "start", 1, by_word=True),
            "cancel": ctl("cancel_relation"), "toggle_done": self._on_toggle_done,
            "edit_schema": self.edit_schema, "annotator_name": self.change_annotator_name,
            "show_others": self._on_show_others, "snap_words": self._on_snap_words,
            "shortcuts": self.show_shortcuts, "about": self.show_about,
        }

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        add_to_menu(file_menu, self.menu_actions, FILE[:3])
        self.recent_menu = file_menu.addMenu("&Recent projects")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        add_to_menu(file_menu, self.menu_actions, FILE[3:5])  # export, back up now
        file_menu.addSeparator()
        file_menu.addAction(self.menu_actions["quit"])
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        add_to_menu(edit_menu, self.menu_actions, EDIT)
        self.view_menu = bar.addMenu("&View")
        self.layers_menu = self.view_menu.addMenu("&Layers")
        add_to_menu(self.view_menu, self.menu_actions, VIEW)
        self.view_menu.addSeparator()
        self.view_menu.addActions([self.corpus_dock.toggleViewAction(),
                                   self.span_dock.toggleViewAction(),
                                   self.palette_bar.toggleViewAction()])
        self.annotate_menu = bar.addMenu("&Annotate")
        self.labels_menu = self.annotate_menu.addMenu("&Label")
        self.fragments_menu = self.annotate_menu.addMenu("Add &fragment")
        self.relations_menu = self.annotate_menu.addMenu("&Relation")
        self.annotate_menu.addSeparator()
        add_to_menu(self.annotate_menu, self.menu_actions, ANNOTATE)
        navigate_menu = bar.addMenu("&Navigate")
        add_to_menu(navigate_menu, self.menu_actions, NAVIGATE)
        help_menu = bar.addMenu("&Help")
        add_to_menu(help_menu, self.menu_actions, HELP)

    def _rebuild_schema_actions(self) -> None:
        assert self.project is not None
        schema = self.project.schema
        self.schema_actions.rebuild(schema, RESERVED, self.hidden_layers)
        for action in self.schema_actions.all_actions():
            self.addAction(action)
        quit_action = self.menu_actions["quit"]
        taken = self.schema_actions.fragment_sequences()
        quit_action.setShortcut(QKeySequence("Ctrl+Shift+Q" if "Ctrl+Q" in taken else "Ctrl+Q"))
        self.labels_menu.clear()
        self.fragments_menu.clear()
        self.relations_menu.clear()
        self.layers_menu.clear()
        for index, layer in enumerate(schema.layers):
            if index:
                self.labels_menu.addSeparator()
            self.layers_menu.addAction(self.schema_actions.layers[layer.name])
            for label in layer.labels:
                self.labels_menu.addAction(self.schema_actions.labels[label.name])
                self.fragments_menu.addAction(self.schema_actions.fragments[label.name])
        self.relations_menu.addActions(list(self.schema_actions.relations.values()))
        self.palette_bar.populate(schema, self.schema_actions.labels, self.schema_actions.layers)
        self.span_panel.set_relation_actions(self.schema_actions.relations)
        self._apply_visible_layers()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.get(prefs.RECENT_PROJECTS):
            action = QAction(path, self.recent_menu)
            action.triggered.connect(lambda _c=False, p=path: self.open_path(p))
            self.recent_menu.addAction(action)
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    def _on_layer_toggled(self, layer: str, visible: bool) -> None:
        (self.hidden_layers.discard if visible else self.hidden_layers.add)(layer)
        self._apply_visible_layers()

    def _apply_visible_layers(self) -> None:
        if self.project is None:
            return
        names = {layer.name for layer in self.project.schema.layers} - self.hidden_layers
        self.view.set_visible_layers(names)

    def _on_show_others(self, show: bool) -> None:
        self.settings.set(prefs.SHOW_OTHERS, show)
        if self.session is not None:
            self.view.set_annotator_names({a.id: a.name for a in self.project.annotators.all()})
            self.session.set_show_others(show)

    def _on_snap_words(self, snap: bool) -> None:
        self.settings.set(prefs.SNAP_TO_WORDS, snap)
        if self.controller is not None:
            self.controller.snap_to_words = snap

    def _focus_filter(self) -> None:
        self.corpus_dock.show()
        self.corpus_panel.filter_box.setFocus()
        self.corpus_panel.filter_box.selectAll()
