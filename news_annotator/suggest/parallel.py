"""Propose for many documents on several cores; the calling process writes the results.

Workers are forked, so they inherit the loaded models and nothing is pickled but texts
and proposals. One pool serves a whole run (`Proposers`): forking per batch made every
batch's workers open the models and warm their caches again, and left the cores idle
while the last batch was written. Only for batch runs (the command line): forking a
process that runs Qt threads is not safe, so the app proposes on its own worker thread.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any

from news_annotator.suggest.proposals import Proposals

Propose = Callable[[str, Iterable[tuple[str, tuple]]], Proposals]
MIN_PER_WORKER = 16  # fewer documents than this per worker: not worth a fork

_propose: Propose | None = None  # what a forked worker runs (inherited, not pickled)


def _run(item: tuple[str, list]) -> Proposals:
    assert _propose is not None
    return _propose(item[0], item[1])


class Proposers:
    """`propose` on up to `workers` forked processes for a run of `total` documents, in
    batches (`map`), in order; in this process when forking is not worth it."""

    def __init__(self, propose: Propose, workers: int, total: int) -> None:
        self.propose, self._pool, self._froze = propose, None, False
        self.size = min(workers, total // MIN_PER_WORKER)
        if "fork" not in multiprocessing.get_all_start_methods():
            self.size = 1

    def __enter__(self) -> Proposers:
        global _propose
        # What is loaded by now (models, caches) stays: kept out of the collector's full
        # passes (3-6% of proposing) and so out of the workers' copy-on-write pages; left
        # as it is when the caller froze its own (the app does).
        self._froze = gc.get_freeze_count() == 0
        if self._froze:
            gc.freeze()
        if self.size > 1:
            _propose = self.propose
            self._pool: Any = multiprocessing.get_context("fork").Pool(self.size)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        global _propose
        if self._pool is not None:
            self._pool.terminate() if error is not None else self._pool.close()
            self._pool.join()
            self._pool = None
        _propose = None
        if self._froze:
            gc.unfreeze()

    def map(self, items: Sequence[tuple[str, list]]) -> Iterator[Proposals]:
        if self._pool is None:
            return (self.propose(text, existing) for text, existing in items)
        return self._pool.imap(_run, items, chunksize=4)

