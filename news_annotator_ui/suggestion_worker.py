"""Suggestions for the document on screen, proposed off the UI thread.

One job runs at a time on a Task (news_annotator_ui/task.py); a newer request replaces one
that waits.
The Suggester (learned models, gazetteer, rules) is built on the worker, from read-only
connections of its own, as soon as the project is open with suggestions on (`prepare`),
then kept across documents until learning or a change of settings calls for a new one.
The gazetteer grows on the UI thread by copy, so a job in flight keeps the one it started
with.

A build opens the models first and takes the first document's job as soon as they are
open (it was asked for meanwhile: `Handoff`), not after a round trip through the UI
thread's event loop: the models' proposals for the part on screen (the whole text, for a
short one) go first, then the gazetteer is read (its grouped query over every accepted
span runs on a thread of its own while the UI thread draws that part: SQLite lets go of
the interpreter) and all the proposals, the gazetteer's too, come in the second go.

A long document is proposed in two goes: first the paragraphs on screen (`Job.piece`),
answered as soon as they are done, then the whole text; a newer request waiting by then
skips the second go (the user has moved on).
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from news_annotator.model import Fragment
from news_annotator.project import Project
from news_annotator.suggest.engine import (
    Suggester,
    gazetteer_from_rows,
    gazetteer_rows,
    layer_models,
    suggester_from,
)
from news_annotator.suggest.gazetteer import Gazetteer, TextRow, good_entry
from news_annotator.suggest.proposals import Proposals
from news_annotator_ui.task import Task

PIECE_DRAW_WAIT = 0.2  # seconds a job waits for its piece to be drawn before the rest
Existing = tuple[tuple[str, tuple[Fragment, ...]], ...]  # (layer, fragments) of the user's


@dataclass(frozen=True, slots=True)
class Job:
    """Propose for one document, as it was when asked."""

    document_id: int
    text: str
    existing: Existing
    generation: int  # the asker's count of changes, to tell a stale answer
    asked_at: float  # time.perf_counter() when asked
    piece: tuple[int, int] | None = None  # propose this part first (the text on screen)


@dataclass(frozen=True, slots=True)
class Proposed:
    job: Job
    proposals: Proposals
    propose_seconds: float
    build_seconds: float  # 0 when the suggester was already built
    within: tuple[int, int] | None = None  # a piece: proposals for this part only

    @property
    def complete(self) -> bool:
        return self.within is None


def models_from_file(path: Path, layers: tuple[str, ...] | None) -> Suggester:
    """The models' and rules' part of the Suggester (no gazetteer), ready to propose."""
    with Project.open(path, read_only=True) as project:
        return suggester_from(project.schema, layer_models(project, layers), None,
                              layers).prepare()


def gazetteer_rows_from_file(path: Path, learn_from: tuple[str, ...],
                             layers: tuple[str, ...] | None
                             ) -> tuple[set[tuple[str, str]], list[TextRow]]:
    """The gazetteer's rows (`engine.gazetteer_rows`), read on the calling thread."""
    with Project.open(path, read_only=True) as project:
        return gazetteer_rows(project, learn_from=learn_from, layers=layers)


def indexed_gazetteer(allowed: set[tuple[str, str]], rows: list[TextRow]
                      ) -> Gazetteer | None:
    """The gazetteer of these rows, indexed (None when empty)."""
    gazetteer = gazetteer_from_rows(allowed, rows)
    if gazetteer is not None:
        gazetteer.index  # noqa: B018 (built on first use)
    return gazetteer


class Background:
    """A call run on a thread of its own; `result()` waits for it (and raises its error)."""

    def __init__(self, call: Callable[[], object]) -> None:
        self._value: object = None
        self._error: BaseException | None = None
        self.seconds = 0.0

        def run() -> None:
            began = time.perf_counter()
            try:
                self._value = call()
            except BaseException as error:  # noqa: BLE001 - raised again by result()
                self._error = error
            self.seconds = time.perf_counter() - began

        self._thread = threading.Thread(target=run, name="suggestions-gazetteer",
                                        daemon=True)
        self._thread.start()

    def result(self) -> object:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


class Handoff:
    """The job asked for while a build runs, taken by the build itself once its models
    are open (thread-safe); closed once taken, after which jobs wait as usual."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._job: Job | None = None
        self._open = True

    def offer(self, job: Job) -> bool:
        """Leave `job` to the build (replacing one left before); False once closed."""
        with self._lock:
            if self._open:
                self._job = job
            return self._open

    def take(self) -> Job | None:
        """The job left, if any; closes the handoff."""
        with self._lock:
            job, self._job, self._open = self._job, None, False
            return job


class SuggestionWorker(QObject):
    """Runs `Suggester.propose` for the latest requested document, one at a time."""

    proposed = Signal(object)  # Proposed: a piece first for a long document, then the whole
    failed = Signal(str)

    def __init__(self, path: Path, learn_from: tuple[str, ...],
                 layers: tuple[str, ...] | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path, self.learn_from, self.layers = path, learn_from, layers
        self.suggester: Suggester | None = None
        self.task: Task | None = None
        self.waiting: Job | None = None
        self.builds = 0  # suggesters built (a new one only for new models or settings)
        self.build_seconds = 0.0  # the last build's
        # The last build's seconds: "models" (open: the first go may start), "rows" (the
        # gazetteer's query, on a thread of its own), "built" (all of it)
        self.build_times: dict[str, float] = {}
        self._handoff: Handoff | None = None  # open while a build may take the next job
        self._epoch = 0  # bumped whenever a suggester in the making is no longer wanted
        self._learned_meanwhile: list[tuple[str, str, str]] = []
        self._piece_drawn = threading.Event()

    def configure(self, learn_from: tuple[str, ...], layers: tuple[str, ...] | None) -> None:
        self.learn_from, self.layers = learn_from, layers
        self.invalidate()

    def invalidate(self) -> None:
        """Build the suggester again for the next job (new models, new settings)."""
        self.suggester = None
        self._epoch += 1
        self._learned_meanwhile = []
        left = self._close_handoff()  # not for the outdated build: for a new one
        if left is not None and self.waiting is None:
            self.waiting = left

    def learn_text(self, layer: str, label: str, text: str) -> bool:
        """Add an accepted span's text to the gazetteer; True when proposals may change."""
        if not good_entry(text):
            return False
        if self.suggester is None:
            self._learned_meanwhile.append((layer, label, text))
            return True
        old = self.suggester.gazetteer
        if old is not None and old.entries.get(text.strip()) == (layer, label):
            return False
        gazetteer = old.with_entry(layer, label, text) if old is not None else Gazetteer()
        if old is None:
            gazetteer.add(layer, label, text)
        self.suggester = replace(self.suggester, gazetteer=gazetteer)
        return True

    def busy(self) -> bool:
        return self.task is not None

    def prepare(self) -> None:
        """Build the suggester now, before any document asks (the project just opened)."""
        if self.suggester is None and self.task is None:
            self._start(None)

    def request(self, job: Job) -> None:
        if self._handoff is not None and self._handoff.offer(job):
            return  # the build in progress proposes it as soon as its models are open
        self.waiting = job
        self._pump()

    def _pump(self) -> None:
        """Start the waiting job unless one is running (the only place jobs start)."""
        if self.task is None and self.waiting is not None:
            job, self.waiting = self.waiting, None
            self._start(job)

    def stop(self) -> None:
        """Wait for the job in flight and drop the waiting one (the project is closing)."""
        self.waiting = None
        self._close_handoff()
        self._finish_task()  # its loop ends once the job returns

    def _close_handoff(self) -> Job | None:
        """Jobs no longer go to the build; the one left there and not taken, if any."""
        handoff, self._handoff = self._handoff, None
        return handoff.take() if handoff is not None else None

    def _start(self, job: Job | None) -> None:
        suggester, epoch = self.suggester, self._epoch
        path, learn_from, layers = self.path, self.learn_from, self.layers
        handoff = None
        if suggester is None:
            self.builds += 1
            if job is None:
                handoff = self._handoff = Handoff()
        superseded: Callable[[], bool] = lambda: self.waiting is not None  # noqa: E731
        holder: list[Task] = []
        drawn = self._piece_drawn = threading.Event()
        times: dict[str, float] = {}
        if suggester is None:
            self.build_times = times

        def first_go(chosen: Suggester, job: Job, piece: tuple[int, int], built: float,
                     meanwhile: Callable[[], object] = lambda: None) -> None:
            """Propose `piece` of the job's text and hand it over; wait for it to be drawn."""
            began = time.perf_counter()
            if piece == (0, len(job.text)):
                proposals = chosen.propose(job.text, job.existing)
            else:
                proposals = chosen.propose_piece(job.text, job.existing, *piece)
            holder[0].report((Proposed(job, proposals, time.perf_counter() - began, built,
                                       piece), epoch))
            meanwhile()
            # The UI thread writes and paints the piece meanwhile: leave it the
            # interpreter for that (not longer: it may not come, the job being stale).
            drawn.wait(PIECE_DRAW_WAIT)

        def run() -> tuple[Suggester, Proposed | None, int, float]:
            built = 0.0
            chosen = suggester
            asked = job
            went = False  # the first go is done
            if chosen is None:
                began = time.perf_counter()
                partial = models_from_file(path, layers)
                if handoff is not None:
                    asked = handoff.take()  # asked for meanwhile: proposed here

                def read() -> Background:
                    return Background(lambda: gazetteer_rows_from_file(path, learn_from,
                                                                       layers))

                built = times["models"] = time.perf_counter() - began
                reading: list[Background] = []
                if asked is not None:
                    # The models' proposals first (the gazetteer's grouped query, which
                    # SQLite runs without the interpreter, meanwhile); the gazetteer's with
                    # the rest.
                    first_go(partial, asked, asked.piece or (0, len(asked.text)), built,
                             lambda: reading.append(read()))
                    went, built = True, 0.0
                reader = reading[0] if reading else read()
                rows = reader.result()
                times["rows"] = reader.seconds
                chosen = replace(partial, gazetteer=indexed_gazetteer(*rows))  # type: ignore[arg-type]
                # The suggester's hundreds of thousands of objects live as long as the
                # project: moved out of the cyclic collector's reach, a full collection
                # no longer walks them (46-68 ms pauses while a document was proposed,
                # seen with gc.callbacks in bench/bench_suggest_app.py).
                gc.freeze()
                times["built"] = time.perf_counter() - began
                if went and superseded():
                    return chosen, None, epoch, times["built"]
            took = times.get("built", 0.0)
            if asked is None:
                return chosen, None, epoch, took
            if asked.piece is not None and not went:
                first_go(chosen, asked, asked.piece, built)
                built = 0.0
                if superseded():
                    return chosen, None, epoch, took
            began = time.perf_counter()
            proposals = chosen.propose(asked.text, asked.existing)
            return (chosen, Proposed(asked, proposals, time.perf_counter() - began, built),
                    epoch, took)

        self.task = Task(run, self)
        holder.append(self.task)
        self.task.progress.connect(self._piece_done)
        self.task.finished.connect(self._done)
        self.task.failed.connect(self._failed)
        self.task.start()

    def _finish_task(self) -> None:
        if self.task is not None:
            self.task.wait()
            self.task.deleteLater()
            self.task = None

    def _piece_done(self, reported: tuple[Proposed, int]) -> None:
        proposed, epoch = reported
        if epoch == self._epoch:
            self.proposed.emit(proposed)  # its receiver writes and paints it at once
        self._piece_drawn.set()

    def _done(self, result: tuple[Suggester, Proposed | None, int, float]) -> None:
        self._finish_task()
        self._close_handoff()
        suggester, proposed, epoch, built = result
        if epoch == self._epoch:
            if self.suggester is None:
                self.suggester, self.build_seconds = suggester, built
                learned, self._learned_meanwhile = self._learned_meanwhile, []
                for layer, label, text in learned:
                    self.learn_text(layer, label, text)
            if proposed is not None:
                self.proposed.emit(proposed)  # its receiver may ask for another job at once
        elif proposed is not None and self.waiting is None:
            self.waiting = proposed.job  # answered by an outdated suggester: ask again
        self._pump()

    def _failed(self, message: str) -> None:
        self._finish_task()
        left = self._close_handoff()
        if left is not None and self.waiting is None:
            self.waiting = left
        self.failed.emit(message)
        self._pump()
