"""A server project from the command line: created in an existing database, versioned
like a file, and usable by every command that takes a project file."""

from __future__ import annotations

import json

import psycopg
import pytest

from news_annotator.cli import main
from news_annotator.errors import ProjectError
from news_annotator.project import Project
from news_annotator.store.postgres.connection import SERVER_FORMAT_VERSION
from tests.conftest import DEMO_CORPUS


def test_init_once_then_every_command_takes_the_address(server_url, tmp_path, capsys):
    assert main(["init", server_url]) == 0
    assert "created" in capsys.readouterr().out
    assert main(["init", server_url]) == 1
    assert "already holds a project" in capsys.readouterr().err
    assert main(["import", server_url, str(DEMO_CORPUS)]) == 0
    capsys.readouterr()
    assert main(["stats", server_url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == 30
    assert main(["search", server_url, '"city council" OR glacier*', "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits and all("[" in hit["snippet"] for hit in hits)
    assert main(["export", server_url, "--format", "jsonl", "--out",
                 str(tmp_path / "out.jsonl")]) == 0
    assert len((tmp_path / "out.jsonl").read_text("utf-8").splitlines()) == 1 + 30  # header
    assert main(["agree", server_url, "--json"]) == 0
    capsys.readouterr()
    assert main(["backup", server_url, str(tmp_path / "copy.annotator")]) == 0
    with Project.open(tmp_path / "copy.annotator", read_only=True) as copy:
        assert copy.documents.count() == 30


def test_a_newer_server_schema_is_refused_naming_both_versions(server_url):
    Project.create(server_url).close()
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute("UPDATE annotator.meta SET value = %s WHERE key = 'format_version'",
                     (str(SERVER_FORMAT_VERSION + 1),))
    with pytest.raises(ProjectError, match=f"version {SERVER_FORMAT_VERSION + 1}, newer .*"
                       f"\\(version {SERVER_FORMAT_VERSION}\\)"):
        Project.open(server_url)


def test_a_database_without_a_project_or_server_says_so(server_url, postgres_server):
    with pytest.raises(ProjectError, match="no News Annotator project .*annotator init"):
        Project.open(server_url)
    missing = postgres_server.url("no_such_database")
    with pytest.raises(ProjectError, match="cannot connect"):
        Project.open(missing)


def test_an_older_server_schema_is_upgraded_by_its_owner_only(team):
    with psycopg.connect(team.url(), autocommit=True) as conn:  # back to format 1
        conn.execute("DROP TABLE annotator.suggestion_models, annotator.rejected_suggestions")
        conn.execute("DROP FUNCTION annotator.fold(text)")  # format 3's
        conn.execute("UPDATE annotator.meta SET value = '1' WHERE key = 'format_version'")
    with pytest.raises(ProjectError, match="at version 1; .*needs "
                       f"{SERVER_FORMAT_VERSION}: its owner must open it once"):
        team.open("alice")
    with team.open() as owner:
        assert owner.info()["format_version"] == SERVER_FORMAT_VERSION
        assert owner.suggestions.model_layers() == []
    with team.open("alice") as project:
        assert project.suggestions.rejected() == set()
