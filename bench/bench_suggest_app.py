"""Suggestions in the app: time from opening a document to its suggestions drawn.

usage: python bench/bench_suggest_app.py [--data ../shared/data/polnear] [--out DIR]
       [--documents N]

Drives the real main window offscreen. For each document opened (PgDown, as a user
does) it times the open itself (the UI thread's share) and the moment the window's
suggestions part has them on screen (proposed on the worker, written, drawn).
1. The demo corpus (corpora/demo), rules only: a project with nothing learned.
2. PolNeAR (when ../shared/data/polnear is there): train imported as `gold`, both layers
   learned from it, then dev's articles opened one after another; the first open also
   builds the suggester (models and the gazetteer of every gold span).
News texts stay in DIR (a temporary folder by default), never in the repository.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))


def open_and_time(project_path: Path, learn_from: str, rows: range, settings_dir: Path,
                  annotator: str = "bench") -> tuple[float, list[tuple[float, float]]]:
    """The first open's seconds to suggestions drawn (the suggester is built then), and
    (open seconds, open-to-drawn seconds) for the documents at `rows` of the list."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from news_annotator_ui.main_window import MainWindow
    from news_annotator_ui.settings import Settings
    from news_annotator_ui.suggestion_config import SUGGESTION_PROJECTS

    app = QApplication.instance() or QApplication([])
    settings = Settings(QSettings(str(settings_dir / "settings.ini"),
                                  QSettings.Format.IniFormat))
    settings.set(SUGGESTION_PROJECTS, {str(project_path.resolve()): {
        "enabled": True, "learn_from": learn_from.split(",")}})
    window = MainWindow(settings, annotator_name=annotator, remember_layout=False)
    window.resize(1400, 900)
    window.show()
    began = time.perf_counter()
    window.open_path(project_path, document_id=-1)  # the list's first document
    part = window.suggestions
    answers: list = []
    part.worker.proposed.connect(answers.append)
    wait_until(app, lambda: part.last_latency is not None)
    first = part.shown_at - began
    if answers:
        print(f"  (first answer: suggester built in {answers[0].build_seconds * 1000:.0f} ms, "
              f"proposed in {answers[0].propose_seconds * 1000:.0f} ms)")
    times = []
    details: list[tuple[float, int, int, float]] = []  # drawn after, id, length, proposing
    for row in rows:
        document_id = window.corpus_model.document_id(row)
        if document_id is None:
            break
        before, answered = part.shown_at, len(answers)
        began = time.perf_counter()
        window.open_document(document_id)
        opened = time.perf_counter() - began
        wait_until(app, lambda b=before: part.shown_at != b)
        app.processEvents()  # the repaint
        times.append((opened, part.shown_at - began))
        mine = [a for a in answers[answered:] if a.job.document_id == document_id]
        details.append((part.shown_at - began, document_id, len(window.session.document.text),
                        sum(a.propose_seconds for a in mine)))
    window.close()
    worst = max(details, default=None)
    if worst is not None:
        print(f"  (worst: document {worst[1]}, {worst[2]:,} characters, drawn after "
              f"{worst[0] * 1000:.0f} ms, of which proposing {worst[3] * 1000:.0f} ms)")
    return first, times


def wait_until(app, done, timeout: float = 60.0) -> None:
    ends = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > ends:
            raise SystemExit("timed out waiting for suggestions")
        app.processEvents()
        time.sleep(0.0005)


def report(title: str, times: list[tuple[float, float]]) -> None:
    opened = [o * 1000 for o, _ in times]
    shown = sorted(s * 1000 for _, s in times)
    p95 = shown[min(len(shown) - 1, int(len(shown) * 0.95))]
    print(f"{title}: {len(times)} documents opened; the open itself median "
          f"{statistics.median(opened):.1f} ms; suggestions drawn after median "
          f"{statistics.median(shown):.1f} ms, p95 {p95:.1f} ms, worst {shown[-1]:.1f} ms "
          f"(target: 200 ms)")


def main() -> None:
    from bench_suggest import DATA, gold_copy, run

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--documents", type=int, default=100)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="bench-suggest-app-"))

    demo = out / "demo.annotator"
    if not demo.exists():
        run("import", str(demo), str(ROOT / "corpora" / "demo"), "--create")
    first, times = open_and_time(demo, "bench", range(1, args.documents + 1), out)
    print(f"demo corpus: the first document's suggestions drawn {first * 1000:.0f} ms after "
          "the window began opening the project")
    report("demo corpus, rules only", times)

    if not args.data.is_dir():
        print(f"{args.data}: no PolNeAR here; skipped")
        return
    project = out / "polnear.annotator"
    if not project.exists():
        for split, who in (("train", "gold"), ("dev", "heldout")):
            gold_copy(args.data, split, out / split, who)
        run("import", str(project), str(out / "train"), str(out / "dev"), "--format",
            "brat", "--create", "--add-labels")
        began = time.perf_counter()
        done = run_learn(project)
        print(f"learned from train as gold in {time.perf_counter() - began:.1f} s: {done}")
    from news_annotator.project import Project

    with Project.open(project, read_only=True) as opened:
        gold = opened.annotators.find("gold")
        assert gold is not None
        first_dev = next(i for i, d in enumerate(sorted(opened.documents.ids()))
                         if not opened.spans.for_document(d, gold.id))
    first, times = open_and_time(project, "gold",
                                 range(first_dev, first_dev + args.documents), out)
    print(f"PolNeAR: the first document's suggestions drawn {first * 1000:.0f} ms after the "
          "window began opening the project (this builds the suggester: models and the "
          "gazetteer of every gold span)")
    report("PolNeAR dev, models learned from train", times)


def run_learn(project: Path) -> str:
    import subprocess

    done = subprocess.run([sys.executable, "-m", "news_annotator.suggest.app_support", "learn",
                           str(project), "--learn-from", "gold"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


if __name__ == "__main__":
    main()
