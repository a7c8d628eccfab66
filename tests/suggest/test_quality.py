"""Quality numbers against a case small enough to count by hand."""

from __future__ import annotations

import pytest

from news_annotator.model import NewDocument
from news_annotator.suggest.quality import project_quality

TEXT = "Ann said that it rains. Bob said it snows."


def place(word: str, occurrence: int = 0) -> list[tuple[int, int]]:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(word, start + 1)
    return [(start, start + len(word))]


def frame(project, document_id, who, content, cue, source):
    quote = project.add_span(document_id, who, "INDIRECT", content)
    if cue:
        project.add_relation("cue", quote.id, project.add_span(document_id, who, "CUE", cue).id)
    if source:
        project.add_relation("source", quote.id,
                             project.add_span(document_id, who, "PERSON", source).id)


def test_scores_by_hand(project):
    with project.transaction():
        project.documents.insert_many([NewDocument(text=TEXT, title="t", uid="d")])
    document_id = project.documents.id_for_uid("d")
    gold, guess = project.annotator("gold").id, project.annotator("suggestions").id
    frame(project, document_id, gold, place("that it rains"), place("said"), place("Ann"))
    frame(project, document_id, gold, place("it snows"), place("said", 1), place("Bob"))
    frame(project, document_id, guess, place("it rains"), place("said"), place("Ann"))
    project.add_span(document_id, guess, "PERSON", place("Bob"))  # no quote points at it

    report = project_quality(project, ["gold"], "suggestions")
    assert report.documents == 1
    quotes = report.quotes
    # content tokens: gold that/it/rains + it/snows = 5, guessed it/rains = 2, shared 2
    assert (quotes["content_overlap"].precision, quotes["content_overlap"].recall) == (1.0, 0.4)
    assert quotes["content_overlap"].f1 == pytest.approx(2 * 0.4 / 1.4)
    assert quotes["content"].f1 == 0.0
    assert (quotes["cue"].precision, quotes["cue"].recall) == (1.0, 0.5)
    assert quotes["cue"].f1 == pytest.approx(2 / 3)
    # the unlinked "Bob" is no source; the linked "Ann" is right
    assert (quotes["source"].predicted, quotes["source"].precision,
            quotes["source"].recall) == (1, 1.0, 0.5)
    labels, overlap = report.labels, report.labels_overlap
    assert (labels[("quote", "INDIRECT")].predicted, labels[("quote", "INDIRECT")].f1) == (1, 0.0)
    assert (overlap[("quote", "INDIRECT")].precision,
            overlap[("quote", "INDIRECT")].recall) == (1.0, 0.5)
    assert (labels[("quote", "CUE")].precision, labels[("quote", "CUE")].recall) == (1.0, 0.5)
    assert labels[("entity", "PERSON")].f1 == 1.0
    text = "\n".join(report.lines())
    assert "quote/INDIRECT" in text and "cue P 1.000 R 0.500" in text
