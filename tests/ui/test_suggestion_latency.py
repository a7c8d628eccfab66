"""What keeps a document's suggestions quick to appear, in the real window: the suggester
is built on the worker as soon as the project opens and kept across documents; a long
document's paragraphs on screen are drawn before the rest is proposed; the UI thread
never proposes nor builds."""

from __future__ import annotations

import threading

import pytest

from news_annotator.suggest.engine import Suggester
from news_annotator_ui import suggestion_worker
from news_annotator_ui.suggestion_worker import SuggestionWorker
from tests.ui.test_suggestions import PLAIN, QUOTES, REPEATS, settle, switch_on
from tests.ui.window_fixtures import make_project_file, open_window

PARAGRAPH = "“We will act,” Ana Lima said in Brussels on Monday, as NATO met again.\n"
LONG = "".join(f"{i}. {PARAGRAPH}" for i in range(260))  # about 19,000 characters


def on_ui_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@pytest.fixture
def calls(monkeypatch):
    """Every build and propose: (what, on the UI thread, text length)."""
    seen: list[tuple[str, bool, int]] = []
    build = suggestion_worker.build_from_file
    propose = Suggester.propose

    def building(*args):
        seen.append(("build", on_ui_thread(), 0))
        return build(*args)

    def proposing(self, text, existing=()):
        seen.append(("propose", on_ui_thread(), len(text)))
        return propose(self, text, existing)

    monkeypatch.setattr(suggestion_worker, "build_from_file", building)
    monkeypatch.setattr(Suggester, "propose", proposing)
    return seen


@pytest.fixture
def jobs(monkeypatch):
    """Each job the worker starts: (a document's, with a suggester already built)."""
    started: list[tuple[bool, bool]] = []
    start = SuggestionWorker._start

    def starting(self, job):
        started.append((job is not None, self.suggester is not None))
        return start(self, job)

    monkeypatch.setattr(SuggestionWorker, "_start", starting)
    return started


def open_and_wait(qtbot, window, document_id: int) -> None:
    part = window.suggestions
    before = part.complete_at
    window.open_document(document_id)
    qtbot.waitUntil(lambda: part.complete_at != before and not part.worker.busy(),
                    timeout=5000)


def test_built_once_as_the_project_opens_and_kept_across_documents(qtbot, tmp_path, calls,
                                                                   jobs):
    path = make_project_file(tmp_path / "work.annotator", (QUOTES, REPEATS, PLAIN))
    switch_on(tmp_path, path)
    window = open_window(qtbot, tmp_path, path)
    settle(qtbot, window)
    assert jobs[:2] == [(False, False), (True, True)]  # built first, then the document's
    for row in (1, 2, 0, 1, 2):
        open_and_wait(qtbot, window, window.corpus_model.document_id(row))
    assert [what for what, _, _ in calls].count("build") == 1
    assert window.suggestions.worker.builds == 1
    assert all(has_suggester for is_job, has_suggester in jobs if is_job)
    assert len([c for c in calls if c[0] == "propose"]) == 6
    assert not any(ui for _, ui, _ in calls)  # neither built nor proposed on the UI thread

    window.suggestions.worker.invalidate()  # as after learning: new models
    open_and_wait(qtbot, window, window.corpus_model.document_id(0))
    assert window.suggestions.worker.builds == 2
    window.close()


def test_a_long_document_is_drawn_on_screen_first_then_whole(qtbot, tmp_path, calls,
                                                             monkeypatch):
    path = make_project_file(tmp_path / "work.annotator", (PLAIN, LONG))
    switch_on(tmp_path, path)
    window = open_window(qtbot, tmp_path, path, document_id=None)
    window.resize(900, 700)
    settle(qtbot, window)
    part = window.suggestions
    release = threading.Event()
    propose = Suggester.propose  # the recording one

    def held(self, text, existing=()):  # the whole text waits until the test lets it go
        if len(text) == len(LONG):
            assert release.wait(10)
        return propose(self, text, existing)

    monkeypatch.setattr(Suggester, "propose", held)
    before = part.complete_at
    try:
        window.open_document(window.corpus_model.document_id(1))
        qtbot.waitUntil(lambda: bool(window.view.suggestions_in_order()), timeout=5000)
        first = window.view.suggestions_in_order()
        assert part.complete_at == before and part.worker.busy()  # the rest still to come
        assert max(s.end for s in first) < len(LONG) // 3  # the paragraphs on screen
        assert {s.label for s in first} >= {"DIRECT", "CUE", "PERSON"}
        shown_lines = window.view.cursorForPosition(
            window.view.viewport().rect().bottomLeft()).blockNumber()
        assert LONG[:max(s.end for s in first)].count("\n") >= shown_lines
    finally:
        release.set()
    qtbot.waitUntil(lambda: part.complete_at != before and not part.worker.busy(),
                    timeout=5000)
    whole = window.view.suggestions_in_order()
    assert max(s.end for s in whole) > len(LONG) - len(PARAGRAPH)
    assert {s.id for s in first} <= {s.id for s in whole}  # the piece's stay as drawn
    lengths = [n for what, _, n in calls if what == "propose" and n > len(PLAIN)]
    assert lengths[-1] == len(LONG) and 0 < lengths[-2] < len(LONG) // 3
    assert not any(ui for _, ui, _ in calls)
    window.close()


def test_moving_on_skips_the_rest_of_a_long_document(qtbot, tmp_path, calls, monkeypatch):
    path = make_project_file(tmp_path / "work.annotator", (PLAIN, LONG, QUOTES))
    switch_on(tmp_path, path)
    window = open_window(qtbot, tmp_path, path, document_id=None)
    settle(qtbot, window)
    part = window.suggestions
    started, release = threading.Event(), threading.Event()
    propose = Suggester.propose

    def held(self, text, existing=()):  # the piece waits until the next document is asked
        if len(QUOTES) < len(text) < len(LONG) // 2:
            started.set()
            assert release.wait(10)
        return propose(self, text, existing)

    monkeypatch.setattr(Suggester, "propose", held)
    try:
        window.open_document(window.corpus_model.document_id(1))
        qtbot.waitUntil(started.is_set, timeout=5000)
        window.open_document(window.corpus_model.document_id(2))  # PgDown, at once
    finally:
        release.set()
    qtbot.waitUntil(lambda: part.complete_latency is not None and not part.worker.busy()
                    and window.session.document_id == part.document_id
                    and bool(window.view.suggestions_in_order()), timeout=5000)
    assert len(LONG) not in [n for what, _, n in calls if what == "propose"]
    assert {s.label for s in window.view.suggestions_in_order()} >= {"DIRECT", "CUE"}
    window.close()
