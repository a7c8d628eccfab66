"""Changes reach views only after they are saved (issue 12, the first review seam)."""

from __future__ import annotations

import sqlite3

import pytest

from news_annotator.changes import ChangeKind
from news_annotator.commands import AddSpan, SetStatus
from news_annotator.model import NewDocument, Status
from news_annotator.project import Project
from news_annotator.review.curation import Batch


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "p.annotator") as project, project.transaction():
        project.documents.insert_many([NewDocument(text="Anna met Bo in Oslo.", uid="d1")])
    with Project.open(tmp_path / "p.annotator") as project:
        yield project


def saved_spans(project: Project) -> int:
    """What another program reading the file sees (committed work only)."""
    other = sqlite3.connect(f"file:{project.path}?mode=ro", uri=True)
    try:
        return other.execute("SELECT count(*) FROM spans").fetchone()[0]
    finally:
        other.close()


class FailingStep:
    description = "a step that fails"

    def apply(self, project: Project) -> None:
        raise RuntimeError("disk on fire")

    def revert(self, project: Project) -> None:
        pass


def test_a_composite_whose_second_step_fails_announces_nothing(project):
    heard = []
    project.subscribe(heard.append)
    me = project.annotator("me").id
    heard.clear()
    batch = Batch("two steps", [AddSpan(1, me, "PERSON", ((0, 4),)), FailingStep()])
    with pytest.raises(RuntimeError):
        batch.apply(project)
    assert heard == []
    assert saved_spans(project) == 0


def test_a_composite_is_announced_after_its_commit(project):
    me = project.annotator("me").id
    seen_on_disk = []
    project.subscribe(lambda change: seen_on_disk.append((change.kind, saved_spans(project))))
    Batch("two spans", [AddSpan(1, me, "PERSON", ((0, 4),)), AddSpan(1, me, "GPE", ((15, 19),)),
                        SetStatus(1, me, Status.DONE)]).apply(project)
    kinds = [kind for kind, _ in seen_on_disk]
    assert kinds.count(ChangeKind.SPAN_ADDED) == 2 and ChangeKind.STATUS in kinds
    assert all(count == 2 for _, count in seen_on_disk)  # every listener saw saved work


def test_a_failed_savepoint_inside_a_transaction_takes_its_changes_back(project):
    me = project.annotator("me").id
    heard = []
    project.subscribe(heard.append)
    with project.transaction():
        project.add_span(1, me, "PERSON", [(0, 4)])
        with pytest.raises(RuntimeError), project.transaction():
            project.add_span(1, me, "PERSON", [(9, 11)])
            raise RuntimeError("second thoughts")
    assert [c.kind for c in heard] == [ChangeKind.SPAN_ADDED]
    assert saved_spans(project) == 1


def test_a_single_edit_is_announced_at_once(project):
    me = project.annotator("me").id
    heard = []
    project.subscribe(heard.append)
    project.add_span(1, me, "PERSON", [(0, 4)])
    assert [c.kind for c in heard] == [ChangeKind.SPAN_ADDED]
