"""File › Import: the dialog runs the import on a worker thread and shows its progress;
a clean import closes it (the status bar says what came in), a failure keeps it open."""

from __future__ import annotations

from news_annotator.formats.common.records import ReadOptions
from news_annotator.importing import ImportProgress
from news_annotator.project import Project
from news_annotator_ui.dialogs.import_options import ImportChoices
from tests.conftest import DEMO_CORPUS
from tests.ui.window_fixtures import make_project_file, open_window


def test_import_dialog_reports_progress_then_the_result(qtbot, tmp_path):
    from news_annotator_ui.dialogs.import_progress import ImportDialog

    path = tmp_path / "p.annotator"
    Project.create(path).close()
    dialog = ImportDialog(path, [DEMO_CORPUS])
    qtbot.addWidget(dialog)
    heard: list[ImportProgress] = []
    dialog.task.progress.connect(heard.append)
    bar_values: list[int] = []
    dialog.task.progress.connect(lambda _: bar_values.append(dialog.bar.value())
                                 if dialog.bar.maximum() == 1000 else None)  # by bytes
    dialog.show()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
    dialog.wait()
    assert heard and all(isinstance(p, ImportProgress) for p in heard)
    assert heard[-1].files_done == heard[-1].files_total == dialog.report.files
    assert heard[-1].documents == dialog.report.documents_read > 20
    assert heard[-1].bytes_done == heard[-1].bytes_total > 0
    assert bar_values == sorted(bar_values) and len(set(bar_values)) > 2  # it moved
    assert dialog.status.text().startswith(f"Imported {dialog.report.documents_added} new")
    assert not dialog.isVisible()  # finished cleanly: closed without a click
    with Project.open(path) as project:
        assert project.documents.count() == dialog.report.documents_added
        assert project.documents.unindexed_count() == 0  # indexed on the worker too


def test_a_clean_import_closes_quietly_with_the_summary_in_the_status_bar(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, make_project_file(tmp_path / "p.annotator"))
    dialog = window.files.run_import([DEMO_CORPUS])
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    added = dialog.report.documents_added
    assert added > 20 and not dialog.report.skipped
    assert f"Imported {added:,} new documents" in window.statusBar().currentMessage()
    assert window.corpus_model.rowCount() == added + 2
    window.close()


def test_an_import_that_skipped_files_stays_open_until_closed(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, make_project_file(tmp_path / "p.annotator"))
    bad = tmp_path / "feed.jsonl"
    bad.write_text('{"text": "A fine article."}\n{"text": \n', encoding="utf-8")
    dialog = window.files.run_import([bad], choices=ImportChoices(None, ReadOptions(skip_bad=True)))
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
    dialog.wait()
    qtbot.wait(50)  # a close would have happened by now
    assert dialog.report.skipped and dialog.report.documents_added == 1
    assert dialog.isVisible() and dialog.buttons.isEnabled()
    assert f"{bad}:2" in dialog.status.text()
    assert "Imported 1 new documents" in window.statusBar().currentMessage()
    dialog.buttons.button(dialog.buttons.StandardButton.Close).click()
    assert not dialog.isVisible()
    window.close()


def test_an_import_with_warnings_stays_open_and_counts_them(qtbot, tmp_path):
    """A brat text field cut at a line break: imported, with a warning to read."""
    window = open_window(qtbot, tmp_path, make_project_file(tmp_path / "p.annotator"))
    folder = tmp_path / "brat"
    folder.mkdir()
    text = "The minister said\nthat talks would go on."
    (folder / "a.txt").write_text(text, "utf-8")
    (folder / "a.ann").write_text(f"T1\tEVENT 4 {len(text) - 1}\tminister said\n", "utf-8")
    dialog = window.files.run_import([folder], choices=ImportChoices(
        "brat", ReadOptions(annotator="tester")))
    qtbot.waitUntil(lambda: dialog.report is not None or bool(dialog.error), timeout=30_000)
    dialog.wait()
    qtbot.wait(50)
    assert not dialog.error and len(dialog.report.warnings) == 1
    assert dialog.isVisible() and "warnings 1" in dialog.status.text()
    assert dialog.report.spans_added == 1
    dialog.buttons.button(dialog.buttons.StandardButton.Close).click()
    window.close()


def test_import_dialog_shows_the_error_and_imports_nothing(qtbot, tmp_path):
    from news_annotator_ui.dialogs.import_progress import ImportDialog

    path = tmp_path / "p.annotator"
    Project.create(path).close()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": \n', encoding="utf-8")
    dialog = ImportDialog(path, [DEMO_CORPUS, bad])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    qtbot.waitUntil(lambda: bool(dialog.error), timeout=30_000)
    dialog.wait()
    qtbot.wait(50)
    assert f"{bad}:2" in dialog.error and "Nothing was imported" in dialog.status.text()
    assert dialog.isVisible() and dialog.buttons.isEnabled()  # stays to be read
    with Project.open(path) as project:
        assert project.documents.count() == 0
