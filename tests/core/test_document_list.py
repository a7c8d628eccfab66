"""The corpus list's queries (filter by search, status, sort, pages) against a plain
Python reading of the same documents."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

import pytest

from news_annotator.model import AnnotatorId, Document, NewDocument, Span, SpanId, Status
from news_annotator.project import Project
from news_annotator.store.annotations import span_row

WORDS = "harbour strike council budget river vote court tenants".split()


STATUS_ORDER = {Status.NEW: 0, Status.IN_PROGRESS: 1, Status.DONE: 2}  # the order of work
# Few distinct times, so that two annotators' statuses of a document often tie.
TIMES = [f"2025-01-0{day}T10:00:00+00:00" for day in (1, 2, 3)]


@dataclass
class Listed:
    project: Project
    texts: dict[int, Document]
    alice: int
    bob: int
    spans: Counter  # (document id, annotator id) -> spans
    statuses: dict[tuple[int, int], tuple[Status, str]]  # -> (status, updated_at)


@pytest.fixture(scope="module")
def listed(tmp_path_factory):
    """60 documents; alice and bob each with spans on some (counts often tie) and a
    status on some: an explicit 'new' as well as none at all, which the list shows alike."""
    rng = random.Random(7)
    path = tmp_path_factory.mktemp("list") / "p.annotator"
    texts, spans, statuses = {}, Counter(), {}
    with Project.create(path) as project:
        layer, label = project.schema.all_labels()[0]
        with project.transaction():
            project.documents.insert_many(
                NewDocument(text=" ".join(rng.choice(WORDS) for _ in range(6)) + f" n{i}",
                            title=rng.choice(WORDS).title() + f" {i % 5}", uid=f"d{i}",
                            source=rng.choice(["Wire", "gazette", "Post"]))
                for i in range(60))
            alice = project.annotators.ensure("alice").id
            bob = project.annotators.ensure("bob").id
            rows = []
            for doc in project.documents.iter_all():
                texts[doc.id] = doc
                for who, counts in ((alice, [0, 0, 1, 2, 3]), (bob, [0, 1, 4])):
                    spans[doc.id, who] = rng.choice(counts)
                    rows += [span_row(Span(SpanId(0), "", doc.id, AnnotatorId(who), layer.name,
                                           label.name, ((k, k + 1),), doc.text[k]))
                             for k in range(spans[doc.id, who])]
                    status = rng.choice([None, *Status])
                    if status is not None:
                        statuses[doc.id, who] = (status, rng.choice(TIMES))
                        project.statuses.set(doc.id, who, *statuses[doc.id, who])
            project.spans.insert_many(rows)
        project.documents.update_search_index()
        gone = project.documents.id_for_uid("d10")
        with project.transaction():  # a deleted document leaves the index as well
            project.documents.delete(gone)
        del texts[gone]
    project = Project.open(path)
    yield Listed(project, texts, alice, bob, spans, statuses)
    project.close()


def shown(listed, doc_id, who):
    """What the list shows for a document: (span count, status) for `who`, or for
    everyone (None): all spans, and the latest status (ties: the first annotator's)."""
    if who is not None:
        return listed.spans[doc_id, who], listed.statuses.get((doc_id, who), (Status.NEW,))[0]
    count = sum(listed.spans[doc_id, annotator] for annotator in (listed.alice, listed.bob))
    rows = [(updated_at, -annotator, status)
            for (doc, annotator), (status, updated_at) in listed.statuses.items() if doc == doc_id]
    return count, max(rows)[2] if rows else Status.NEW


def oracle(listed, word, status, sort, descending, who):
    """The list's document ids, read from plain Python records."""
    def keep(d) -> bool:
        if word and word not in d.text.split() and word not in d.title.lower().split():
            return False
        if status is None:
            return True
        mine = [s for (doc, a), (s, _) in listed.statuses.items()
                if doc == d.id and who in (None, a)]
        if status is Status.NEW:  # nobody (of those shown) has moved past new
            return all(s is Status.NEW for s in mine)
        return status in mine

    key = {"id": lambda d: d.id, "title": lambda d: d.title.lower(),
           "source": lambda d: d.source.lower(),
           "spans": lambda d: shown(listed, d.id, who)[0],
           "status": lambda d: STATUS_ORDER[shown(listed, d.id, who)[1]]}[sort]
    rows = sorted((d for d in listed.texts.values() if keep(d)), key=lambda d: (key(d), d.id),
                  reverse=descending)  # ties in id order, reversed with the sort
    return [(d.id, *shown(listed, d.id, who)) for d in rows]


@pytest.mark.parametrize("word", ["", "harbour", "tenants"])
@pytest.mark.parametrize("status", [None, Status.DONE, Status.NEW])
@pytest.mark.parametrize("sort", ["id", "title", "source", "spans", "status"])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("everyone", [False, True])
def test_list_matches_a_plain_reading(listed, word, status, sort, descending, everyone):
    who = None if everyone else listed.alice
    expected = oracle(listed, word, status, sort, descending, who)
    assert listed.project.documents.count(query=word, status=status, annotator_id=who) \
        == len(expected)
    pages = [(row.id, row.span_count, row.status) for offset in range(0, 70, 7)
             for row in listed.project.documents.page(offset, 7, query=word, status=status,
                                                      annotator_id=who, sort=sort,
                                                      descending=descending)]
    assert pages == expected


def test_fixture_has_what_the_sorts_must_order(listed):
    """Ties, both kinds of new, and every status: else the oracle test proves little."""
    alice = [shown(listed, d, listed.alice) for d in listed.texts]
    assert {count for count, _ in alice} == {0, 1, 2, 3}
    assert {status for _, status in alice} == set(Status)
    explicit_new = {d for (d, a), (s, _) in listed.statuses.items()
                    if a == listed.alice and s is Status.NEW}
    no_row = {d for d in listed.texts if (d, listed.alice) not in listed.statuses}
    assert explicit_new and no_row
    ties = [d for d in listed.texts if (d, listed.alice) in listed.statuses
            and (d, listed.bob) in listed.statuses
            and listed.statuses[d, listed.alice][1] == listed.statuses[d, listed.bob][1]
            and listed.statuses[d, listed.alice][0] != listed.statuses[d, listed.bob][0]]
    assert ties


def test_spans_sort_puts_unannotated_first_and_status_in_order_of_work(listed):
    documents = listed.project.documents
    alice = listed.alice
    rows = documents.page(0, 100, annotator_id=alice, sort="spans")
    assert rows[0].span_count == 0 and rows[-1].span_count == 3
    rows = documents.page(0, 100, annotator_id=alice, sort="spans", descending=True)
    assert [row.span_count for row in rows] == sorted((r.span_count for r in rows), reverse=True)
    rows = documents.page(0, 100, annotator_id=alice, sort="status")
    statuses = [row.status for row in rows]
    assert statuses == sorted(statuses, key=STATUS_ORDER.get)
    assert statuses[0] is Status.NEW and statuses[-1] is Status.DONE


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
