"""`annotator suggest` end to end, and the other commands on its result."""

from __future__ import annotations

import json

import pytest

from news_annotator.cli import main
from news_annotator.project import Project
from news_annotator.suggest.engine import suggest
from tests.conftest import DEMO_CORPUS


@pytest.fixture
def project_path(tmp_path):
    path = tmp_path / "study.annotator"
    assert main(["init", str(path)]) == 0
    assert main(["import", str(path), str(DEMO_CORPUS)]) == 0
    return path


def suggested(path) -> dict[int, set]:
    with Project.open(path, read_only=True) as project:
        who = project.annotators.find("suggestions")
        return {d: {(s.layer, s.label, s.fragments) for s in
                    project.spans.for_document(d, who.id)} for d in project.documents.ids()}


def test_rules_alone_then_replaced_by_learned_suggestions(project_path, capsys):
    capsys.readouterr()
    assert main(["suggest", str(project_path)]) == 0
    out = capsys.readouterr().out
    assert "suggested" in out and "rules" in out
    first = suggested(project_path)
    assert sum(len(spans) for spans in first.values()) > 20
    assert main(["suggest", str(project_path)]) == 0  # the same again, not twice as many
    assert suggested(project_path) == first
    assert "replaced" in capsys.readouterr().out

    # gold accepts the suggestions of three documents; the model learns from them
    with Project.open(project_path) as project:
        gold = project.annotator("gold")
        from news_annotator.suggest.commands import AcceptSuggestion

        ids = project.documents.ids()[:3]
        who = project.annotators.find("suggestions")
        for document_id in ids:
            for span in project.spans.for_document(document_id, who.id):
                if project.spans.get(span.id) is not None:
                    AcceptSuggestion(span.id, gold.id).apply(project)
    capsys.readouterr()
    assert main(["suggest", str(project_path), "--learn-from", "gold", "--report"]) == 0
    out = capsys.readouterr().out
    assert "learned 'quote' from 3 documents of gold" in out
    assert "quality against accepted work in 3 documents" in out
    after = suggested(project_path)
    assert all(not after[d] for d in ids)  # annotated by gold: no suggestions there

    assert main(["suggest", str(project_path), "--learn-from", "gold", "--documents", "all"]) == 0
    with Project.open(project_path, read_only=True) as project:
        gold_spans = {(d, s.layer, s.label, s.fragments) for d in ids
                      for s in project.spans.for_document(d, project.annotators.find("gold").id)}
    again = suggested(project_path)
    assert not {(d, *key) for d in ids for key in again[d]} & gold_spans  # never twice

    capsys.readouterr()
    assert main(["agree", str(project_path), "--annotators", "gold,suggestions", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report


def test_layers_and_another_annotator_name(project_path, capsys):
    assert main(["suggest", str(project_path), "--layer", "entity", "--as", "robot"]) == 0
    with Project.open(project_path, read_only=True) as project:
        assert project.annotators.find("robot") is not None
        assert project.annotators.find("suggestions") is None
    assert main(["suggest", str(project_path), "--layer", "nonsense"]) == 1
    assert "no such layer" in capsys.readouterr().err


def test_the_engine_writes_in_one_transaction_and_reports(tmp_path):
    with Project.create(tmp_path / "p.annotator") as project:
        result = suggest(project)
        assert result.documents == 0 and result.spans == 0
