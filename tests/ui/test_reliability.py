"""The window when the project file misbehaves: another writer holds the lock, another
program edits it, it is deleted, it cannot be written. The window never crashes, says
why in the banner, and nothing already saved is lost."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from news_annotator.backup import rolling_folder
from news_annotator.project import Project
from news_annotator.store.database import FORMAT_VERSION
from news_annotator_ui import settings as prefs
from news_annotator_ui.project_watch import POLL_MS
from news_annotator_ui.window_reliability import LOCKED_HINT
from tests.ui.window_fixtures import (
    ANNOTATOR,
    make_project_file,
    open_window,
    select_substring,
    stored_spans,
)


@pytest.fixture
def project_path(tmp_path):
    return make_project_file(tmp_path / "work.annotator")


@pytest.fixture
def window(qtbot, tmp_path, project_path):
    window = open_window(qtbot, tmp_path, project_path)
    yield window
    window.close()


def hold_write_lock(path: Path) -> sqlite3.Connection:
    """Another program in the middle of a write: it holds SQLite's write lock."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    return other


def label_zurich(qtbot, window) -> None:
    select_substring(window.view, "Zürich")
    qtbot.keyClick(window, Qt.Key.Key_3)  # GPE


# -- another writer holds the lock -------------------------------------------------------

def test_edit_waits_for_a_short_lock_and_proceeds(qtbot, window, project_path):
    other = hold_write_lock(project_path)
    threading.Timer(0.4, lambda: other.execute("COMMIT")).start()
    label_zurich(qtbot, window)  # waits (busy timeout 5 s) until the other commits
    assert [s.text for s in stored_spans(project_path)] == ["Zürich"]
    assert window.stack.count() == 1
    assert not window.reliability.banner_bar.isVisible()
    other.close()


def test_edit_fails_cleanly_while_locked_and_works_afterwards(qtbot, window, project_path):
    window.project.db.set_busy_timeout(150)
    other = hold_write_lock(project_path)
    label_zurich(qtbot, window)
    assert window.stack.count() == 0  # nothing half-applied on the undo stack
    assert window.session.spans == {}
    assert window.reliability.banner_bar.isVisible()
    assert window.reliability.banner.message() == f"Your last edit was not saved: {LOCKED_HINT}"
    assert window.saved_label.text() == "not saved ✗"
    assert "locked" in window.statusBar().currentMessage()
    other.execute("COMMIT")
    other.close()
    assert stored_spans(project_path) == []
    label_zurich(qtbot, window)
    assert [s.text for s in stored_spans(project_path)] == ["Zürich"]
    assert window.stack.count() == 1 and window.saved_label.text() == "saved ✓"


def test_undo_and_redo_that_fail_leave_the_stack_where_it_was(qtbot, window, project_path):
    label_zurich(qtbot, window)
    window.project.db.set_busy_timeout(100)
    other = hold_write_lock(project_path)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: window.stack.index() == 1)  # stepped back after the failure
    assert window.reliability.banner.message() == f"Could not undo 'add GPE': {LOCKED_HINT}"
    assert [s.text for s in stored_spans(project_path)] == ["Zürich"]
    assert len(window.session.spans) == 1
    other.execute("COMMIT")
    window.undo_action.trigger()  # the lock is gone: undo works on the same command
    assert window.stack.index() == 0 and stored_spans(project_path) == []
    other.execute("BEGIN IMMEDIATE")
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: window.stack.index() == 0)
    assert stored_spans(project_path) == [] and window.session.spans == {}
    other.execute("COMMIT")
    other.close()
    window.redo_action.trigger()
    assert window.stack.index() == 1
    assert [s.text for s in stored_spans(project_path)] == ["Zürich"]


# -- another program edits ----------------------------------------------------------------

def test_watcher_shows_spans_another_program_added(qtbot, window, project_path):
    timer = window.reliability.watcher.timer
    assert timer.isActive() and timer.interval() == POLL_MS <= 1000
    document_id = window.session.document_id
    start = window.view.text().index("Zürich")
    assert not window.reliability.watcher.poll()  # nothing happened yet
    with Project.open(project_path) as other:
        me = other.annotator(ANNOTATOR)
        added = other.add_span(document_id, me.id, "GPE", [(start, start + 6)])
    assert window.reliability.watcher.poll()
    assert added.id in window.session.spans
    assert [s.id for s in window.view.spans_at(start + 1)] == [added.id]
    assert window.spans_label.text() == "1 span"
    assert window.statusBar().currentMessage() == "Updated by another program"
    row = window.corpus_model.cached_row_of(document_id)
    assert window.corpus_model.summary(row).span_count == 1
    with Project.open(project_path) as other:
        other.delete_span(added.id)
    qtbot.waitUntil(lambda: window.session.spans == {}, timeout=4000)  # the timer's poll


def test_our_own_edits_are_not_news(qtbot, window):
    label_zurich(qtbot, window)
    assert not window.reliability.watcher.poll()


# -- the file is deleted, or cannot be written --------------------------------------------

def test_deleted_file_banner_and_save_a_copy_keeps_everything(qtbot, window, project_path,
                                                              tmp_path, monkeypatch):
    label_zurich(qtbot, window)
    project_path.unlink()
    window.reliability.watcher.poll()
    assert window.reliability.banner_bar.isVisible()
    assert "deleted or moved" in window.reliability.banner.message()
    assert window.reliability.banner.button_texts() == ["Save a copy…"]
    select_substring(window.view, "Søren Ødegård")
    qtbot.keyClick(window, Qt.Key.Key_1)  # fails cleanly: the file is gone
    assert len(window.session.spans) == 1 and window.stack.count() == 1
    copy = tmp_path / "rescued.annotator"
    monkeypatch.setattr("news_annotator_ui.window_reliability.QFileDialog.getSaveFileName",
                        lambda *args, **kwargs: (str(copy), ""))
    window.reliability.banner.click("Save a copy…")
    assert [s.text for s in stored_spans(copy)] == ["Zürich"]
    with Project.open(copy, read_only=True) as rescued:
        assert rescued.documents.count() == 2


def test_unwritable_file_opens_read_only_with_a_banner(qtbot, tmp_path, project_path,
                                                       monkeypatch):
    # Tests run as root, which may write anything: pretend the permission is missing.
    monkeypatch.setattr("news_annotator_ui.window_reliability.unwritable_reason",
                        lambda path: "you do not have permission to change this file")
    window = open_window(qtbot, tmp_path, project_path)
    assert window.project.read_only
    assert window.reliability.banner.message().startswith(
        "Read-only: you do not have permission to change this file")
    label_zurich(qtbot, window)  # a label key shows why, and nothing crashes
    assert "read-only" in window.statusBar().currentMessage()
    assert stored_spans(project_path) == [] and window.stack.count() == 0
    window.close()


def test_file_from_a_newer_version_is_refused_naming_both_versions(qtbot, tmp_path,
                                                                    project_path):
    connection = sqlite3.connect(project_path)
    connection.execute(f"PRAGMA user_version = {FORMAT_VERSION + 1}")
    connection.close()
    from news_annotator_ui.main_window import MainWindow
    from tests.ui.window_fixtures import temporary_settings

    window = MainWindow(temporary_settings(tmp_path), annotator_name=ANNOTATOR)
    qtbot.addWidget(window)
    errors = []
    window.report_error = lambda title, error: errors.append(str(error))
    assert not window.open_path(project_path)
    assert window.project is None
    assert f"version {FORMAT_VERSION + 1}" in errors[0]
    assert f"version {FORMAT_VERSION})" in errors[0]


# -- backups -------------------------------------------------------------------------------

def test_opening_makes_todays_rolling_backup_off_the_ui_thread(qtbot, window, project_path):
    assert window.reliability.backup_thread is not None
    window.reliability.backup_thread.wait(10_000)
    today = rolling_folder(project_path) / f"{date.today().isoformat()}.annotator"
    with Project.open(today, read_only=True) as copy:
        assert copy.documents.count() == 2


def test_rolling_backups_can_be_turned_off(qtbot, tmp_path, project_path):
    from news_annotator_ui.main_window import MainWindow
    from tests.ui.window_fixtures import temporary_settings

    settings = temporary_settings(tmp_path)
    settings.set(prefs.BACKUP_KEEP_DAYS, 0)
    window = MainWindow(settings, annotator_name=ANNOTATOR)
    qtbot.addWidget(window)
    window.open_path(project_path)
    assert window.reliability.backup_thread is None
    window.close()


def test_back_up_now_writes_a_complete_copy(qtbot, window, tmp_path):
    label_zurich(qtbot, window)
    target = window.reliability.back_up_now(tmp_path / "manual.annotator")
    assert target == tmp_path / "manual.annotator"
    assert [s.text for s in stored_spans(target)] == ["Zürich"]
    assert window.menu_actions["backup_now"].isEnabled()
