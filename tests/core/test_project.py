"""The project file: creation, opening, versions, and validated edits with change events."""

from __future__ import annotations

import sqlite3

import pytest

from news_annotator.changes import ChangeKind
from news_annotator.errors import ProjectError, SchemaError
from news_annotator.model import NewDocument, Status
from news_annotator.project import Project
from news_annotator.schema import default_schema
from news_annotator.store.database import FORMAT_VERSION

TEXT = "Zoë Brønstad said: “We agreed 🎉 to act.” The 🇺🇦 flag flew."


@pytest.fixture
def doc_id(project):
    with project.transaction():
        project.documents.insert_many([NewDocument(text=TEXT, title="t", uid="d1")])
    return project.documents.id_for_uid("d1")


def test_new_project_has_schema_wal_and_foreign_keys(tmp_path):
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    with Project.open(path) as project:
        assert project.schema == default_schema()
        assert project.db.query("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert project.db.query("PRAGMA foreign_keys").fetchone()[0] == 1
        assert project.db.format_version() == FORMAT_VERSION
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(path)


def test_refuses_missing_foreign_and_newer_files(tmp_path):
    with pytest.raises(ProjectError, match="no such project file"):
        Project.open(tmp_path / "missing.annotator")
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.commit()
    with pytest.raises(ProjectError, match="another program"):
        Project.open(other)
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello")
    with pytest.raises(ProjectError, match="not an SQLite file"):
        Project.open(text_file)
    newer = tmp_path / "newer.annotator"
    Project.create(newer).close()
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {FORMAT_VERSION + 1}")
    conn.close()
    with pytest.raises(ProjectError, match=f"version {FORMAT_VERSION + 1} is newer.*"
                       f"version {FORMAT_VERSION}"):
        Project.open(newer)


def test_span_text_is_sliced_by_code_points(project, doc_id):
    alice = project.annotator("alice")
    start = TEXT.index("“")
    end = TEXT.index("”") + 1
    span = project.add_span(doc_id, alice.id, "DIRECT", [(start, end)])
    assert span.text == "“We agreed 🎉 to act.”"
    assert span.layer == "quote"
    assert span.attributes == {"source_type": "named"}  # the schema's default
    flag = project.add_span(doc_id, alice.id, "GPE", [(TEXT.index("🇺🇦"), TEXT.index("🇺🇦") + 2)])
    assert flag.text == "🇺🇦"


def test_discontinuous_span_keeps_fragments(project, doc_id):
    alice = project.annotator("alice")
    span = project.add_span(doc_id, alice.id, "DIRECT", [(0, 3), (13, 17)])
    assert span.fragments == ((0, 3), (13, 17))
    assert (span.start, span.end) == (0, 17)
    assert span.text == "Zoë … said"


@pytest.mark.parametrize("fragments, message", [
    ([(5, 5)], "need 0 <= start < end"),
    ([(0, 999)], "past the end"),
    ([(4, 8), (2, 3)], "out of order"),
    ([], "at least one fragment"),
])
def test_bad_bounds_are_refused_with_values(project, doc_id, fragments, message):
    alice = project.annotator("alice")
    with pytest.raises((ProjectError, ValueError), match=message):
        project.add_span(doc_id, alice.id, "PERSON", fragments)
    assert project.spans.count() == 0


def test_unknown_label_and_bad_relation_are_refused(project, doc_id):
    alice = project.annotator("alice")
    with pytest.raises(SchemaError, match="'NOPE'"):
        project.add_span(doc_id, alice.id, "NOPE", [(0, 3)])
    person = project.add_span(doc_id, alice.id, "PERSON", [(0, 12)])
    claim = project.add_span(doc_id, alice.id, "CLAIM", [(20, 30)])
    with pytest.raises(SchemaError, match="cannot go from PERSON to CLAIM"):
        project.add_relation("source", person.id, claim.id)
    bob = project.annotator("bob")
    other = project.add_span(doc_id, bob.id, "DIRECT", [(19, 40)])
    with pytest.raises(ProjectError, match="same annotator"):
        project.add_relation("source", other.id, person.id)


def test_delete_span_takes_relations_and_restore_brings_both_back(project, doc_id):
    alice = project.annotator("alice")
    person = project.add_span(doc_id, alice.id, "PERSON", [(0, 12)])
    quote = project.add_span(doc_id, alice.id, "DIRECT", [(19, 40)])
    relation = project.add_relation("source", quote.id, person.id)
    deleted = project.delete_span(person.id)
    assert deleted.relations == (relation,)
    assert project.relations.count() == 0
    project.restore_span(deleted)
    assert project.spans.get(person.id) == person
    assert project.relations.get(relation.id) == relation


def test_edits_announce_what_changed(project, doc_id):
    seen = []
    project.subscribe(seen.append)
    alice = project.annotator("alice")
    span = project.add_span(doc_id, alice.id, "PERSON", [(0, 3)])
    project.update_span(span.id, label="ORG")
    project.set_status(doc_id, alice.id, Status.DONE)
    project.delete_span(span.id)
    kinds = [c.kind for c in seen]
    assert kinds == [ChangeKind.ANNOTATORS, ChangeKind.SPAN_ADDED, ChangeKind.SPAN_CHANGED,
                     ChangeKind.STATUS, ChangeKind.SPAN_DELETED]
    assert seen[1].document_id == doc_id and seen[1].ids == (span.id,)


def test_first_span_marks_document_in_progress(project, doc_id):
    alice = project.annotator("alice")
    assert project.statuses.get(doc_id, alice.id) is Status.NEW
    project.add_span(doc_id, alice.id, "PERSON", [(0, 3)])
    assert project.statuses.get(doc_id, alice.id) is Status.IN_PROGRESS


def test_schema_cannot_drop_labels_in_use(project, doc_id):
    alice = project.annotator("alice")
    project.add_span(doc_id, alice.id, "PERSON", [(0, 3)])
    schema = project.schema
    entity = schema.layer("entity")
    smaller = type(schema)(tuple(
        type(entity)(entity.name, tuple(lb for lb in entity.labels if lb.name != "PERSON"))
        if layer.name == "entity" else layer for layer in schema.layers),
        schema.relation_types, schema.name)
    with pytest.raises(SchemaError, match="entity/PERSON"):
        project.set_schema(smaller)
    assert project.schema.layer("entity").label("PERSON") is not None


def test_read_only_project_refuses_edits(tmp_path):
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    with Project.open(path, read_only=True) as project, pytest.raises(ProjectError,
                                                                      match="read-only"):
        project.annotator("alice")


def test_document_paging_filters_and_counts(project):
    with project.transaction():
        project.documents.insert_many(
            NewDocument(text=f"Article {i} about the harbour budget", title=f"Title {i:03}")
            for i in range(120))
    assert project.documents.count() == 120
    page = project.documents.page(100, 50)
    assert [row.title for row in page[:2]] == ["Title 100", "Title 101"]
    assert len(page) == 20
    alice = project.annotator("alice")
    first = page[0].id
    project.set_status(first, alice.id, Status.DONE)
    assert project.documents.count(annotator_id=alice.id, status=Status.DONE) == 1
    assert project.documents.count(annotator_id=alice.id, status=Status.NEW) == 119
    assert project.documents.count(query='"Article 7"') == 1
    newest = project.documents.page(0, 1, sort="title", descending=True)[0]
    assert newest.title == "Title 119"


def test_document_text_cache_never_serves_a_deleted_documents_text(project):
    with project.transaction():
        project.documents.insert_many([NewDocument(text="first text", uid="a")])
    first = project.documents.id_for_uid("a")
    assert project.documents.text(first) == "first text"
    with project.transaction():
        project.documents.delete(first)
        project.documents.insert_many([NewDocument(text="second text", uid="b")])
    second = project.documents.id_for_uid("b")
    assert second == first  # SQLite reused the id
    assert project.documents.text(second) == "second text"
    assert project.documents.text(999) is None


def test_search_index_catches_up_in_chunks_and_reports_progress(tmp_path, monkeypatch):
    from news_annotator.store import documents as document_store

    monkeypatch.setattr(document_store, "INDEX_CHUNK", 3)
    with Project.create(tmp_path / "p.annotator") as project:
        project.documents.insert_many(NewDocument(text=f"Harbour story number w{i}")
                                      for i in range(10))
        heard: list[tuple[int, int]] = []
        assert project.documents.update_search_index(
            progress=lambda done, total: heard.append((done, total))) == 10
        assert heard == [(0, 10), (3, 10), (6, 10), (9, 10), (10, 10)]
        assert len(project.documents.search("harbour", limit=50)) == 10
        assert [hit.title for hit in project.documents.search("w7")] == [""]
        project.documents.insert_many([NewDocument(text="A later harbour story")])
        assert project.documents.update_search_index() == 1
        assert project.documents.update_search_index() == 0
        assert len(project.documents.search("harbour", limit=50)) == 11
