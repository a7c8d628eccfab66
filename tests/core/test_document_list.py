"""The corpus list's queries (filter by search, status, sort, pages) against a plain
Python reading of the same documents."""

from __future__ import annotations

import random

import pytest

from annotator.model import NewDocument, Status
from annotator.project import Project

WORDS = "harbour strike council budget river vote court tenants".split()


@pytest.fixture(scope="module")
def listed(tmp_path_factory):
    rng = random.Random(7)
    path = tmp_path_factory.mktemp("list") / "p.annotator"
    texts = {}
    with Project.create(path) as project:
        with project.transaction():
            project.documents.insert_many(
                NewDocument(text=" ".join(rng.choice(WORDS) for _ in range(6)) + f" n{i}",
                            title=rng.choice(WORDS).title() + f" {i % 5}", uid=f"d{i}",
                            source=rng.choice(["Wire", "gazette", "Post"]))
                for i in range(60))
            alice = project.annotators.ensure("alice").id
            for doc in project.documents.iter_all():
                texts[doc.id] = doc
                if doc.id % 3 == 0:
                    project.statuses.set(doc.id, alice, Status.DONE)
        project.documents.update_search_index()
        gone = project.documents.id_for_uid("d10")
        with project.transaction():  # a deleted document leaves the index as well
            project.documents.delete(gone)
        del texts[gone]
    project = Project.open(path)
    yield project, texts, alice
    project.close()


def oracle(texts, word, done, sort, descending):
    keep = [d for d in texts.values() if (not word or word in d.text.split()
                                          or word in d.title.lower().split())
            and (done is None or (d.id % 3 == 0) == done)]
    key = {"id": lambda d: d.id, "title": lambda d: (d.title.lower(), d.id),
           "source": lambda d: (d.source.lower(), d.id)}[sort]
    keep.sort(key=key, reverse=descending)
    if sort != "id" and descending:  # ties stay in ascending id order
        keep.sort(key=lambda d: d.id)
        keep.sort(key=lambda d: key(d)[0], reverse=True)
    return [d.id for d in keep]


@pytest.mark.parametrize("word", ["", "harbour", "tenants"])
@pytest.mark.parametrize("done", [None, True])
@pytest.mark.parametrize("sort", ["id", "title", "source"])
@pytest.mark.parametrize("descending", [False, True])
def test_list_matches_a_plain_reading(listed, word, done, sort, descending):
    project, texts, alice = listed
    status = Status.DONE if done else None
    expected = oracle(texts, word, done, sort, descending)
    assert project.documents.count(query=word, status=status, annotator_id=alice) \
        == len(expected)
    pages = [row.id for offset in range(0, 70, 7) for row in project.documents.page(
        offset, 7, query=word, status=status, annotator_id=alice, sort=sort,
        descending=descending)]
    assert pages == expected


def test_sort_indexes_are_made_on_first_use(tmp_path):
    """Bulk imports do not keep them up; the first sort by a column makes its index."""
    with Project.create(tmp_path / "p.annotator") as project:
        def indexes() -> set[str]:
            return {row[0] for row in project.db.query(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = "
                "'documents' AND sql IS NOT NULL")}

        assert indexes() == set()
        with project.transaction():
            project.documents.insert_many([
                NewDocument(text="x", title="B", published="2026"),
                NewDocument(text="y", title="a", published="2025")])
        for sort in ("title", "source", "published"):
            assert [row.title for row in project.documents.page(0, 5, sort=sort)]
        assert indexes() == {"documents_title", "documents_source", "documents_published"}
        plan = " ".join(row[3] for row in project.db.query(
            "EXPLAIN QUERY PLAN SELECT id FROM documents d ORDER BY d.published, d.id"))
        assert "documents_published" in plan and "TEMP B-TREE" not in plan
        assert [row.title for row in project.documents.page(0, 5, sort="published")] == \
            ["a", "B"]
