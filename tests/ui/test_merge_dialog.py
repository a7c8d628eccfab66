"""File › Merge: merge two annotators' files on a worker thread, show the report or the
schema conflict."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from news_annotator.model import NewDocument
from news_annotator.project import Project
from news_annotator.schema import Label, default_schema
from tests.ui.window_fixtures import SECOND_TEXT, make_project_file, open_window


def open_other(qtbot, tmp_path):
    """The main window on a project that is not one of the inputs."""
    return open_window(qtbot, tmp_path, make_project_file(tmp_path / "open.annotator"))


def annotated(path, annotator: str, label: str, schema=None):
    """A one-document project file as an annotator sends it back (made with the core)."""
    with Project.create(path, schema) as project, project.transaction():
        project.documents.insert_many([NewDocument(text=SECOND_TEXT, uid="doc-1")])
    with Project.open(path) as project:
        document = project.documents.ids()[0]
        start = SECOND_TEXT.index("Ministry of Finance")
        project.add_span(document, project.annotator(annotator).id, label,
                         [(start, start + len("Ministry of Finance"))])
    return path


def test_merge_dialog_merges_two_files_and_shows_the_report(qtbot, tmp_path):
    a = annotated(tmp_path / "alice.annotator", "alice", "ORG")
    b = annotated(tmp_path / "bob.annotator", "bob", "GPE")
    window = open_other(qtbot, tmp_path)
    file_menu = window.menu_named("File")
    assert "Merge project files…" in [x.text().replace("&", "") for x in file_menu.actions()]
    dialog = window.review_menu.open_merge()
    out = tmp_path / "merged.annotator"
    dialog.set_inputs([a, b])
    dialog.set_output(out)
    with qtbot.waitSignal(dialog.merged, timeout=20000):
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    text = dialog.report.toPlainText()
    assert text.startswith(f"created {out}") and "total: 2 spans added" in text
    assert not dialog.error.isVisible() and dialog.merge_button.isEnabled()
    with Project.open(out, read_only=True) as merged:
        assert sorted(a.name for a in merged.annotators.all()) == ["alice", "bob"]
        assert sorted(s.label for s in merged.spans.iter_all()) == ["GPE", "ORG"]


def test_schema_conflict_is_shown_and_nothing_written(qtbot, tmp_path):
    schema = default_schema()
    moved = replace(schema, layers=tuple(
        replace(layer, labels=tuple(lb for lb in layer.labels if lb.name != "GPE"))
        if layer.name == "entity" else
        replace(layer, labels=layer.labels + (Label("GPE", "#123456"),))
        if layer.name == "claim" else layer for layer in schema.layers))
    a = annotated(tmp_path / "alice.annotator", "alice", "ORG")
    b = annotated(tmp_path / "bob.annotator", "bob", "GPE", schema=moved)
    window = open_other(qtbot, tmp_path)
    dialog = window.review_menu.open_merge()
    out = tmp_path / "merged.annotator"
    dialog.set_inputs([a, b])
    dialog.set_output(out)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=20000)
    assert "schemas conflict" in dialog.error.text() and "GPE" in dialog.error.text()
    assert dialog.report.toPlainText() == "Nothing was merged."
    assert not out.exists()
