"""Offline and back: `merge FILE URL` pulls a server project into a file, `merge URL FILE`
pushes a file's work, with the merge rules of files (uids, idempotent, order-independent).
A push carries only what the role may write and says what it refused."""

from __future__ import annotations

from news_annotator.cli import main
from news_annotator.model import GOLD_ANNOTATOR, Status
from news_annotator.project import Project
from news_annotator.review.merge import merge_projects
from tests.core.test_merge import content
from tests.server.conftest import annotate


def server_content(team, folder) -> tuple:
    """`content` of the server project, through a fresh pull into `folder`."""
    path = folder / f"pull-{len(list(folder.iterdir()))}.annotator"
    merge_projects(path, [team.url()])
    return content(path)


def test_a_pull_holds_the_whole_server_project_and_pulling_again_adds_nothing(team, tmp_path):
    out = tmp_path / "alice.annotator"
    report = merge_projects(out, [team.url("alice")])
    assert report.created and report.total("spans_added") == 12
    assert report.total("relations_added") == 6 and report.total("statuses_set") == 6
    again = merge_projects(out, [team.url("alice")])
    assert again.total("spans_added") == again.total("statuses_set") == 0
    with Project.open(out, read_only=True) as pulled_file, team.open() as server:
        assert pulled_file.stats() == server.stats()
    assert main(["backup", team.url("bob"), str(tmp_path / "copy.annotator")]) == 0
    assert content(tmp_path / "copy.annotator") == content(out)


def test_a_push_carries_only_the_roles_own_work_and_reports_the_rest(team, tmp_path, capsys):
    offline = tmp_path / "alice.annotator"
    merge_projects(offline, [team.url("alice")])
    with Project.open(offline) as work:  # offline: new work of alice, bob and gold
        documents = work.documents.ids()
        annotate(work, "alice", documents[:2], prefix="offline-")
        annotate(work, "bob", documents[:1], prefix="offline-")
        annotate(work, GOLD_ANNOTATOR, documents[:1], prefix="offline-")
        work.add_label("entity", "ARTIST")
    assert main(["merge", team.url("alice"), str(offline)]) == 0
    printed = capsys.readouterr().out
    assert "refused, not this role's to write" in printed
    assert "4 spans (bob 2, gold 2)" in printed and "2 relations (bob 1, gold 1)" in printed
    assert "schema change refused" in printed
    with team.open() as server:
        names = {a.id: a.name for a in server.annotators.all()}
        offline_spans = [s for s in server.spans.iter_all() if s.uid.startswith("offline-")]
        assert {names[s.annotator_id] for s in offline_spans} == {"alice"}
        assert len(offline_spans) == 4
        assert server.schema.layer("entity").label("ARTIST") is None
    before = server_content(team, tmp_path)
    report = merge_projects(team.url("alice"), [offline])  # idempotent
    assert report.total("spans_added") == report.total("relations_added") == 0
    assert server_content(team, tmp_path) == before
    # A curator's push carries gold and the schema too.
    curated = merge_projects(team.url("carol"), [offline])
    assert curated.total("spans_added") == 2 and not curated.schema_refused
    with team.open() as server:
        assert server.schema.layer("entity").label("ARTIST") is not None


def test_pushes_in_either_order_give_the_same_project(team, postgres_server, tmp_path):
    files = {}
    for name in ("alice", "bob"):
        files[name] = tmp_path / f"{name}.annotator"
        merge_projects(files[name], [team.url(name)])
        with Project.open(files[name]) as work:
            annotate(work, name, work.documents.ids()[1:], prefix="later-")
            work.set_status(work.documents.ids()[0], work.annotator(name).id, Status.IN_PROGRESS)
    other = _copy_of(team, postgres_server)
    merge_projects(team.url("alice"), [files["alice"]])
    merge_projects(team.url("bob"), [files["bob"]])
    merge_projects(other.url("bob"), [files["bob"]])
    merge_projects(other.url("alice"), [files["alice"]])
    assert server_content(team, tmp_path) == server_content(other, tmp_path)


def _copy_of(team, server):
    """The same server project in another database (before the pushes)."""
    from tests.server.conftest import Team

    database = server.new_database()
    server.admin("postgres", "postgres", [f"DROP DATABASE {database}",
                                          f"CREATE DATABASE {database} TEMPLATE {team.database} "
                                          f"OWNER lead"])
    return Team(server, database)
