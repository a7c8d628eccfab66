"""The main window: corpus dock, document view, span dock, label palette, status bar.

The window wires parts together and owns the project's lifetime; what a key does lives
in AnnotationController, how the view follows the project in DocumentSession, the file
side in WindowFiles, the file's safety in WindowReliability, the menu bar in WindowMenus.
Each part is handed the window as a WindowHost (news_annotator_ui/window_host.py): what it may use.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QUndoGroup
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMenu, QMessageBox, QStatusBar

from news_annotator.changes import Change, ChangeKind
from news_annotator.errors import AnnotatorError
from news_annotator.model import Status
from news_annotator.project import Project
from news_annotator_ui import settings as prefs
from news_annotator_ui.annotation_controller import AnnotationController
from news_annotator_ui.corpus_model import CorpusModel
from news_annotator_ui.corpus_panel import CorpusPanel
from news_annotator_ui.dialogs.shortcuts import ShortcutsDialog
from news_annotator_ui.document_session import DocumentSession
from news_annotator_ui.document_view import DocumentView
from news_annotator_ui.label_palette import LabelPalette
from news_annotator_ui.review.review_menu import ReviewMenu
from news_annotator_ui.schema_actions import SchemaActions
from news_annotator_ui.span_panel import SpanPanel
from news_annotator_ui.suggestions import SuggestionsPart
from news_annotator_ui.undo import ProjectUndoStack
from news_annotator_ui.window_actions import make_actions, shortcut_sections
from news_annotator_ui.window_files import WindowFiles
from news_annotator_ui.window_menus import WindowMenus
from news_annotator_ui.window_reliability import WindowReliability

APP_TITLE = "News Annotator"


class MainWindow(QMainWindow):
    """One window, at most one open project."""

    def __init__(self, settings: prefs.Settings, *, annotator_name: str = "",
                 remember_layout: bool = True) -> None:
        super().__init__()
        self.settings = settings
        self.remember_layout = remember_layout  # off for screenshots: same picture each run
        self.annotator_name = annotator_name or settings.get(prefs.ANNOTATOR_NAME) or "annotator"
        self.project: Project | None = None
        self.stack: ProjectUndoStack | None = None
        self.session: DocumentSession | None = None
        self.controller: AnnotationController | None = None
        self.corpus_model: CorpusModel | None = None
        self.hidden_layers: set[str] = set()
        self.setWindowTitle(APP_TITLE)
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks
                            | QMainWindow.DockOption.AllowTabbedDocks)

        self.view = DocumentView()
        self.view.setObjectName("documentView")
        self.setCentralWidget(self.view)
        self.corpus_panel = CorpusPanel()
        self.corpus_panel.document_activated.connect(self.open_document)
        self.corpus_dock = self._dock("Documents", "corpusDock", self.corpus_panel,
                                      Qt.DockWidgetArea.LeftDockWidgetArea)
        self.span_panel = SpanPanel()
        self.span_dock = self._dock("Span", "spanDock", self.span_panel,
                                    Qt.DockWidgetArea.RightDockWidgetArea)
        self.palette_bar = LabelPalette(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.palette_bar)
        self._build_status_bar()
        self.reliability = WindowReliability(self, worker_writing=lambda: self.files
                                             .import_running())
        self.files = WindowFiles(self, self.reliability)

        self.undo_group = QUndoGroup(self)
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addActions([self.undo_action, self.redo_action])
        self.menu_actions = make_actions(self, self._handlers())
        self.schema_actions = SchemaActions(self, on_label=self._on_label,
                                            on_relation=self._on_relation,
                                            on_layer_toggled=self._on_layer_toggled)
        self.menus = WindowMenus(
            self, self.menu_actions, undo=self.undo_action, redo=self.redo_action,
            view_toggles=[self.corpus_dock.toggleViewAction(), self.span_dock.toggleViewAction(),
                          self.palette_bar.toggleViewAction()],
            schema_actions=self.schema_actions, palette=self.palette_bar,
            settings=settings, open_recent=self.open_path)
        self.review_menu = ReviewMenu(self)
        self.suggestions = SuggestionsPart(self, self.view, self.reliability)
        self._wire_panels()
        self.menu_actions["snap_words"].setChecked(settings.get(prefs.SNAP_TO_WORDS))
        self.menu_actions["show_others"].setChecked(settings.get(prefs.SHOW_OTHERS))
        self._update_enabled()
        self.resize(1400, 900)
        self._restore_window_state()
        self.reliability.banner_bar.setVisible(  # not as last saved
            self.reliability.banner.severity is not None)

    def as_widget(self) -> QMainWindow:
        return self

    # -- construction -------------------------------------------------------------------

    def _handlers(self) -> dict:
        def ctl(method: str, *args, **kwargs):
            return lambda: self.controller and getattr(self.controller, method)(*args, **kwargs)
        files, reliability = self.files, self.reliability
        return {
            "new_project": files.new_project_dialog, "open": files.open_dialog,
            "import": files.import_dialog_for_files, "quit": self.close,
            "export": files.export_dialog, "backup_now": reliability.back_up_now,
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
            "edit_schema": files.edit_schema, "annotator_name": files.change_annotator_name,
            "show_others": self._on_show_others, "snap_words": self._on_snap_words,
            "shortcuts": self.show_shortcuts, "about": files.show_about,
        }

    def _dock(self, title: str, name: str, widget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _build_status_bar(self) -> None:
        bar = QStatusBar()
        self.setStatusBar(bar)
        self.annotator_label = QLabel()
        self.document_label = QLabel()
        self.spans_label = QLabel()
        self.saved_label = QLabel("saved ✓")
        for label in (self.annotator_label, self.document_label, self.spans_label,
                      self.saved_label):
            label.setObjectName("statusField")
            bar.addPermanentWidget(label)
        self.saved_label.setObjectName("savedField")
        self.annotator_label.setText(f"annotator: {self.annotator_name}")

    def _wire_panels(self) -> None:
        self.view.span_selected.connect(self._on_span_selected)
        self.view.suggestion_selected.connect(self._on_suggestion_selected)
        self.span_panel.span_chosen.connect(self._on_span_chosen)
        self.span_panel.attributes_edited.connect(
            lambda span_id, attrs: self.controller and self.controller.set_attributes(span_id,
                                                                                       attrs))
        self.span_panel.note_edited.connect(
            lambda span_id, note: self.controller and self.controller.set_note(span_id, note))
        self.span_panel.relation_delete_requested.connect(
            lambda rid: self.controller and self.controller.delete_relation(rid))

    # -- the project ----------------------------------------------------------------------

    def set_project(self, project: Project, *, document_id: int | None = None) -> None:
        """Show `project` (closing the one open before); opens its last or first document."""
        self.close_project()
        self.project = project
        # On a server the role's own annotator, whatever name the settings hold.
        name = project.own_annotator or self.annotator_name
        me = project.annotator(name) if not project.read_only else project.annotators.find(name)
        self.annotator_label.setText(f"annotator: {name}")
        annotator_id = me.id if me else 0
        self.stack = ProjectUndoStack(project, self._on_command_failed, self)
        self.stack.indexChanged.connect(self._on_saved)
        self.undo_group.addStack(self.stack)
        self.undo_group.setActiveStack(self.stack)
        self.session = DocumentSession(project, annotator_id, self.view, self)
        self.session.show_others = self.menu_actions["show_others"].isChecked()
        self.view.set_annotator_names({a.id: a.name for a in project.annotators.all()})
        self.controller = AnnotationController(self.session, self.stack, self)
        self.controller.snap_to_words = self.menu_actions["snap_words"].isChecked()
        self.controller.message.connect(self.show_message)
        self.controller.picking_changed.connect(self.menu_actions["cancel"].setEnabled)
        self.session.document_changed.connect(self._on_document_changed)
        self.session.spans_changed.connect(self._on_spans_changed)
        self.session.status_changed.connect(self._on_status_changed)
        self.session.schema_changed.connect(lambda _schema: self._rebuild_schema_actions())
        self.corpus_model = CorpusModel(project, annotator_id, self)
        self.corpus_panel.set_model(self.corpus_model)
        self.span_panel.set_session(self.session)
        self._rebuild_schema_actions()
        self.setWindowTitle(f"{project.path.name} — {APP_TITLE}")
        self.settings.add_recent_project(project.path)
        self._total_documents = project.documents.count()
        self._update_enabled()
        if document_id is None:
            document_id = self.settings.last_document(project.path)
        if document_id is None or not self.session.open_document(document_id):
            first = self.corpus_model.document_id(0)
            self.session.open_document(first)
        project.subscribe(self._on_project_change)  # after the list: it reads the list
        self.reliability.watch(project)

    def close_project(self) -> None:
        if self.project is None:
            return
        self.reliability.unwatch()
        self.project.unsubscribe(self._on_project_change)
        self.span_panel.flush_note()
        self.span_panel.set_session(None)
        self.corpus_panel.set_model(None)
        if self.corpus_model is not None:
            self.corpus_model.detach()
            self.corpus_model.deleteLater()
        if self.session is not None:
            self.session.detach()
            self.session.deleteLater()
        if self.controller is not None:
            self.controller.deleteLater()
        if self.stack is not None:
            self.undo_group.removeStack(self.stack)
            self.stack.deleteLater()
        self.project.close()
        self.project = self.session = self.controller = self.stack = self.corpus_model = None
        self.view.set_document("", [], [], _empty_schema())
        self.setWindowTitle(APP_TITLE)
        self._update_enabled()

    def _update_enabled(self) -> None:
        has_project = self.project is not None
        for name in ("import", "delete_span", "next_span", "previous_span", "next_document",
                     "previous_document", "toggle_done", "edit_schema", "export", "backup_now"):
            self.menu_actions[name].setEnabled(has_project)

    # -- documents ------------------------------------------------------------------------

    def open_document(self, document_id: int) -> None:
        if self.session is None or document_id == self.session.document_id:
            return
        self.span_panel.flush_note()
        if self.controller is not None:
            self.controller.cancel_relation()
        self.session.open_document(document_id)

    def walk_documents(self, step: int) -> None:
        """Next/previous document in the list's order (id order when off the list)."""
        if self.session is None or self.session.document_id is None:
            return
        current = self.session.document_id
        target = None
        row = self.corpus_model.cached_row_of(current) if self.corpus_model else None
        if row is not None:
            target = self.corpus_model.document_id(row + step)
        elif not (self.corpus_model and self.corpus_model.query):
            target = self.project.documents.neighbour(current, step)
        if target is None:
            self.show_message("No more documents that way")
            return
        self.open_document(target)

    def _on_document_changed(self, document) -> None:
        self.span_panel.set_session(self.session)
        if document is not None:
            self.settings.set_last_document(self.project.path, document.id)
            self.corpus_panel.show_document(document.id)
        self.view.setFocus()
        self._update_document_label()

    def _on_project_change(self, change: Change) -> None:
        """The window's own share of a change saved elsewhere or an import: the document
        count, the list's selection, and a first document once there is one."""
        if change.kind not in (ChangeKind.OUTSIDE, ChangeKind.DOCUMENTS) or self.project is None:
            return
        self._total_documents = self.project.documents.count()
        if self.session is not None and self.corpus_model is not None:
            if self.session.document is None:
                self.session.open_document(self.corpus_model.document_id(0))
            else:
                self.corpus_panel.show_document(self.session.document.id)
        self._update_document_label()

    def _update_document_label(self) -> None:
        document = self.session.document if self.session else None
        if document is None:
            self.document_label.setText("no document")
            self.spans_label.clear()
            return
        row = self.corpus_model.cached_row_of(document.id) if self.corpus_model else None
        if row is not None and self.corpus_model.query:
            text = f"doc {row + 1:,} / {self.corpus_model.rowCount():,} matches"
        else:
            position = self.project.documents.position(document.id)
            text = f"doc {position:,} / {self._total_documents:,}"
        self.document_label.setText(text)
        self._on_spans_changed()

    def _on_spans_changed(self) -> None:
        count = len(self.session.spans) if self.session else 0
        self.spans_label.setText(f"{count} span{'s' if count != 1 else ''}")
        self.span_panel.refresh()
        suggestion = self.view.current_suggestion_id()
        if suggestion is not None:  # the refresh re-read the user's spans: the current
            self._on_suggestion_selected(suggestion)  # suggestion stays in the panel

    def _on_status_changed(self, status: Status) -> None:
        action = self.menu_actions["toggle_done"]
        action.blockSignals(True)
        action.setChecked(status is Status.DONE)
        action.blockSignals(False)
        self.document_label.setToolTip(f"Your status: {status.value}")

    # -- selection and editing ------------------------------------------------------------

    def _on_span_selected(self, span_id) -> None:
        self.span_panel.show_span(self.session.span(span_id) if self.session else None)

    def _on_suggestion_selected(self, span_id) -> None:
        span = self.view.suggestion(span_id)
        if span is None:  # none current: the panel shows the selected span again
            self._on_span_selected(self.view.selected_span_id())
            return
        keys = self.suggestions.keys
        frame = self.view.suggestion_frame(span.id)
        with_frame = " with its " + ", ".join(sorted({r.type for r, _ in frame})) \
            if frame else ""
        self.span_panel.show_suggestion(
            span, frame, f"{keys.key_text('accept_suggestion')} accepts it{with_frame} · "
            f"{keys.key_text('reject_suggestion')} rejects it · "
            f"{keys.key_text('next_suggestion')} / {keys.key_text('previous_suggestion')} "
            "go on")

    def _on_span_chosen(self, span_id: int) -> None:
        self.view.select_span(span_id)
        self.view.setFocus()

    def _on_label(self, label: str, add_fragment: bool) -> None:
        if self.controller is None:
            return
        self.controller.apply_label(label, add_fragment=add_fragment)
        cursor = self.view.textCursor()
        if cursor.hasSelection():
            cursor.clearSelection()
            self.view.setTextCursor(cursor)

    def _on_relation(self, relation_type: str) -> None:
        if self.controller is not None:
            self.controller.begin_relation(relation_type)

    def _on_toggle_done(self, _checked: bool) -> None:
        if self.controller is not None:
            self.controller.toggle_done()
        if self.session is not None:
            self._on_status_changed(self.session.status())

    def _on_command_failed(self, message: str) -> None:
        self.saved_label.setText("not saved ✗")
        self.show_message(message)
        self.reliability.on_edit_failed(message)

    def _on_saved(self, _index: int) -> None:
        self.saved_label.setText("saved ✓")

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    # -- window state ---------------------------------------------------------------------

    def _restore_window_state(self) -> None:
        self.resizeDocks([self.corpus_dock, self.span_dock], [390, 330],
                         Qt.Orientation.Horizontal)
        if not self.remember_layout:
            return
        geometry = self.settings.window_state("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.window_state("state")
        if state is not None:
            self.restoreState(state)

    def save_window_state(self) -> None:
        if not self.remember_layout:
            return
        self.settings.set_window_state("geometry", self.saveGeometry())
        self.settings.set_window_state("state", self.saveState())
        self.settings.sync()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.files.import_running():
            self.show_message("Wait for the import to finish")
            event.ignore()
            return
        self.save_window_state()
        self.close_project()
        super().closeEvent(event)

    def report_error(self, title: str, error: AnnotatorError | str) -> None:
        QTimer.singleShot(0, lambda: QMessageBox.warning(self, title, str(error)))

    def menu_named(self, title: str) -> QMenu | None:
        return self.menus.named(title)

    # -- files (the public way in: app.py, drops, the recent menu) -------------------------

    def open_path(self, path: str | Path, *, document_id: int | None = None,
                  import_now: bool = False) -> bool:
        return self.files.open_path(path, document_id=document_id, import_now=import_now)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.files.open_dropped(paths)

    def shortcut_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """What Help › Keyboard shortcuts lists: the fixed keys and this schema's."""
        rows = self.schema_actions.shortcut_rows(self.project.schema) if self.project else []
        return shortcut_sections(self.menu_actions, rows)

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.shortcut_sections(), self).exec()

    # -- schema actions and the View toggles ---------------------------------------------

    def _rebuild_schema_actions(self) -> None:
        assert self.project is not None
        self.menus.rebuild_schema(self.project.schema, self.hidden_layers)
        self.span_panel.set_relation_actions(self.schema_actions.relations)
        self._apply_visible_layers()

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


def _empty_schema():
    from news_annotator.schema import Schema
    return Schema(())
