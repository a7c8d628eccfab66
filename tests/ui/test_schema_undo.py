"""Edit labels is an undoable edit like any other (it bypassed the undo stack)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from news_annotator.commands import SetSchema
from news_annotator.errors import SchemaError
from news_annotator_ui.dialogs.schema_editor import SchemaEditor
from tests.ui.window_fixtures import make_project_file, open_window, select_substring, stored_spans


def rename_gpe_to_place(editor: SchemaEditor) -> int:
    """What a user does in the dialog: rename a label, press OK."""
    entity = editor.labels.item(0, 0)
    gpe = next(entity.child(r, 0) for r in range(entity.rowCount())
               if entity.child(r, 0).text() == "GPE")
    gpe.setText("PLACE")
    editor.accept()
    return editor.result()


def test_a_label_rename_undoes_and_redoes_with_its_spans(qtbot, tmp_path, monkeypatch):
    path = make_project_file(tmp_path / "p.annotator")
    window = open_window(qtbot, tmp_path, path)
    select_substring(window.view, "Zürich")
    qtbot.keyClick(window, Qt.Key.Key_3)  # GPE
    monkeypatch.setattr(SchemaEditor, "exec", rename_gpe_to_place)
    window.files.edit_schema()
    assert window.stack.count() == 2 and window.stack.undoText() == "edit labels"
    assert [s.label for s in stored_spans(path)] == ["PLACE"]
    assert "PLACE" in window.palette_bar.buttons

    window.undo_action.trigger()
    assert [s.label for s in stored_spans(path)] == ["GPE"]
    assert window.project.schema.layer("entity").label("PLACE") is None
    assert "GPE" in window.palette_bar.buttons and "PLACE" not in window.palette_bar.buttons
    window.redo_action.trigger()
    assert [s.label for s in stored_spans(path)] == ["PLACE"]
    assert "PLACE" in window.palette_bar.buttons
    window.close()


def test_undo_refuses_when_spans_use_a_label_the_old_schema_lacks(project):
    from dataclasses import replace

    from news_annotator.model import NewDocument
    from news_annotator.schema import Label

    with project.transaction():
        project.documents.insert_many([NewDocument(text="A budget vote.", uid="d")])
    entity = project.schema.layer("entity")
    wider = replace(project.schema, layers=tuple(
        replace(layer, labels=layer.labels + (Label("LAW", "#123456"),))
        if layer is entity else layer for layer in project.schema.layers))
    command = SetSchema(wider)
    command.apply(project)
    project.add_span(1, project.annotator("me").id, "LAW", [(2, 8)])
    with pytest.raises(SchemaError, match="LAW"):
        command.revert(project)
