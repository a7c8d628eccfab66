"""Issue 11: no sequence of our own programs damages a project.

The cause found: the project's header was read with Python's open()/close() on every
open. On POSIX, closing any descriptor of a file drops every lock the process holds on
it, so a second open in one process (the app's read-only connection, its backup or
search-index thread) released the first connection's SQLite locks. Another program could
then switch the journal out of WAL (the import's old bulk mode) or checkpoint and delete
the WAL under the app, which went on writing into unlinked files.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from news_annotator.errors import ProjectError
from news_annotator.project import Project
from news_annotator.store.database import Database
from tests.reliability.shared_file import (
    COLLEAGUE_SPANS,
    integrity,
    make_project,
    run_cli,
    shared_project,
    span_count,
    span_uids,
    write_corpus,
)

LEAVE_WAL = textwrap.dedent("""
    import sqlite3, sys
    connection = sqlite3.connect(sys.argv[1], timeout=0)
    try:
        print(connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0])
    except sqlite3.OperationalError as error:
        print(error)
""")


def other_process_leaves_wal(path: Path) -> str:
    """What another process gets when it tries to switch the file out of WAL."""
    return subprocess.run([sys.executable, "-c", LEAVE_WAL, str(path)], capture_output=True,
                          text=True, timeout=30).stdout.strip()


@pytest.fixture
def shared(tmp_path):
    return shared_project(tmp_path)


def open_a_file_that_is_no_project(path: Path) -> None:
    stranger = path.with_name("stranger.annotator")
    stranger.write_bytes(b"not SQLite at all " * 20)
    with pytest.raises(ProjectError, match="not a News Annotator project"):
        Database(stranger)


SECOND_OPENS = {
    "read-only project": lambda path: Project.open(path, read_only=True).close(),
    "read-write project": lambda path: Project.open(path).close(),
    "database (a worker thread's)": lambda path: Database(path).close(),
    "a file that is no project (refused)": open_a_file_that_is_no_project,
}


@pytest.mark.parametrize("second", list(SECOND_OPENS))
def test_a_second_open_in_one_process_keeps_the_first_ones_locks(tmp_path, second):
    path = tmp_path / "P.annotator"
    Project.create(path).close()
    with Project.open(path) as project:
        project.stats()  # a read: in WAL mode the connection keeps a shared lock
        assert other_process_leaves_wal(path) == "database is locked"
        SECOND_OPENS[second](path)
        assert other_process_leaves_wal(path) == "database is locked"


def test_the_rolling_backup_keeps_the_projects_locks(tmp_path):
    from news_annotator.backup import backup_project, rolling_backup

    path = tmp_path / "P.annotator"
    Project.create(path).close()
    with Project.open(path) as project:
        project.stats()
        backup_project(path, tmp_path / "copy.annotator")
        rolling_backup(project.db, folder=tmp_path / "daily")
        assert other_process_leaves_wal(path) == "database is locked"


APP = textwrap.dedent("""
    # Holds the project as the app does (main connection, a read-only one, a worker's
    # open and close, a backup) and keeps saving spans; prints each acknowledged uid.
    import sys, time
    from pathlib import Path
    from news_annotator.backup import rolling_backup
    from news_annotator.project import Project
    from news_annotator.store.database import Database

    path, stop = Path(sys.argv[1]), Path(sys.argv[2])
    project = Project.open(path)
    viewer = Project.open(path, read_only=True)
    Database(path).close()
    rolling_backup(project.db, folder=path.parent / "daily")
    annotator = project.annotator("A").id
    document = next(iter(project.documents.ids()))
    seen = project.db.data_version()
    print("ready", flush=True)
    edits = 0
    while not stop.exists() or edits < 5:
        span = project.add_span(document, annotator, "EVENT", [(0, 5 + edits % 20)])
        print("saved", span.uid, flush=True)
        edits += 1
        if project.db.data_version() != seen:
            seen = project.db.data_version()
            print("changed", viewer.spans.count(), flush=True)
        time.sleep(0.02)
    viewer.close()
    project.close()
    print("closed", flush=True)
""")


def test_every_writing_command_while_another_process_edits(shared, tmp_path):
    """The app's stand-in edits without pause; every command of ours writes or reads
    the same file meanwhile; afterwards the file is whole and holds everything acked."""
    path, brat, before = shared
    stop = tmp_path / "stop"
    other = tmp_path / "other.annotator"
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "new.txt").write_text("A new report\n\nMaria Lindqvist spoke.\n", "utf-8")
    make_project(other, write_corpus(tmp_path / "other-corpus", articles=2), every=3)
    app = subprocess.Popen([sys.executable, "-c", APP, str(path), str(stop)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert app.stdout is not None and app.stdout.readline().strip() == "ready"
        commands = [
            ("import", path, brat, "--format", "brat", "--annotator", "A"),
            ("import", path, extra),
            ("merge", path, other),
            ("search", path, "Lindqvist"),
            ("backup", path, tmp_path / "manual.annotator"),
            ("export", path, "--format", "jsonl", "--out", tmp_path / "out.jsonl"),
            ("stats", path, "--json"),
            ("agree", path, "--json"),
        ]
        for command in commands:
            done = run_cli(*command, check=False)
            assert done.returncode == 0, (command[0], done.stderr)
            assert "Traceback" not in done.stderr
    finally:
        stop.touch()
        output, errors = app.communicate(timeout=60)
    assert app.returncode == 0, errors
    acknowledged = {line.split()[1] for line in output.splitlines() if line.startswith("saved")}
    assert len(acknowledged) >= 5
    assert "changed" in output  # the app's stand-in saw the other programs' commits
    assert integrity(path) == "ok"
    assert acknowledged <= span_uids(path)
    assert span_count(path) == before + COLLEAGUE_SPANS + len(acknowledged) + (
        span_count(other))
    assert integrity(tmp_path / "manual.annotator") == "ok"


def test_import_create_leaves_a_wal_project(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    path = tmp_path / "new.annotator"
    run_cli("import", "--create", path, corpus)
    header = path.read_bytes()[:20]
    assert header[18:20] == b"\x02\x02", "the file is in WAL mode for everyone after"
    assert not Path(f"{path}-journal").exists()
    assert integrity(path) == "ok"


def test_no_connection_wide_switch_remains_in_the_code():
    """The scan (docs/reliability.md), kept honest: journal_mode and the like are set
    only where the file is ours alone, in store/database.py."""
    root = Path(__file__).resolve().parents[2]
    dangerous = ("journal_mode", "locking_mode", "page_size", "VACUUM", ".backup(")
    places = []
    for source in [*root.glob("news_annotator/**/*.py"), *root.glob("news_annotator_ui/**/*.py")]:
        text = source.read_text("utf-8")
        places += [f"{source.relative_to(root)}:{word}" for word in dangerous if word in text]
    assert sorted(places) == sorted([
        "news_annotator/store/database.py:journal_mode",
        "news_annotator/store/database.py:page_size",
        "news_annotator/store/database.py:.backup(",
    ])


def test_the_steps_of_issue_11_without_a_display(shared):
    """The report's steps with the app's way of holding the file, through the API."""
    path, brat, before = shared
    app = Project.open(path)
    viewer = Project.open(path, read_only=True)  # the app's second connection
    Database(path).close()  # a worker thread's open and close
    assert app.spans.count() == before
    seen = app.db.data_version()
    run_cli("import", path, brat, "--format", "brat", "--annotator", "A")
    deadline = time.monotonic() + 2
    while app.db.data_version() == seen and time.monotonic() < deadline:
        time.sleep(0.05)
    assert app.db.data_version() != seen, "the app would not notice the import"
    assert app.spans.count() == before + COLLEAGUE_SPANS
    document = next(iter(app.documents.ids()))
    app.add_span(document, app.annotator("A").id, "EVENT", [(0, 5)])
    viewer.close()
    app.close()
    assert integrity(path) == "ok"
    assert span_count(path) == before + COLLEAGUE_SPANS + 1
