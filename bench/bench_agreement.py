"""Agreement for 2 annotators x 10,000 documents x 100 spans each: seconds and ratio.

    .venv/bin/python bench/bench_agreement.py [--documents 10000] [--spans 100] [--keep DIR]

Builds a project deterministically (seeded; one transaction through the stores), then
times `agreement_report` against the raw baseline of reading the same span rows
(`SELECT ... ORDER BY document_id`, every row fetched). Target: < 5 s.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from news_annotator.agreement import agreement_report  # noqa: E402
from news_annotator.model import NewDocument, Status  # noqa: E402
from news_annotator.project import Project  # noqa: E402

WORDS = ("the minister said that government would spend million on new schools in "
         "northern regions after talks with unions officials police reported protest "
         "city council Berlin Paris Moscow Netanyahu Putin Merkel agency economy").split()
LAYERS = {"entity": ("PERSON", "ORG", "GPE", "LOC", "NORP"), "quote": ("DIRECT", "INDIRECT"),
          "claim": ("CLAIM",)}


def make_text(rng: random.Random, words: int) -> tuple[str, list[tuple[int, int]]]:
    pieces, bounds, position = [], [], 0
    for _ in range(words):
        word = rng.choice(WORDS)
        bounds.append((position, position + len(word)))
        pieces.append(word)
        position += len(word) + 1
    return " ".join(pieces), bounds


def pick_label(rng: random.Random) -> tuple[str, str]:
    layer = rng.choices(list(LAYERS), weights=(7, 2, 1))[0]
    return layer, rng.choice(LAYERS[layer])


def spans_for(rng: random.Random, bounds: list[tuple[int, int]], count: int) -> tuple[list, list]:
    """A's spans (word-aligned, disjoint) and B's: mostly the same, some changed."""
    slots = sorted(rng.sample(range(0, len(bounds) - 3, 4), count))
    a, b = [], []
    for slot in slots:
        width = rng.choice((1, 1, 2, 3))
        layer, label = pick_label(rng)
        start, end = bounds[slot][0], bounds[slot + width - 1][1]
        a.append((layer, label, start, end))
        roll = rng.random()
        if roll < 0.75:
            b.append((layer, label, start, end))
        elif roll < 0.85:
            b.append((layer, rng.choice(LAYERS[layer]), start, end))
        elif roll < 0.95:
            b.append((layer, label, start, bounds[slot + width][1]))
        else:
            b.append(pick_label(rng) + (bounds[slot + 3][0], bounds[slot + 3][1]))
    return a, b


def build(path: Path, documents: int, spans: int, seed: int = 7) -> Project:
    rng = random.Random(seed)
    project = Project.create(path)
    with project.transaction():
        alice, bob = project.annotators.ensure("alice"), project.annotators.ensure("bob")
        texts = [make_text(rng, 440) for _ in range(documents)]
        project.documents.insert_many(NewDocument(text, f"Article {i}", f"doc-{i}")
                                      for i, (text, _) in enumerate(texts))
        rows, now = [], "2024-01-01T00:00:00+00:00"
        for document_id, (text, bounds) in zip(project.documents.ids(), texts, strict=True):
            a, b = spans_for(rng, bounds, spans)
            for who, items in ((alice.id, a), (bob.id, b)):
                for n, (layer, label, start, end) in enumerate(items):
                    rows.append((f"{document_id}-{who}-{n}", document_id, who, layer, label,
                                 start, end, f"[[{start}, {end}]]", text[start:end], "{}", "",
                                 now, now))
                project.statuses.set(document_id, who, Status.DONE, now)
        project.spans.insert_many(rows)
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--spans", type=int, default=100)
    parser.add_argument("--keep", type=Path, help="build the project in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-agreement-"))
    path = folder / "agreement.annotator"
    started = time.perf_counter()
    if path.exists():
        project = Project.open(path, read_only=True)
    else:
        project = build(path, args.documents, args.spans)
    built = time.perf_counter() - started
    ids = [a.id for a in project.annotators.all()]
    started = time.perf_counter()
    rows = sum(1 for _ in project.storage.bulk.iter_raw_spans(ids))
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    report = agreement_report(project)
    seconds = time.perf_counter() - started
    entity = report["layers"]["entity"]
    print(f"project: {args.documents:,} documents, {rows:,} spans (built in {built:.1f} s) {path}")
    print(f"read spans (baseline): {baseline:.2f} s")
    print(f"agreement_report:      {seconds:.2f} s  = {seconds / baseline:.1f} x baseline  "
          f"(target < 5 s: {'ok' if seconds < 5 else 'MISSED'})")
    print(f"entity: exact F1 {entity['pairs'][0]['exact']['f1']:.3f}, "
          f"cohen {entity['pairs'][0]['cohen_kappa']:.3f}, alpha_u {entity['alpha_u']:.3f}")
    project.close()


if __name__ == "__main__":
    main()
