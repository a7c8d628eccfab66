"""Merging project files: idempotent, order-independent, refusing schema conflicts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from news_annotator.cli import main
from news_annotator.errors import ProjectError, SchemaError
from news_annotator.model import NewDocument, Status
from news_annotator.project import Project
from news_annotator.review.merge import merge_projects
from news_annotator.schema import Label, default_schema

TEXT_1 = "Benjamin Netanyahu said: “We agreed to establish a joint team.”"
TEXT_2 = "Berlin officials reported 12,000 protesters in the city centre."


def make(path, annotator, *, uid_2="doc-2", schema=None, extra=()):
    """A project as one annotator would send it back: two documents, spans, a relation."""
    project = Project.create(path, schema)
    with project.transaction():
        project.documents.insert_many([NewDocument(TEXT_1, "Talks", "doc-1"),
                                       NewDocument(TEXT_2, "Protest", uid_2)])
    d1, d2 = project.documents.ids()
    who = project.annotator(annotator).id
    person = project.add_span(d1, who, "PERSON", [(0, 18)], uid=f"{annotator}-p")
    quote = project.add_span(d1, who, "DIRECT", [(25, 63)], uid=f"{annotator}-q")
    project.add_relation("source", quote.id, person.id, uid=f"{annotator}-r")
    project.add_span(d2, who, "GPE", [(0, 6)], uid=f"{annotator}-g")
    for label, start, end in extra:
        project.add_span(d2, who, label, [(start, end)])
    with project.transaction():
        project.statuses.set(d1, who, Status.DONE, "2024-05-01T10:00:00+00:00")
    project.close()
    return path


def content(path):
    """Everything a merge must get right, keyed by uids and names, not row ids."""
    with Project.open(path, read_only=True) as project:
        names = {a.id: a.name for a in project.annotators.all()}
        docs = {d: project.documents.get(d) for d in project.documents.ids()}
        spans = {(s.uid, docs[s.document_id].uid, names[s.annotator_id], s.layer, s.label,
                  s.fragments, s.note, str(s.attributes)) for s in project.spans.iter_all()}
        span_uid = {s.id: s.uid for s in project.spans.iter_all()}
        relations = {(r.uid, r.type, span_uid[r.source_id], span_uid[r.target_id],
                      names[r.annotator_id]) for r in project.relations.iter_all()}
        statuses = {(docs[d].uid, names[a], s, at) for d, a, s, at in project.statuses.all()}
        schema = {(layer.name, label.name) for layer, label in project.schema.all_labels()}
        return ({(d.uid, d.sha256) for d in docs.values()}, spans, relations, statuses, schema)


def test_merge_combines_annotators_and_is_idempotent(tmp_path):
    a, b = make(tmp_path / "a.annotator", "alice"), make(tmp_path / "b.annotator", "bob")
    out = tmp_path / "team.annotator"
    report = merge_projects(out, [a, b])
    assert report.created and report.annotators_added == ["alice", "bob"]
    assert [s.documents_added for s in report.inputs] == [2, 0]
    assert report.total("spans_added") == 6 and report.total("relations_added") == 2
    first = content(out)
    assert len(first[0]) == 2 and len(first[1]) == 6 and len(first[2]) == 2
    again = merge_projects(out, [a, b, a])
    assert again.total("spans_added") == again.total("relations_added") == 0
    assert again.total("documents_added") == 0 and again.total("statuses_set") == 0
    assert again.total("spans_unchanged") == 9
    assert content(out) == first


def test_merge_is_order_independent(tmp_path):
    a = make(tmp_path / "a.annotator", "alice")
    b = make(tmp_path / "b.annotator", "bob", uid_2="sha256:0123")  # same text, other uid
    merge_projects(tmp_path / "ab.annotator", [a, b])
    merge_projects(tmp_path / "ba.annotator", [b, a])
    step = tmp_path / "step.annotator"
    merge_projects(step, [b])
    merge_projects(step, [a])
    assert content(tmp_path / "ab.annotator") == content(tmp_path / "ba.annotator") \
        == content(step)
    assert {uid for uid, _ in content(step)[0]} == {"doc-1", "doc-2"}  # source id preferred


def test_merging_own_work_back_duplicates_nothing(tmp_path):
    a = make(tmp_path / "a.annotator", "alice")
    out = tmp_path / "out.annotator"
    merge_projects(out, [a])
    with Project.open(a) as project:  # alice goes on working after the first merge
        doc = project.documents.ids()[1]
        project.add_span(doc, project.annotator("alice").id, "NORP", [(7, 16)], uid="later")
        span = project.spans.get(project.spans.id_for_uid("alice-g"))
        project.update_span(span.id, label="LOC")
    report = merge_projects(out, [a])
    assert report.inputs[0].spans_added == 1 and report.inputs[0].spans_updated == 1
    labels = {s[0]: s[4] for s in content(out)[1]}
    assert labels["alice-g"] == "LOC" and labels["later"] == "NORP" and len(labels) == 4


def test_newest_status_wins_whatever_the_order(tmp_path):
    a = make(tmp_path / "a.annotator", "alice")
    copy = make(tmp_path / "copy.annotator", "alice")
    with Project.open(copy) as project:
        doc, who = project.documents.ids()[0], project.annotator("alice").id
        with project.transaction():
            project.statuses.set(doc, who, Status.IN_PROGRESS, "2024-06-01T10:00:00+00:00")
    for order in ([a, copy], [copy, a]):
        out = tmp_path / f"out-{order[0].stem}.annotator"
        merge_projects(out, order)
        statuses = {(d, s) for d, _, s, _ in content(out)[3] if d == "doc-1"}
        assert statuses == {("doc-1", Status.IN_PROGRESS)}  # June beats May's "done"


def test_compatible_schemas_are_unioned(tmp_path):
    def with_label(name):
        schema = default_schema()
        return replace(schema, layers=tuple(
            replace(layer, labels=layer.labels + (Label(name, "#123456", "Z"),))
            if layer.name == "entity" else layer for layer in schema.layers))

    a = make(tmp_path / "a.annotator", "alice", schema=with_label("KNIFE"))
    b = make(tmp_path / "b.annotator", "bob", schema=with_label("WEAPON"),
             extra=[("WEAPON", 7, 16)])
    out = tmp_path / "out.annotator"
    merge_projects(out, [a])
    report = merge_projects(out, [b])
    assert any("WEAPON" in change for change in report.schema_changes)
    with Project.open(out, read_only=True) as project:
        weapon = project.schema.layer("entity").label("WEAPON")
        assert weapon is not None and weapon.key == ""  # Z is KNIFE's already


def test_conflicting_schemas_are_refused_naming_files_and_label(tmp_path):
    schema = default_schema()
    moved = replace(schema, layers=tuple(
        replace(layer, labels=tuple(lb for lb in layer.labels if lb.name != "GPE"))
        if layer.name == "entity" else
        replace(layer, labels=layer.labels + (Label("GPE", "#123456"),))
        if layer.name == "claim" else layer for layer in schema.layers))
    a = make(tmp_path / "a.annotator", "alice")
    b = make(tmp_path / "b.annotator", "bob", schema=moved)
    out = tmp_path / "out.annotator"
    with pytest.raises(SchemaError) as error:
        merge_projects(out, [a, b])
    message = str(error.value)
    assert "'GPE'" in message and "a.annotator" in message and "b.annotator" in message
    assert not out.exists()


def test_same_uid_with_other_text_is_refused(tmp_path):
    a = make(tmp_path / "a.annotator", "alice")
    with Project.create(tmp_path / "b.annotator") as other, other.transaction():
        other.documents.insert_many([NewDocument("Another text entirely.", "", "doc-1")])
    out = tmp_path / "out.annotator"
    merge_projects(out, [a])
    before = content(out)
    with pytest.raises(ProjectError, match="doc-1"):
        merge_projects(out, [tmp_path / "b.annotator"])
    assert content(out) == before  # one transaction: nothing half-merged


def test_uid_clash_between_annotators_is_rekeyed_stably(tmp_path):
    a = make(tmp_path / "a.annotator", "alice")
    b = make(tmp_path / "b.annotator", "bob")
    # bob's GPE span got alice's uid (uids derived from local row ids can do this)
    with Project.open(b) as project, project.transaction():
        project.db.conn.execute("UPDATE spans SET uid = 'alice-g' WHERE uid = 'bob-g'")
    out = tmp_path / "out.annotator"
    first = merge_projects(out, [a, b])
    assert first.inputs[1].rekeyed == 1 and first.total("spans_added") == 6
    again = merge_projects(out, [b])
    assert again.inputs[0].spans_added == 0 and again.inputs[0].spans_unchanged == 3


def test_merge_cli(tmp_path, capsys):
    a, b = make(tmp_path / "a.annotator", "alice"), make(tmp_path / "b.annotator", "bob")
    out = tmp_path / "out.annotator"
    assert main(["merge", str(out), str(a), str(b)]) == 0
    printed = capsys.readouterr().out
    assert "created" in printed and "total: 6 spans added" in printed
    assert main(["merge", str(out), str(out)]) == 1
    assert "both the output and an input" in capsys.readouterr().err
