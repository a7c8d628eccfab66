"""The gazetteer's token index finds what one big regular expression of every entry
finds, reads its entries in one grouped query on both backends, and grows by copy."""

from __future__ import annotations

import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from news_annotator.model import NewDocument
from news_annotator.ranges import Ranges
from news_annotator.suggest.engine import build_suggester
from news_annotator.suggest.gazetteer import Gazetteer
from news_annotator.suggest.proposals import Proposals, ProposedSpan

ENTRIES = ["$5 million", "(AP)", "U.S.", "U.S", "O'Brien", "5", "Mr. Smith", "“Obama”",
           "Obama", "A_B", "É", "Café", "New York", "New York Times", "NY-1", "-1"]
PIECES = [*ENTRIES, " ", "x", ".", "_", "'", "s", "$", "(", "“", "é", "\n", "-", "New"]


def by_regex(gazetteer: Gazetteer, text: str) -> list[tuple[int, int, str, str]]:
    """What the gazetteer matched before its index: one alternation, longest first."""
    ordered = sorted(gazetteer.entries, key=lambda t: (-len(t), t))
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)")
    return [(m.start(), m.end(), *gazetteer.entries[m.group()]) for m in pattern.finditer(text)]


GAZETTEER = Gazetteer({text: ("entity", f"L{i}") for i, text in enumerate(ENTRIES)})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14))
def test_the_index_matches_as_the_regular_expression_did(pieces):
    text = "".join(pieces)
    assert list(GAZETTEER.occurrences(text)) == by_regex(GAZETTEER, text)


def test_the_index_on_random_texts_with_many_entries():
    rng = random.Random(7)
    words = ["Putin", "Vladimir", "Turkey", "turkey", "NATO", "Council", "the", "of", "3",
             "2018", "U.N.", "Al-Assad", "al"]
    entries = {" ".join(rng.sample(words, rng.randint(1, 3))) for _ in range(60)}
    gazetteer = Gazetteer.from_spans(("entity", "ORG", t) for t in entries)
    for _ in range(300):
        text = rng.choice([" ", ", ", ". ", "-"]).join(rng.choices(words, k=rng.randint(1, 20)))
        assert list(gazetteer.occurrences(text)) == by_regex(gazetteer, text)


def test_with_entry_leaves_the_original_as_it_was():
    original = Gazetteer.from_spans([("entity", "ORG", "NATO")])
    assert [t[:2] for t in original.occurrences("NATO and NATO Council")] == [(0, 4), (9, 13)]
    grown = original.with_entry("entity", "ORG", "NATO Council")
    relabelled = grown.with_entry("entity", "PERSON", "NATO")
    assert [t[:2] for t in original.occurrences("NATO and NATO Council")] == [(0, 4), (9, 13)]
    assert [t[:2] for t in grown.occurrences("NATO and NATO Council")] == [(0, 4), (9, 21)]
    assert [t[3] for t in relabelled.occurrences("NATO and NATO Council")] == ["PERSON", "ORG"]
    assert original.entries == {"NATO": ("entity", "ORG")}
    assert grown.entries["NATO"] == ("entity", "ORG")


def test_ranges_answer_overlaps_as_a_scan_does():
    rng = random.Random(3)
    for _ in range(200):
        spans = [(s, s + rng.randint(1, 9)) for s in rng.sample(range(60), rng.randint(0, 8))]
        ranges = Ranges(spans)
        for start in range(0, 70, 3):
            end = start + rng.randint(1, 6)
            assert ranges.overlaps(start, end) == any(s < end and start < e for s, e in spans)


def test_extend_leaves_out_what_overlaps_in_the_same_layer_only():
    first = Proposals()
    first.add(ProposedSpan("entity", "ORG", ((10, 14),), "gazetteer"))
    other = Proposals()
    for start, end, layer in ((0, 10, "entity"), (12, 20, "entity"), (12, 20, "quote"),
                              (14, 16, "entity")):
        other.add(ProposedSpan(layer, "X", ((start, end),), "model"))
    first.extend(other)
    assert [(s.layer, s.start, s.end) for s in first.spans] == [
        ("entity", 10, 14), ("entity", 0, 10), ("quote", 12, 20), ("entity", 14, 16)]


def test_built_from_one_grouped_read_of_accepted_work(any_project):
    project = any_project
    text = "NATO met. Georgia and Georgia. Ana Lima spoke."
    with project.transaction():
        project.documents.insert_many([NewDocument(text=text, title="t", uid="d")])
    document = project.documents.id_for_uid("d")
    alice, bob = project.annotator("alice"), project.annotator("bob")
    suggestions = project.annotator("suggestions")
    project.add_span(document, alice.id, "ORG", [(0, 4)])
    project.add_span(document, alice.id, "GPE", [(10, 17)])
    project.add_span(document, bob.id, "PERSON", [(22, 29)])
    project.add_span(document, bob.id, "GPE", [(22, 29)])
    speaker = project.add_span(document, alice.id, "PERSON", [(31, 39)])
    quote = project.add_span(document, alice.id, "INDIRECT", [(40, 45)])
    project.add_relation("source", quote.id, speaker.id)  # counted: a relation's target
    project.add_span(document, suggestions.id, "ORG", [(31, 39)])  # never anyone's work
    rows = sorted(project.suggestions.span_texts([alice.id, bob.id], ["entity"]))
    assert rows == [("entity", "GPE", "Georgia", 2, 0), ("entity", "ORG", "NATO", 1, 0),
                    ("entity", "PERSON", "Ana Lima", 1, 1),
                    ("entity", "PERSON", "Georgia", 1, 0)]
    assert list(project.suggestions.span_texts([], ["entity"])) == []
    gazetteer = build_suggester(project, use_models=False, use_rules=False).gazetteer
    assert gazetteer is not None
    assert gazetteer.entries == {"NATO": ("entity", "ORG"), "Georgia": ("entity", "GPE"),
                                 "Ana Lima": ("entity", "PERSON")}
    only_bob = build_suggester(project, learn_from=["bob"], use_rules=False).gazetteer
    assert only_bob is not None and only_bob.entries == {"Georgia": ("entity", "GPE")}
