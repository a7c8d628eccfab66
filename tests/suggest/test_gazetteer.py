"""Annotate all occurrences: whole words, case-aware, never inside a longer span."""

from __future__ import annotations

from news_annotator.model import NewDocument
from news_annotator.schema import default_schema
from news_annotator.suggest.engine import suggest
from news_annotator.suggest.gazetteer import (
    ROLE_MIN_SPANS,
    Gazetteer,
    find_text,
    gazetteer_labels,
)

# A careful annotator's entities of the RFE/RL article (our reading of it).
RFERL_ENTITIES = {
    "Benjamin Netanyahu": "PERSON", "Netanyahu": "PERSON", "Vladimir Putin": "PERSON",
    "Putin": "PERSON", "Bashar al-Assad": "PERSON", "Assad": "PERSON",
    "Israel": "GPE", "Russia": "GPE", "Syria": "GPE", "Iran": "GPE", "Moscow": "GPE",
    "Tehran": "GPE", "Lebanon": "GPE", "United States": "GPE", "Turkey": "GPE",
    "Radio Free Europe/Radio Liberty": "ORG", "White House": "ORG", "Hizballah": "ORG",
    "Syrian Democratic Forces": "ORG", "SDF": "ORG", "Islamic State": "ORG", "IS": "ORG",
    "AMN": "ORG", "Israeli": "NORP", "Russian": "NORP", "Syrian": "NORP",
    "Iranian": "NORP", "Kurdish": "NORP",
}


def test_whole_words_case_aware_longest_first():
    gazetteer = Gazetteer.from_spans([("entity", "GPE", "Turkey"),
                                      ("entity", "PERSON", "Vladimir Putin"),
                                      ("entity", "PERSON", "Putin")])
    text = "Turkey's turkey; Turkeys. Vladimir Putin met Putin."
    found = [(text[s:e], label) for s, e, _, label in gazetteer.occurrences(text)]
    assert found == [("Turkey", "GPE"), ("Vladimir Putin", "PERSON"), ("Putin", "PERSON")]


def test_not_inside_or_across_a_span_of_the_same_layer():
    gazetteer = Gazetteer.from_spans([("entity", "PERSON", "Putin")])
    text = "Putin and Putin"
    existing = [("entity", ((0, 5),)), ("quote", ((6, 15),))]
    proposals = gazetteer.propose(text, existing)
    assert [(s.start, s.end) for s in proposals.spans] == [(10, 15)]


def test_pronouns_and_common_words_do_not_join_the_gazetteer():
    gazetteer = Gazetteer.from_spans([("entity", "PERSON", "he"),
                                      ("entity", "OTHER", "officials"),
                                      ("entity", "ORG", "NATO")])
    assert list(gazetteer.entries) == ["NATO"]


def test_a_capitalised_function_word_is_no_name():
    """PolNeAR's gold has “The” and “And” as spans: proposed everywhere, every sentence
    began with a suggestion."""
    gazetteer = Gazetteer.from_spans([("entity", "OTHER", "The"), ("entity", "OTHER", "And"),
                                      ("entity", "GPE", "The Hague"),
                                      ("entity", "PERSON", "Obama")])
    assert sorted(gazetteer.entries) == ["Obama", "The Hague"]
    text = "The talks in The Hague went on. And Obama said so."
    found = {text[s.start:s.end] for s in gazetteer.propose(text, []).spans}
    assert found == {"The Hague", "Obama"}


def test_the_most_frequent_label_wins():
    gazetteer = Gazetteer.from_spans([("entity", "GPE", "Georgia"),
                                      ("entity", "PERSON", "Georgia"),
                                      ("entity", "GPE", "Georgia")])
    assert gazetteer.entries["Georgia"] == ("entity", "GPE")


def test_a_label_used_for_a_role_stays_out():
    """PolNeAR labels "Trump" only where he is a quote's source: another mention is no
    such span (its gazetteer was right 23% of the time). A label is a role once nearly
    all of its spans, and enough of them, are what relations point at."""
    text = "Trump spoke. Later Trump and Merkel met in Berlin."
    many = ROLE_MIN_SPANS
    rows = [("entity", "OTHER", "Trump", many, many), ("entity", "OTHER", "Cruz", 5, 4),
            ("entity", "PERSON", "Merkel", many, many // 2), ("entity", "GPE", "Berlin", 3, 0)]
    gazetteer = Gazetteer.from_counts(rows)
    assert gazetteer.entries == {"Merkel": ("entity", "PERSON"), "Berlin": ("entity", "GPE")}
    assert [text[s.start:s.end] for s in gazetteer.propose(text).spans] == ["Merkel", "Berlin"]
    # the first linked mentions of a new project are too few to call the label a role
    few = Gazetteer.from_counts([("entity", "PERSON", "Ana Lima", 3, 3)])
    assert few.entries == {"Ana Lima": ("entity", "PERSON")}


def test_quote_contents_and_cues_are_no_gazetteer_labels():
    labels = gazetteer_labels(default_schema())
    assert ("entity", "PERSON") in labels
    assert not {("quote", "DIRECT"), ("quote", "CUE"), ("claim", "CLAIM")} & labels


def rferl_mentions(text: str) -> dict[tuple[int, int], str]:
    """Every mention of the entities, leaving out those inside a longer one."""
    found: dict[tuple[int, int], str] = {}
    for name in sorted(RFERL_ENTITIES, key=len, reverse=True):
        for start, end in find_text(text, name):
            if not any(s <= start and end <= e for s, e in found):
                found[(start, end)] = RFERL_ENTITIES[name]
    return found


def test_all_occurrences_on_a_real_article(project, shared_data):
    """Label each entity's first mention; the other mentions come as suggestions with
    precision and recall of at least 0.9."""
    text = (shared_data / "articles" / "rferl-israel-russia-syria.txt").read_text("utf-8")
    with project.transaction():
        project.documents.insert_many([NewDocument(text=text, title="rferl", uid="rferl")])
    document_id = project.documents.id_for_uid("rferl")
    alice = project.annotator("alice")
    mentions = rferl_mentions(text)
    first: dict[str, tuple[int, int]] = {}
    for (start, end), _ in sorted(mentions.items()):
        first.setdefault(text[start:end], (start, end))
    for name, (start, end) in first.items():
        project.add_span(document_id, alice.id, RFERL_ENTITIES[name], [(start, end)])
    expected = {place: label for place, label in mentions.items()
                if place not in set(first.values())}
    assert len(expected) >= 35

    result = suggest(project, "all", layers=["entity"])  # no model: the gazetteer alone
    suggestions = project.annotators.find("suggestions")
    got = {(s.start, s.end): s.label
           for s in project.spans.for_document(document_id, suggestions.id)}
    hits = sum(1 for place, label in got.items() if expected.get(place) == label)
    assert result.by_origin.get("gazetteer") == len(got)
    assert hits / len(got) >= 0.9
    assert hits / len(expected) >= 0.9
