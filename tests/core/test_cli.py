"""The `annotator` command as a user types it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from news_annotator.cli import main
from tests.conftest import DEMO_CORPUS


@pytest.fixture
def project_path(tmp_path):
    path = tmp_path / "study.annotator"
    assert main(["init", str(path)]) == 0
    return path


def test_init_import_stats_search_export(project_path, tmp_path, capsys):
    assert main(["import", str(project_path), str(DEMO_CORPUS), "--annotator", "alice"]) == 0
    out = capsys.readouterr().out
    assert "imported" in out and "new documents" in out
    assert main(["import", str(project_path), str(DEMO_CORPUS)]) == 0
    assert "imported 0 new documents" in capsys.readouterr().out

    assert main(["stats", str(project_path), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert {"documents", "spans", "relations", "by_label", "by_annotator"} <= set(stats)
    assert stats["documents"] >= 20 and stats["spans"] == 0

    assert main(["search", str(project_path), '"told reporters"', "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits and all("[told reporters]" in hit["snippet"] for hit in hits)
    assert main(["search", str(project_path), "\"told reporters\""]) == 0  # one crosses a paragraph
    lines = capsys.readouterr().out.splitlines()
    assert lines and len(lines) % 2 == 0 and all(line.startswith("        ")
                                                 for line in lines[1::2])
    assert main(["search", str(project_path), "zzzznotaword"]) == 0
    assert "no matches" in capsys.readouterr().out

    out_file = tmp_path / "study.json"
    assert main(["export", str(project_path), "--format", "json", "--out", str(out_file)]) == 0
    assert len(json.loads(out_file.read_text("utf-8"))["documents"]) == stats["documents"]


def test_init_with_custom_schema(tmp_path, capsys):
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"layers": [{"name": "topic", "labels": [
        {"name": "ECONOMY", "color": "#112233", "key": "1"}]}]}))
    assert main(["init", str(tmp_path / "p.annotator"), "--schema", str(schema)]) == 0
    assert "layers: topic" in capsys.readouterr().out


def test_errors_are_one_line_with_file_and_nonzero_exit(project_path, tmp_path, capsys):
    bad = tmp_path / "broken.jsonl"
    bad.write_text('{"text": "ok"}\n{"text": \n')
    assert main(["import", str(project_path), str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert f"{bad}:2" in err and "not valid JSON" in err
    assert main(["stats", str(project_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == 0

    assert main(["stats", str(tmp_path / "nope.annotator")]) == 1
    assert "no such project file" in capsys.readouterr().err
    not_project = tmp_path / "readme.txt"
    not_project.write_text("hi")
    assert main(["import", str(not_project), str(DEMO_CORPUS)]) == 1
    assert "not a News Annotator project" in capsys.readouterr().err
    assert main(["import", str(project_path), str(bad), "--field", "body"]) == 1
    assert "bad field mapping" in capsys.readouterr().err


def test_skip_bad_reports_each_bad_record(project_path, tmp_path, capsys):
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text('{"text": "one"}\nnot json\n{"text": "three"}\n')
    assert main(["import", str(project_path), str(mixed), "--skip-bad"]) == 0
    captured = capsys.readouterr()
    assert "imported 2 new documents" in captured.out
    assert f"skipped: {mixed}:2" in captured.err


def test_help_texts(capsys):
    for args in (["--help"], ["import", "--help"], ["export", "--help"], ["stats", "--help"],
                 ["search", "--help"], ["init", "--help"]):
        with pytest.raises(SystemExit) as exit_info:
            main(args)
        assert exit_info.value.code == 0
        assert "usage: annotator" in capsys.readouterr().out


def test_console_script_runs(project_path):
    result = subprocess.run(
        [sys.executable, "-m", "news_annotator.cli", "stats", str(project_path)],
        capture_output=True, text=True)
    assert result.returncode == 0 and "documents" in result.stdout


def test_backup_and_add_labels(project_path, tmp_path, capsys, shared_data):
    brat = shared_data / "interop" / "brat"
    assert main(["import", str(project_path), str(brat / "000-introduction.ann")]) == 1
    assert "unknown label" in capsys.readouterr().err
    assert main(["import", str(project_path), str(brat), "--add-labels",
                 "--annotator", "brat"]) == 0
    assert "13 new documents" in capsys.readouterr().out
    assert main(["backup", str(project_path), str(tmp_path)]) == 0
    copy = Path(capsys.readouterr().out.split(" to ")[-1].strip())
    assert copy.parent == tmp_path
    assert main(["stats", str(copy), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == 13


def test_export_warns_about_what_the_format_cannot_carry(project_path, tmp_path, capsys):
    from news_annotator.project import Project

    main(["import", str(project_path), str(DEMO_CORPUS)])
    with Project.open(project_path) as project:
        doc = project.documents.ids()[0]
        me = project.annotator("me")
        project.add_span(doc, me.id, "PERSON", [(0, 10)])
        project.add_span(doc, me.id, "ORG", [(5, 15)])
    capsys.readouterr()
    out = tmp_path / "out.conll"
    assert main(["export", str(project_path), "--format", "conll", "--out", str(out)]) == 0
    assert "warning:" in capsys.readouterr().err


def test_export_of_chosen_layers(project_path, tmp_path, capsys):
    from news_annotator.project import Project

    main(["import", str(project_path), str(DEMO_CORPUS)])
    with Project.open(project_path) as project:
        doc = project.documents.ids()[0]
        me = project.annotator("me")
        person = project.add_span(doc, me.id, "PERSON", [(0, 10)])
        quote = project.add_span(doc, me.id, "DIRECT", [(12, 30)])
        project.add_relation("source", quote.id, person.id)
        project.add_span(doc, me.id, "CLAIM", [(40, 60)])
    out = tmp_path / "entities.json"
    assert main(["export", str(project_path), "--layer", "entity", "--out", str(out)]) == 0
    docs = json.loads(out.read_text("utf-8"))["documents"]
    assert [s["label"] for d in docs for s in d["spans"]] == ["PERSON"]
    assert not any(d["relations"] for d in docs)
    both = tmp_path / "quotes.json"
    assert main(["export", str(project_path), "--layer", "entity", "--layer", "quote",
                 "--out", str(both)]) == 0
    docs = json.loads(both.read_text("utf-8"))["documents"]
    assert sorted(s["label"] for d in docs for s in d["spans"]) == ["DIRECT", "PERSON"]
    assert [r["type"] for d in docs for r in d["relations"]] == ["source"]
    capsys.readouterr()
    assert main(["export", str(project_path), "--layer", "nope", "--out", str(out)]) == 1
    assert "no such layer: nope" in capsys.readouterr().err
