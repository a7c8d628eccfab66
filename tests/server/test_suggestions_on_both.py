"""Suggestions through the storage protocol: the same on a file and on a server, and on a
server every member works the shared `suggestions` annotator's spans (accept, reject)
while learned models are a curator's to write."""

from __future__ import annotations

import pytest

from news_annotator.errors import ProjectError
from news_annotator.model import NewDocument
from news_annotator.store.suggestion_store import StoredModel
from news_annotator.suggest.commands import AcceptSuggestion, RejectSuggestion
from news_annotator.suggest.engine import suggest

TEXT = ("“We agreed,” Ana Lima said, “to act before winter.” "
        "Officials said that NATO would meet. NATO declined to comment.")


def labels(project, document_id, name):
    who = project.annotators.find(name)
    return sorted(s.label for s in project.spans.for_document(document_id, who.id))


def test_suggest_accept_reject_and_models_on_both_backends(any_project):
    project = any_project
    with project.transaction():
        project.documents.insert_many([NewDocument(text=TEXT, title="t", uid="d")])
    document = project.documents.id_for_uid("d")
    alice = project.annotator("alice")
    project.add_span(document, alice.id, "ORG", [(TEXT.index("NATO"), TEXT.index("NATO") + 4)])
    suggest(project, "all")
    suggested = labels(project, document, "suggestions")
    assert suggested.count("CUE") == 2 and "DIRECT" in suggested
    suggestions = project.annotators.find("suggestions").id
    org = next(s for s in project.spans.for_document(document, suggestions) if s.label == "ORG")
    RejectSuggestion(org.id).apply(project)
    assert len(project.suggestions.rejected([document])) == 1
    direct = next(s for s in project.spans.for_document(document, suggestions)
                  if s.label == "DIRECT")
    AcceptSuggestion(direct.id, alice.id).apply(project)
    assert "DIRECT" in labels(project, document, "alice")
    suggest(project, "all")  # the rejected one is not proposed again
    assert "ORG" not in labels(project, document, "suggestions")
    with project.transaction():
        project.suggestions.save_model(StoredModel("entity", "", ("alice",), 1, {"k": 1},
                                                   b"\x00\x01model"))
    assert project.suggestions.model("entity").data == b"\x00\x01model"
    assert project.suggestions.model_layers() == ["entity"]


def test_on_a_server_members_work_suggestions_and_curators_keep_models(team):
    with team.open() as owner, owner.transaction():
        owner.documents.insert_many([NewDocument(text=TEXT, title="t", uid="d")])
    with team.open("carol") as curator:
        suggest(curator, "all")
        with curator.transaction():
            curator.suggestions.save_model(StoredModel("entity", "", (), 0, {}, b"m"))
    with team.open("alice") as project:
        document = project.documents.id_for_uid("d")
        suggestions = project.annotators.find("suggestions").id
        cue = next(s for s in project.spans.for_document(document, suggestions)
                   if s.label == "CUE")
        RejectSuggestion(cue.id, with_frame=False).apply(project)
        direct = next(s for s in project.spans.for_document(document, suggestions)
                      if s.label == "DIRECT")
        AcceptSuggestion(direct.id, project.annotator("alice").id).apply(project)
        assert "DIRECT" in labels(project, document, "alice")
        assert project.suggestions.rejected([document])
        with pytest.raises(ProjectError), project.transaction():
            project.suggestions.save_model(StoredModel("entity", "", (), 0, {}, b"x"))
        assert project.suggestions.model("entity").data == b"m"
