"""The agreement report: every measure for every layer, in one pass over the project.

Which documents count: an annotator has annotated a document when they have a span in
it (any layer) or marked it in progress or done. Pairwise measures use the documents
both annotators annotated; Fleiss' kappa and alpha_u use those all selected annotators
annotated; Krippendorff's alpha uses every token with values from at least two. An
annotator who annotated a document but left a layer empty labels its tokens 'O'.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from itertools import combinations, groupby
from operator import itemgetter
from typing import Any

from annotator.agreement import parallel
from annotator.agreement.coefficients import (
    Coefficient,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    pair_table,
)
from annotator.agreement.fast import (
    add_units,
    count_joint,
    scan,
    token_marks,
)
from annotator.agreement.spans import MatchCounts, by_label, parts
from annotator.agreement.tally import LayerTally, Tallies
from annotator.agreement.tokens import OUTSIDE, TOKEN_PATTERN, count_token_labels, token_starts
from annotator.agreement.unitizing import (
    Continuum,
    UnitizingTally,
    alpha_from,
    disjoint_units,
    pooled_alpha,
)
from annotator.errors import ProjectError, SchemaError
from annotator.model import Annotator
from annotator.project import Project
from annotator.store import bulk_reads
from annotator.store.database import Database


def choose_annotators(project: Project, names: Sequence[str] | None) -> list[Annotator]:
    if names is None:
        return project.annotators.all()
    chosen = []
    for name in names:
        found = project.annotators.find(name.strip())
        if found is None:
            known = ", ".join(a.name for a in project.annotators.all()) or "none"
            raise ProjectError(f"no annotator called {name!r} in {project.path} (known: {known})")
        if found not in chosen:
            chosen.append(found)
    return chosen


FAST = True  # False runs the reference algorithms only (tests compare the two)


def agreement_report(project: Project, *, layer: str | None = None,
                     annotators: Sequence[str] | None = None,
                     document_ids: Sequence[int] | None = None,
                     top_documents: int = 20, workers: int | None = None) -> dict[str, Any]:
    """Agreement between annotators (default: all), per layer (default: all), as a dict
    ready for JSON; undefined coefficients are null and explained under "notes".
    `workers`: processes to split documents over (None: decide by size, 1: none)."""
    chosen = choose_annotators(project, annotators)
    if layer is not None and project.schema.layer(layer) is None:
        raise SchemaError(f"no layer {layer!r} in the schema of {project.path}")
    layers = [layer] if layer else [lay.name for lay in project.schema.layers]
    ids = [a.id for a in chosen]
    m = len(ids)
    pairs = list(combinations(range(m), 2))
    found = parallel.tally_in_workers(project, ids, layers, document_ids, workers) \
        if m >= 2 else None
    if found is None:
        found = tally_documents(project.db, ids, layers, document_ids)
    tallies, compared, ranking = found.layers, found.compared, found.ranking
    continuum = Continuum(m, found.lengths)
    notes: list[str] = []
    names = [a.name for a in chosen]
    report: dict[str, Any] = {
        "annotators": names,
        "documents_compared": compared,
        "tokenizer": TOKEN_PATTERN,
        "layers": {name: _layer_report(name, tallies[name], names, pairs, continuum, notes)
                   for name in layers},
        "documents_by_disagreement": _ranked(project, ranking, top_documents),
        "notes": notes,
    }
    if m < 2:
        notes.insert(0, f"agreement needs at least two annotators; found {m}"
                     + (f" ({', '.join(names)})" if names else ""))
    elif compared == 0:
        notes.insert(0, "no document was annotated by two of the selected annotators")
    return report


def tally_documents(db: Database, ids: list[int], layers: list[str],
                    document_ids: Sequence[int] | None = None,
                    id_range: bulk_reads.IdRange | None = None) -> Tallies:
    """Count every document in `id_range` (default: all) that two of `ids` annotated:
    integer tallies only, so parallel.py can add up those of several ranges."""
    m = len(ids)
    pairs = list(combinations(range(m), 2))
    position = {annotator_id: i for i, annotator_id in enumerate(ids)}
    found = Tallies({name: LayerTally(pairs) for name in layers})
    worked = bulk_reads.worked_on(db, ids, id_range) if ids else {}
    # Every layer is read: a span in any layer shows that its annotator saw the document.
    # Rows come by document, then annotator, then start.
    rows = groupby(bulk_reads.iter_span_bounds(db, ids, document_ids, id_range)
                   if m >= 2 else iter(()), key=itemgetter(0))
    texts = (bulk_reads.iter_annotated_texts(db, ids, document_ids, id_range)
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


def _value(coefficient: Coefficient, what: str, notes: list[str]) -> float | None:
    if not coefficient.defined:
        notes.append(f"{what}: undefined, {coefficient.reason}")
    return coefficient.value


def _layer_report(layer: str, tally: LayerTally, names: list[str],
                  pairs: list[tuple[int, int]], continuum: Continuum,
                  notes: list[str]) -> dict[str, Any]:
    pair_reports = []
    for (i, j), pair in tally.pairs.items():
        who = f"{layer} {names[i]}/{names[j]}"
        table = pair_table(tally.tokens, i, j)
        entry: dict[str, Any] = {"a": names[i], "b": names[j], "documents": pair.documents}
        entry.update(pair.total().scores())
        entry["cohen_kappa"] = _value(cohen_kappa(table), f"{who} cohen_kappa", notes)
        entry["tokens"] = sum(table.values())
        entry["labels"] = {label: {"a_spans": c.a_spans, "b_spans": c.b_spans, **c.scores()}
                           for label, c in sorted(pair.labels.items())}
        entry["confusion"] = confusion(table)
        pair_reports.append(entry)
    unitizing = {label: t.disagreements(continuum) for label, t in sorted(tally.unitizing.items())}
    multi = len(names) >= 2
    return {
        "pairs": pair_reports,
        "fleiss_kappa": _value(fleiss_kappa(tally.tokens), f"{layer} fleiss_kappa", notes)
        if multi else None,
        "krippendorff_alpha": _value(krippendorff_alpha(tally.tokens),
                                     f"{layer} krippendorff_alpha", notes) if multi else None,
        "alpha_u": _value(pooled_alpha(unitizing.values()), f"{layer} alpha_u", notes)
        if multi else None,
        "labels": {label: {"alpha_u": _value(alpha_from(*d), f"{layer}/{label} alpha_u", notes)}
                   for label, d in unitizing.items()},
    }


def confusion(table: Counter) -> dict[str, Any]:
    """Rows are A's token labels, columns B's; 'O' (no span) comes last."""
    labels = sorted({a for a, _ in table} | {b for _, b in table},
                    key=lambda label: (label == OUTSIDE, label))
    return {"labels": labels, "matrix": [[table.get((a, b), 0) for b in labels] for a in labels]}


def _ranked(project: Project, ranking: list[tuple[float, int, int]],
            top: int) -> list[dict[str, Any]]:
    worst = sorted((r for r in ranking if r[1] > 0), key=lambda r: (-r[0], -r[1], r[2]))[:top]
    found = bulk_reads.document_labels(project.db, [r[2] for r in worst])
    return [{"document_id": doc, "uid": found[doc][0], "title": found[doc][1],
             "disagreement": round(score, 6), "differences": differences}
            for score, differences, doc in worst]
