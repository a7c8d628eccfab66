"""File › Import: the dialog runs the import on a worker thread and shows its progress."""

from __future__ import annotations

from annotator.importing import ImportProgress
from annotator.project import Project
from tests.conftest import DEMO_CORPUS


def test_import_dialog_reports_progress_then_the_result(qtbot, tmp_path):
    from ui.dialogs.import_progress import ImportDialog

    path = tmp_path / "p.annotator"
    Project.create(path).close()
    dialog = ImportDialog(path, [DEMO_CORPUS])
    qtbot.addWidget(dialog)
    heard: list[ImportProgress] = []
    dialog.task.progress.connect(heard.append)
    bar_values: list[int] = []
    dialog.task.progress.connect(lambda _: bar_values.append(dialog.bar.value())
                                 if dialog.bar.maximum() == 1000 else None)  # by bytes
    dialog.start()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
    dialog.wait()
    assert heard and all(isinstance(p, ImportProgress) for p in heard)
    assert heard[-1].files_done == heard[-1].files_total == dialog.report.files
    assert heard[-1].documents == dialog.report.documents_read > 20
    assert heard[-1].bytes_done == heard[-1].bytes_total > 0
    assert bar_values == sorted(bar_values) and len(set(bar_values)) > 2  # it moved
    assert "Added" in dialog.status.text() and dialog.buttons.isEnabled()
    with Project.open(path) as project:
        assert project.documents.count() == dialog.report.documents_added
        assert project.documents.unindexed_count() == 0  # indexed on the worker too


def test_import_dialog_shows_the_error_and_imports_nothing(qtbot, tmp_path):
    from ui.dialogs.import_progress import ImportDialog

    path = tmp_path / "p.annotator"
    Project.create(path).close()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": \n', encoding="utf-8")
    dialog = ImportDialog(path, [DEMO_CORPUS, bad])
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: bool(dialog.error), timeout=30_000)
    dialog.wait()
    assert f"{bad}:2" in dialog.error and "Nothing was imported" in dialog.status.text()
    with Project.open(path) as project:
        assert project.documents.count() == 0
