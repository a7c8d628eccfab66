"""Agreement measures checked against independent implementations and hand-worked
examples from the literature."""

from __future__ import annotations

import json
import math
import os
import random
from collections import Counter

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from news_annotator.agreement import agreement_report, alpha_u, format_report
from news_annotator.agreement.coefficients import (
    cohen_kappa,
    count_rows,
    fleiss_kappa,
    krippendorff_alpha,
    pair_table,
)
from news_annotator.agreement.tokens import count_token_labels, token_starts, tokenize
from news_annotator.agreement.unitizing import Continuum, UnitizingTally
from news_annotator.cli import main
from news_annotator.model import NewDocument, Status

LABELS = ["O", "PER", "ORG", "GPE"]


def random_rows(seed: int, coders: int, units: int, missing: float = 0.0) -> list[list]:
    rng = random.Random(seed)
    rows = []
    for _ in range(units):
        truth = rng.choice(LABELS)
        row = [truth if rng.random() < 0.7 else rng.choice(LABELS) for _ in range(coders)]
        rows.append([None if rng.random() < missing else v for v in row])
    return rows


@pytest.mark.parametrize("seed", range(8))
def test_cohen_kappa_matches_sklearn(seed):
    rows = random_rows(seed, 2, 50 + seed * 30)
    ours = cohen_kappa(pair_table(count_rows(rows), 0, 1)).value
    assert ours == pytest.approx(cohen_kappa_score([r[0] for r in rows], [r[1] for r in rows]))


@pytest.mark.parametrize("seed,coders", [(s, c) for s in range(4) for c in (2, 3, 5)])
def test_fleiss_kappa_matches_statsmodels(seed, coders):
    rows = random_rows(seed, coders, 80)
    table = np.array([[row.count(label) for label in LABELS] for row in rows])
    assert fleiss_kappa(count_rows(rows)).value == pytest.approx(
        sm_fleiss_kappa(table, method="fleiss"))


@pytest.mark.parametrize("seed,coders,missing", [(s, c, m) for s in range(4) for c in (2, 3, 4)
                                                 for m in (0.0, 0.3)])
def test_krippendorff_alpha_matches_package(seed, coders, missing):
    rows = random_rows(seed, coders, 60, missing)
    codes = {label: i for i, label in enumerate(LABELS)}
    data = np.array([[np.nan if r[c] is None else codes[r[c]] for r in rows]
                     for c in range(coders)], dtype=float)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert krippendorff_alpha(count_rows(rows)).value == pytest.approx(expected)


def test_undefined_coefficients_say_why_instead_of_nan():
    same = count_rows([["O", "O"]] * 10)
    for result in (cohen_kappa(pair_table(same, 0, 1)), fleiss_kappa(same),
                   krippendorff_alpha(same)):
        assert result.value is None and "'O'" in result.reason
    assert cohen_kappa(Counter()).reason == "no unit was labelled by both annotators"
    assert krippendorff_alpha(count_rows([["A", None]])).value is None
    assert fleiss_kappa(count_rows([["A", None]])).value is None


def test_total_disagreement_is_defined_and_negative():
    rows = count_rows([["A", "B"]] * 5 + [["B", "A"]] * 5)
    assert cohen_kappa(pair_table(rows, 0, 1)).value == pytest.approx(-1.0)
    # n = 20 values, D = 10 units * (2^2 - 2) / 1 = 20, n^2 - sum n_c^2 = 400 - 200:
    # alpha = 1 - 19 * 20 / 200 = -0.9
    assert krippendorff_alpha(rows).value == pytest.approx(-0.9)


def test_alpha_u_on_krippendorff_2004_example():
    """Krippendorff (2004), Content Analysis 2nd ed., the alpha_u example (continuum
    150..450, L = 300, two coders i and j, categories c and k).

    Category c. Coder i: units [225,295) l=70, [370,400) l=30; gaps 75, 75, 50.
    Coder j: units [220,300) l=80, [355,375) l=20, [400,420) l=20; gaps 70, 55, 25, 30.
    Observed, sum over i<j:
      i[225,295) vs j[220,300) overlap: (225-220)^2 + (295-300)^2 =  50
      i[370,400) vs j[355,375) overlap: (370-355)^2 + (400-375)^2 = 850
      j[400,420) lies in i's gap [400,450):                  20^2 = 400
      total 1300;  D_o = 2 * 1300 / (m(m-1) L^2) = 2600 / 180000 = 0.0144444
    Expected: N = 5 units; denominator mL(mL-1) - sum l(l-1)
      = 600*599 - (70*69 + 30*29 + 80*79 + 20*19 + 20*19) = 359400 - 12780 = 346620
      per unit (N-1)/3 (2l^3 - 3l^2 + l) + l^2 sum_{gaps >= l} (gap - l + 1):
      l=70: 895160 + 4900*13  = 958860
      l=30:  68440 + 900*181  = 231340
      l=80: 1339840 + 0       = 1339840
      l=20:  19760 + 400*247  = 118560 (twice)
      sum 2767160;  D_e = (2/L) * 2767160 / 346620 = 0.0532214
    alpha_c = 1 - 0.0144444 / 0.0532214 = 0.7286 (the value reported for the example).
    Category k: both coders [180,240) and [300,350): D_o = 0, alpha_k = 1; D_e = 0.0489786.
    Pooled over c and k: 1 - 0.0144444 / (0.0532214 + 0.0489786) = 0.8587.
    """
    c = alpha_u(300, [[(225, 295), (370, 400)], [(220, 300), (355, 375), (400, 420)]],
                begin=150)
    assert c.value == pytest.approx(1 - (2600 / 180000) / (2 * 2767160 / (300 * 346620)))
    assert c.value == pytest.approx(0.7286, abs=1e-4)
    k = alpha_u(300, [[(180, 240), (300, 350)]] * 2, begin=150)
    assert k.value == 1.0
    continuum, tallies = Continuum(2), {"c": UnitizingTally(), "k": UnitizingTally()}
    continuum.add(300)
    tallies["c"].add(300, [[(75, 145), (220, 250)], [(70, 150), (205, 225), (250, 270)]])
    tallies["k"].add(300, [[(30, 90), (150, 200)]] * 2)
    (o_c, e_c), (o_k, e_k) = (t.disagreements(continuum) for t in tallies.values())
    assert float(e_k) == pytest.approx(0.0489786, abs=1e-7)
    assert float(1 - (o_c + o_k) / (e_c + e_k)) == pytest.approx(0.8587, abs=1e-4)


def test_alpha_u_observed_disagreement_krippendorff_1995_example_a():
    """Krippendorff (1995), example A (L = 24): Bertha marks [2,10) and [14,20), Bill
    [4,8) and [15,17). delta = (2-4)^2 + (10-8)^2 + (14-15)^2 + (20-17)^2 = 18, so
    D_o = 2 * 18 / (2 * 24^2) = 0.03125."""
    continuum, tally = Continuum(2), UnitizingTally()
    continuum.add(24)
    tally.add(24, [[(2, 10), (14, 20)], [(4, 8), (15, 17)]])
    assert float(tally.disagreements(continuum)[0]) == 0.03125


def test_alpha_u_edge_cases():
    assert alpha_u(100, [[(10, 20)], [(10, 20)]]).value == 1.0
    assert alpha_u(100, [[], []]).value is None
    assert alpha_u(100, [[(10, 20)]]).value is None


def test_tokens_take_the_innermost_span_label():
    text = "Prime Minister Benjamin Netanyahu said."
    assert [text[s:e] for s, e in tokenize(text)][-1] == "."
    spans = [("PERSON", 15, 33, None), ("ORG", 0, 33, None)]
    counts: Counter = Counter()
    count_token_labels(token_starts(text), len(text), [spans, [], None], counts)
    assert counts == {("ORG", "O", None): 2, ("PERSON", "O", None): 2, ("O", "O", None): 2}


def build(project, spans_a, spans_b, text="Benjamin Netanyahu met Vladimir Putin in Moscow."):
    with project.transaction():
        project.documents.insert_many([NewDocument(text, "Talks", "d1")])
    doc = project.documents.ids()[-1]
    alice, bob = project.annotator("alice"), project.annotator("bob")
    for who, spans in ((alice, spans_a), (bob, spans_b)):
        for label, start, end in spans:
            project.add_span(doc, who.id, label, [(start, end)])
    return doc


def test_report_on_a_small_project(project):
    build(project, [("PERSON", 0, 18), ("PERSON", 23, 37), ("GPE", 41, 47)],
          [("PERSON", 0, 18), ("ORG", 23, 37), ("GPE", 38, 47)])
    report = agreement_report(project, layer="entity")
    pair = report["layers"]["entity"]["pairs"][0]
    assert pair["exact"] == {"precision": 1 / 3, "recall": 1 / 3, "f1": pytest.approx(1 / 3)}
    assert pair["overlap"]["f1"] == pytest.approx(2 / 3)
    assert pair["labels"]["PERSON"]["exact"]["recall"] == 0.5
    # Tokens: Benjamin Netanyahu met Vladimir Putin in Moscow .
    #   A: PER PER O PER PER O GPE O     B: PER PER O ORG ORG GPE GPE O
    assert pair["confusion"] == {"labels": ["GPE", "ORG", "PERSON", "O"],
                                 "matrix": [[1, 0, 0, 0], [0, 0, 0, 0], [0, 2, 2, 0],
                                            [1, 0, 0, 2]]}
    tokens_a = "PER PER O PER PER O GPE O".split()
    tokens_b = "PER PER O ORG ORG GPE GPE O".split()
    assert pair["cohen_kappa"] == pytest.approx(cohen_kappa_score(tokens_a, tokens_b))
    ranked = report["documents_by_disagreement"]
    assert ranked[0]["differences"] == 4 and ranked[0]["disagreement"] == pytest.approx(2 / 3)
    json.dumps(report)


def test_perfect_agreement_and_empty_layers(project):
    build(project, [("PERSON", 0, 18)], [("PERSON", 0, 18)])
    report = agreement_report(project)
    entity = report["layers"]["entity"]
    assert entity["pairs"][0]["exact"]["f1"] == 1.0
    assert entity["pairs"][0]["cohen_kappa"] == 1.0 and entity["alpha_u"] == 1.0
    quote = report["layers"]["quote"]
    assert quote["pairs"][0]["exact"]["f1"] is None and quote["krippendorff_alpha"] is None
    assert any(n.startswith("quote krippendorff_alpha: undefined") for n in report["notes"])
    assert report["documents_by_disagreement"] == []


def test_one_annotator_or_none_gives_notes_not_errors(project):
    report = agreement_report(project)
    assert report["documents_compared"] == 0 and "at least two" in report["notes"][0]
    build(project, [("PERSON", 0, 18)], [])
    report = agreement_report(project, annotators=["alice"])
    assert report["layers"]["entity"]["pairs"] == [] and "found 1" in report["notes"][0]


def test_total_disagreement_report(project):
    build(project, [("PERSON", 0, 18)], [("ORG", 23, 37)])
    entity = agreement_report(project)["layers"]["entity"]
    assert entity["pairs"][0]["exact"]["f1"] == 0.0 and entity["pairs"][0]["overlap"]["f1"] == 0
    assert entity["pairs"][0]["cohen_kappa"] < 0
    assert entity["labels"]["PERSON"]["alpha_u"] < 0


def test_agree_cli_table_and_json(project, capsys):
    build(project, [("PERSON", 0, 18)], [("PERSON", 0, 8)])
    project.close()
    assert main(["agree", str(project.path), "--layer", "entity"]) == 0
    out = capsys.readouterr().out
    assert "alice vs bob" in out and "PERSON" in out and "alpha_u" in out
    assert main(["agree", str(project.path), "--annotators", "alice,bob", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["layers"]["entity"]) >= {"fleiss_kappa", "krippendorff_alpha", "alpha_u"}
    assert report["layers"]["entity"]["pairs"][0]["overlap"]["f1"] == 1.0
    assert main(["agree", str(project.path), "--annotators", "carol"]) == 1
    assert "carol" in capsys.readouterr().err
    assert not math.isnan(report["layers"]["entity"]["pairs"][0]["cohen_kappa"])
    assert "notes:" in format_report(report)


@pytest.mark.parametrize("seed", range(20))
def test_span_matching_against_brute_force(seed):
    from news_annotator.agreement.spans import PairTally

    rng = random.Random(seed)

    def spans():
        found = set()
        for _ in range(rng.randint(0, 12)):
            start = rng.randint(0, 60)
            found.add((rng.choice(["A", "B"]), start, start + rng.randint(1, 8), None))
        return sorted(found)

    a, b = spans(), spans()
    tally = PairTally()
    tally.add(a, b)
    total = tally.total()

    def hits(xs, ys):
        return sum(any(x[0] == y[0] and x[1] < y[2] and y[1] < x[2] for y in ys) for x in xs)

    assert (total.exact, total.overlap_a, total.overlap_b) == (
        len(set(a) & set(b)), hits(a, b), hits(b, a))


def test_token_marks_match_the_tokenizer():
    from news_annotator.agreement.fast import token_marks

    rng = random.Random(3)
    alphabet = "ab_9 \t\n.,;'\"-éßЖ日本\u0301\u00a0\u2028\u3000\x1c\ud800😀٣"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        marks = token_marks(text).to_bytes(len(text), "big")
        assert [i for i, mark in enumerate(marks) if mark == 0] == token_starts(text), text


def _random_project(project, seed: int, documents: int = 8) -> None:
    """Documents where spans are mostly disjoint copies with edits (the fast path) and
    sometimes nested, overlapping, duplicated or discontinuous (the reference path)."""
    rng = random.Random(seed)
    layers = {layer.name: [label.name for label in layer.labels]
              for layer in project.schema.layers}
    words = "Ministerin Müller sagte , dass 日本 und ÉU-Gipfel 42 % erreichen .".split()
    with project.transaction():
        people = [project.annotators.ensure(name) for name in ("alice", "bob", "carol")]
        texts = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 30)))
                 for _ in range(documents)]
        project.documents.insert_many(NewDocument(text, f"Doc {i}", f"doc-{seed}-{i}")
                                      for i, text in enumerate(texts))
        rows, now = [], "2024-01-01T00:00:00+00:00"
        for document_id, text in zip(project.documents.ids(), texts, strict=True):
            reference: list = []
            for who in people:
                roll = rng.random()
                if roll < 0.15:
                    continue  # did not annotate this document
                if roll < 0.25 or len(text) < 2:
                    project.statuses.set(document_id, who.id, Status.DONE, now)
                    continue
                spans = []
                for layer, labels in layers.items():
                    if rng.random() < 0.8 and reference:  # edit the first annotator's
                        spans += [s if rng.random() < 0.7 else (s[0], rng.choice(labels), s[2],
                                  max(s[2] + 1, min(len(text), s[3] + rng.randint(-3, 3))))
                                  for s in reference if s[0] == layer and rng.random() < 0.9]
                        continue
                    position = 0
                    while position < len(text) - 1 and rng.random() < 0.8:
                        start = rng.randint(position, len(text) - 1)
                        end = rng.randint(start + 1, min(len(text), start + 8))
                        spans.append((layer, rng.choice(labels), start, end))
                        position = end if rng.random() < 0.8 else start  # may overlap
                if rng.random() < 0.2 and spans:
                    spans.append(rng.choice(spans))  # a duplicate
                reference = reference or spans
                for n, (layer, label, start, end) in enumerate(spans):
                    fragments = [[start, end]]
                    if end - start > 3 and rng.random() < 0.1:
                        fragments = [[start, start + 1], [end - 1, end]]
                    rows.append((f"{document_id}-{who.id}-{n}", document_id, who.id, layer,
                                 label, start, end, json.dumps(fragments), text[start:end],
                                 "{}", "", now, now))
        project.spans.insert_many(rows)


@pytest.mark.parametrize("seed", range(8))
def test_fast_path_gives_the_reference_report(project, monkeypatch, seed):
    from news_annotator.agreement import counting

    _random_project(project, seed)
    queries = [{}, {"annotators": ["alice", "bob"]}, {"layer": "entity"},
               {"annotators": ["carol", "alice"], "document_ids": [1, 3, 4, 5]}]
    fast = [agreement_report(project, **query) for query in queries]
    monkeypatch.setattr(counting, "FAST", False)
    assert [agreement_report(project, **query) for query in queries] == fast


def _failing_range(*args):
    raise RuntimeError("worker broke")


def test_parallel_report_is_identical_to_one_process(project, monkeypatch, caplog):
    from news_annotator.agreement import parallel

    _random_project(project, 11, documents=2000)
    assert parallel.planned_workers(project, None, None) == (2 if (os.cpu_count() or 1) > 1
                                                             else 1)
    merges, merge = [], parallel.merge_tallies
    monkeypatch.setattr(parallel, "merge_tallies", lambda *a: merges.append(1) or merge(*a))
    queries = [{}, {"annotators": ["carol", "bob"]}, {"layer": "entity", "top_documents": 500},
               {"annotators": ["alice", "carol"], "document_ids": list(range(1, 2001, 3))}]
    for query in queries:
        single = json.dumps(agreement_report(project, workers=1, **query), sort_keys=True)
        merges.clear()
        split = json.dumps(agreement_report(project, workers=2, **query), sort_keys=True)
        assert merges, "the parallel path did not run"
        assert split == single
    assert json.loads(single)["documents_compared"] > 0
    # A failing worker falls back to one process, with a warning, and the same report.
    monkeypatch.setattr(parallel, "_tally_range", _failing_range)
    merges.clear()
    assert json.dumps(agreement_report(project, workers=2, **queries[-1]),
                      sort_keys=True) == single
    assert not merges and "worker processes failed" in caplog.text
    # Uncommitted changes are invisible to another connection: no workers then.
    with project.transaction():
        assert parallel.planned_workers(project, None, 2) == 1

