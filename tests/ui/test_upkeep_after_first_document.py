"""Upkeep waits for the first document: the daily copy and the search index's catch-up
start once its suggestions are drawn, never racing them; they still happen, and a search
issued before them works."""

from __future__ import annotations

from datetime import date

import pytest

from news_annotator.backup import rolling_folder
from news_annotator.model import NewDocument
from news_annotator.project import Project
from news_annotator_ui import window_reliability
from news_annotator_ui.suggestion_config import SUGGESTION_PROJECTS
from tests.ui.window_fixtures import ANNOTATOR, temporary_settings

RARE = "Zanzibarish"
DOCUMENTS = window_reliability.QUICK_INDEX + 100  # enough for the index's own thread


@pytest.fixture
def imported(tmp_path):
    """A project as an import leaves it: nothing indexed for search, no copy today."""
    path = tmp_path / "imported.annotator"
    with Project.create(path) as project, project.transaction():
        project.documents.insert_many(
            NewDocument(text=f"“Prices rose,” the minister of {RARE if i == 150 else 'Oslo'} "
                             f"said on day {i}.", title=f"Story {i}")
            for i in range(DOCUMENTS))
    return path


def todays_copy(path):
    return rolling_folder(path) / f"{date.today().isoformat()}.annotator"


def unindexed(path) -> int:
    with Project.open(path, read_only=True) as project:
        return project.documents.unindexed_count()


def suggesting_window(qtbot, tmp_path, path):
    from news_annotator_ui.main_window import MainWindow

    settings = temporary_settings(tmp_path)
    settings.set(SUGGESTION_PROJECTS, {str(path.resolve()): {"enabled": True}})
    window = MainWindow(settings, annotator_name=ANNOTATOR)
    qtbot.addWidget(window)
    window.show()
    return window


def started(thread) -> bool:
    return thread is not None and (thread.isRunning() or thread.isFinished())


def test_upkeep_starts_after_the_first_documents_suggestions_are_drawn(qtbot, tmp_path,
                                                                       imported):
    window = suggesting_window(qtbot, tmp_path, imported)
    guard = window.reliability
    at_first_draw = []
    window.suggestions.shown.connect(lambda _document: at_first_draw.append(
        (started(guard.backup_thread), started(guard.index_thread), unindexed(imported),
         todays_copy(imported).exists())) if not at_first_draw else None)
    window.open_path(imported)
    qtbot.waitUntil(lambda: bool(at_first_draw), timeout=10_000)
    assert at_first_draw == [(False, False, DOCUMENTS, False)]  # nothing raced the build

    qtbot.waitUntil(todays_copy(imported).exists, timeout=15_000)  # then it all happens
    qtbot.waitUntil(lambda: guard.index_thread is None, timeout=15_000)
    assert unindexed(imported) == 0  # the catch-up's doing: no search was issued
    with Project.open(todays_copy(imported), read_only=True) as copy:
        assert copy.documents.count() == DOCUMENTS
    window.corpus_model.set_query(RARE)
    assert window.corpus_model.rowCount() == 1
    window.close()


def test_a_search_before_the_upkeep_works_and_closing_still_makes_the_copy(
        qtbot, tmp_path, imported, monkeypatch):
    monkeypatch.setattr(window_reliability, "UPKEEP_DELAY_MS", 600_000)  # never its turn
    window = suggesting_window(qtbot, tmp_path, imported)
    window.open_path(imported)
    assert not started(window.reliability.backup_thread)
    assert not started(window.reliability.index_thread)
    window.corpus_model.set_query(RARE)  # catches the index up itself
    assert window.corpus_model.rowCount() == 1
    assert unindexed(imported) == 0
    assert not todays_copy(imported).exists()
    window.close()  # a copy put off is not a copy skipped
    with Project.open(todays_copy(imported), read_only=True) as copy:
        assert copy.documents.count() == DOCUMENTS


def test_a_search_while_the_index_catches_up_works(qtbot, tmp_path, imported):
    window = suggesting_window(qtbot, tmp_path, imported)
    window.open_path(imported)
    window.reliability.start_upkeep()  # its turn now: the thread indexes as we search
    window.corpus_model.set_query(RARE)
    assert window.corpus_model.rowCount() == 1
    qtbot.waitUntil(lambda: window.reliability.index_thread is None, timeout=15_000)
    window.corpus_model.set_query(f"{RARE} OR Oslo")
    assert window.corpus_model.rowCount() == DOCUMENTS
    window.close()
