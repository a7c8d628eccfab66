"""The window around the annotation: opening, importing, remembering, menus, dialogs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent

from news_annotator.project import Project
from news_annotator_ui import project_files
from news_annotator_ui import settings as prefs
from news_annotator_ui.dialogs.annotator_name import AnnotatorNameDialog
from news_annotator_ui.dialogs.schema_editor import SchemaEditor
from news_annotator_ui.dialogs.shortcuts import shortcuts_html
from tests.conftest import DEMO_CORPUS, ROOT
from tests.ui.window_fixtures import (
    ANNOTATOR,
    make_project_file,
    open_window,
    temporary_settings,
)


def copy_demo(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpora" / "demo"
    shutil.copytree(DEMO_CORPUS, corpus)
    return corpus


def test_screenshot_from_the_command_line(tmp_path):
    corpus = copy_demo(tmp_path)
    target = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="")  # --screenshot must force offscreen itself
    result = subprocess.run(
        [sys.executable, "-m", "news_annotator_ui.app", str(corpus), "--screenshot", str(target),
         "--document", "3", "--annotator", "shooter"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert target.stat().st_size > 20_000
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    project = corpus.with_name("demo.annotator")  # made next to the corpus, then reused
    with Project.open(project, read_only=True) as opened:
        assert opened.documents.count() > 10


def test_corpus_gets_a_project_beside_it_or_in_user_data(tmp_path, monkeypatch):
    corpus = copy_demo(tmp_path)
    path, to_import = project_files.resolve(corpus)
    assert path == corpus.with_name("demo.annotator") and to_import == corpus.resolve()
    Project.create(path).close()
    assert project_files.resolve(corpus) == (path, None)  # reused, nothing to import
    assert project_files.resolve(path) == (path.resolve(), None)
    other = tmp_path / "readonly" / "news"
    other.mkdir(parents=True)
    monkeypatch.setattr(project_files.os, "access", lambda *_args: False)
    elsewhere, _ = project_files.resolve(other)
    assert elsewhere.parent != other.parent and elsewhere.name.startswith("news-")


def test_open_corpus_imports_off_the_ui_thread(qtbot, tmp_path, monkeypatch):
    import time

    from news_annotator_ui.dialogs import import_progress

    real_import = import_progress.import_paths

    def slow_import(*args, **kwargs):  # warm caches make the demo import take ~5 ms
        time.sleep(0.2)
        return real_import(*args, **kwargs)

    monkeypatch.setattr(import_progress, "import_paths", slow_import)
    corpus = copy_demo(tmp_path)
    window = open_window(qtbot, tmp_path, corpus)
    dialog = window.files.import_dialog
    assert dialog is not None
    ticks = []
    timer = QTimer(window, interval=5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
    timer.stop()
    assert dialog.report.documents_added > 10
    qtbot.waitUntil(lambda: window.session.document is not None)
    assert window.corpus_model.rowCount() == dialog.report.documents_added
    assert window.document_label.text().startswith("doc 1 / ")
    assert ticks  # the event loop kept running during the import
    dialog.accept()
    window.close()


def test_window_remembers_layout_project_and_document(qtbot, tmp_path):
    path = make_project_file(tmp_path / "remember.annotator")
    settings = temporary_settings(tmp_path)
    from news_annotator_ui.main_window import MainWindow

    window = MainWindow(settings, annotator_name=ANNOTATOR)
    qtbot.addWidget(window)
    window.open_path(path)
    window.show()
    qtbot.waitExposed(window)
    window.open_document(2)
    window.resize(760, 560)  # within the offscreen screen (800x600)
    window.span_dock.hide()
    window.close()
    assert settings.get(prefs.LAST_PROJECT) == str(path.resolve())
    assert settings.get(prefs.RECENT_PROJECTS)[0] == str(path.resolve())

    again = MainWindow(settings, annotator_name=ANNOTATOR)
    qtbot.addWidget(again)
    again.open_path(settings.get(prefs.LAST_PROJECT))
    again.show()
    qtbot.waitExposed(again)
    assert again.session.document_id == 2
    assert (again.width(), again.height()) == (760, 560)
    assert not again.span_dock.isVisible()
    again.close()


def test_drop_a_project_file_opens_it(qtbot, tmp_path):
    first = make_project_file(tmp_path / "first.annotator")
    second = make_project_file(tmp_path / "second.annotator", ("Another text entirely.",))
    window = open_window(qtbot, tmp_path, first)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(second))])
    event = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)  # Qt delivers drops only inside a real drag; call the override
    assert window.project.path == second
    assert window.view.text() == "Another text entirely."
    window.close()


def test_status_bar_and_menus(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, make_project_file(tmp_path / "menus.annotator"))
    assert window.annotator_label.text() == f"annotator: {ANNOTATOR}"
    assert window.document_label.text() == "doc 1 / 2"
    assert window.spans_label.text() == "0 spans"
    assert window.saved_label.text() == "saved ✓"
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Edit", "View", "Annotate", "Navigate", "Review", "Help"]
    layer_toggles = [a.text() for a in window.menus.layers_menu.actions()]
    assert layer_toggles == ["Show entity", "Show quote", "Show claim"]
    # Ctrl+Q adds a quote fragment, so Quit moves aside instead of clashing
    assert window.menu_actions["quit"].shortcut().toString() == "Ctrl+Shift+Q"
    html = shortcuts_html(window.shortcut_sections())
    for expected in ("PERSON", "CLAIM", "Ctrl + label key", "Alt+Left", "Tab", "PgDown", "Ctrl+D",
                     "relation source", "Ctrl+Z", "Review window", "Gold keeps no span here"):
        assert expected in html
    window.close()


def test_schema_editor_renames_and_adds_labels(qtbot, tmp_path, monkeypatch):
    warnings = []
    monkeypatch.setattr("news_annotator_ui.dialogs.schema_editor.QMessageBox.warning",
                        lambda *args: warnings.append(args[2]))
    path = make_project_file(tmp_path / "schema.annotator")
    window = open_window(qtbot, tmp_path, path)
    window.view.setFocus()
    from tests.ui.window_fixtures import select_substring

    select_substring(window.view, "Zürich")
    qtbot.keyClick(window, Qt.Key.Key_3)
    editor = SchemaEditor(window.project, window)
    qtbot.addWidget(editor)
    entity = editor.labels.item(0, 0)
    gpe = next(entity.child(r, 0) for r in range(entity.rowCount())
               if entity.child(r, 0).text() == "GPE")
    gpe.setText("PLACE")
    editor.tree.setCurrentIndex(entity.index())
    editor.add_label()
    new = entity.child(entity.rowCount() - 1, 0)
    new.setText("PRODUCT")
    entity.child(entity.rowCount() - 1, 2).setText("8")
    editor.accept()
    assert warnings == []
    assert editor.result() == editor.DialogCode.Accepted
    assert "PRODUCT" in window.palette_bar.buttons and "PLACE" in window.palette_bar.buttons
    with Project.open(path, read_only=True) as project:
        assert [s.label for s in project.spans.iter_all()] == ["PLACE"]
        assert project.schema.layer("entity").label("PRODUCT").key == "8"
    select_substring(window.view, "Families")
    qtbot.keyClick(window, Qt.Key.Key_8)
    assert window.session.span(window.view.selected_span_id()).label == "PRODUCT"
    window.close()


def test_schema_editor_refuses_a_bad_schema(qtbot, tmp_path, monkeypatch):
    path = make_project_file(tmp_path / "bad.annotator")
    with Project.open(path) as project:
        editor = SchemaEditor(project)
        qtbot.addWidget(editor)
        entity = editor.labels.item(0, 0)
        entity.child(1, 2).setText("1")  # ORG takes PERSON's key
        warnings = []
        monkeypatch.setattr("news_annotator_ui.dialogs.schema_editor.QMessageBox.warning",
                            lambda *args: warnings.append(args[2]))
        editor.accept()
        assert warnings and "already used" in warnings[0]
        assert project.schema.layer("entity").label("ORG").key == "2"


def test_annotator_name_dialog_suggests_a_name(qtbot):
    dialog = AnnotatorNameDialog(name="Ada")
    qtbot.addWidget(dialog)
    assert dialog.name() == "Ada"


def test_settings_are_typed_with_defaults(tmp_path):
    settings = temporary_settings(tmp_path)
    assert settings.get(prefs.SNAP_TO_WORDS) is False
    assert settings.get(prefs.RECENT_PROJECTS) == []
    settings.set(prefs.SNAP_TO_WORDS, True)
    settings.set_last_document(tmp_path / "x.annotator", 42)
    for index in range(15):
        settings.add_recent_project(tmp_path / f"p{index}.annotator")
    assert settings.get(prefs.SNAP_TO_WORDS) is True
    assert settings.last_document(tmp_path / "x.annotator") == 42
    assert len(settings.get(prefs.RECENT_PROJECTS)) == prefs.MAX_RECENT


def test_search_index_catches_up_in_the_background(qtbot, tmp_path):
    from news_annotator.model import NewDocument
    from news_annotator.project import Project
    from tests.ui.window_fixtures import open_window

    path = tmp_path / "unindexed.annotator"
    with Project.create(path) as project, project.transaction():
        project.documents.insert_many(NewDocument(text=f"Story {i} about the harbour")
                                      for i in range(4500))
        assert project.documents.unindexed_count() == 4500
    window = open_window(qtbot, tmp_path, path)
    guard = window.reliability
    qtbot.waitUntil(lambda: guard.index_thread is None or guard.index_thread.isFinished(),
                    timeout=20_000)
    with Project.open(path) as project:
        assert project.documents.unindexed_count() == 0
        assert project.documents.indexed_upto() == max(project.documents.ids())
    window.close()
