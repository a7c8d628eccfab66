"""Undoable commands: apply, revert, apply again leaves the same rows and ids."""

from __future__ import annotations

from news_annotator.commands import (
    AddRelation,
    AddSpan,
    DeleteRelation,
    DeleteSpan,
    SetStatus,
    UpdateSpan,
)
from news_annotator.model import Status


def test_every_command_reverts_and_reapplies(demo_project):
    project = demo_project
    doc = project.documents.ids()[0]
    me = project.annotator("me")
    person = AddSpan(doc, me.id, "PERSON", ((0, 4),))
    quote = AddSpan(doc, me.id, "DIRECT", ((10, 30),))
    for command in (person, quote):
        command.apply(project)
    relate = AddRelation("source", quote.created.id, person.created.id)
    commands = [relate, UpdateSpan(person.created.id, label="ORG"),
                UpdateSpan(quote.created.id, fragments=((10, 20), (25, 30))),
                UpdateSpan(quote.created.id, attributes={"source_type": "unnamed"}, note="n"),
                SetStatus(doc, me.id, Status.DONE)]
    for command in commands:
        command.apply(project)
    after = (project.spans.for_document(doc), project.relations.for_document(doc),
             project.statuses.get(doc, me.id))
    assert after[0][0].label == "ORG" and after[2] is Status.DONE
    delete = DeleteSpan(person.created.id)
    delete.apply(project)
    assert project.relations.count() == 0
    delete.revert(project)
    for command in reversed(commands):
        command.revert(project)
    assert [s.label for s in project.spans.for_document(doc)] == ["PERSON", "DIRECT"]
    assert project.spans.get(quote.created.id).fragments == ((10, 30),)
    assert project.statuses.get(doc, me.id) is Status.IN_PROGRESS
    assert project.relations.count() == 0
    for command in commands:
        command.apply(project)
    def essentials(spans):
        return [(s.id, s.uid, s.label, s.fragments, s.attributes, s.note) for s in spans]

    assert essentials(project.spans.for_document(doc)) == essentials(after[0])
    assert project.relations.for_document(doc) == after[1]
    assert project.statuses.get(doc, me.id) is Status.DONE
    unrelate = DeleteRelation(relate.created.id)
    unrelate.apply(project)
    unrelate.revert(project)
    assert project.relations.get(relate.created.id) == relate.created
    for command in (quote, person):
        command.revert(project)
    assert project.spans.count() == 0
    person.apply(project)
    assert project.spans.get(person.created.id).label == "PERSON"
