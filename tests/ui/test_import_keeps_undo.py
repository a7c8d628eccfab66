"""An import into the open project reaches the window through the one "saved
elsewhere" path: new labels appear, and the undo history survives (it used to be
dropped, because the window reopened the project to see the new labels)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from news_annotator.formats.common.records import ReadOptions
from news_annotator_ui.dialogs.import_options import ImportChoices
from tests.ui.window_fixtures import (
    SECOND_TEXT,
    make_project_file,
    open_window,
    select_substring,
    stored_spans,
)


def brat_with_a_new_label(folder):
    folder.mkdir()
    (folder / "wire.txt").write_text(SECOND_TEXT, "utf-8")
    start = SECOND_TEXT.index("Monday")
    (folder / "wire.ann").write_text(f"T1\tDate {start} {start + 6}\tMonday\n", "utf-8")
    return folder


def test_an_import_that_adds_labels_keeps_the_undo_history(qtbot, tmp_path):
    path = make_project_file(tmp_path / "p.annotator")
    window = open_window(qtbot, tmp_path, path)
    select_substring(window.view, "Zürich")
    qtbot.keyClick(window, Qt.Key.Key_3)  # GPE
    assert window.stack.count() == 1
    project_before = window.project

    choices = ImportChoices("brat", ReadOptions(annotator="tester", add_labels=True))
    dialog = window.files.run_import([brat_with_a_new_label(tmp_path / "brat")], choices=choices)
    qtbot.waitUntil(lambda: dialog.report is not None or bool(dialog.error), timeout=30_000)
    assert not dialog.error
    qtbot.waitUntil(lambda: window.project.schema.layer_of_label("Date") is not None, timeout=5_000)

    assert window.project is project_before  # not reopened
    assert window.stack.count() == 1 and window.stack.canUndo()
    assert any("Date" in action.text() for action in window.schema_actions.all_actions())
    window.undo_action.trigger()
    assert [s.text for s in stored_spans(path) if s.label == "GPE"] == []
    assert [s.label for s in stored_spans(path)] == ["Date"]
    window.close()
