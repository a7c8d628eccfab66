"""What the app relies on: suggestions written by difference, fresh quality, learning in
steps (and as the child process the app starts)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from news_annotator.model import NewDocument
from news_annotator.suggest.app_support import apply_proposals, fresh_quality, learn_in_steps
from news_annotator.suggest.engine import build_suggester
from news_annotator.suggest.proposals import Proposals, ProposedSpan

TEXT = ("“We agreed,” Ana Lima said, “to act before winter.” "
        "Officials said that NATO would meet. NATO declined to comment.")


def at(word: str, occurrence: int = 0) -> tuple[tuple[int, int], ...]:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(word, start + 1)
    return ((start, start + len(word)),)


@pytest.fixture
def setup(project):
    with project.transaction():
        project.documents.insert_many([NewDocument(text=TEXT, title="t", uid="d")])
    document_id = project.documents.id_for_uid("d")
    return project, document_id, project.annotator("alice").id, \
        project.annotator("suggestions").id


def stored(project, document_id, who):
    return {(s.label, s.fragments): s.id for s in project.spans.for_document(document_id, who)}


def test_suggestions_that_stay_keep_their_ids(setup):
    project, document_id, alice, suggestions = setup
    suggester = build_suggester(project)
    first = apply_proposals(project, document_id, suggestions, suggester.propose(TEXT),
                            accepted_by=[alice])
    assert first.added and not first.removed and first.relations_changed
    before = stored(project, document_id, suggestions)
    links = project.relations.for_document(document_id, suggestions)
    again = apply_proposals(project, document_id, suggestions, suggester.propose(TEXT),
                            accepted_by=[alice])
    assert not again.changed
    assert stored(project, document_id, suggestions) == before
    assert project.relations.for_document(document_id, suggestions) == links

    proposals = suggester.propose(TEXT)
    proposals.add(ProposedSpan("entity", "ORG", at("NATO"), "gazetteer"))
    third = apply_proposals(project, document_id, suggestions, proposals, accepted_by=[alice])
    assert [s.text for s in third.added] == ["NATO"] and not third.removed
    after = stored(project, document_id, suggestions)
    assert {k: v for k, v in after.items() if k in before} == before


def test_gone_proposals_go_and_their_relations_with_them(setup):
    project, document_id, alice, suggestions = setup
    suggester = build_suggester(project)
    apply_proposals(project, document_id, suggestions, suggester.propose(TEXT),
                    accepted_by=[alice])
    applied = apply_proposals(project, document_id, suggestions, Proposals(),
                              accepted_by=[alice])
    assert applied.removed and applied.changed  # the relations went with their spans
    assert stored(project, document_id, suggestions) == {}
    assert project.relations.for_document(document_id, suggestions) == []


def test_existing_rejected_and_other_layers_are_left_out(setup):
    project, document_id, alice, suggestions = setup
    project.add_span(document_id, alice, "PERSON", at("Ana Lima"))
    project.suggestions.reject(document_id, "quote", "CUE", at("said", 1))
    proposals = build_suggester(project).propose(TEXT)
    apply_proposals(project, document_id, suggestions, proposals, accepted_by=[alice],
                    layers=["entity"])
    labels = {label for label, _ in stored(project, document_id, suggestions)}
    assert labels <= {"PERSON", "ORG", "GPE", "NORP"} and labels
    assert ("PERSON", at("Ana Lima")) not in stored(project, document_id, suggestions)
    apply_proposals(project, document_id, suggestions, proposals, accepted_by=[alice])
    assert ("CUE", at("said", 1)) not in stored(project, document_id, suggestions)
    assert ("CUE", at("said")) in stored(project, document_id, suggestions)


def test_fresh_quality_scores_what_would_be_proposed_now(setup):
    project, document_id, alice, suggestions = setup
    project.add_span(document_id, alice, "ORG", at("NATO"))
    project.add_span(document_id, alice, "ORG", at("NATO", 1))
    run = fresh_quality(project, build_suggester(project, learn_from=["alice"]), ["alice"])
    assert run.documents == 1 and not run.learned_from_them
    org = run.report.labels[("entity", "ORG")]
    # NATO is labelled only in this document, so the gazetteer may not count it as found
    assert (org.reference, org.predicted) == (2, 0)
    assert run.report.labels[("quote", "CUE")].predicted == 2  # the rules'
    with project.transaction():
        project.documents.insert_many([NewDocument(text="NATO met.", title="u", uid="e")])
    other = project.documents.id_for_uid("e")
    project.add_span(other, alice, "ORG", ((0, 4),))
    run = fresh_quality(project, build_suggester(project, learn_from=["alice"]), ["alice"])
    org = run.report.labels[("entity", "ORG")]
    assert run.documents == 2 and (org.predicted, org.precision, org.recall) == (3, 1.0, 1.0)


def test_learning_in_steps_reports_each_layer(setup):
    project, document_id, alice, _ = setup
    project.add_span(document_id, alice, "ORG", at("NATO"))
    lines: list[dict] = []
    assert learn_in_steps(project, ["alice"], ["entity", "quote"], lines.append) == 1
    assert [(line["layer"], line["step"]) for line in lines] == [
        ("entity", "learning"), ("entity", "learned"), ("quote", "learning"),
        ("quote", "nothing to learn")]
    assert project.suggestions.model_layers() == ["entity"]


def test_the_child_process_prints_a_line_a_step(setup):
    project, document_id, alice, _ = setup
    project.add_span(document_id, alice, "ORG", at("NATO"))
    done = subprocess.run([sys.executable, "-m", "news_annotator.suggest.app_support", "learn",
                           str(project.path), "--learn-from", "alice", "--layer", "entity"],
                          capture_output=True, text=True, timeout=120, check=True)
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert lines[-1]["step"] == "learned" and lines[-1]["documents"] == 1
    assert project.suggestions.model_layers() == ["entity"]
