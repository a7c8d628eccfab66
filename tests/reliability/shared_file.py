"""One project file, several of our programs at once: the material for issue 11's tests.

A small corpus of multi-paragraph articles written here, annotator A's work on it in the
project, and a colleague's brat folder holding 34 more spans of annotator A on the same
articles (as `annotator export --format brat` writes it).
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from news_annotator.importing import import_paths
from news_annotator.project import Project

ROOT = Path(__file__).resolve().parents[2]
ANNOTATOR = "A"
COLLEAGUE_SPANS = 34

_NAMES = ["Maria Lindqvist", "Port Authority", "Oslo", "Tomasz Nowak", "Red Cross",
          "Lagos", "Amina Diallo", "City Council", "Quebec", "Rafael Ortiz"]


def write_corpus(folder: Path, articles: int = 4) -> Path:
    """Articles of four paragraphs each, blank lines between, names repeated."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(articles):
        paragraphs = []
        for paragraph in range(4):
            names = [_NAMES[(number + paragraph + k) % len(_NAMES)] for k in range(3)]
            paragraphs.append(
                f"{names[0]} met {names[1]} in {names[2]} on day {paragraph + 1} of the "
                f"talks, officials said. “We will keep working,” {names[0]} told reporters "
                f"after the meeting, adding that {names[1]} had agreed to a second round.")
        (folder / f"article-{number + 1}.txt").write_text(
            f"Talks resume, report {number + 1}\n\n" + "\n\n".join(paragraphs) + "\n",
            encoding="utf-8")
    return folder


def name_positions(text: str) -> list[tuple[int, int]]:
    """Every occurrence of every name, in text order."""
    found = []
    for name in _NAMES:
        found += [(m.start(), m.end()) for m in re.finditer(re.escape(name), text)]
    return sorted(found)


def make_project(path: Path, corpus: Path, *, every: int = 2) -> int:
    """The project: the corpus plus annotator A's spans (every `every`-th name)."""
    with Project.create(path) as project:
        import_paths(project, [corpus])
        annotator = project.annotator(ANNOTATOR).id
        added = 0
        with project.transaction():
            for document_id in project.documents.ids():
                text = project.documents.text(document_id)
                for start, end in name_positions(text)[::every]:
                    project.add_span(document_id, annotator, "PERSON", [(start, end)])
                    added += 1
    return added


def make_colleague_brat(folder: Path, corpus: Path, scratch: Path) -> Path:
    """A brat folder with COLLEAGUE_SPANS spans of annotator A the project lacks."""
    with Project.create(scratch) as project:
        import_paths(project, [corpus])
        annotator = project.annotator(ANNOTATOR).id
        ids = list(project.documents.ids())
        candidates = []
        for document_id in ids:
            text = project.documents.text(document_id)
            candidates += [(document_id, span) for span in name_positions(text)[1::2]]
        with project.transaction():
            for document_id, (start, end) in candidates[:COLLEAGUE_SPANS]:
                project.add_span(document_id, annotator, "ORG", [(start, end)])
    assert len(candidates) >= COLLEAGUE_SPANS
    run_cli("export", scratch, "--format", "brat", "--out", folder)
    return folder


def shared_project(folder: Path) -> tuple[Path, Path, int]:
    """The report's set-up in `folder`: the project P (its path), the colleague's brat
    folder, and how many spans annotator A has in P."""
    corpus = write_corpus(folder / "corpus")
    path = folder / "P.annotator"
    before = make_project(path, corpus)
    brat = make_colleague_brat(folder / "colleague", corpus, folder / "scratch.annotator")
    return path, brat, before


def run_cli(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess:
    """`annotator ARGS` in its own process, as a user types it in a terminal."""
    done = subprocess.run([sys.executable, "-m", "news_annotator.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=120)
    if check and done.returncode != 0:
        raise AssertionError(f"annotator {' '.join(map(str, args))} failed "
                             f"({done.returncode}): {done.stderr.strip()}")
    return done


def integrity(path: Path) -> str:
    """SQLite's verdict on the file, from a connection of its own."""
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        return str(error)
    finally:
        connection.close()


def span_count(path: Path, annotator: str = ANNOTATOR) -> int:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute(
            "SELECT count(*) FROM spans JOIN annotators ON annotators.id = spans.annotator_id "
            "WHERE annotators.name = ?", (annotator,)).fetchone()[0]
    finally:
        connection.close()


def span_uids(path: Path) -> set[str]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {row[0] for row in connection.execute("SELECT uid FROM spans")}
    finally:
        connection.close()
