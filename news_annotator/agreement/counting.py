"""Counting one range of documents for the agreement report (tokens, spans, units).

Its own module so that both the report and its worker processes (parallel.py) use it
without importing each other.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import combinations, groupby
from operator import itemgetter

from news_annotator.agreement.fast import (
    add_units,
    count_joint,
    scan,
    token_marks,
)
from news_annotator.agreement.spans import MatchCounts, by_label, parts
from news_annotator.agreement.tally import LayerTally, Tallies
from news_annotator.agreement.tokens import count_token_labels, token_starts
from news_annotator.agreement.unitizing import (
    UnitizingTally,
    disjoint_units,
)
from news_annotator.store.protocol import BulkReads, IdRange

FAST = True  # False runs the reference algorithms only (tests compare the two)


def tally_documents(reads: BulkReads, ids: list[int], layers: list[str],
                    document_ids: Sequence[int] | None = None,
                    id_range: IdRange | None = None) -> Tallies:
    """Count every document in `id_range` (default: all) that two of `ids` annotated:
    integer tallies only, so parallel.py can add up those of several ranges."""
    m = len(ids)
    pairs = list(combinations(range(m), 2))
    position = {annotator_id: i for i, annotator_id in enumerate(ids)}
    found = Tallies({name: LayerTally(pairs) for name in layers})
    worked = reads.worked_on(ids, id_range) if ids else {}
    # Every layer is read: a span in any layer shows that its annotator saw the document.
    # Rows come by document, then annotator, then start.
    rows = groupby(reads.iter_span_bounds(ids, document_ids, id_range)
                   if m >= 2 else iter(()), key=itemgetter(0))
    texts = (reads.iter_annotated_texts(ids, document_ids, id_range)
             if m >= 2 else iter(()))
    group_id, group = next(rows, (None, ()))
    for document_id, text in texts:
        while group_id is not None and group_id < document_id:
            group_id, group = next(rows, (None, ()))
        present = set(worked.get(document_id, ()))
        # layer -> per annotator: label -> spans, in order of start
        by_layer: dict[str, list] = {name: [{} for _ in ids] for name in layers}
        if group_id == document_id:
            for annotator_id, spans in groupby(group, key=itemgetter(1)):
                present.add(annotator_id)
                i = position[annotator_id]
                mine = {name: columns[i] for name, columns in by_layer.items()}
                for row in spans:
                    groups = mine.get(row[2])
                    if groups is not None:
                        span = row[3:] if row[6] is None else (
                            row[3], row[4], row[5], tuple(map(tuple, json.loads(row[6]))))
                        same = groups.get(row[3])
                        if same is None:
                            groups[row[3]] = [span]
                        else:
                            same.append(span)
        if len(present) < 2:
            continue
        found.compared += 1
        absent = [i for i, annotator_id in enumerate(ids) if annotator_id not in present]
        complete = not absent
        if complete:
            found.lengths[len(text)] += 1
        counted = [[0, 0, 0] for _ in pairs]
        tokens = token_marks(text) if FAST else token_starts(text)
        for name, columns in by_layer.items():
            for i in absent:
                columns[i] = None
            add_layer = _add_layer_fast if FAST else _add_layer
            add_layer(found.layers[name], text, tokens, columns, pairs, counted, complete)
        scores = [2 * exact / (a + b) if a + b else 1.0
                  for (i, j), (a, b, exact) in zip(pairs, counted, strict=True)
                  if ids[i] in present and ids[j] in present]
        differences = sum(a + b - 2 * exact for a, b, exact in counted)
        found.ranking.append((1 - sum(scores) / len(scores), differences, document_id))
    for tally in found.layers.values():
        tally.finish()
    return found


def _add_layer(tally: LayerTally, text: str, starts: list[int], columns: list,
               pairs: list[tuple[int, int]], counted: list[list[int]], complete: bool) -> None:
    """The reference algorithms: one document's spans of one layer."""
    columns = [_flat(groups) for groups in columns]
    count_token_labels(starts, len(text), columns, tally.tokens)
    for k, (i, j) in enumerate(pairs):
        if columns[i] is not None and columns[j] is not None:
            _count(counted[k], tally.pairs[(i, j)].add(columns[i], columns[j]))
    if complete:
        _add_units(tally, len(text), columns)


def _flat(groups: dict[str, list] | None) -> list | None:
    return None if groups is None else [span for spans in groups.values() for span in spans]


def _add_layer_fast(tally: LayerTally, text: str, marks: int, columns: list,
                    pairs: list[tuple[int, int]], counted: list[list[int]],
                    complete: bool) -> None:
    """As _add_layer, through fast.py; where spans nest, overlap or are discontinuous
    (`scan` says not simple) matching and unitizing take the reference algorithms."""
    length = len(text)
    scanned = [(None, False) if groups is None else scan(groups, length, tally.codes)
               for groups in columns]
    if any(painted is None and groups is not None
           for (painted, _), groups in zip(scanned, columns, strict=True)):
        count_token_labels(token_starts(text), length, [_flat(g) for g in columns],
                           tally.tokens)
    else:
        count_joint([painted for painted, _ in scanned], marks, tally.codes, tally.tokens)
    simple = [ok for _, ok in scanned]
    fast_units = complete and all(simple)
    if fast_units:
        add_units(tally.unitizing, tally.pending_units, length, columns)
    elif complete:
        _add_units(tally, length, [_flat(g) for g in columns])
    for k, (i, j) in enumerate(pairs):
        groups_a, groups_b = columns[i], columns[j]
        if groups_a is None or groups_b is None:
            continue
        if not simple[i] or not simple[j]:
            _count(counted[k], tally.pairs[(i, j)].add(_flat(groups_a), _flat(groups_b)))
            continue
        tally.pairs[(i, j)].documents += 1
        _count(counted[k], tally.fast_pairs[(i, j)].add(
            groups_a, groups_b, tally.unitizing if fast_units else None))


def _count(counted: list[int], doc: MatchCounts) -> None:
    counted[0] += doc.a_spans
    counted[1] += doc.b_spans
    counted[2] += doc.exact


def _add_units(tally: LayerTally, length: int, columns: list) -> None:
    grouped = [by_label(spans) for spans in columns]
    for label in set().union(*grouped):
        units = [disjoint_units(p for span in groups.get(label, ()) for p in parts(span))
                 for groups in grouped]
        found = tally.unitizing.get(label)
        if found is None:
            found = tally.unitizing[label] = UnitizingTally()
        found.add(length, units)
