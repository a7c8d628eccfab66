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

from annotator.agreement.coefficients import (
    Coefficient,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    pair_table,
)
from annotator.agreement.spans import PairTally, by_label, parts
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


class _LayerTally:
    """Everything counted for one layer."""

    def __init__(self, pairs: list[tuple[int, int]]) -> None:
        self.tokens: Counter = Counter()
        self.pairs = {pair: PairTally() for pair in pairs}
        self.unitizing: dict[str, UnitizingTally] = {}


def agreement_report(project: Project, *, layer: str | None = None,
                     annotators: Sequence[str] | None = None,
                     document_ids: Sequence[int] | None = None,
                     top_documents: int = 20) -> dict[str, Any]:
    """Agreement between annotators (default: all), per layer (default: all), as a dict
    ready for JSON; undefined coefficients are null and explained under "notes"."""
    chosen = choose_annotators(project, annotators)
    if layer is not None and project.schema.layer(layer) is None:
        raise SchemaError(f"no layer {layer!r} in the schema of {project.path}")
    layers = [layer] if layer else [lay.name for lay in project.schema.layers]
    ids = [a.id for a in chosen]
    m = len(ids)
    position = {annotator_id: i for i, annotator_id in enumerate(ids)}
    pairs = list(combinations(range(m), 2))
    tallies = {name: _LayerTally(pairs) for name in layers}
    continuum = Continuum(m)
    ranking: list[tuple[float, int, int]] = []
    compared = 0
    db = project.db
    worked = bulk_reads.worked_on(db, ids) if ids else {}
    # Every layer is read: a span in any layer shows that its annotator saw the document.
    rows = groupby(bulk_reads.iter_span_bounds(db, ids, document_ids), key=itemgetter(0))
    texts = bulk_reads.iter_annotated_texts(db, ids, document_ids) if m >= 2 else iter(())
    group_id, group = next(rows, (None, ()))
    for document_id, text in texts:
        while group_id is not None and group_id < document_id:
            group_id, group = next(rows, (None, ()))
        spans = list(group) if group_id == document_id else []
        present = set(worked.get(document_id, ())) | {row[1] for row in spans}
        if len(present) < 2:
            continue
        compared += 1
        by_layer = {name: [[] if a in present else None for a in ids] for name in layers}
        for row in spans:
            columns = by_layer.get(row[2])
            if columns is not None:
                columns[position[row[1]]].append(
                    row[3:] if row[6] is None else
                    (row[3], row[4], row[5], tuple(map(tuple, json.loads(row[6])))))
        complete = len(present) == m
        if complete:
            continuum.add(len(text))
        starts = token_starts(text)
        a_b_exact = [[0, 0, 0] for _ in pairs]
        for name, columns in by_layer.items():
            tally = tallies[name]
            count_token_labels(starts, len(text), columns, tally.tokens)
            for k, (i, j) in enumerate(pairs):
                if columns[i] is not None and columns[j] is not None:
                    doc = tally.pairs[(i, j)].add(columns[i], columns[j])
                    a_b_exact[k][0] += doc.a_spans
                    a_b_exact[k][1] += doc.b_spans
                    a_b_exact[k][2] += doc.exact
            if complete:
                _add_units(tally, len(text), columns)
        scores = [2 * exact / (a + b) if a + b else 1.0
                  for (i, j), (a, b, exact) in zip(pairs, a_b_exact, strict=True)
                  if ids[i] in present and ids[j] in present]
        differences = sum(a + b - 2 * exact for a, b, exact in a_b_exact)
        ranking.append((1 - sum(scores) / len(scores), differences, document_id))
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


def _add_units(tally: _LayerTally, length: int, columns: list) -> None:
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


def _layer_report(layer: str, tally: _LayerTally, names: list[str],
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
