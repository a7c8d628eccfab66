"""Comparing annotators on a document: same, only in, label differs, boundaries differ."""

from __future__ import annotations

from news_annotator.model import NewDocument
from news_annotator.review.compare import DifferenceKind, compare_document, summarize

TEXT = "Benjamin Netanyahu met Vladimir Putin in Moscow and the Kremlin said so."


def setup(project, spans_by_name):
    with project.transaction():
        project.documents.insert_many([NewDocument(TEXT, "Talks", "d1")])
    doc = project.documents.ids()[0]
    ids = []
    for name, spans in spans_by_name.items():
        who = project.annotator(name).id
        ids.append(who)
        for label, fragments in spans:
            project.add_span(doc, who, label, fragments)
    return doc, ids


def test_two_annotators_every_kind(project):
    doc, (alice, bob) = setup(project, {
        "alice": [("PERSON", [(0, 18)]), ("PERSON", [(23, 37)]), ("GPE", [(41, 47)]),
                  ("ORG", [(56, 63)])],
        "bob": [("PERSON", [(0, 18)]), ("ORG", [(23, 37)]), ("GPE", [(38, 47)]),
                ("NORP", [(48, 51)])]})
    found = compare_document(project, doc, [alice, bob])
    kinds = [(d.kind, d.start, d.end) for d in found]
    assert kinds == [(DifferenceKind.SAME, 0, 18), (DifferenceKind.LABEL, 23, 37),
                     (DifferenceKind.BOUNDARIES, 38, 47), (DifferenceKind.ONLY_IN, 48, 51),
                     (DifferenceKind.ONLY_IN, 56, 63)]
    boundaries = found[2]
    assert boundaries.same_label and [s.start for s in boundaries.spans_of(alice)] == [41]
    assert found[3].annotators == (bob,) and found[4].annotators == (alice,)
    assert found[1].spans_of(alice)[0].label == "PERSON"
    assert summarize(found) == {"same": 1, "only in": 2, "label differs": 1,
                                "boundaries differ": 1}


def test_one_long_span_against_two_short_ones_is_one_difference(project):
    doc, ids = setup(project, {"alice": [("PERSON", [(0, 37)])],
                               "bob": [("PERSON", [(0, 18)]), ("ORG", [(23, 37)])]})
    (difference,) = compare_document(project, doc, ids)
    assert difference.kind is DifferenceKind.BOUNDARIES and not difference.same_label
    assert len(difference.spans_of(ids[1])) == 2


def test_three_annotators_and_layers_kept_apart(project):
    doc, ids = setup(project, {
        "alice": [("PERSON", [(0, 18)]), ("CLAIM", [(0, 47)])],
        "bob": [("PERSON", [(0, 18)])],
        "carol": [("PERSON", [(0, 18)])]})
    found = compare_document(project, doc, ids)
    assert [(d.layer, d.kind) for d in found] == [("entity", DifferenceKind.SAME),
                                                 ("claim", DifferenceKind.ONLY_IN)]
    assert compare_document(project, doc, ids[1:], layer="claim") == []
    two_of_three = compare_document(project, doc, ids + [project.annotator("dave").id],
                                    layer="entity")
    assert two_of_three[0].kind is DifferenceKind.ONLY_IN
    assert len(two_of_three[0].annotators) == 3


def test_discontinuous_spans_compare_by_fragments(project):
    doc, ids = setup(project, {"alice": [("DIRECT", [(0, 8), (19, 22)])],
                               "bob": [("DIRECT", [(0, 8), (19, 22)])]})
    assert [d.kind for d in compare_document(project, doc, ids)] == [DifferenceKind.SAME]
    assert compare_document(project, doc, []) == []
