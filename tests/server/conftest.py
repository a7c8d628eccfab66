"""A team project on the scratch server, with work by two annotators and a curator."""

from __future__ import annotations

import pytest

from news_annotator.model import NewDocument, Status
from news_annotator.project import Project

TEXTS = ("Benjamin Netanyahu said: “We agreed to establish a joint team.”",
         "Berlin officials reported 12,000 protesters in the city centre.",
         "The finance minister, Zoë Brønstad, warned that prices would rise.")


class Team:
    """Addresses of one server project for its owner and each role."""

    def __init__(self, server, database: str) -> None:
        self.server, self.database = server, database

    def url(self, role: str = "lead") -> str:
        return self.server.url(self.database, role)

    def open(self, role: str = "lead", **options) -> Project:
        return Project.open(self.url(role), **options)


def annotate(project: Project, name: str, document_ids, *, prefix: str = "") -> None:
    """A person, a quote with its source, and a status in each document, as `name`."""
    who = project.annotator(name).id
    for number, document_id in enumerate(document_ids):
        text = project.documents.text(document_id)
        person = project.add_span(document_id, who, "PERSON", [(0, 8)],
                                  uid=f"{prefix}{name}-p{number}")
        quote = project.add_span(document_id, who, "DIRECT", [(10, len(text) - 1)],
                                 uid=f"{prefix}{name}-q{number}")
        project.add_relation("source", quote.id, person.id, uid=f"{prefix}{name}-r{number}")
        project.set_status(document_id, who, Status.DONE)


@pytest.fixture
def team(postgres_server):
    """A server project (owner `lead`) with three documents; alice and bob annotate,
    carol curates; alice and bob have each annotated every document."""
    database = postgres_server.new_database()
    made = Team(postgres_server, database)
    with Project.create(made.url()) as project:
        with project.transaction():
            project.documents.insert_many(NewDocument(text, f"t{i}", f"doc-{i}")
                                          for i, text in enumerate(TEXTS))
        project.grant("alice")
        project.grant("bob")
        project.grant("carol", curator=True)
    for name in ("alice", "bob"):
        with made.open(name) as project:
            annotate(project, name, project.documents.ids())
    return made
