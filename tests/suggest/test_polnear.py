"""Quote suggestions on real news: learn on part of PolNeAR's train split, score on dev.

The full train split is bench/bench_suggest.py's (its figures are in docs/suggestions.md);
here a third of it keeps the test under a minute, so the floor is that run's, with room.
"""

from __future__ import annotations

import csv
import shutil

from news_annotator.cli import main
from news_annotator.project import Project
from news_annotator.suggest.engine import suggest
from news_annotator.suggest.quality import project_quality

TRAIN_ARTICLES = 300


def gold_copy(polnear, split, destination, annotator, limit=None) -> None:
    """A split with one .ann per article (the annotator metadata.tsv names), renamed."""
    (destination / "text").mkdir(parents=True)
    (destination / "attributions").mkdir()
    with open(polnear / "metadata.tsv", encoding="utf-8") as rows:
        chosen = [r for r in csv.DictReader(rows, delimiter="\t") if r["compartment"] == split]
    for row in chosen[:limit]:
        name, who = row["filename"], sorted(row["annotators"].split("|"))[0]
        shutil.copy(polnear / split / "text" / f"{name}.txt", destination / "text")
        shutil.copy(polnear / split / "attributions" / f"{name}_{who}.ann",
                    destination / "attributions" / f"{name}_{annotator}.ann")


def test_learned_quote_frames_on_held_out_articles(shared_data, tmp_path):
    polnear = shared_data / "polnear"
    gold_copy(polnear, "train", tmp_path / "train", "gold", TRAIN_ARTICLES)
    gold_copy(polnear, "dev", tmp_path / "dev", "heldout")
    path = tmp_path / "polnear.annotator"
    assert main(["import", str(path), str(tmp_path / "train"), str(tmp_path / "dev"),
                 "--format", "brat", "--create", "--add-labels"]) == 0
    with Project.open(path) as project:
        result = suggest(project, learn_from=("gold",), layers=["quote"])
        assert result.learned["quote"].documents >= TRAIN_ARTICLES - 5  # a few hold none
        assert result.documents >= 84  # the dev articles: gold has not annotated them
        report = project_quality(project, ["heldout"], "suggestions", layers=["quote"])
    quotes = report.quotes
    assert report.documents == 84
    assert quotes["content_overlap"].f1 >= 0.80
    assert quotes["content_overlap"].precision >= 0.78
    assert quotes["cue"].f1 >= 0.57
    assert quotes["source"].f1 >= 0.57
