"""The main window's file side: open, new, import (menus, drops, command line), and the
dialogs reached from the menus."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator.errors import AnnotatorError
from annotator.importing import import_paths
from annotator.project import Project
from ui import settings as prefs
from ui.dialogs.annotator_name import ask_annotator_name
from ui.dialogs.export_dialog import ExportDialog
from ui.dialogs.import_options import ImportChoices, ImportOptionsDialog
from ui.dialogs.import_progress import ImportDialog, import_summary
from ui.dialogs.schema_editor import SchemaEditor
from ui.dialogs.shortcuts import ShortcutsDialog
from ui.project_files import PROJECT_SUFFIX, is_project_file, resolve
from ui.review.review_keys import REVIEW_KEYS
from ui.window_actions import shortcut_rows

PROJECT_FILTER = f"Projects (*{PROJECT_SUFFIX});;All files (*)"


class WindowFiles:
    """Mixed into MainWindow (first, so its Qt overrides win)."""

    # -- opening --------------------------------------------------------------------------

    def open_path(self, path: str | Path, *, document_id: int | None = None,
                  import_now: bool = False) -> bool:
        """Open a project file, or a corpus (a project beside it, created on first use).

        A new corpus project imports on a worker thread with a progress dialog, or at
        once with `import_now` (the command line's --screenshot, and tests).
        """
        try:
            project_path, corpus = resolve(path)
            if corpus is None:
                project = self.open_project_file(project_path)
            else:
                project = Project.create(project_path)
                if import_now:
                    import_paths(project, [corpus])
        except AnnotatorError as error:
            self.report_error("Cannot open", error)
            return False
        self.set_project(project, document_id=document_id)
        if corpus is not None and not import_now:
            self.run_import([corpus])
        return True

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open a project, or a corpus file", "",
            f"Projects and corpora (*{PROJECT_SUFFIX} *.jsonl *.json *.txt *.csv *.xml *.conll);;"
            "All files (*)")
        if path:
            self.open_path(path)

    def new_project_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New project", "untitled" + PROJECT_SUFFIX,
                                              PROJECT_FILTER)
        if not path:
            return
        if not path.endswith(PROJECT_SUFFIX):
            path += PROJECT_SUFFIX
        try:
            project = Project.create(path)
        except AnnotatorError as error:
            self.report_error("Cannot create the project", error)
            return
        self.set_project(project)

    # -- importing ------------------------------------------------------------------------

    def import_dialog_for_files(self) -> None:
        if self.project is None:
            return
        paths, _ = QFileDialog.getOpenFileNames(self, "Import documents", "",
                                                "All supported files (*)")
        if not paths:
            return
        options = ImportOptionsDialog(len(paths), self)
        if options.exec() == ImportOptionsDialog.DialogCode.Accepted:
            self.run_import([Path(p) for p in paths], choices=options.choices())

    def run_import(self, paths: list[Path], *,
                   choices: ImportChoices | None = None) -> ImportDialog | None:
        """Import into the open project on a worker thread; the window stays responsive."""
        if self.project is None:
            return None
        if self.import_dialog is not None and self.import_dialog.is_running():
            self.show_message("An import is already running")
            return None
        dialog = ImportDialog(self.project.path, paths, self, choices=choices)
        dialog.imported.connect(self._on_imported)
        dialog.failed.connect(lambda message: self.show_message("Import failed: " + message))
        self.import_dialog = dialog
        dialog.show()
        dialog.start()
        return dialog

    def _on_imported(self, report) -> None:
        if self.project is None:
            return
        try:
            self.project.changed_outside()  # the worker's own connection saved it
        except AnnotatorError as error:
            self.show_message(f"Could not read the import: {error}")
        if self.watcher is not None:
            self.watcher.sync()  # our own import: not "updated by another program"
        self.show_message(import_summary(report))

    # -- exporting ------------------------------------------------------------------------

    def export_dialog(self) -> ExportDialog | None:
        """File › Export…: window-modal, the writer on its own thread and connection."""
        if self.project is None:
            return None
        dialog = ExportDialog(self.project, self.annotator_name,
                              self.session.document_id if self.session else None, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # -- drag and drop --------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.open_dropped(paths)

    def open_dropped(self, paths: list[Path]) -> None:
        """A dropped project opens; dropped documents go into the open project."""
        if not paths:
            return
        if len(paths) == 1 and is_project_file(paths[0]) or self.project is None:
            self.open_path(paths[0])
        else:
            self.run_import(paths)

    # -- dialogs --------------------------------------------------------------------------

    def edit_schema(self) -> None:
        if self.project is not None:
            SchemaEditor(self.project, self, on_applied=self.stack.push_applied).exec()

    def change_annotator_name(self) -> None:
        name = ask_annotator_name(self, self.annotator_name)
        if not name or name == self.annotator_name:
            return
        self.annotator_name = name
        self.settings.set(prefs.ANNOTATOR_NAME, name)
        self.annotator_label.setText(f"annotator: {name}")
        if self.project is not None:
            document_id = self.session.document_id if self.session else None
            self.set_project(self.open_project_file(self.project.path), document_id=document_id)

    def shortcut_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        sections = [("Edit", [("Ctrl+Z", "Undo"), ("Ctrl+Shift+Z / Ctrl+Y", "Redo")])]
        if self.project is not None:
            sections.append(("Labels and relations (from the schema)",
                             self.schema_actions.shortcut_rows(self.project.schema)))
        review = ("Review window (Ctrl+R)",
                  [(" / ".join(key.keys), key.tip) for key in REVIEW_KEYS])
        return sections + shortcut_rows(self.menu_actions) + [review]

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.shortcut_sections(), self).exec()

    def show_about(self) -> None:
        QMessageBox.about(self, "About News Annotator",
                          "<b>News Annotator</b><p>Annotate news articles offline: entities, "
                          "quotes and claims, with relations. Every edit is saved at once.</p>")
