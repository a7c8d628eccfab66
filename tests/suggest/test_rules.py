"""Cold-start quote rules: every quotation style, split quotes, cue phrases, sources."""

from __future__ import annotations

import pytest

from news_annotator.suggest.rules import QuoteRules
from news_annotator.suggest.text import quote_state, tokenize


def frames(text: str) -> list[dict]:
    """Each content the rules propose, with its cue and source texts."""
    proposals = QuoteRules().propose(text)
    out = []
    for index, span in enumerate(proposals.spans):
        if span.label == "CUE" or span.layer != "quote":
            continue
        frame = {"label": span.label,
                 "content": [text[s:e] for s, e in span.fragments], "cue": None,
                 "source": None}
        for relation in proposals.relations:
            if relation.source == index:
                target = proposals.spans[relation.target]
                frame[relation.type] = text[target.start:target.end]
        out.append(frame)
    return out


@pytest.mark.parametrize("opening, closing", [
    ("“", "”"), ('"', '"'), ("«", "»"), ("‘", "’"), ("„", "“"),
])
def test_every_quotation_style_with_the_attribution_after(opening, closing):
    text = f"{opening}The bridge will open in May,{closing} the mayor said."
    found = frames(text)
    assert len(found) == 1
    assert found[0]["content"] == [f"{opening}The bridge will open in May,{closing}"]
    assert found[0]["label"] == "DIRECT"
    assert (found[0]["cue"], found[0]["source"]) == ("said", "the mayor")


def test_quotation_after_its_attribution_with_a_colon():
    text = "Ana Lima told reporters: “We will not sign this deal.”"
    [frame] = frames(text)
    assert frame["content"] == ["“We will not sign this deal.”"]
    assert (frame["cue"], frame["source"]) == ("told", "Ana Lima")


def test_a_quote_split_around_he_said_is_one_content_of_two_fragments():
    text = "“We agreed,” he said, “to act before winter.”"
    [frame] = frames(text)
    assert frame["content"] == ["“We agreed,”", "“to act before winter.”"]
    assert (frame["cue"], frame["source"], frame["label"]) == ("said", "he", "DIRECT")


def test_inverted_attribution_takes_the_name_after_the_cue():
    text = "“Prices will fall,” said Maria Costa, an economist."
    [frame] = frames(text)
    assert (frame["cue"], frame["source"]) == ("said", "Maria Costa")


@pytest.mark.parametrize("text, cue, source, content", [
    ("The minister has said that the plant will close.", "has said", "The minister",
     "that the plant will close"),
    ("Officials also said the talks would resume.", "also said", "Officials",
     "the talks would resume"),
    ("According to the ministry, 40 people were hurt.", "According to", "the ministry",
     "40 people were hurt"),
    ("Forty people were hurt, according to the ministry.", "according to", "the ministry",
     "Forty people were hurt"),
    ("She told the BBC that she would run again.", "told", "She",
     "that she would run again"),
    ("Turkey, which backs the rebels, has warned that it will act.", "has warned", "Turkey",
     "that it will act"),
])
def test_reported_speech_with_cue_phrases_and_pronoun_sources(text, cue, source, content):
    [frame] = frames(text)
    assert (frame["cue"], frame["source"], frame["content"]) == (cue, source, [content])
    assert frame["label"] == "INDIRECT"


def test_reported_speech_with_quoted_words_is_mixed():
    text = "He said the plan was “dead on arrival” in the Senate."
    [frame] = frames(text)
    assert frame["label"] == "MIXED"
    assert frame["source"] == "He"


def test_nouns_and_words_inside_quotes_are_not_cues():
    assert frames("Officials had no immediate comment.") == []
    assert frames("“We agreed to act, and said so,” she added.")[0]["cue"] == "added"


def test_apostrophes_are_not_quotation_marks():
    text = "Turkey’s leader didn’t say it; O’Malley’s aides did."
    assert set(quote_state(text, tokenize(text))) == {0}


def test_rules_find_most_frames_of_a_real_article(shared_data):
    """At least 4 of the 6 cues a careful annotator marks in the RFE/RL article (PolNeAR
    conventions: auxiliaries and 'also' belong to the cue), and their frames."""
    text = (shared_data / "articles" / "rferl-israel-russia-syria.txt").read_text("utf-8")
    gold = [  # (cue, its occurrence, source, start of the content)
        ("has said", 0, "Israeli Prime Minister Benjamin Netanyahu", "that Israel and Russia"),
        ("said", 1, "Netanyahu", "that he and Putin"),
        ("added", 0, "the Israeli prime minister", "“We agreed to establish"),
        ("also said", 0, "The Israel prime minister", "that he had made"),
        ("said", 3, "The White House", "that the United States will"),
        ("has said", 1, "Turkey", "that it wants to move"),
    ]
    proposals = QuoteRules().propose(text)
    cues = {(s.start, s.end) for s in proposals.spans if s.label == "CUE"}
    found_cues = found_frames = 0
    for cue, occurrence, source, content in gold:
        start = _nth(text, cue, occurrence)
        if (start, start + len(cue)) not in cues:
            continue
        found_cues += 1
        for f in frames(text):
            if f["cue"] == cue and f["source"] == source and f["content"][0].startswith(content):
                found_frames += 1
                break
    assert found_cues >= 4
    assert found_frames >= 4


def _nth(text: str, needle: str, occurrence: int) -> int:
    """Start of the occurrence-th whole-word `needle` (0-based)."""
    from news_annotator.suggest.gazetteer import find_text

    return find_text(text, needle)[occurrence][0]
