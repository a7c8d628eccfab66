"""The proof of issue 14: six annotator processes import their brat annotations into one
server project at the same moment, each connected as its own role. Every span and
relation arrives, and the counts and `annotator agree --json` equal those of the same
work imported into a project file."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import time
from pathlib import Path

from news_annotator.cli import main
from tests.conftest import DEMO_CORPUS, ROOT
from tests.pg_server import ANNOTATORS

NAME = re.compile(r"\b[A-Z][a-zà-ÿ]+(?: [A-Z][a-zà-ÿ]+)*")
QUOTE = re.compile(r"“[^”]{3,}”")
ENTITY_LABELS = ("PERSON", "ORG", "GPE")


def write_brat(folder: Path, annotator: str, texts: dict[str, str]) -> tuple[int, int]:
    """Each text with `annotator`'s .ann: names and quotes, each kept or relabelled by
    the annotator's own dice (so they disagree a little); a quote's source is the name
    nearest before it. Returns (spans, relations) written."""
    rng = random.Random(annotator)
    folder.mkdir(parents=True)
    spans = relations = 0
    for stem, text in texts.items():
        (folder / f"{stem}.txt").write_text(text, encoding="utf-8", newline="")
        lines, names = [], []
        for match in NAME.finditer(text):
            if rng.random() < 0.8:
                label = ENTITY_LABELS[len(match.group()) % 3]
                if rng.random() < 0.1:
                    label = rng.choice(ENTITY_LABELS)
                lines.append(f"T{len(lines) + 1}\t{label} {match.start()} {match.end()}\t"
                             f"{match.group()}")
                if label == "PERSON":
                    names.append((match.start(), len(lines)))
        for match in QUOTE.finditer(text):
            if rng.random() < 0.9:
                lines.append(f"T{len(lines) + 1}\tDIRECT {match.start()} {match.end()}\t"
                             f"{match.group()}")
                quote = len(lines)
                before = [number for start, number in names if start < match.start()]
                if before:
                    lines.append(f"R{relations + 1}\tsource Arg1:T{quote} Arg2:T{before[-1]}")
                    relations += 1
        spans += sum(line.startswith("T") for line in lines)
        (folder / f"{stem}.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return spans, relations


def texts_of_demo() -> dict[str, str]:
    return {path.stem: path.read_text("utf-8")
            for path in sorted((DEMO_CORPUS / "articles").glob("*.txt"))}


def run_json(*args: str) -> dict:
    """A command's --json output, parsed (its output captured through main)."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main([*args, "--json"]) == 0
    return json.loads(out.getvalue())


def comparable(agreement: dict) -> dict:
    agreement = dict(agreement)
    agreement["documents"] = [{k: v for k, v in row.items() if k != "document_id"}
                              for row in agreement.get("documents", [])]
    return agreement


def test_six_annotators_import_at_once_and_match_the_same_work_in_a_file(
        postgres_server, tmp_path):
    texts = texts_of_demo()
    corpus = tmp_path / "texts"
    corpus.mkdir()
    for stem, text in texts.items():
        (corpus / f"{stem}.txt").write_text(text, encoding="utf-8", newline="")
    expected = {name: write_brat(tmp_path / name, name, texts) for name in ANNOTATORS}
    assert all(spans > 100 and relations > 10 for spans, relations in expected.values())

    url = postgres_server.url(postgres_server.new_database())
    assert main(["init", url]) == 0
    assert main(["import", url, str(corpus), "--format", "brat"]) == 0
    for name in ANNOTATORS:
        assert main(["grant", url, name]) == 0
    role_url = url.replace("//lead@", "//{}@")
    started = time.monotonic()
    processes = [subprocess.Popen(
        [sys.executable, "-m", "news_annotator.cli", "import", role_url.format(name),
         str(tmp_path / name), "--format", "brat"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in ANNOTATORS]
    results = [process.communicate(timeout=120) for process in processes]
    for process, (_out, err) in zip(processes, results, strict=True):
        assert process.returncode == 0, err
    elapsed = time.monotonic() - started
    assert elapsed < 60

    file = tmp_path / "same-work.annotator"
    assert main(["init", str(file)]) == 0
    assert main(["import", str(file), str(corpus), "--format", "brat"]) == 0
    for name in ANNOTATORS:
        assert main(["import", str(file), str(tmp_path / name), "--format", "brat",
                     "--annotator", name]) == 0

    on_server, in_file = run_json("stats", url), run_json("stats", str(file))
    assert on_server["spans"] == sum(spans for spans, _ in expected.values())
    assert on_server["relations"] == sum(relations for _, relations in expected.values())
    for name, (spans, relations) in expected.items():
        assert on_server["by_annotator"][name]["spans"] == spans
        assert on_server["by_annotator"][name]["relations"] == relations
    assert on_server == in_file
    agree_server = run_json("agree", url, "--annotators", ",".join(ANNOTATORS))
    agree_file = run_json("agree", str(file), "--annotators", ",".join(ANNOTATORS))
    assert agree_server["documents_compared"] == len(texts)
    assert comparable(agree_server) == comparable(agree_file)
