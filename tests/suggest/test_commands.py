"""Accept, reject and accept-all through the Project API, each undone by revert."""

from __future__ import annotations

import pytest

from news_annotator.model import NewDocument
from news_annotator.store.suggestion_store import SuggestionStore
from news_annotator.suggest.commands import AcceptAllOfLabel, AcceptSuggestion, RejectSuggestion
from news_annotator.suggest.engine import suggest

TEXT = ("“We agreed,” Ana Lima said, “to act before winter.” "
        "Officials said that NATO would meet. NATO declined to comment.")


@pytest.fixture
def setup(project):
    with project.transaction():
        project.documents.insert_many([NewDocument(text=TEXT, title="t", uid="d")])
    document_id = project.documents.id_for_uid("d")
    alice = project.annotator("alice")
    project.add_span(document_id, alice.id, "ORG", [(TEXT.index("NATO"), TEXT.index("NATO") + 4)])
    suggest(project, "all")
    return project, document_id, alice.id, project.annotators.find("suggestions").id


def spans(project, document_id, annotator_id):
    return sorted((s.label, s.start, s.end) for s in
                  project.spans.for_document(document_id, annotator_id))


def relations(project, document_id, annotator_id):
    found = []
    for r in project.relations.for_document(document_id, annotator_id):
        source, target = project.spans.get(r.source_id), project.spans.get(r.target_id)
        found.append((r.type, source.label, target.text))
    return sorted(found)


def content_of(project, document_id, suggestions, label):
    return next(s for s in project.spans.for_document(document_id, suggestions)
                if s.label == label)


def test_suggestions_are_there_to_work_on(setup):
    project, document_id, alice, suggestions = setup
    labels = [label for label, _, _ in spans(project, document_id, suggestions)]
    assert labels.count("CUE") == 2 and "DIRECT" in labels and "INDIRECT" in labels
    assert ("ORG", TEXT.rindex("NATO"), TEXT.rindex("NATO") + 4) in spans(
        project, document_id, suggestions)  # the gazetteer's other occurrence


def test_accepting_a_quote_accepts_its_frame_and_undo_restores_it(setup):
    project, document_id, alice, suggestions = setup
    before_mine = spans(project, document_id, alice)
    before_suggested = spans(project, document_id, suggestions)
    before_links = relations(project, document_id, suggestions)
    direct = content_of(project, document_id, suggestions, "DIRECT")
    command = AcceptSuggestion(direct.id, alice)
    command.apply(project)
    mine = spans(project, document_id, alice)
    assert {label for label, _, _ in mine} >= {"DIRECT", "CUE", "PERSON"}
    accepted = next(s for s in project.spans.for_document(document_id, alice)
                    if s.label == "DIRECT")
    assert accepted.fragments == direct.fragments and accepted.attributes == direct.attributes
    assert relations(project, document_id, alice) == [("cue", "DIRECT", "said"),
                                                      ("source", "DIRECT", "Ana Lima")]
    assert project.spans.get(direct.id) is None
    command.revert(project)
    assert spans(project, document_id, alice) == before_mine
    assert spans(project, document_id, suggestions) == before_suggested
    assert relations(project, document_id, suggestions) == before_links
    assert project.spans.get(direct.id) is not None  # back under its old id
    command.apply(project)  # redo
    assert relations(project, document_id, alice) == [("cue", "DIRECT", "said"),
                                                      ("source", "DIRECT", "Ana Lima")]


def test_a_part_can_be_accepted_alone(setup):
    project, document_id, alice, suggestions = setup
    cue = next(s for s in project.spans.for_document(document_id, suggestions)
               if s.label == "CUE")
    AcceptSuggestion(cue.id, alice).apply(project)
    assert [label for label, _, _ in spans(project, document_id, alice)].count("CUE") == 1
    assert relations(project, document_id, alice) == []


def test_a_rejected_suggestion_is_never_proposed_again(setup):
    project, document_id, alice, suggestions = setup
    indirect = content_of(project, document_id, suggestions, "INDIRECT")
    command = RejectSuggestion(indirect.id)
    command.apply(project)
    left = spans(project, document_id, suggestions)
    assert "INDIRECT" not in [label for label, _, _ in left]
    assert len(SuggestionStore(project.db).rejected()) == 3  # content, cue and source
    result = suggest(project, "all")
    assert result.skipped_rejected == 3
    assert spans(project, document_id, suggestions) == left
    command.revert(project)
    assert SuggestionStore(project.db).rejected() == set()
    assert "INDIRECT" in [label for label, _, _ in spans(project, document_id, suggestions)]


def test_accept_all_of_a_label_in_a_document(setup):
    project, document_id, alice, suggestions = setup
    before = spans(project, document_id, suggestions)
    command = AcceptAllOfLabel(document_id, suggestions, alice, "CUE", "quote")
    command.apply(project)
    assert [label for label, _, _ in spans(project, document_id, alice)].count("CUE") == 2
    assert "CUE" not in [label for label, _, _ in spans(project, document_id, suggestions)]
    command.revert(project)
    assert spans(project, document_id, suggestions) == before
    assert "CUE" not in [label for label, _, _ in spans(project, document_id, alice)]
