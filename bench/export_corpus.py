"""A deterministic annotated project for the export benchmark, written with bulk inserts."""

from __future__ import annotations

import random
from pathlib import Path

from generate import article

from news_annotator.model import (
    AnnotatorId,
    DocumentId,
    NewDocument,
    Relation,
    Span,
    SpanId,
    Status,
)
from news_annotator.project import Project
from news_annotator.store.annotations import relation_row, span_row

SEED = 20261125
WHEN = "2026-01-01T00:00:00+00:00"
ENTITIES = ("PERSON", "ORG", "GPE", "NORP")
OTHER = (("quote", "DIRECT", {"source_type": "named"}), ("quote", "INDIRECT", {}),
         ("quote", "CUE", {}), ("claim", "CLAIM", {"check_worthy": "yes", "type": "statistic"}))


def build_project(path: Path, documents: int, spans: int) -> None:
    """Articles of ~2,500 characters, `spans` spans spread evenly, 5% discontinuous."""
    rng = random.Random(SEED)
    path.parent.mkdir(parents=True, exist_ok=True)
    with Project.create(path) as project, project.transaction():
        people = [project.annotators.ensure(name).id for name in ("alice", "bob")]
        texts = [article(rng, index) for index in range(documents)]
        project.documents.insert_many(
            NewDocument(a["text"], a["title"], a["id"], a["source"], a["url"], a["published"],
                        {"section": a["section"]}) for a in texts)
        ids = project.documents.ids()
        rows, links = [], []
        for index in range(spans):
            doc = index % documents
            text = texts[doc]["text"]
            who = people[rng.randrange(2)]
            start = rng.randrange(len(text) - 80)
            end = start + rng.randint(3, 60)
            fragments = ((start, end),)
            if rng.random() < 0.05:
                fragments = ((start, end), (end + 5, end + rng.randint(6, 20)))
            if rng.random() < 0.6:
                layer, label, attributes = "entity", rng.choice(ENTITIES), {}
            else:
                layer, label, attributes = rng.choice(OTHER)
            uid = f"span-{index:08}"
            rows.append(span_row(Span(
                SpanId(0), uid, DocumentId(ids[doc]), AnnotatorId(who), layer, label, fragments,
                " … ".join(text[a:b] for a, b in fragments), attributes,
                "checked against the council minutes" if rng.random() < 0.02 else "",
                WHEN, WHEN)))
            if label == "DIRECT" and index >= documents:
                links.append((doc, who, uid, f"span-{index - documents:08}"))
            if len(rows) >= 50_000:
                project.spans.insert_many(rows)
                rows.clear()
        project.spans.insert_many(rows)
        project.relations.insert_many(relation_row(Relation(
            0, f"rel-{n:08}", DocumentId(ids[doc]), AnnotatorId(who), "source",  # type: ignore[arg-type]
            project.spans.id_for_uid(source), project.spans.id_for_uid(target), {}))
            for n, (doc, who, source, target) in enumerate(links))
        for position, document_id in enumerate(ids):
            for who in people[:1 + position % 2]:
                project.statuses.set(document_id, who, Status.DONE if position % 3 else
                                     Status.IN_PROGRESS, WHEN)
