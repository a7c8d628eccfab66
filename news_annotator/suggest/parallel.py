"""Propose for many documents on several cores; the calling process writes the results.

Workers are forked, so they inherit the loaded models and nothing is pickled but texts
and proposals. Only for batch runs (the command line): forking a process that runs Qt
threads is not safe, so the app proposes on its own worker thread instead.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence

from news_annotator.suggest.proposals import Proposals

Propose = Callable[[str, Iterable[tuple[str, tuple]]], Proposals]
MIN_PER_WORKER = 16  # fewer documents than this per worker: not worth a fork

_propose: Propose | None = None  # what a forked worker runs (inherited, not pickled)


def _run(item: tuple[str, list]) -> Proposals:
    assert _propose is not None
    return _propose(item[0], item[1])


def propose_many(propose: Propose, items: Sequence[tuple[str, list]], workers: int
                 ) -> Iterator[Proposals]:
    """`propose(text, existing)` for each item, in order, on up to `workers` processes."""
    global _propose
    if workers <= 1 or len(items) < 2 * MIN_PER_WORKER \
            or "fork" not in multiprocessing.get_all_start_methods():
        yield from (propose(text, existing) for text, existing in items)
        return
    _propose = propose
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(min(workers, len(items) // MIN_PER_WORKER)) as pool:
            yield from pool.imap(_run, items, chunksize=4)
    finally:
        _propose = None
