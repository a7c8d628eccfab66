"""What a project does, whichever backend holds it: each test runs on a project file and
on a team project on the scratch PostgreSQL server (`any_project`)."""

from __future__ import annotations

import json

import pytest

from news_annotator.agreement import agreement_report
from news_annotator.changes import ChangeKind
from news_annotator.errors import ProjectError, SchemaError
from news_annotator.importing import import_paths
from news_annotator.model import NewDocument, Status
from news_annotator.schema import Label
from tests.conftest import DEMO_CORPUS

TEXT = "Zoë Brønstad said: “We agreed 🎉 to act.” The 🇺🇦 flag flew."


@pytest.fixture
def doc_id(any_project):
    with any_project.transaction():
        any_project.documents.insert_many([NewDocument(text=TEXT, title="t", uid="d1")])
    return any_project.documents.id_for_uid("d1")


def test_spans_are_sliced_by_code_points_and_keep_fragments(any_project, doc_id):
    project = any_project
    alice = project.annotator("alice")
    start, end = TEXT.index("“"), TEXT.index("”") + 1
    span = project.add_span(doc_id, alice.id, "DIRECT", [(start, end)])
    assert span.text == "“We agreed 🎉 to act.”" and span.layer == "quote"
    assert span.attributes == {"source_type": "named"}
    split = project.add_span(doc_id, alice.id, "DIRECT", [(0, 3), (13, 17)])
    assert project.spans.get(split.id).fragments == ((0, 3), (13, 17))
    assert split.text == "Zoë … said"
    with pytest.raises(ProjectError, match="past the end"):
        project.add_span(doc_id, alice.id, "PERSON", [(0, 999)])
    with pytest.raises(SchemaError, match="'NOPE'"):
        project.add_span(doc_id, alice.id, "NOPE", [(0, 3)])
    assert project.spans.count() == 2


def test_edit_delete_restore_and_the_changes_announced(any_project, doc_id):
    project = any_project
    seen = []
    project.subscribe(seen.append)
    alice = project.annotator("alice")
    person = project.add_span(doc_id, alice.id, "PERSON", [(0, 12)])
    quote = project.add_span(doc_id, alice.id, "DIRECT", [(19, 40)])
    relation = project.add_relation("source", quote.id, person.id)
    assert project.statuses.get(doc_id, alice.id) is Status.IN_PROGRESS
    changed = project.update_span(person.id, label="ORG", attributes={"x": "ü"}, note="n")
    assert (changed.label, changed.attributes, changed.note) == ("ORG", {"x": "ü"}, "n")
    deleted = project.delete_span(changed.id)
    assert deleted.relations == (relation,) and project.relations.count() == 0
    project.restore_span(deleted)
    assert project.spans.get(person.id) == changed
    assert project.relations.get(relation.id) == relation
    assert project.relations.touching(person.id) == [relation]
    project.set_status(doc_id, alice.id, Status.DONE)
    assert project.statuses.for_document(doc_id)[0][1] is Status.DONE
    kinds = [c.kind for c in seen]
    assert kinds == [ChangeKind.ANNOTATORS, ChangeKind.SPAN_ADDED, ChangeKind.SPAN_ADDED,
                     ChangeKind.RELATION_ADDED, ChangeKind.SPAN_CHANGED,
                     ChangeKind.SPAN_DELETED, ChangeKind.SPAN_ADDED, ChangeKind.STATUS]


def test_a_failed_transaction_leaves_nothing(any_project, doc_id):
    project = any_project
    alice = project.annotator("alice")
    with pytest.raises(RuntimeError), project.transaction():
        project.add_span(doc_id, alice.id, "PERSON", [(0, 3)])
        project.set_status(doc_id, alice.id, Status.DONE)
        raise RuntimeError("stop")
    assert project.spans.count() == 0
    assert project.statuses.get(doc_id, alice.id) is Status.NEW


def test_schema_changes_rename_labels_in_use_and_refuse_to_drop_them(any_project, doc_id):
    project = any_project
    alice = project.annotator("alice")
    project.add_span(doc_id, alice.id, "EVENT", [(0, 3)])
    project.add_label("entity", "ARTIST")
    assert project.schema.layer("entity").label("ARTIST") is not None
    schema = project.schema
    entity = schema.layer("entity")

    def with_labels(labels):
        return type(schema)(tuple(type(entity)(entity.name, labels, entity.attributes)
                                  if layer.name == "entity" else layer
                                  for layer in schema.layers), schema.relation_types,
                            schema.name)

    renamed = tuple(Label("HAPPENING", lb.color, lb.key) if lb.name == "EVENT" else lb
                    for lb in entity.labels)
    project.set_schema(with_labels(renamed), renames={("entity", "EVENT"): "HAPPENING"})
    assert [s.label for s in project.spans.iter_all()] == ["HAPPENING"]
    with pytest.raises(SchemaError, match="entity/HAPPENING"):
        project.set_schema(with_labels(tuple(lb for lb in renamed if lb.name != "HAPPENING")))
    assert project.reload_schema() is False
    assert project.schema.layer("entity").label("HAPPENING") is not None


def test_list_pages_filters_sorts_and_counts(any_project):
    project = any_project
    with project.transaction():
        added = project.documents.insert_many(
            NewDocument(text=f"Article {i} about the harbour budget", title=f"Title {i:03}",
                        source="b" if i % 2 else "A")
            for i in range(120))
    assert added == 120
    with project.transaction():
        assert project.documents.insert_many([NewDocument(text="Article 3 about the harbour "
                                                          "budget")]) == 0
    assert project.documents.count() == 120
    page = project.documents.page(100, 50)
    assert [row.title for row in page[:2]] == ["Title 100", "Title 101"] and len(page) == 20
    alice = project.annotator("alice")
    first = page[0].id
    project.set_status(first, alice.id, Status.DONE)
    project.add_span(first, alice.id, "GPE", [(0, 7)])
    assert project.documents.count(annotator_id=alice.id, status=Status.DONE) == 1
    assert project.documents.count(annotator_id=alice.id, status=Status.NEW) == 119
    assert project.documents.count(query='"Article 7"') == 1
    assert project.documents.page(0, 1, sort="title", descending=True)[0].title == "Title 119"
    by_spans = project.documents.page(0, 2, sort="spans", descending=True)
    assert by_spans[0].id == first and by_spans[0].span_count == 1
    by_status = project.documents.page(0, 1, sort="status", descending=True,
                                       annotator_id=alice.id)
    assert by_status[0].status is Status.DONE
    sources = [row.source for row in project.documents.page(0, 120, sort="source")]
    assert sources == ["A"] * 60 + ["b"] * 60
    ids = project.documents.ids()
    assert project.documents.position(ids[5]) == 6
    assert project.documents.neighbour(ids[5], 1) == ids[6]
    assert project.documents.neighbour(ids[5], -1) == ids[4]
    assert project.documents.ids(annotator_id=alice.id, status=Status.DONE) == [first]


QUERIES = ["minister", '"city council"', "minist*", "council OR glacier",
           "council AND vote", "council NOT vote", "(council OR glacier) AND percent",
           "Seville’s city", "Seville's", "trade-off", "harbour council", "nothingmatchesthis",
           "Wojcik", "Zielinska", "title:glacier", 'text:"city council"', "title:harbour*",
           "title:council AND text:vote"]


@pytest.fixture
def demo(any_project):
    import_paths(any_project, [DEMO_CORPUS])
    return any_project


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_the_same_documents_with_the_same_syntax(demo, query, request):
    expected = EXPECTED_MATCHES.setdefault(query, {})
    found = {hit.title for hit in demo.documents.search(query, limit=100, ranked=False)}
    assert demo.documents.count(query=query) == len(found)
    assert {row.title for row in demo.documents.page(0, 100, query=query)} == found
    expected[request.node.callspec.params["any_project"]] = found
    if len(expected) == 2:  # the second backend: both found the same documents
        assert expected["file"] == expected["server"]
    if query != "nothingmatchesthis":
        assert found, query
    hits = demo.documents.search(query, limit=3)
    if "title:" not in query:  # a match in the title leaves nothing to mark in the text
        assert all("[" in hit.snippet for hit in hits)


EXPECTED_MATCHES: dict[str, dict[str, set[str]]] = {}


def test_bad_search_syntax_is_a_clear_error(demo):
    with pytest.raises(ValueError, match="cannot search for"):
        demo.documents.search("(council OR")


def test_stats_and_agreement_of_the_same_work(demo):
    project = demo
    alice, bob = project.annotator("alice"), project.annotator("bob")
    for document_id in project.documents.ids()[:5]:
        text = project.documents.text(document_id)
        for who, shift in ((alice, 0), (bob, 1)):
            project.add_span(document_id, who.id, "PERSON", [(shift, 12)])
            project.add_span(document_id, who.id, "ORG", [(20, 30 + shift)])
        assert text
    stats = project.stats()
    assert stats["documents"] == 30 and stats["spans"] == 20
    assert stats["by_annotator"]["alice"] == {"spans": 10, "relations": 0, "in progress": 5}
    assert stats["by_label"] == {"entity": {"ORG": 10, "PERSON": 10}}
    report = agreement_report(project, layer="entity", workers=1)
    STATS.setdefault("stats", []).append(json.dumps(
        {k: v for k, v in stats.items() if k != "annotators"}, sort_keys=True))
    STATS.setdefault("agreement", []).append(json.dumps(_without_ids(report), sort_keys=True))
    assert report["documents_compared"] == 5
    for found in STATS.values():
        assert len(set(found)) == 1  # the file's and the server's are the same


STATS: dict[str, list[str]] = {}


def _without_ids(report: dict) -> dict:
    report = dict(report)
    report["documents"] = [{k: v for k, v in d.items() if k != "document_id"}
                           for d in report.get("documents", [])]
    return report


def test_export_reads_the_same_project_either_way(demo, tmp_path):
    from news_annotator.formats.native_json.writer import write

    project = demo
    alice = project.annotator("alice")
    first = project.documents.ids()[0]
    quote = project.add_span(first, alice.id, "DIRECT", [(10, 40)], uid="q")
    person = project.add_span(first, alice.id, "PERSON", [(0, 8)], uid="p")
    project.add_relation("source", quote.id, person.id, uid="r")
    out = tmp_path / "out.json"
    write(project, out)
    data = json.loads(out.read_text("utf-8"))
    for key in ("exported_at", "created_at", "format_version"):  # each backend's own
        data.get("project", {}).pop(key, None)
    EXPORTS.append(json.dumps(_strip_times(data), sort_keys=True))
    assert len(set(EXPORTS)) == 1


EXPORTS: list[str] = []


def _strip_times(value):
    if isinstance(value, dict):
        return {k: _strip_times(v) for k, v in value.items()
                if k not in ("created_at", "updated_at", "added_at", "exported_at")}
    if isinstance(value, list):
        return [_strip_times(v) for v in value]
    return value


def test_the_servers_fold_function_is_the_one_the_queries_use():
    """Migration 0003's SQL fold() and the query side fold the same letters alike."""
    from importlib import resources

    from news_annotator.store.postgres.folding import migration_sql

    script = (resources.files("news_annotator.store.postgres") / "migrations"
              / "0003_search_like_files.sql").read_text("utf-8")
    assert migration_sql() in script
