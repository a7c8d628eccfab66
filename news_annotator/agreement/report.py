"""The agreement report: every measure for every layer, in one pass over the project.

Which documents count: an annotator has annotated a document when they have a span in
it (any layer) or marked it in progress or done. Pairwise measures use the documents
both annotators annotated; Fleiss' kappa and alpha_u use those all selected annotators
annotated; Krippendorff's alpha uses every token with values from at least two. An
annotator who annotated a document but left a layer empty labels its tokens 'O'.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import combinations
from typing import Any

from news_annotator.agreement import parallel
from news_annotator.agreement.coefficients import (
    Coefficient,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    pair_table,
)
from news_annotator.agreement.counting import tally_documents
from news_annotator.agreement.tally import LayerTally
from news_annotator.agreement.tokens import OUTSIDE, TOKEN_PATTERN
from news_annotator.agreement.unitizing import (
    Continuum,
    alpha_from,
    pooled_alpha,
)
from news_annotator.errors import ProjectError, SchemaError
from news_annotator.model import Annotator
from news_annotator.project import Project


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
        found = tally_documents(project.storage.bulk, ids, layers, document_ids)
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
    found = project.storage.bulk.document_labels([r[2] for r in worst])
    return [{"document_id": doc, "uid": found[doc][0], "title": found[doc][1],
             "disagreement": round(score, 6), "differences": differences}
            for score, differences, doc in worst]
