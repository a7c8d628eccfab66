"""The upkeep (the daily copy, the search index's catch-up) steps aside while the user
opens documents: it works in small steps, each only once the user has been quiet a
while, and still finishes; closing makes a paused copy at once; another program's
changes are news while the index's catch-up pauses."""

from __future__ import annotations

import threading

from news_annotator.model import NewDocument
from news_annotator.project import Project
from news_annotator_ui import project_backup
from news_annotator_ui.project_backup import RollingBackup, SearchIndexer, UpkeepGate
from tests.ui.test_upkeep_after_first_document import (
    DOCUMENTS,
    RARE,
    imported,  # noqa: F401 - a fixture
    suggesting_window,
    todays_copy,
    unindexed,
)


class HeldGate(UpkeepGate):
    """Lets `allowed` steps through, then holds the thread until `go` (or closing)."""

    def __init__(self, allowed: int) -> None:
        super().__init__(0)
        self.allowed = allowed
        self.asked = 0
        self.go = threading.Event()

    def wait_quiet(self) -> bool:
        self.asked += 1
        if self.asked > self.allowed:
            while not self.go.is_set() and not self.closing.is_set():
                self.closing.wait(0.01)
        return not self.closing.is_set()


def test_the_index_catches_up_in_batches_and_waits_between_them(qtbot, imported,  # noqa: F811
                                                                monkeypatch):
    monkeypatch.setattr(project_backup, "INDEX_BATCH", 10)
    gate = HeldGate(allowed=3)  # opening the file, then two batches
    thread = SearchIndexer(imported, gate=gate)
    thread.start()
    qtbot.waitUntil(lambda: gate.asked == 4, timeout=10_000)
    assert unindexed(imported) == DOCUMENTS - 20  # held between two batches
    assert thread.started_batches == 3 and thread.writing()  # none taken in: no window
    gate.go.set()
    assert thread.wait(20_000)
    assert unindexed(imported) == 0


def test_the_daily_copy_waits_for_the_user_and_closing_makes_it_at_once(qtbot,
                                                                        imported):  # noqa: F811
    gate = HeldGate(allowed=0)
    thread = RollingBackup(imported, 7, gate=gate)
    thread.start()
    qtbot.waitUntil(lambda: gate.asked == 1, timeout=10_000)
    assert not todays_copy(imported).exists()  # the user is busy
    assert thread.wait(20_000)  # the project closes: copied now
    with Project.open(todays_copy(imported), read_only=True) as copy:
        assert copy.documents.count() == DOCUMENTS


def next_document(window, qtbot) -> None:
    """PgDown, as a reader does, and wait for its suggestions to be drawn."""
    ids = [window.corpus_model.document_id(r) for r in range(window.corpus_model.rowCount())]
    following = ids[ids.index(window.session.document_id) + 1]
    with qtbot.waitSignal(window.suggestions.shown, timeout=10_000):
        window.open_document(following)


def test_upkeep_waits_while_documents_are_opened_and_finishes_when_the_user_is_quiet(
        qtbot, tmp_path, imported, monkeypatch):  # noqa: F811
    # The user's pace: a document every few tenths of a second, well within the pause.
    monkeypatch.setattr(project_backup, "QUIET_SECONDS", 3.0, raising=False)
    window = suggesting_window(qtbot, tmp_path, imported)
    with qtbot.waitSignal(window.suggestions.shown, timeout=10_000):
        window.open_path(imported)
    guard = window.reliability
    next_document(window, qtbot)
    guard.start_upkeep()  # its turn comes while the user goes from document to document
    for _ in range(4):
        next_document(window, qtbot)
        assert unindexed(imported) == DOCUMENTS  # nothing indexed, nothing copied yet
        assert not todays_copy(imported).exists()
    # The user reads: the upkeep does it all.
    qtbot.waitUntil(lambda: todays_copy(imported).exists() and guard.index_thread is None,
                    timeout=30_000)
    assert unindexed(imported) == 0
    with Project.open(todays_copy(imported), read_only=True) as copy:
        assert copy.documents.count() == DOCUMENTS
    window.corpus_model.set_query(RARE)
    assert window.corpus_model.rowCount() == 1
    window.close()


def test_another_programs_change_is_news_while_the_catch_up_waits(qtbot, tmp_path,
                                                                  imported):  # noqa: F811
    window = suggesting_window(qtbot, tmp_path, imported)
    with qtbot.waitSignal(window.suggestions.shown, timeout=10_000):
        window.open_path(imported)
    guard = window.reliability
    if hasattr(guard, "user_active"):  # (so that this runs, and fails, before it too)
        guard.user_active()
    guard.start_upkeep()  # waits for the user to be quiet
    assert guard.index_thread is not None
    with Project.open(imported) as other, other.transaction():
        other.documents.insert_many([NewDocument(text="Written by the command line.")])
    assert guard.watcher.poll()  # not taken for the catch-up's own commit
    window.close()
