"""Suggestions for the document on screen, proposed off the UI thread.

One job runs at a time on a Task (news_annotator_ui/task.py); a newer request replaces one
that waits.
The Suggester (learned models, gazetteer, rules) is built on the worker, from a read-only
connection of its own, the first time it is needed, then kept until learning or a change
of settings calls for a new one. The gazetteer grows on the UI thread by copy, so a job
in flight keeps the one it started with.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from news_annotator.model import Fragment
from news_annotator.project import Project
from news_annotator.suggest.engine import Suggester, build_suggester
from news_annotator.suggest.gazetteer import Gazetteer, good_entry
from news_annotator.suggest.proposals import Proposals
from news_annotator_ui.task import Task


@dataclass(frozen=True, slots=True)
class Job:
    """Propose for one document, as it was when asked."""

    document_id: int
    text: str
    existing: tuple[tuple[str, tuple[Fragment, ...]], ...]  # (layer, fragments) of the user's
    generation: int  # the asker's count of changes, to tell a stale answer
    asked_at: float  # time.perf_counter() when asked


@dataclass(frozen=True, slots=True)
class Proposed:
    job: Job
    proposals: Proposals
    propose_seconds: float
    build_seconds: float  # 0 when the suggester was already built


def build_from_file(path: Path, learn_from: tuple[str, ...],
                    layers: tuple[str, ...] | None) -> Suggester:
    """A Suggester from what the project file holds (on the calling thread's connection)."""
    with Project.open(path, read_only=True) as project:
        return build_suggester(project, learn_from=learn_from, layers=layers)


class SuggestionWorker(QObject):
    """Runs `Suggester.propose` for the latest requested document, one at a time."""

    proposed = Signal(object)  # Proposed
    failed = Signal(str)

    def __init__(self, path: Path, learn_from: tuple[str, ...],
                 layers: tuple[str, ...] | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path, self.learn_from, self.layers = path, learn_from, layers
        self.suggester: Suggester | None = None
        self.task: Task | None = None
        self.waiting: Job | None = None
        self._epoch = 0  # bumped whenever a suggester in the making is no longer wanted
        self._learned_meanwhile: list[tuple[str, str, str]] = []

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

    def _start(self, job: Job) -> None:
        suggester, epoch = self.suggester, self._epoch
        path, learn_from, layers = self.path, self.learn_from, self.layers

        def run() -> tuple[Suggester, Proposed, int]:
            built = 0.0
            chosen = suggester
            if chosen is None:
                began = time.perf_counter()
                chosen = build_from_file(path, learn_from, layers)
                built = time.perf_counter() - began
            began = time.perf_counter()
            proposals = chosen.propose(job.text, job.existing)
            return chosen, Proposed(job, proposals, time.perf_counter() - began, built), epoch

        self.task = Task(run, self)
        self.task.finished.connect(self._done)
        self.task.failed.connect(self._failed)
        self.task.start()

    def _finish_task(self) -> None:
        if self.task is not None:
            self.task.wait()
            self.task.deleteLater()
            self.task = None

    def _done(self, result: tuple[Suggester, Proposed, int]) -> None:
        self._finish_task()
        suggester, proposed, epoch = result
        if epoch == self._epoch:
            if self.suggester is None:
                self.suggester = suggester
                learned, self._learned_meanwhile = self._learned_meanwhile, []
                for layer, label, text in learned:
                    self.learn_text(layer, label, text)
            self.proposed.emit(proposed)  # its receiver may ask for another job at once
        elif self.waiting is None:
            self.waiting = proposed.job  # answered by an outdated suggester: ask again
        self._pump()

    def _failed(self, message: str) -> None:
        self._finish_task()
        self.failed.emit(message)
        self._pump()
