"""Annotate › Edit labels: removing labels, layers and attributes, and refusing what spans use.

Every test drives the dialog as a user would (click a row, click Remove or press Delete,
click OK) and checks the schema the project saved, read back from the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QPushButton, QTreeView

from news_annotator.project import Project
from news_annotator_ui.dialogs.schema_editor import SchemaEditor
from tests.ui.window_fixtures import make_project_file

SPANS = (("doc-2", "ORG", (4, 23)), ("doc-2", "ORG", (16, 23)), ("doc-1", "PERSON", (0, 24)))


@pytest.fixture
def project(tmp_path):
    """A project with two ORG spans and one PERSON span; everything else unused."""
    with Project.open(make_project_file(tmp_path / "remove.annotator")) as opened:
        annotator = opened.annotator("ada")
        for uid, label, fragment in SPANS:
            opened.add_span(opened.documents.id_for_uid(uid), annotator.id, label, [fragment])
        yield opened


@pytest.fixture
def messages(monkeypatch) -> list[tuple[str, str]]:
    """(kind, text) of each message box the dialog shows; questions are answered Yes."""
    shown: list[tuple[str, str]] = []

    def warning(_parent, _title, text, *_args):
        shown.append(("warning", text))
        return QMessageBox.StandardButton.Ok

    def question(_parent, _title, text, *_args):
        shown.append(("question", text))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr("news_annotator_ui.dialogs.schema_editor.QMessageBox.warning", warning)
    monkeypatch.setattr("news_annotator_ui.dialogs.schema_editor.QMessageBox.question", question)
    return shown


def open_editor(qtbot, project: Project) -> SchemaEditor:
    editor = SchemaEditor(project)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def click_row(qtbot, view: QTreeView, *path: str) -> None:
    """Click the row reached by the first-column texts in `path` (layer, then label)."""
    model, index = view.model(), view.rootIndex()
    for text in path:
        index = next(model.index(r, 0, index) for r in range(model.rowCount(index))
                     if model.index(r, 0, index).data() == text)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(index).center())
    assert view.currentIndex() == index


def press_delete(qtbot, editor: SchemaEditor, view: QTreeView) -> None:
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_Delete)


def click_button(qtbot, editor: SchemaEditor, text: str) -> None:
    button = next(b for b in editor.findChildren(QPushButton) if b.text() == text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def click_ok(qtbot, editor: SchemaEditor) -> None:
    ok = editor.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def shown_rows(view: QTreeView, *path: str) -> list[str]:
    model, index = view.model(), view.rootIndex()
    for text in path:
        index = next(model.index(r, 0, index) for r in range(model.rowCount(index))
                     if model.index(r, 0, index).data() == text)
    return [model.index(r, 0, index).data() for r in range(model.rowCount(index))]


def reopened(project: Project) -> Project:
    return Project.open(Path(project.path), read_only=True)


def test_removing_unused_labels_is_saved_and_survives_reopening(qtbot, project, messages):
    editor = open_editor(qtbot, project)
    click_row(qtbot, editor.tree, "entity", "LOC")
    assert editor.remove_button.text() == "Remove label"
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    click_row(qtbot, editor.tree, "entity", "GPE")  # named in relation ends: they lose it
    press_delete(qtbot, editor, editor.tree)
    editor.labels.item(0).child(0).setText("PEOPLE")  # a rename alongside still applies
    assert shown_rows(editor.tree, "entity") == ["PEOPLE", "ORG", "NORP", "EVENT", "OTHER"]
    click_ok(qtbot, editor)
    assert messages == [] and editor.result() == editor.DialogCode.Accepted
    with reopened(project) as saved:
        entity = [label.name for label in saved.schema.layer("entity").labels]
        assert entity == ["PEOPLE", "ORG", "NORP", "EVENT", "OTHER"]
        assert saved.schema.relation_type("source").target_labels == (
            "PEOPLE", "ORG", "NORP", "OTHER")
        assert sorted(s.label for s in saved.spans.iter_all()) == ["ORG", "ORG", "PEOPLE"]


def test_removing_a_label_in_use_names_it_and_keeps_it(qtbot, project, messages):
    editor = open_editor(qtbot, project)
    click_row(qtbot, editor.tree, "entity", "ORG")
    press_delete(qtbot, editor, editor.tree)
    assert messages == [("warning", "ORG is used by 2 spans; relabel or delete them first.")]
    click_row(qtbot, editor.tree, "entity", "PERSON")
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert messages[1] == ("warning",
                           "PERSON is used by 1 span; relabel or delete them first.")
    assert {"ORG", "PERSON"} <= set(shown_rows(editor.tree, "entity"))
    click_ok(qtbot, editor)
    with reopened(project) as saved:
        assert saved.schema.layer("entity").label("ORG") is not None
        assert saved.schema.layer("entity").label("PERSON") is not None
        assert len(list(saved.spans.iter_all())) == 3


def test_removing_a_layer_takes_its_labels_and_orphaned_relation_types(qtbot, project,
                                                                      messages):
    editor = open_editor(qtbot, project)
    click_row(qtbot, editor.tree, "entity")
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert messages[0][0] == "warning" and messages[0][1].startswith(
        "Layer “entity” has labels in use: PERSON (1 span), ORG (2 spans)")
    click_button(qtbot, editor, "Add layer")
    click_button(qtbot, editor, "Add attribute")
    editor.labels.item(3).setText("sources")  # renamed: "layer4" is free again
    click_row(qtbot, editor.tree, "claim")
    assert editor.remove_button.text() == "Remove layer"
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert messages[1][0] == "question" and "claimant" in messages[1][1]
    assert shown_rows(editor.tree) == ["entity", "quote", "sources"]
    click_button(qtbot, editor, "Add layer")  # its attributes must not overwrite "sources"
    click_ok(qtbot, editor)
    assert editor.result() == editor.DialogCode.Accepted
    with reopened(project) as saved:
        layers = saved.schema.layers
        assert [layer.name for layer in layers] == ["entity", "quote", "sources", "layer4"]
        assert [len(layer.attributes) for layer in layers[2:]] == [1, 0]
        assert saved.schema.layer_of_label("CLAIM") is None
        assert [r.name for r in saved.schema.relation_types] == ["source", "cue"]


def test_declining_to_drop_a_relation_type_keeps_the_label(qtbot, project, monkeypatch):
    monkeypatch.setattr("news_annotator_ui.dialogs.schema_editor.QMessageBox.question",
                        lambda *_args: QMessageBox.StandardButton.No)
    editor = open_editor(qtbot, project)
    click_row(qtbot, editor.tree, "quote", "CUE")  # the only target of relation type "cue"
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert "CUE" in shown_rows(editor.tree, "quote")
    click_ok(qtbot, editor)
    with reopened(project) as saved:
        assert saved.schema.relation_type("cue").target_labels == ("CUE",)


def test_removing_an_attribute(qtbot, project, messages):
    editor = open_editor(qtbot, project)
    click_row(qtbot, editor.tree, "claim", "CLAIM")
    assert not editor.remove_attribute_button.isEnabled()  # nothing chosen yet
    click_row(qtbot, editor.attribute_view, "check_worthy")
    qtbot.mouseClick(editor.remove_attribute_button, Qt.MouseButton.LeftButton)
    assert shown_rows(editor.attribute_view) == ["type"]
    click_row(qtbot, editor.tree, "quote")
    click_row(qtbot, editor.attribute_view, "source_type")
    press_delete(qtbot, editor, editor.attribute_view)
    click_row(qtbot, editor.tree, "claim")  # the removal stays when the layer is revisited
    assert shown_rows(editor.attribute_view) == ["type"]
    click_ok(qtbot, editor)
    assert messages == []
    with reopened(project) as saved:
        assert [a.name for a in saved.schema.layer("claim").attributes] == ["type"]
        assert saved.schema.layer("quote").attributes == ()


def test_names_for_new_rows_skip_names_left_after_removals(qtbot, project, messages):
    editor = open_editor(qtbot, project)
    click_row(qtbot, editor.tree, "entity", "LOC")
    click_button(qtbot, editor, "Add label")  # LABEL13: the schema has 12 labels
    click_row(qtbot, editor.tree, "entity", "LOC")
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    click_button(qtbot, editor, "Add label")  # 12 labels again, and LABEL13 is taken
    for _ in range(2):
        click_button(qtbot, editor, "Add layer")
    click_row(qtbot, editor.tree, "layer4")
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    click_button(qtbot, editor, "Add layer")  # four layers again, and layer5 is taken
    click_ok(qtbot, editor)
    assert messages == [] and editor.result() == editor.DialogCode.Accepted
    with reopened(project) as saved:
        assert [layer.name for layer in saved.schema.layers][3:] == ["layer5", "layer6"]
        assert [label.name for label in saved.schema.layer("entity").labels][-2:] == [
            "LABEL13", "LABEL14"]
