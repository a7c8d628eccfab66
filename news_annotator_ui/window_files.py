"""The main window's file side: open, new, import (menus, drops, command line), and the
dialogs reached from the menus. A part of MainWindow (see news_annotator_ui/window_host.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from news_annotator.errors import AnnotatorError
from news_annotator.importing import import_paths
from news_annotator.project import Project
from news_annotator_ui import settings as prefs
from news_annotator_ui.dialogs.annotator_name import ask_annotator_name
from news_annotator_ui.dialogs.export_dialog import ExportDialog
from news_annotator_ui.dialogs.import_options import ImportChoices, ImportOptionsDialog
from news_annotator_ui.dialogs.import_progress import ImportDialog, import_summary
from news_annotator_ui.dialogs.schema_editor import SchemaEditor
from news_annotator_ui.project_files import PROJECT_SUFFIX, is_project_file, resolve
from news_annotator_ui.window_host import WindowHost
from news_annotator_ui.window_reliability import WindowReliability

PROJECT_FILTER = f"Projects (*{PROJECT_SUFFIX});;All files (*)"


class WindowFiles:
    """Opening, importing, exporting and the File/Help dialogs of one window.

    Opens go through `reliability` (read-only fallback); our own imports tell its
    watcher that their commits are not another program's.
    """

    def __init__(self, host: WindowHost, reliability: WindowReliability) -> None:
        self.host = host
        self.reliability = reliability
        self.import_dialog: ImportDialog | None = None

    @property
    def _parent(self) -> QWidget:
        return self.host.as_widget()

    def import_running(self) -> bool:
        return self.import_dialog is not None and self.import_dialog.is_running()

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
                project = self.reliability.open_project_file(project_path)
            else:
                project = Project.create(project_path)
                if import_now:
                    import_paths(project, [corpus])
        except AnnotatorError as error:
            self.host.report_error("Cannot open", error)
            return False
        self.host.set_project(project, document_id=document_id)
        if corpus is not None and not import_now:
            self.run_import([corpus])
        return True

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self._parent, "Open a project, or a corpus file", "",
            f"Projects and corpora (*{PROJECT_SUFFIX} *.jsonl *.json *.txt *.csv *.xml *.conll);;"
            "All files (*)")
        if path:
            self.open_path(path)

    def new_project_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self._parent, "New project",
                                              "untitled" + PROJECT_SUFFIX, PROJECT_FILTER)
        if not path:
            return
        if not path.endswith(PROJECT_SUFFIX):
            path += PROJECT_SUFFIX
        try:
            project = Project.create(path)
        except AnnotatorError as error:
            self.host.report_error("Cannot create the project", error)
            return
        self.host.set_project(project)

    # -- importing ------------------------------------------------------------------------

    def import_dialog_for_files(self) -> None:
        if self.host.project is None:
            return
        paths, _ = QFileDialog.getOpenFileNames(self._parent, "Import documents", "",
                                                "All supported files (*)")
        if not paths:
            return
        options = ImportOptionsDialog(len(paths), self._parent)
        if options.exec() == ImportOptionsDialog.DialogCode.Accepted:
            self.run_import([Path(p) for p in paths], choices=options.choices())

    def run_import(self, paths: list[Path], *,
                   choices: ImportChoices | None = None) -> ImportDialog | None:
        """Import into the open project on a worker thread; the window stays responsive."""
        if self.host.project is None:
            return None
        if self.import_running():
            self.host.show_message("An import is already running")
            return None
        dialog = ImportDialog(self.host.project.path, paths, self._parent, choices=choices)
        dialog.imported.connect(self._on_imported)
        dialog.failed.connect(lambda message: self.host.show_message("Import failed: "
                                                                     + message))
        self.import_dialog = dialog
        dialog.show()
        dialog.start()
        return dialog

    def _on_imported(self, report) -> None:
        if self.host.project is None:
            return
        try:
            self.host.project.changed_outside()  # the worker's own connection saved it
        except AnnotatorError as error:
            self.host.show_message(f"Could not read the import: {error}")
        if self.reliability.watcher is not None:
            self.reliability.watcher.sync()  # our own import: not "updated by another program"
        self.host.show_message(import_summary(report))

    # -- exporting ------------------------------------------------------------------------

    def export_dialog(self) -> ExportDialog | None:
        """File › Export…: window-modal, the writer on its own thread and connection."""
        host = self.host
        if host.project is None:
            return None
        dialog = ExportDialog(host.project, host.annotator_name,
                              host.session.document_id if host.session else None, self._parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # -- drag and drop --------------------------------------------------------------------

    def open_dropped(self, paths: list[Path]) -> None:
        """A dropped project opens; dropped documents go into the open project."""
        if not paths:
            return
        if len(paths) == 1 and is_project_file(paths[0]) or self.host.project is None:
            self.open_path(paths[0])
        else:
            self.run_import(paths)

    # -- dialogs --------------------------------------------------------------------------

    def edit_schema(self) -> None:
        if self.host.project is not None and self.host.stack is not None:
            SchemaEditor(self.host.project, self._parent,
                         on_applied=self.host.stack.push_applied).exec()

    def change_annotator_name(self) -> None:
        host = self.host
        name = ask_annotator_name(self._parent, host.annotator_name)
        if not name or name == host.annotator_name:
            return
        host.annotator_name = name
        host.settings.set(prefs.ANNOTATOR_NAME, name)
        host.annotator_label.setText(f"annotator: {name}")
        if host.project is not None:
            document_id = host.session.document_id if host.session else None
            host.set_project(self.reliability.open_project_file(host.project.path),
                             document_id=document_id)

    def show_about(self) -> None:
        QMessageBox.about(self._parent, "About News Annotator",
                          "<b>News Annotator</b><p>Annotate news articles offline: entities, "
                          "quotes and claims, with relations. Every edit is saved at once.</p>")

