"""Our JSON: export, import into an empty project, export again: identical."""

from __future__ import annotations

import json

from news_annotator.commands import AddRelation, AddSpan, SetStatus
from news_annotator.formats import native_json
from news_annotator.importing import import_paths
from news_annotator.model import Status
from news_annotator.project import Project


def annotate(project):
    doc = project.documents.ids()[0]
    text = project.documents.get(doc).text
    alice, bob = project.annotator("alice"), project.annotator("bob")
    speaker = AddSpan(doc, alice.id, "PERSON", ((0, 5),))
    speaker.apply(project)
    quote = AddSpan(doc, alice.id, "DIRECT", ((6, 20), (25, len(text) - 1)),
                    attributes={"source_type": "named"}, note="split by “he said” 🎉")
    quote.apply(project)
    AddRelation("source", quote.created.id, speaker.created.id).apply(project)
    AddSpan(doc, bob.id, "ORG", ((0, 9),)).apply(project)
    AddSpan(doc, bob.id, "CLAIM", ((3, 30),), attributes={"check_worthy": "yes"}).apply(project)
    SetStatus(doc, alice.id, Status.DONE).apply(project)


def export_text(project, path):
    native_json.write(project, path)
    data = json.loads(path.read_text("utf-8"))
    data["project"].pop("exported_at")
    data["project"].pop("created_at")
    return data


def test_round_trip_is_identical(demo_project, tmp_path):
    annotate(demo_project)
    first = export_text(demo_project, tmp_path / "one.json")
    with Project.create(tmp_path / "copy.annotator") as copy:
        import_paths(copy, [tmp_path / "one.json"])
        second = export_text(copy, tmp_path / "two.json")
        assert copy.stats() == demo_project.stats()
    assert second == first
    assert (tmp_path / "one.json").read_text("utf-8").count("\n") > 30  # a document a line
    again = Project.open(tmp_path / "copy.annotator")
    report = import_paths(again, [tmp_path / "one.json"])
    assert (report.documents_added, report.spans_added, report.relations_added) == (0, 0, 0)
    again.close()


def test_export_of_one_annotator(demo_project, tmp_path):
    annotate(demo_project)
    native_json.write(demo_project, tmp_path / "bob.json", annotators=["bob"])
    data = json.loads((tmp_path / "bob.json").read_text("utf-8"))
    assert data["annotators"] == ["bob"]
    spans = [s for d in data["documents"] for s in d["spans"]]
    assert {s["annotator"] for s in spans} == {"bob"}
    assert not any(d["relations"] for d in data["documents"])
