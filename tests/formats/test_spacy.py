"""spaCy DocBin export: a clear error without spaCy; with it, docs spaCy itself reads back."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from news_annotator.errors import InputError
from news_annotator.formats import get_format, spacy_docbin
from news_annotator.model import NewDocument
from news_annotator.project import Project

HAS_SPACY = importlib.util.find_spec("spacy") is not None
TEXT = "  Ana Lima  said:\n\n“We’ll act 😊,” in The New York Times.\t"


def at(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def make_project(path: Path) -> Project:
    project = Project.create(path)
    with project.transaction():
        project.documents.insert_many([NewDocument(text=TEXT, title="t", uid="u1")])
    me = project.annotator("me").id
    doc_id = project.documents.ids()[0]
    project.add_span(doc_id, me, "PERSON", [at(TEXT, "Ana Lima")])
    project.add_span(doc_id, me, "ORG", [at(TEXT, "The New York Times")])
    project.add_span(doc_id, me, "GPE", [at(TEXT, "New York")])  # overlaps the ORG
    project.add_span(doc_id, me, "DIRECT", [at(TEXT, "We’ll act 😊,")])
    return project


def test_module_imports_and_is_registered_without_spacy():
    assert get_format("spacy").module is spacy_docbin
    assert not get_format("spacy").can_read


def test_clear_error_when_spacy_is_absent(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "spacy", None)  # makes `import spacy` fail
    monkeypatch.setitem(sys.modules, "spacy.tokens", None)
    with make_project(tmp_path / "p.annotator") as project, \
            pytest.raises(InputError) as caught:
        spacy_docbin.write(project, tmp_path / "out.spacy")
    assert caught.value.path == "spacy"
    assert caught.value.reason == "needs spaCy: pip install spacy"
    assert not (tmp_path / "out.spacy").exists()


@pytest.mark.skipif(not HAS_SPACY, reason="spaCy is not installed (optional dependency)")
def test_docbin_holds_text_entities_and_span_groups(tmp_path):
    import spacy
    from spacy.tokens import DocBin

    with make_project(tmp_path / "p.annotator") as project:
        warnings: list[str] = []
        assert spacy_docbin.write(project, tmp_path / "out.spacy", warnings=warnings) == 1
    assert warnings and "1 overlapping" in warnings[0]
    [doc] = list(DocBin().from_disk(tmp_path / "out.spacy").get_docs(spacy.blank("xx").vocab))
    assert doc.text == TEXT
    assert [(e.label_, e.text) for e in doc.ents] == [("PERSON", "Ana Lima"),
                                                      ("ORG", "The New York Times")]
    assert sorted((s.label_, s.text) for s in doc.spans["entity"]) == [
        ("GPE", "New York"), ("ORG", "The New York Times"), ("PERSON", "Ana Lima")]
    assert [(s.label_, s.text) for s in doc.spans["quote"]] == [("DIRECT", "We’ll act 😊,")]
    assert doc.user_data["uid"] == "u1"
