"""What keeps a document's suggestions quick to appear, in the real window: the suggester
is built on the worker as soon as the project opens and kept across documents; the build
proposes the first document itself, the models' part first and the gazetteer's with the
rest; a long document's paragraphs on screen are drawn before the rest is proposed; the
UI thread never proposes nor builds."""

from __future__ import annotations

import threading

import pytest

from news_annotator.project import Project
from news_annotator.suggest.engine import Suggester
from news_annotator_ui import suggestion_worker
from news_annotator_ui.suggestion_worker import Proposed, SuggestionWorker
from tests.ui.test_suggestions import PLAIN, QUOTES, REPEATS, settle, switch_on
from tests.ui.window_fixtures import make_project_file, open_window

PARAGRAPH = "“We will act,” Ana Lima said in Brussels on Monday, as NATO met again.\n"
LONG = "".join(f"{i}. {PARAGRAPH}" for i in range(260))  # about 19,000 characters


def on_ui_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@pytest.fixture
def calls(monkeypatch):
    """Every build (its models' part), gazetteer read and propose: (what, on the UI
    thread, text length or number of gazetteer entries)."""
    seen: list[tuple[str, bool, int]] = []
    build = suggestion_worker.models_from_file
    gazetteer = suggestion_worker.indexed_gazetteer
    propose = Suggester.propose

    def building(*args):
        seen.append(("build", on_ui_thread(), 0))
        return build(*args)

    def reading(*args):
        made = gazetteer(*args)
        seen.append(("gazetteer", on_ui_thread(), len(made.entries) if made else 0))
        return made

    def proposing(self, text, existing=()):
        seen.append(("propose", on_ui_thread(), len(text)))
        return propose(self, text, existing)

    monkeypatch.setattr(suggestion_worker, "models_from_file", building)
    monkeypatch.setattr(suggestion_worker, "indexed_gazetteer", reading)
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


@pytest.fixture
def models_open_after_the_first_request(monkeypatch):
    """The models open only once the first document has asked, as a real project's do
    (50-70 ms on PolNeAR's): a test project's open in a few milliseconds, and whether the
    build or a job of its own then proposes the first document was a race."""
    asked = threading.Event()
    request, build = SuggestionWorker.request, suggestion_worker.models_from_file

    def requesting(self, job):
        request(self, job)
        asked.set()

    def building(*args):
        asked.wait(5)
        return build(*args)

    monkeypatch.setattr(SuggestionWorker, "request", requesting)
    monkeypatch.setattr(suggestion_worker, "models_from_file", building)


def open_and_wait(qtbot, window, document_id: int) -> None:
    part = window.suggestions
    before = part.complete_at
    window.open_document(document_id)
    qtbot.waitUntil(lambda: part.complete_at != before and not part.worker.busy(),
                    timeout=5000)


def test_built_once_as_the_project_opens_and_kept_across_documents(
        qtbot, tmp_path, calls, jobs, models_open_after_the_first_request):
    path = make_project_file(tmp_path / "work.annotator", (QUOTES, REPEATS, PLAIN))
    switch_on(tmp_path, path)
    window = open_window(qtbot, tmp_path, path)
    settle(qtbot, window)
    # Built first; the first document's job went to the build (no job of its own)
    assert jobs == [(False, False)]
    assert [what for what, _, _ in calls][:4] == ["build", "propose", "gazetteer", "propose"]
    for row in (1, 2, 0, 1, 2):
        open_and_wait(qtbot, window, window.corpus_model.document_id(row))
    assert [what for what, _, _ in calls].count("build") == 1
    assert window.suggestions.worker.builds == 1
    assert all(has_suggester for is_job, has_suggester in jobs if is_job)
    assert len([c for c in calls if c[0] == "propose"]) == 2 + 5  # the first in two goes
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


def test_the_first_document_shows_the_models_part_first_then_the_gazetteers(qtbot, tmp_path,
                                                                             calls):
    """A fresh suggester proposes the first document itself, as soon as its models (here
    the rules) are open: that part is drawn before the gazetteer is even read, and the
    gazetteer's proposals come with the whole, in the second go."""
    path = make_project_file(tmp_path / "work.annotator", (QUOTES, REPEATS, PLAIN))
    with Project.open(path) as project:  # alice's work: “Ana Lima” joins the gazetteer
        alice = project.annotator("alice")
        start = QUOTES.index("Ana Lima")
        project.add_span(project.documents.ids()[0], alice.id, "PERSON",
                         [(start, start + len("Ana Lima"))])
    switch_on(tmp_path, path, learn_from=["alice"])
    answers: list[Proposed] = []
    made = SuggestionWorker.__init__

    def listening(self, *args, **kwargs):
        made(self, *args, **kwargs)
        self.proposed.connect(answers.append)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SuggestionWorker, "__init__", listening)
        window = open_window(qtbot, tmp_path, path, document_id=None)
        part = window.suggestions
        qtbot.waitUntil(lambda: part.complete_latency is not None and not part.worker.busy(),
                        timeout=5000)
    first, last = answers[0], answers[-1]
    assert first.job is last.job and first.job.text == QUOTES
    assert not first.complete and last.complete and len(answers) == 2
    assert not [s for s in first.proposals.spans if s.origin == "gazetteer"]
    assert [s for s in first.proposals.spans if s.label == "DIRECT"]  # the rules' part
    found = [s for s in last.proposals.spans if s.origin == "gazetteer"]
    assert [(s.label, QUOTES[s.start:s.end]) for s in found] == [("PERSON", "Ana Lima")]
    order = [what for what, _, _ in calls]
    assert order.index("propose") < order.index("gazetteer")  # proposed before it was read
    assert not any(ui for _, ui, _ in calls)
    assert set(part.worker.build_times) == {"models", "rows", "built"}
    shown_texts = {QUOTES[s.start:s.end] for s in window.view.suggestions_in_order()}
    assert "Ana Lima" in shown_texts
    window.close()
