"""Exports are all or nothing: killed, failing or cancelled, the previous export stands;
and the CLI ends quietly when whoever reads its output stops early."""

from __future__ import annotations

import errno
import inspect
import json
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from news_annotator.cli import main
from news_annotator.exporting import (
    WARNING_FORMATS,
    ExportCancelled,
    ExportRequest,
    export_project,
)
from news_annotator.formats import available_formats, get_format
from news_annotator.importing import import_paths
from news_annotator.project import Project
from tests.conftest import DEMO_CORPUS

CLI = [sys.executable, "-m", "news_annotator.cli"]


def _articles(path: Path, count: int, text: str) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            handle.write(json.dumps({"id": f"d{i}", "title": f"Article {i}",
                                     "text": text.format(i=i)}) + "\n")
    return path


@pytest.fixture(scope="module")
def big_project(tmp_path_factory) -> Path:
    """40,000 articles: a JSON export takes about a second, brat several."""
    folder = tmp_path_factory.mktemp("big")
    source = _articles(folder / "articles.jsonl", 40_000,
                       "Article {i}: the minister said the talks went well. " * 3)
    path = folder / "big.annotator"
    with Project.create(path) as project:
        import_paths(project, [source])
    return path


@pytest.fixture
def demo_path(tmp_path) -> Path:
    """The demo corpus (30 documents) with a span by alice and one by bob."""
    path = tmp_path / "demo.annotator"
    with Project.create(path) as project:
        import_paths(project, [DEMO_CORPUS])
        first = project.documents.ids()[0]
        project.add_span(first, project.annotator("alice").id, "ORG", [(0, 5)])
        project.add_span(first, project.annotator("bob").id, "PERSON", [(0, 3)])
    return path


def snapshot(out: Path) -> dict[str, bytes]:
    """A file's bytes, or every file under a folder by relative path."""
    if out.is_file():
        return {"": out.read_bytes()}
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    """Temporary files or folders an export left beside its target."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def staging_started(out: Path) -> bool:
    for path in out.parent.glob(f".{out.name}.*.partial*"):
        if path.is_dir() and any(path.iterdir()) or path.is_file() and path.stat().st_size:
            return True
    return False


def fail_midway(monkeypatch, format_name: str, error: BaseException, *, after: int = 3) -> None:
    """Make a format's writer raise `error` after writing `after` documents."""
    module = get_format(format_name).module
    real = module.write

    def failing(project, out, *, progress=None, **options):
        def tick(done: int) -> None:
            progress(done)
            if done == after:
                raise error

        return real(project, out, progress=tick, **options)

    monkeypatch.setattr(module, "write", failing)


# -- killed -----------------------------------------------------------------------------


@pytest.mark.parametrize("format_name, name", [("json", "out.json"), ("brat", "out-brat")])
def test_kill_9_mid_export_leaves_the_previous_export_byte_identical(big_project, tmp_path,
                                                                     format_name, name):
    out = tmp_path / name
    export_project(ExportRequest(big_project, out, format_name, document_ids=(1, 2, 3)))
    before = snapshot(out)
    stamp = out.stat().st_mtime_ns
    child = subprocess.Popen([*CLI, "export", str(big_project), "--format", format_name,
                              "--out", str(out)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        # Mid-export: the temporary copy has content (or, written in place, the target moved).
        while not (staging_started(out) or out.stat().st_mtime_ns != stamp):
            assert child.poll() is None, "the export ended before it could be killed"
            assert time.monotonic() < deadline, "the export never started writing"
            time.sleep(0.002)
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL, "the export finished before the kill"
    assert snapshot(out) == before
    assert leftovers(tmp_path)  # a killed process cannot tidy up; the next export does
    with pytest.raises(ExportCancelled):
        export_project(ExportRequest(big_project, out, format_name), cancelled=lambda: True)
    assert leftovers(tmp_path) == []
    assert snapshot(out) == before


# -- failing or cancelled -----------------------------------------------------------------


def test_a_writer_failing_midway_leaves_the_old_file_intact(demo_path, tmp_path, monkeypatch):
    out = tmp_path / "demo.json"
    export_project(ExportRequest(demo_path, out))
    before = out.read_bytes()
    fail_midway(monkeypatch, "json", RuntimeError("writer bug"))
    with pytest.raises(RuntimeError, match="writer bug"):
        export_project(ExportRequest(demo_path, out))
    assert out.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_a_full_disk_is_one_error_line_and_changes_nothing(demo_path, tmp_path, monkeypatch,
                                                           capsys):
    out = tmp_path / "demo.csv"
    export_project(ExportRequest(demo_path, out, "csv"))
    before = out.read_bytes()
    fail_midway(monkeypatch, "csv", OSError(errno.ENOSPC, "No space left on device"))
    assert main(["export", str(demo_path), "--format", "csv", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("annotator export: error: ") and "No space left on device" in err
    assert out.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_cancel_midway_leaves_the_old_file_intact(demo_path, tmp_path):
    out = tmp_path / "demo.jsonl"
    export_project(ExportRequest(demo_path, out, "jsonl", document_ids=(1,)))
    before = out.read_bytes()
    seen: list[tuple[int, int]] = []
    with pytest.raises(ExportCancelled):
        export_project(ExportRequest(demo_path, out, "jsonl"), progress=lambda *p: seen.append(p),
                       cancelled=lambda: len(seen) > 5)
    assert seen[:2] == [(0, 30), (1, 30)]
    assert out.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_brat_folder_failing_midway_leaves_the_old_folder_intact(demo_path, tmp_path,
                                                                  monkeypatch):
    out = tmp_path / "brat"
    export_project(ExportRequest(demo_path, out, "brat"))
    before = snapshot(out)
    assert "alice/01.ann" in before and "bob/30.ann" in before
    fail_midway(monkeypatch, "brat", RuntimeError("writer bug"), after=5)
    with pytest.raises(RuntimeError):
        export_project(ExportRequest(demo_path, out, "brat", annotators=("alice",)))
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_brat_folder_is_replaced_whole(demo_path, tmp_path, monkeypatch, exchange):
    if not exchange:  # as where the OS cannot swap two names in one step
        monkeypatch.setattr("news_annotator.exporting._exchange", lambda a, b: False)
    out = tmp_path / "brat"
    export_project(ExportRequest(demo_path, out, "brat"))  # alice/ and bob/, 30 each
    result = export_project(ExportRequest(demo_path, out, "brat", annotators=("alice",),
                                          document_ids=(1, 2)))
    assert result.documents == 2
    assert sorted(snapshot(out)) == ["01.ann", "01.txt", "02.ann", "02.txt",
                                     "annotation.conf", "manifest.json", "visual.conf"]
    assert leftovers(tmp_path) == []


def test_a_folder_holding_other_files_is_refused_and_untouched(demo_path, tmp_path):
    out = tmp_path / "papers"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"years of work")
    with pytest.raises(Exception, match="thesis.docx"):
        export_project(ExportRequest(demo_path, out, "brat"))
    assert snapshot(out) == {"thesis.docx": b"years of work"}
    assert leftovers(tmp_path) == []


def test_replacing_keeps_the_permissions_of_the_old_file(demo_path, tmp_path):
    out = tmp_path / "demo.xml"
    export_project(ExportRequest(demo_path, out, "xml"))
    out.chmod(0o640)
    export_project(ExportRequest(demo_path, out, "xml"))
    assert out.stat().st_mode & 0o777 == 0o640


def test_warning_formats_are_the_writers_that_take_warnings():
    writable = set(available_formats(reading=False))
    takes = {name for name in writable
             if "warnings" in inspect.signature(get_format(name).module.write).parameters}
    assert takes == WARNING_FORMATS & writable


# -- output into a closed pipe -------------------------------------------------------------


@pytest.fixture(scope="module")
def agreement_project(tmp_path_factory) -> Path:
    """3,000 documents alice and bob label differently: the report is > 64 KiB, more than
    a pipe holds, so `| head -1` closes it while the command is still writing."""
    folder = tmp_path_factory.mktemp("agree")
    source = _articles(folder / "articles.jsonl", 3_000,
                       "Article {i}: the minister said the talks went well.")
    path = folder / "agree.annotator"
    with Project.create(path) as project:
        import_paths(project, [source])
        alice, bob = project.annotator("alice"), project.annotator("bob")
        with project.transaction():
            for document_id in project.documents.ids():
                project.add_span(document_id, alice.id, "PERSON", [(0, 7)])
                project.add_span(document_id, bob.id, "ORG", [(0, 7)])
    return path


def _through_pipe(args: list[str], reader: str) -> tuple[str, str, int]:
    """Run `annotator ARGS | READER` in bash: stdout, stderr and annotator's exit status."""
    if shutil.which("bash") is None:
        pytest.skip("needs bash")
    command = " ".join(shlex.quote(a) for a in [*CLI, *args])
    result = subprocess.run(["bash", "-c", f'{command} | {reader}; echo "exit=${{PIPESTATUS[0]}}"'],
                            capture_output=True, text=True, timeout=300)
    *lines, status = result.stdout.splitlines()
    return "\n".join(lines), result.stderr, int(status.removeprefix("exit="))


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_agree_into_head_ends_quietly(agreement_project, extra):
    out, err, status = _through_pipe(["agree", str(agreement_project), "--top", "3000", *extra],
                                     "head -1")
    assert err == ""
    assert status == 141
    assert out.startswith("annotators: alice, bob" if not extra else "{")


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_stats_into_a_closed_pipe_ends_quietly(demo_path, extra):
    out, err, status = _through_pipe(["stats", str(demo_path), *extra], "true")
    assert (out, err, status) == ("", "", 141)


def test_help_into_a_closed_pipe_ends_quietly():
    _, err, status = _through_pipe(["--help"], "true")
    assert err == "" and status in (0, 141)  # argparse itself ignores a failed write


def test_export_summary_into_a_closed_pipe_ends_quietly_with_the_export_done(demo_path,
                                                                            tmp_path):
    out = tmp_path / "demo.json"
    _, err, status = _through_pipe(["export", str(demo_path), "--out", str(out)], "true")
    assert (err, status) == ("", 141)
    assert len(json.loads(out.read_text("utf-8"))["documents"]) == 30
    assert leftovers(tmp_path) == []
