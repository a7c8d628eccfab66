"""Deterministic synthetic news corpus for benchmarks: same seed, same bytes, every run."""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

NAMES = ["Zoë Brønstad", "Łukasz Wójcik", "Ayşe Yılmaz", "José Muñoz", "Nguyễn Thị Lan",
         "Søren Ødegård", "François Lefèvre", "Anna Dvořák", "Maria Keller", "Tomás Ruiz"]
PLACES = ["Tallinn", "Gdańsk", "Seville", "Brno", "Cork", "Tampere", "Lyon", "Hanoi", "Porto"]
ORGS = ["the finance ministry", "the port authority", "the health board", "the rail union",
        "the city council", "the central bank", "the water utility"]
VERBS = ["said", "told reporters", "added", "warned", "argued", "wrote in a statement"]
WORDS = ("budget plan rise fall percent million year council report figures week vote "
         "hospital waiting times climate river school trains strike court ruling deal talks "
         "prices energy housing tenants data study experts officials residents").split()


def sentence(rng: random.Random) -> str:
    kind = rng.random()
    name, verb = rng.choice(NAMES), rng.choice(VERBS)
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14)))
    if kind < 0.3:
        return f"“{words.capitalize()},” {name} {verb}."
    if kind < 0.5:
        return f"{name} {verb} that {rng.choice(ORGS)} would {words}."
    number = rng.choice([f"{rng.randint(2, 98)} per cent", f"€{rng.randint(1, 900)} million",
                         f"{rng.randint(100, 99999):,} people"])
    return f"In {rng.choice(PLACES)}, {words} reached {number}, according to {rng.choice(ORGS)}."


def article(rng: random.Random, index: int, length: int = 2500) -> dict:
    paragraphs, size = [], 0
    while size < length:
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(2, 4)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    title = f"{rng.choice(PLACES)} {rng.choice(WORDS)} {rng.choice(WORDS)} report {index}"
    return {"id": f"bench-{index:07}", "title": title, "text": "\n\n".join(paragraphs),
            "url": f"https://example.org/news/{index}", "published": f"2026-{index % 12 + 1:02}-"
            f"{index % 28 + 1:02}", "source": "Bench Wire", "section": rng.choice(WORDS)}


def write_corpus(path: Path, count: int, seed: int = 20261125) -> Path:
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for index in range(count):
            handle.write(json.dumps(article(rng, index), ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args()
    write_corpus(args.out, args.articles)
