"""The agreement report's document loop split over processes by document-id range.

Why: on large projects the loop is CPU-bound pure Python (reading rows, grouping,
matching, painting), so one process per core roughly divides its time. Each worker
opens the project file read-only by path and returns `report.Tallies` for its range:
integer counts only (Counters, MatchCounts, UnitizingTally), so adding them up gives
exactly the single-process tallies, and every float is computed once, afterwards.

Used only when it pays and is safe: enough documents, two or more CPUs, a project file
on disk, and no open transaction on the caller's connection (another connection would
not see uncommitted changes). Any failure falls back to the single-process path.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from news_annotator.agreement.counting import tally_documents
from news_annotator.agreement.tally import Tallies, merge_tallies
from news_annotator.project import Project
from news_annotator.store.protocol import IdRange

log = logging.getLogger(__name__)

MIN_DOCUMENTS = 2000  # below this, starting processes costs more than it saves
WORKERS: int | None = None  # module-wide default for agreement_report(workers=None)
_LOWEST, _HIGHEST = -(1 << 63), (1 << 63) - 1  # SQLite's integer range


def planned_workers(project: Project, document_ids: Sequence[int] | None,
                    workers: int | None) -> int:
    """How many processes to use: 1 unless safe, and (when not forced) worthwhile."""
    requested = WORKERS if workers is None else workers
    storage = project.storage
    if requested is not None and requested <= 1:
        return 1
    if not storage.worker_processes_allowed or storage.in_transaction() \
            or _context() is None:
        return 1
    if requested is not None:
        return requested
    cpus = os.cpu_count() or 1
    if cpus < 2:
        return 1
    documents = (len(set(document_ids)) if document_ids is not None
                 else storage.bulk.count_documents())
    return min(cpus, 2) if documents >= MIN_DOCUMENTS else 1


def id_ranges(project: Project, ids: list[int], document_ids: Sequence[int] | None,
              parts: int) -> list[IdRange]:
    """Inclusive document-id ranges covering every id, about equal in documents."""
    if document_ids is not None:
        chosen = sorted(set(document_ids))
        points = [chosen[len(chosen) * k // parts] for k in range(1, parts)] if chosen else []
    else:
        points = project.storage.bulk.split_points(ids, parts)
    points = sorted(set(points))
    starts = [_LOWEST, *points]
    ends = [point - 1 for point in points] + [_HIGHEST]
    return list(zip(starts, ends, strict=True))


def tally_in_workers(project: Project, ids: list[int], layers: list[str],
                     document_ids: Sequence[int] | None, workers: int | None
                     ) -> Tallies | None:
    """The merged tallies of all ranges, or None to run in this process instead."""
    count = planned_workers(project, document_ids, workers)
    if count <= 1:
        return None
    ranges = id_ranges(project, ids, document_ids, count)
    if len(ranges) < 2:
        return None
    context = _context()
    path = str(project.path)
    try:
        with ProcessPoolExecutor(max_workers=len(ranges), mp_context=context) as pool:
            futures = [pool.submit(_tally_range, path, ids, layers, document_ids, id_range)
                       for id_range in ranges]
            results = [future.result() for future in futures]
    except Exception:  # a worker raised or died (BrokenProcessPool): count here instead
        log.warning("agreement: worker processes failed; counting in one process",
                    exc_info=True)
        return None
    merged = results[0]
    for other in results[1:]:
        merge_tallies(merged, other)
    return merged


def _context() -> multiprocessing.context.BaseContext | None:
    """'fork' from a single-threaded main thread (cheap: modules are already imported);
    else 'spawn', as forking a threaded process (a GUI) can deadlock on a lock another
    thread held; none in a frozen app, where spawn would start the app again."""
    methods = multiprocessing.get_all_start_methods()
    lone = threading.current_thread() is threading.main_thread() \
        and threading.active_count() == 1
    if "fork" in methods and lone:
        return multiprocessing.get_context("fork")
    if getattr(sys, "frozen", False) or "spawn" not in methods:
        return None
    return multiprocessing.get_context("spawn")


def _tally_range(path: str, ids: list[int], layers: list[str],
                 document_ids: Sequence[int] | None, id_range: IdRange
                 ) -> Tallies:
    """In a worker: one range's tallies, on a read-only connection of its own."""
    with Project.open(Path(path), read_only=True) as project:
        return tally_documents(project.storage.bulk, ids, layers, document_ids, id_range)
