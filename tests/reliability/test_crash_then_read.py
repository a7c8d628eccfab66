"""Issue 12 (3): a read-only command right after a crashed import says something useful.

`import --create` fills its new file with the rollback journal; killed with SIGKILL it
leaves a hot journal. A read-only connection cannot roll that back ("attempt to write a
readonly database"), so read-only opens recover it first, or say in one line why not.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from news_annotator.errors import ProjectError
from news_annotator.project import Project
from news_annotator.store import database
from tests.reliability.shared_file import integrity, run_cli


def killed_import(tmp_path: Path) -> Path:
    """A project whose `import --create` was killed mid-transaction (hot journal)."""
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as handle:
        for number in range(60_000):
            handle.write(json.dumps({"id": f"a{number}", "title": f"Report {number}",
                                     "text": f"Officials said on day {number} that the "
                                             "talks would go on. " * 8}) + "\n")
    path = tmp_path / "crashed.annotator"
    journal = Path(f"{path}-journal")
    child = subprocess.Popen([sys.executable, "-m", "news_annotator.cli", "import", "--create",
                              str(path), str(corpus)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        if journal.exists() and journal.stat().st_size > 0 and path.stat().st_size > 1 << 20:
            break
        time.sleep(0.01)
    assert child.poll() is None, "the import ended before it could be killed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert journal.exists() and journal.stat().st_size > 0, "no hot journal to test with"
    return path


@pytest.fixture(scope="module")
def crashed(tmp_path_factory):
    return killed_import(tmp_path_factory.mktemp("crash"))


READ_ONLY_COMMANDS = [
    ("stats", "{path}", "--json"),
    ("export", "{path}", "--format", "jsonl", "--out", "{out}"),
    ("search", "{path}", "officials"),
    ("agree", "{path}", "--json"),
    ("backup", "{path}", "{copy}"),
]


@pytest.mark.parametrize("command", READ_ONLY_COMMANDS, ids=[c[0] for c in READ_ONLY_COMMANDS])
def test_every_read_only_command_after_a_killed_import(crashed, tmp_path, command):
    args = [part.format(path=crashed, out=tmp_path / "out.jsonl", copy=tmp_path / "copy")
            for part in command]
    done = run_cli(*args, check=False)
    assert "Traceback" not in done.stderr
    assert done.returncode == 0, done.stderr
    assert not Path(f"{crashed}-journal").exists() or \
        Path(f"{crashed}-journal").stat().st_size == 0
    assert integrity(crashed) == "ok"


def test_the_apps_read_only_mode_after_a_killed_import(tmp_path):
    path = killed_import(tmp_path)
    with Project.open(path, read_only=True) as project:
        assert project.documents.count() == 0  # all or nothing: the import never happened
    assert integrity(path) == "ok"


def test_a_hot_journal_that_cannot_be_rolled_back_here_is_one_clear_line(tmp_path,
                                                                          monkeypatch):
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    Path(f"{path}-journal").write_bytes(b"\x00" * 512)
    monkeypatch.setattr(database.os, "access", lambda *_: False)  # a read-only folder
    with pytest.raises(ProjectError) as raised:
        Project.open(path, read_only=True)
    message = str(raised.value)
    assert "\n" not in message and "interrupted import" in message
    assert "open it once where it can be written" in message
