"""Suggestions for the document on screen, proposed off the UI thread.

One job runs at a time on a Task (news_annotator_ui/task.py); a newer request replaces one
that waits.
The Suggester (learned models, gazetteer, rules) is built on the worker, from read-only
connections of its own, as soon as the project is open with suggestions on (`prepare`),
then kept across documents until learning or a change of settings calls for a new one.
The gazetteer grows on the UI thread by copy, so a job in flight keeps the one it started
with.

A long document is proposed in two goes: first the paragraphs on screen (`Job.piece`),
answered as soon as they are done, then the whole text; a newer request waiting by then
skips the second go (the user has moved on).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from news_annotator.model import Fragment
from news_annotator.project import Project
from news_annotator.suggest.engine import Suggester, build_suggester
from news_annotator.suggest.gazetteer import Gazetteer, good_entry
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


def build_from_file(path: Path, learn_from: tuple[str, ...],
                    layers: tuple[str, ...] | None) -> Suggester:
    """A Suggester from what the project file holds (on the calling thread's connection),
    ready to propose: taggers open, featurizers made, gazetteer indexed."""
    with Project.open(path, read_only=True) as project:
        return build_suggester(project, learn_from=learn_from, layers=layers).prepare()


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
        self._finish_task()  # its loop ends once the job returns

    def _start(self, job: Job | None) -> None:
        suggester, epoch = self.suggester, self._epoch
        path, learn_from, layers = self.path, self.learn_from, self.layers
        if suggester is None:
            self.builds += 1
        superseded: Callable[[], bool] = lambda: self.waiting is not None  # noqa: E731
        holder: list[Task] = []
        drawn = self._piece_drawn = threading.Event()

        def run() -> tuple[Suggester, Proposed | None, int, float]:
            built = 0.0
            chosen = suggester
            if chosen is None:
                began = time.perf_counter()
                chosen = build_from_file(path, learn_from, layers)
                built = time.perf_counter() - began
            took = built
            if job is None:
                return chosen, None, epoch, took
            if job.piece is not None:
                began = time.perf_counter()
                proposals = chosen.propose_piece(job.text, job.existing, *job.piece)
                holder[0].report((Proposed(job, proposals, time.perf_counter() - began,
                                           built, job.piece), epoch))
                built = 0.0
                # The UI thread writes and paints the piece meanwhile: leave it the
                # interpreter for that (not longer: it may not come, the job being stale).
                drawn.wait(PIECE_DRAW_WAIT)
                if superseded():
                    return chosen, None, epoch, took
            began = time.perf_counter()
            proposals = chosen.propose(job.text, job.existing)
            return (chosen, Proposed(job, proposals, time.perf_counter() - began, built), epoch,
                    took)

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
        self.failed.emit(message)
        self._pump()
