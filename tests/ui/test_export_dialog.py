"""File › Export… and the import options, driven through the dialogs on a demo project."""

from __future__ import annotations

import json

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent

from news_annotator.exporting import ExportRequest
from news_annotator.importing import import_paths
from news_annotator.model import Status
from news_annotator.project import Project
from news_annotator_ui.dialogs.import_options import ImportOptionsDialog
from news_annotator_ui.export_worker import ExportWorker
from tests.conftest import DEMO_CORPUS
from tests.ui.window_fixtures import open_window


@pytest.fixture
def demo_path(tmp_path):
    """The demo corpus with spans by alice (2 documents) and bob (1), alice done with one."""
    path = tmp_path / "demo.annotator"
    with Project.create(path) as project:
        import_paths(project, [DEMO_CORPUS])
        alice, bob = project.annotator("alice"), project.annotator("bob")
        first, second = project.documents.ids()[:2]
        for document_id in (first, second):
            text = project.documents.get(document_id).text
            end = text.index(" ")
            project.add_span(document_id, alice.id, "ORG", [(0, end)])
        project.add_span(first, bob.id, "PERSON", [(0, 3)])
        project.set_status(second, alice.id, Status.DONE)
    return path


@pytest.fixture
def window(qtbot, tmp_path, demo_path):
    window = open_window(qtbot, tmp_path, demo_path)
    yield window
    window.close()


def run(qtbot, dialog) -> None:
    assert dialog.start(), dialog.error
    qtbot.waitUntil(lambda: dialog.result_count is not None or bool(dialog.error),
                    timeout=20_000)
    dialog.wait()


def test_the_export_worker_is_not_destroyed_on_its_own_thread(qtbot, window, tmp_path):
    """As tests/ui/test_task.py: destroyed on its ended thread, a worker could hang the
    UI thread (Qt's connection lock against the interpreter)."""
    dialog = window.files.export_dialog()
    dialog.set_output(tmp_path / "all.json")
    run(qtbot, dialog)
    for _ in range(3):
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not dialog.error and shiboken6.isValid(dialog.worker)
    dialog.reject()


def test_export_dialog_lists_writable_formats_with_descriptions(qtbot, window):
    dialog = window.files.export_dialog()
    names = [dialog.format_box.itemData(i) for i in range(dialog.format_box.count())]
    assert {"json", "brat", "xmi", "conll"} <= set(names)
    assert "text" not in names and "html" not in names  # import-only formats
    assert dialog.format_box.currentText().startswith("json — our project JSON")
    dialog.set_format("brat")
    assert dialog.path_label.text() == "Folder"
    assert dialog.path_edit.text().endswith("demo-brat")
    dialog.reject()


def test_export_json_for_one_annotator(qtbot, window, tmp_path):
    dialog = window.files.export_dialog()
    out = tmp_path / "alice.json"
    dialog.set_output(out)
    dialog.set_annotators({"alice"})
    run(qtbot, dialog)
    assert dialog.result_count == 30 and not dialog.error
    assert dialog.bar.value() == dialog.bar.maximum()
    data = json.loads(out.read_text("utf-8"))
    owners = {s["annotator"] for d in data["documents"] for s in d["spans"]}
    assert owners == {"alice"}
    assert sum(len(d["spans"]) for d in data["documents"]) == 2
    assert not list(tmp_path.glob(".*.partial*"))
    dialog.reject()


def test_export_chosen_layers_only(qtbot, window, tmp_path, demo_path):
    with Project.open(demo_path) as project:
        first = project.documents.ids()[0]
        project.add_span(first, project.annotator("alice").id, "DIRECT", [(5, 20)])
    dialog = window.files.export_dialog()
    out = tmp_path / "people.json"
    dialog.set_output(out)
    assert [box.text() for box in dialog.layer_boxes] == ["entity", "quote", "claim"]
    for box in dialog.layer_boxes:
        box.setChecked(False)
    assert dialog.start() is False and "at least one layer" in dialog.error
    next(box for box in dialog.layer_boxes if box.text() == "entity").setChecked(True)
    run(qtbot, dialog)
    data = json.loads(out.read_text("utf-8"))
    assert {s["layer"] for d in data["documents"] for s in d["spans"]} == {"entity"}
    everything = tmp_path / "all.json"
    dialog.set_output(everything)
    for box in dialog.layer_boxes:
        box.setChecked(True)
    run(qtbot, dialog)
    data = json.loads(everything.read_text("utf-8"))
    assert {s["layer"] for d in data["documents"] for s in d["spans"]} == {"entity", "quote"}
    dialog.reject()


def test_export_brat_folder_of_documents_done(qtbot, window, tmp_path):
    window.annotator_name = "alice"
    dialog = window.files.export_dialog()
    dialog.set_format("brat")
    out = tmp_path / "brat"
    dialog.set_output(out)
    dialog.set_scope("done")
    dialog.set_annotators({"alice"})
    run(qtbot, dialog)
    assert dialog.result_count == 1, dialog.error
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert "01.ann" in files and "01.txt" in files  # one annotator: no folder per annotator
    ann = (out / "01.ann").read_text("utf-8")
    assert "ORG" in ann and "PERSON" not in ann  # bob's span stays out
    dialog.reject()


def test_export_current_document_and_clear_errors(qtbot, window, tmp_path):
    dialog = window.files.export_dialog()
    dialog.set_format("jsonl")
    dialog.set_output(tmp_path / "one.jsonl")
    dialog.set_scope("current")
    run(qtbot, dialog)
    assert dialog.result_count == 1
    lines = (tmp_path / "one.jsonl").read_text("utf-8").splitlines()
    assert len([line for line in lines if '"text"' in line]) == 1
    dialog.set_scope("done")  # the window's annotator ("tester") finished nothing
    assert not dialog.start()
    assert dialog.error == "No document is marked done by tester."
    dialog.set_annotators(set())
    dialog.set_scope("all")
    assert not dialog.start() and dialog.error == "Choose at least one annotator."
    dialog.reject()


def test_writer_errors_are_shown_and_leave_no_file(qtbot, window, tmp_path):
    dialog = window.files.export_dialog()
    dialog.set_format("brat")
    blocker = tmp_path / "taken"
    blocker.write_text("a file where a folder should go")
    dialog.set_output(blocker)
    assert not dialog.start()
    assert "is a file" in dialog.error
    dialog.reject()


def test_cancel_stops_the_writer_and_removes_the_partial_file(demo_path, tmp_path):
    out = tmp_path / "cancelled.json"
    worker = ExportWorker(ExportRequest(demo_path, out, "json"))
    outcome = []
    worker.cancelled.connect(lambda: outcome.append("cancelled"))
    worker.finished.connect(lambda *args: outcome.append(("finished", args)))
    worker.cancel()
    worker.run()  # on this thread: the first progress call stops it
    assert outcome == ["cancelled"]
    assert not out.exists() and not list(tmp_path.glob(".*.partial*"))


def test_import_options_become_read_options(qtbot):
    dialog = ImportOptionsDialog(2)
    qtbot.addWidget(dialog)
    assert dialog.choices().format_name is None
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("brat"))
    dialog.annotator_edit.setText(" carol ")
    dialog.add_labels.setChecked(True)
    dialog.skip_bad.setChecked(True)
    choices = dialog.choices()
    assert choices.format_name == "brat"
    assert (choices.options.annotator, choices.options.add_labels,
            choices.options.skip_bad) == ("carol", True, True)


def test_run_import_with_forced_format_and_annotator(qtbot, window, tmp_path):
    from news_annotator.formats.common.records import ReadOptions
    from news_annotator_ui.dialogs.import_options import ImportChoices

    source = tmp_path / "extra.txt"
    source.write_text("Ministers met in Oslo on Friday.", encoding="utf-8")
    dialog = window.files.run_import([source], choices=ImportChoices("text",
                                                               ReadOptions(annotator="carol")))
    qtbot.waitUntil(lambda: dialog.report is not None or bool(dialog.error), timeout=20_000)
    dialog.wait()
    assert dialog.report.documents_added == 1
    qtbot.waitUntil(lambda: window.corpus_model.rowCount() == 31)
    assert not window.reliability.watcher.poll()  # our own import is not "another program"


def _contents(out) -> dict[str, bytes]:
    """What an export holds: a file's bytes, a folder's or a zip's files by name."""
    import zipfile

    if out.is_dir():
        return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
                if p.is_file()}
    if out.suffix == ".zip":  # a zip stamps each member with the time it was written
        with zipfile.ZipFile(out) as archive:
            return {name: archive.read(name) for name in archive.namelist()}
    return {"": out.read_bytes()}


def test_cli_and_app_write_the_same_bytes(qtbot, window, tmp_path, demo_path, monkeypatch):
    from news_annotator.cli import main

    monkeypatch.setattr("news_annotator.project.utc_now", lambda: "2026-01-02T03:04:05+00:00")
    with Project.open(demo_path) as project:
        first = project.documents.ids()[0]
        project.add_span(first, project.annotator("alice").id, "DIRECT", [(5, 20)])
        project.add_span(first, project.annotator("alice").id, "CLAIM", [(25, 40)])
    targets = {"json": "x.json", "jsonl": "x.jsonl", "xml": "x.xml", "csv": "x.tsv",
               "conll": "x.conll", "doccano": "x.jsonl", "labelstudio": "x.json",
               "brat": "brat", "xmi": "xmi"}
    for format_name, name in [*targets.items(), ("xmi", "x.zip")]:
        by_app = tmp_path / "app" / format_name / name
        by_cli = tmp_path / "cli" / format_name / name
        by_app.parent.mkdir(parents=True, exist_ok=True)
        by_cli.parent.mkdir(parents=True, exist_ok=True)
        dialog = window.files.export_dialog()
        dialog.set_format(format_name)
        dialog.set_output(by_app)
        dialog.set_annotators({"alice"})
        next(box for box in dialog.layer_boxes if box.text() == "claim").setChecked(False)
        run(qtbot, dialog)
        assert dialog.result_count == 30, dialog.error
        dialog.reject()
        assert main(["export", str(demo_path), "--format", format_name, "--out", str(by_cli),
                     "--annotator", "alice", "--layer", "entity", "--layer", "quote"]) == 0
        assert _contents(by_app) == _contents(by_cli), format_name


def test_a_failing_export_shows_why_and_keeps_the_old_file(qtbot, window, tmp_path,
                                                           monkeypatch):
    from news_annotator.formats import get_format

    native_json = get_format("json").module
    out = tmp_path / "kept.json"
    out.write_text("the previous export", encoding="utf-8")
    real = native_json.write

    def failing(project, target, *, progress=None, **options):
        def tick(done: int) -> None:
            progress(done)
            if done == 3:
                raise OSError(28, "No space left on device")

        return real(project, target, progress=tick, **options)

    monkeypatch.setattr(native_json, "write", failing)
    dialog = window.files.export_dialog()
    dialog.set_output(out)
    run(qtbot, dialog)
    assert dialog.result_count is None
    assert dialog.error.startswith("Nothing was exported: ") and "No space left" in dialog.error
    assert out.read_text("utf-8") == "the previous export"
    assert not list(tmp_path.glob(".*.partial*"))
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "thesis.docx").write_bytes(b"years of work")
    dialog.set_format("brat")
    dialog.set_output(papers)
    assert not dialog.start() and "thesis.docx" in dialog.error
    dialog.reject()
