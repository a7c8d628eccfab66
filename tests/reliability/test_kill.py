"""Kill test: SIGKILL a process in the middle of real edits, again and again.

The child runs the same undoable commands the UI runs and writes one line to a pipe
after each edit returns (the acknowledgement a user gets when the screen updates). After
each kill the project must open, pass `PRAGMA integrity_check`, and hold every
acknowledged edit; at most the one in flight may be missing.
"""

from __future__ import annotations

import os
import random
import signal
import time

import pytest

from news_annotator.commands import AddSpan, DeleteSpan, SetStatus, UpdateSpan
from news_annotator.importing import import_paths
from news_annotator.model import NewDocument, Status
from news_annotator.project import Project

KILLS = int(os.environ.get("KILL_TRIALS", "200"))
LABELS = ["PERSON", "ORG", "GPE", "DIRECT", "CLAIM"]


def run_edits(path, write_fd: int, seed: int) -> None:
    """Child: edit forever; announce each edit, then acknowledge it once it has returned."""
    rng = random.Random(seed)
    project = Project.open(path)
    me = project.annotator(f"editor-{seed}")
    doc_ids = project.documents.ids()
    mine: list[int] = []

    def say(line: str) -> None:
        os.write(write_fd, (line + "\n").encode())

    while True:
        doc = rng.choice(doc_ids)
        roll = rng.random()
        if roll < 0.6 or not mine:
            start = rng.randrange(0, 400)
            end = start + rng.randint(1, 60)
            command = AddSpan(doc, me.id, rng.choice(LABELS), ((start, end),))
            say("begin add")
            command.apply(project)
            mine.append(command.created.id)
            say(f"ok add {command.created.id} {command.created.label}")
        elif roll < 0.8:
            span_id = rng.choice(mine)
            layer = project.schema.layer(project.spans.get(span_id).layer)
            label = rng.choice([lb.name for lb in layer.labels if lb.name in LABELS])
            say(f"begin label {span_id} {label}")
            UpdateSpan(span_id, label=label).apply(project)
            say(f"ok label {span_id} {label}")
        elif roll < 0.9:
            span_id = mine.pop(rng.randrange(len(mine)))
            say(f"begin delete {span_id} -")
            DeleteSpan(span_id).apply(project)
            say(f"ok delete {span_id} -")
        else:
            say(f"begin done {doc} -")
            SetStatus(doc, me.id, Status.DONE).apply(project)
            say(f"ok done {doc} -")


def replay(lines: list[str]) -> dict[int, str | None]:
    """Span id -> label (None: deleted) after the given edits."""
    state: dict[int, str | None] = {}
    for line in lines:
        verb, key, value = line.split()
        if verb in ("add", "label"):
            state[int(key)] = value
        elif verb == "delete":
            state[int(key)] = None
    return state


def read_all(fd: int) -> str:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks).decode()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_sigkill_during_edits_loses_at_most_the_edit_in_flight(tmp_path):
    path = tmp_path / "killed.annotator"
    with Project.create(path) as project, project.transaction():
        project.documents.insert_many(NewDocument(text="x" * 500 + f" article {i}")
                                      for i in range(20))
    rng = random.Random(7)
    total_acks, in_flight_committed = 0, 0
    for trial in range(KILLS):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            os.close(read_fd)
            try:
                run_edits(path, write_fd, trial)
            finally:
                os._exit(1)
        os.close(write_fd)
        time.sleep(rng.uniform(0.005, 0.08))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        lines = read_all(read_fd).splitlines()
        os.close(read_fd)
        acked = [line[3:] for line in lines if line.startswith("ok ")]  # pipe writes are atomic
        in_flight = lines[-1][6:] if lines and lines[-1].startswith("begin ") else None
        total_acks += len(acked)
        with Project.open(path) as reopened:
            assert reopened.db.query("PRAGMA integrity_check").fetchone()[0] == "ok"
            me = reopened.annotators.find(f"editor-{trial}")
            stored = {s.id: s.label for s in reopened.spans.iter_all([me.id])} if me else {}
        before = {k: v for k, v in replay(acked).items() if v is not None}
        if stored == before:
            continue
        # Otherwise the edit in flight committed before the kill: nothing else may differ.
        assert in_flight is not None, f"trial {trial}: acknowledged edits differ: {stored}"
        if in_flight == "add":
            extra = set(stored) - set(before)
            assert len(extra) == 1 and {k: stored[k] for k in before} == before, \
                f"trial {trial}: more than the edit in flight differs"
        else:
            after = {k: v for k, v in replay(acked + [in_flight]).items() if v is not None}
            assert stored == after, f"trial {trial}: more than the edit in flight differs"
        in_flight_committed += 1
    print(f"\n{KILLS} kills, {total_acks} acknowledged edits, 0 lost, "
          f"{in_flight_committed} in-flight edits committed just before the kill")
    assert total_acks > KILLS  # the child really worked between kills


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_sigkill_during_import_leaves_all_or_nothing(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as handle:
        for i in range(3000):
            handle.write(f'{{"id": "k{i}", "text": "Article {i} “quoted” 🎉 {"body " * 200}"}}\n')
    path = tmp_path / "import.annotator"
    Project.create(path).close()
    rng = random.Random(11)
    outcomes = {"none": 0, "all": 0}
    for _ in range(int(os.environ.get("IMPORT_KILL_TRIALS", "20"))):
        for suffix in ("", "-wal", "-shm", "-journal"):
            (tmp_path / f"import.annotator{suffix}").unlink(missing_ok=True)
        Project.create(path).close()
        pid = os.fork()
        if pid == 0:
            try:
                with Project.open(path) as project:
                    import_paths(project, [corpus])
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.0, 0.6))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with Project.open(path) as reopened:
            assert reopened.db.query("PRAGMA integrity_check").fetchone()[0] == "ok"
            count = reopened.documents.count()
        assert count in (0, 3000), f"half an import survived: {count} documents"
        outcomes["all" if count else "none"] += 1
    print(f"\nimport kills: {outcomes}")
