"""PostgreSQL, not the app, decides who writes what in a team project: connected as one
annotator's role, no statement changes anyone else's work or any document."""

from __future__ import annotations

import psycopg
import pytest

from news_annotator.cli import main
from news_annotator.errors import ProjectError
from news_annotator.model import GOLD_ANNOTATOR, Status
from news_annotator.project import Project

SCHEMA = "annotator"


def snapshot(url: str) -> dict[str, list[tuple]]:
    """Every row of every table of the project, as the owner sees them."""
    with psycopg.connect(url) as conn:
        return {table: conn.execute(f"SELECT * FROM {SCHEMA}.{table} ORDER BY 1, 2").fetchall()
                for table in tables(conn)}


def tables(conn: psycopg.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1", (SCHEMA,))]


def columns(conn: psycopg.Connection, table: str) -> list[tuple[str, str]]:
    return conn.execute("SELECT column_name, data_type FROM information_schema.columns "
                        "WHERE table_schema = %s AND table_name = %s AND is_generated = 'NEVER' "
                        "ORDER BY ordinal_position", (SCHEMA, table)).fetchall()


def changed_value(column: str, kind: str) -> str:
    name = f'"{column}"'
    return {"text": f"{name} || 'x'", "integer": f"{name} + 1", "bigint": f"{name} + 1000",
            "boolean": f"NOT {name}", "tsvector": "''::tsvector"}.get(kind, name)


def attempt_everything(url: str) -> list[str]:
    """DELETE, then UPDATE of each column, on every table, each in a savepoint; what went
    through (statement and rows), as this role."""
    went_through = []
    with psycopg.connect(url) as conn:
        for table in tables(conn):
            statements = [f"DELETE FROM {SCHEMA}.{table}", f"TRUNCATE {SCHEMA}.{table} CASCADE"]
            for column, kind in columns(conn, table):
                statements.append(f'UPDATE {SCHEMA}.{table} SET "{column}" = '
                                  f"{changed_value(column, kind)}")
            for statement in statements:
                try:
                    with conn.transaction():
                        cursor = conn.execute(statement)
                        if cursor.rowcount:
                            went_through.append(f"{statement}: {cursor.rowcount}")
                except psycopg.Error:
                    pass
    return went_through


def by_annotator(rows: list[tuple], position: int, ids: set[int]) -> list[tuple]:
    return [row for row in rows if row[position] in ids]


def test_an_annotator_changes_no_one_elses_work_and_no_document(team):
    before = snapshot(team.url())
    assert set(before) >= {"documents", "spans", "relations", "document_status", "annotators",
                           "layers", "labels", "relation_types", "meta", "members",
                           "document_search"}
    went_through = attempt_everything(team.url("alice"))
    after = snapshot(team.url())
    with team.open() as project:
        alice = project.annotators.find("alice").id
    others = {row[0] for row in before["annotators"]} - {alice}
    for table, rows in before.items():
        if table == "rejected_suggestions":
            continue  # the team's shared memory of rejected suggestions (docs/team-server.md)
        if table in ("spans", "relations"):
            assert by_annotator(after[table], 3, others) == by_annotator(rows, 3, others), table
        elif table == "document_status":
            assert by_annotator(after[table], 1, others) == by_annotator(rows, 1, others)
        else:
            assert after[table] == rows, f"{table} changed"
    # Alice's own work was hers to change, and the statements did change it; nothing else.
    touched = {statement.split(" ")[2 if statement.startswith("DELETE") else 1].rstrip(":")
               for statement in went_through}
    assert f"{SCHEMA}.spans" in touched
    assert touched <= {f"{SCHEMA}.spans", f"{SCHEMA}.relations", f"{SCHEMA}.document_status",
                       f"{SCHEMA}.rejected_suggestions"}


def test_an_annotator_cannot_write_as_another_or_as_gold(team):
    with psycopg.connect(team.url("alice")) as conn:
        bob = conn.execute(f"SELECT id FROM {SCHEMA}.annotators WHERE name = 'bob'").fetchone()[0]
        document = conn.execute(f"SELECT id FROM {SCHEMA}.documents LIMIT 1").fetchone()[0]
        refused = [
            f"INSERT INTO {SCHEMA}.spans (uid, document_id, annotator_id, layer, label, start, "
            f"\"end\", fragments, text, created_at, updated_at) VALUES ('x', {document}, {bob}, "
            "'entity', 'PERSON', 0, 3, '[[0, 3]]', 'Ben', '', '')",
            f"INSERT INTO {SCHEMA}.document_status VALUES ({document}, {bob}, 'done', '')",
            f"INSERT INTO {SCHEMA}.annotators (name) VALUES ('mallory')",
            f"INSERT INTO {SCHEMA}.documents (uid, text, sha256, added_at) VALUES ('n', 't', "
            "'s', '')",
            f"SELECT {SCHEMA}.claim_annotator('bob')",
            f"SELECT {SCHEMA}.claim_annotator('{GOLD_ANNOTATOR}')",
            f"SELECT {SCHEMA}.rename_label('entity', 'PERSON', 'X')",
            f"INSERT INTO {SCHEMA}.members VALUES ('alice', true, '')",
            f"UPDATE {SCHEMA}.meta SET value = '99' WHERE key = 'format_version'",
            f"INSERT INTO {SCHEMA}.suggestion_models VALUES ('entity', '', '[]', 0, '{{}}', "
            "'\\x00')",
        ]
        for statement in refused:
            with pytest.raises(psycopg.Error), conn.transaction():
                conn.execute(statement)
    with team.open("alice") as project:
        bob_span = next(s for s in project.spans.iter_all() if s.uid.startswith("bob-"))
        with pytest.raises(ProjectError, match="another annotator's work"):
            project.update_span(bob_span.id, label="ORG")
        with pytest.raises(ProjectError, match="another annotator's work"):
            project.delete_span(bob_span.id)
        with pytest.raises(ProjectError, match="you may write only 'alice'"):
            project.annotator(GOLD_ANNOTATOR)
        with pytest.raises(ProjectError, match="only a curator or the owner changes the "
                           "schema"):
            project.add_label("entity", "ARTIST")
        assert project.own_annotator == "alice"


def test_a_curator_writes_gold_and_the_schema_but_not_others_work(team):
    with team.open("carol") as project:
        assert project.access.curator and not project.access.owner
        gold = project.annotator(GOLD_ANNOTATOR)
        first = project.documents.ids()[0]
        project.add_span(first, gold.id, "PERSON", [(0, 8)])
        project.set_status(first, gold.id, Status.DONE)
        project.add_label("entity", "ARTIST")
        assert project.schema.layer("entity").label("ARTIST") is not None
        alice_span = next(s for s in project.spans.iter_all() if s.uid.startswith("alice-"))
        with pytest.raises(ProjectError, match="another annotator's work"):
            project.update_span(alice_span.id, label="ORG")
        with pytest.raises(ProjectError, match="may write only 'carol'"):
            project.annotator("alice")
    before = snapshot(team.url())
    attempt_everything(team.url("carol"))
    after = snapshot(team.url())
    with team.open() as project:
        hers = {project.annotators.find(name).id for name in ("carol", GOLD_ANNOTATOR)}
    assert after["documents"] == before["documents"]
    for table, position in (("spans", 3), ("relations", 3), ("document_status", 1)):
        assert [r for r in after[table] if r[position] not in hers] == \
            [r for r in before[table] if r[position] not in hers], table


def test_importing_as_someone_else_is_refused_clearly(team, tmp_path, capsys):
    texts, folder = tmp_path / "texts", tmp_path / "brat"
    for made in (texts, folder):
        made.mkdir()
        (made / "a.txt").write_text("Berlin officials reported 12,000 protesters.",
                                    encoding="utf-8")
    (folder / "a.ann").write_text("T1\tGPE 0 6\tBerlin\n", encoding="utf-8")
    assert main(["import", team.url("alice"), str(folder), "--annotator", "bob"]) == 1
    error = capsys.readouterr().err
    assert "connected as 'alice'" in error and "not 'bob'" in error
    assert main(["import", team.url("alice"), str(folder)]) == 1  # a text it lacks
    assert "a curator" in capsys.readouterr().err
    assert main(["import", team.url(), str(texts), "--format", "brat"]) == 0  # the owner's
    assert main(["import", team.url("alice"), str(folder)]) == 0  # her own, by default
    with team.open("alice") as project:
        alice = project.annotators.find("alice").id
        assert any(s.annotator_id == alice and s.text == "Berlin"
                   for s in project.spans.iter_all())


def test_only_the_owner_grants_and_roles_must_exist(team, capsys):
    assert main(["grant", team.url("carol"), "dave"]) == 1
    assert "only the project's owner may grant" in capsys.readouterr().err
    assert main(["grant", team.url(), "nobody_here"]) == 1
    assert "no role 'nobody_here'" in capsys.readouterr().err
    assert main(["grant", team.url(), "dave"]) == 0
    with team.open("dave") as project:
        assert project.own_annotator == "dave" and not project.access.curator
    assert main(["grant", team.url(), "carol"]) == 0  # no longer a curator
    with team.open("carol") as project, pytest.raises(ProjectError):
        project.add_label("entity", "ARTIST")


def test_a_role_without_a_grant_cannot_open_the_project(team):
    with pytest.raises(ProjectError, match="'frank'.*annotator grant"):
        Project.open(team.url("frank"))
