"""Curating a gold annotator: accept a version, both, none; undo and redo exactly."""

from __future__ import annotations

from news_annotator.model import NewDocument, Status
from news_annotator.review.compare import DifferenceKind, compare_document
from news_annotator.review.curation import AcceptVersions, accept_agreed, finish, gold_annotator

TEXT = "Benjamin Netanyahu said: “We agreed to establish a joint team.” Moscow agreed."


def setup(project):
    with project.transaction():
        project.documents.insert_many([NewDocument(TEXT, "Talks", "d1")])
    doc = project.documents.ids()[0]
    alice, bob = project.annotator("alice").id, project.annotator("bob").id
    person_a = project.add_span(doc, alice, "PERSON", [(0, 18)], note="the PM")
    quote_a = project.add_span(doc, alice, "DIRECT", [(25, 63)])
    project.add_relation("source", quote_a.id, person_a.id)
    project.add_span(doc, bob, "PERSON", [(0, 8)])
    project.add_span(doc, bob, "DIRECT", [(25, 63)])
    project.add_span(doc, alice, "GPE", [(64, 70)])
    project.add_span(doc, bob, "GPE", [(64, 70)])
    return doc, alice, bob, gold_annotator(project)


def gold_state(project, doc, gold):
    spans = project.spans.for_document(doc, gold)
    labels = {s.id: s.label for s in spans}
    relations = {(r.type, labels[r.source_id], labels[r.target_id])
                 for r in project.relations.for_document(doc, gold)}
    return sorted((s.label, s.fragments, s.note) for s in spans), relations


def difference(project, doc, ids, kind, start):
    return next(d for d in compare_document(project, doc, ids)
                if d.kind is kind and d.start == start)


def test_accept_a_version_copies_spans_relations_and_status(project):
    doc, alice, bob, gold = setup(project)
    person = difference(project, doc, [alice, bob], DifferenceKind.BOUNDARIES, 0)
    quote = difference(project, doc, [alice, bob], DifferenceKind.SAME, 25)
    first = AcceptVersions(doc, person, (alice,), gold)
    first.apply(project)
    assert gold_state(project, doc, gold) == ([("PERSON", ((0, 18),), "the PM")], set())
    assert project.statuses.get(doc, gold) is Status.IN_PROGRESS
    second = AcceptVersions(doc, quote, (alice,), gold)
    second.apply(project)  # the quote's source is now in gold too: the relation follows
    spans, relations = gold_state(project, doc, gold)
    assert relations == {("source", "DIRECT", "PERSON")} and len(spans) == 2
    copy = project.spans.for_document(doc, gold)[0]
    assert copy.uid not in {s.uid for s in project.spans.for_document(doc, alice)}
    second.revert(project)
    first.revert(project)
    assert gold_state(project, doc, gold) == ([], set())
    assert project.statuses.get(doc, gold) is Status.NEW
    first.apply(project)
    second.apply(project)  # redo restores the same rows under the same ids
    assert gold_state(project, doc, gold) == (spans, relations)
    assert project.spans.for_document(doc, gold)[0].id == copy.id


def test_switching_versions_and_rejecting(project):
    doc, alice, bob, gold = setup(project)
    person = difference(project, doc, [alice, bob], DifferenceKind.BOUNDARIES, 0)
    AcceptVersions(doc, person, (alice,), gold).apply(project)
    switch = AcceptVersions(doc, person, (bob,), gold)
    switch.apply(project)
    assert gold_state(project, doc, gold)[0] == [("PERSON", ((0, 8),), "")]
    switch.revert(project)
    assert gold_state(project, doc, gold)[0] == [("PERSON", ((0, 18),), "the PM")]
    both = AcceptVersions(doc, person, (alice, bob), gold)
    both.apply(project)
    assert len(gold_state(project, doc, gold)[0]) == 2
    assert both.description == "accept both versions"
    AcceptVersions(doc, person, (), gold).apply(project)
    assert gold_state(project, doc, gold)[0] == []


def test_accept_agreed_is_one_undo_step_and_idempotent(project):
    doc, alice, bob, gold = setup(project)
    found = compare_document(project, doc, [alice, bob])
    batch = accept_agreed(doc, found, gold)
    batch.apply(project)
    agreed = [("DIRECT", ((25, 63),), ""), ("GPE", ((64, 70),), "")]
    assert gold_state(project, doc, gold) == (agreed, set())
    again = accept_agreed(doc, found, gold)
    again.apply(project)  # accepting again adds nothing
    assert gold_state(project, doc, gold)[0] == agreed
    done = finish(doc, gold)
    done.apply(project)
    assert project.statuses.get(doc, gold) is Status.DONE
    done.revert(project)
    again.revert(project)
    batch.revert(project)
    assert gold_state(project, doc, gold) == ([], set())
    assert project.statuses.get(doc, gold) is Status.NEW
