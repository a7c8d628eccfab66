"""Suggestions in the app: time from opening a document to its suggestions drawn.

usage: python bench/bench_suggest_app.py [--data ../shared/data/polnear] [--out DIR]
       [--documents N] [--reading N]

Drives the real main window offscreen. For each document opened (PgDown, as a user
does) it times the open itself (the UI thread's share) and the moment the window's
suggestions part has them on screen (proposed on the worker, written, drawn).
1. The demo corpus (corpora/demo), rules only: a project with nothing learned.
2. PolNeAR (when ../shared/data/polnear is there): train imported as `gold`, both layers
   learned from it, then dev's articles opened one after another; the first open also
   builds the suggester (models and the gazetteer of every gold span).
News texts stay in DIR (a temporary folder by default), never in the repository, and so
do the daily copies the window makes of each project (DIR/data, not the user's own data
folder). The window starts that copy and the search index's catch-up two seconds after a
project is shown, so the first open does not share the two cores with them, and they
wait while documents are opened; 3. (--reading N) N more dev articles, each opened after
a pause a little longer than that wait, so the upkeep runs between them.
"""

from __future__ import annotations

import argparse
import os
import random
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
                  annotator: str = "bench", reading_rows: range = range(0)
                  ) -> tuple[tuple[float, float], list[tuple[float, float, float]],
                             list[tuple[float, float, float]]]:
    """The first open's seconds to suggestions drawn and to all of them drawn (the
    suggester is built then), and (open seconds, open-to-first-drawn seconds,
    open-to-all-drawn seconds) for the documents at `rows` of the list. A long
    document's suggestions come in two pieces: those on screen, then the rest. Then the
    same for the documents at `reading_rows`, each opened after a pause of a little over
    project_backup.QUIET_SECONDS (the upkeep's turn)."""
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
    app.processEvents()
    began = time.perf_counter()
    window.open_path(project_path, document_id=-1)  # the list's first document
    part = window.suggestions
    answers: list = []
    drawn: list[float] = []  # time.perf_counter() of each draw
    part.worker.proposed.connect(answers.append)
    part.shown.connect(lambda _d: drawn.append(time.perf_counter()))
    wait_until(app, lambda: part.complete_latency is not None)
    app.processEvents()  # the repaint
    first = (drawn[0] - began, part.complete_at - began)
    if answers:
        times = part.worker.build_times
        print(f"  (first document, {len(window.session.document.text):,} characters: "
              f"suggester built in {part.worker.build_seconds * 1000:.0f} ms as the project "
              f"opened (models open after {times.get('models', 0) * 1000:.0f} ms, when "
              f"the first go began; the gazetteer's query {times.get('rows', 0) * 1000:.0f}"
              f" ms on a thread of its own), proposed in "
              f"{sum(a.propose_seconds for a in answers) * 1000:.0f} ms in {len(answers)} "
              f"go{'es' if len(answers) > 1 else ''}: the first "
              f"{answers[0].propose_seconds * 1000:.0f} ms for characters "
              f"{answers[0].within or 'all'})")
    details: list[tuple[float, float, int, int, float]] = []

    def open_row(row: int) -> tuple[float, float, float] | None:
        document_id = window.corpus_model.document_id(row)
        if document_id is None:
            return None
        before, answered, draws = part.complete_at, len(answers), len(drawn)
        began = time.perf_counter()
        window.open_document(document_id)
        opened = time.perf_counter() - began
        wait_until(app, lambda b=before: part.complete_at != b)
        app.processEvents()  # the repaint
        mine = [a for a in answers[answered:] if a.job.document_id == document_id]
        details.append((drawn[draws] - began, part.complete_at - began, document_id,
                        len(window.session.document.text),
                        sum(a.propose_seconds for a in mine)))
        return opened, drawn[draws] - began, part.complete_at - began

    times = [t for t in map(open_row, rows) if t is not None]
    reading: list[tuple[float, float, float]] = []
    if reading_rows:
        # A reader: each document read for a moment, so the upkeep works in between and
        # the next open comes while one of its steps is under way.
        from news_annotator_ui.project_backup import QUIET_SECONDS

        pauses = random.Random(7)
        for row in reading_rows:
            ends = time.perf_counter() + QUIET_SECONDS + pauses.uniform(0.0, 0.4)
            wait_until(app, lambda e=ends: time.perf_counter() > e)
            opened = open_row(row)
            if opened is not None:
                reading.append(opened)
        guard = window.reliability
        unindexed = window.project.documents.unindexed_count() if window.project else -1
        copy = guard.backup_thread
        print(f"  (upkeep while reading: {guard.gate.pauses} pauses for the user; "
              f"{unindexed} documents left to index; the daily copy "
              f"{'done' if copy is not None and copy.isFinished() else 'not done yet'})")
    window.close()
    if os.environ.get("BENCH_DETAILS"):
        for row in sorted(details, reverse=True)[:8]:
            print("   ", [round(v * 1000) if isinstance(v, float) else v for v in row],
                  "after", details[details.index(row) - 1][2])
    for name, worst in (("worst", max(details, default=None)),
                        ("worst whole", max(details, default=None, key=lambda d: d[1]))):
        if worst is not None:
            print(f"  ({name}: document {worst[2]}, {worst[3]:,} characters: drawn after "
                  f"{worst[0] * 1000:.0f} ms, all of it after {worst[1] * 1000:.0f} ms, "
                  f"proposing {worst[4] * 1000:.0f} ms)")
    return first, times, reading


def wait_until(app, done, timeout: float = 60.0) -> None:
    ends = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > ends:
            raise SystemExit("timed out waiting for suggestions")
        app.processEvents()
        time.sleep(0.0005)


def report(title: str, times: list[tuple[float, float, float]]) -> None:
    opened = [o * 1000 for o, _, _ in times]
    shown = sorted(s * 1000 for _, s, _ in times)
    complete = sorted(c * 1000 for _, _, c in times)
    p95 = shown[min(len(shown) - 1, int(len(shown) * 0.95))]
    print(f"{title}: {len(times)} documents opened; the open itself median "
          f"{statistics.median(opened):.1f} ms; suggestions drawn after median "
          f"{statistics.median(shown):.1f} ms, p95 {p95:.1f} ms, worst {shown[-1]:.1f} ms "
          f"(target: 200 ms); all of a document's (a long one's come in two pieces) "
          f"worst {complete[-1]:.1f} ms")


def main() -> None:
    from bench_suggest import DATA, gold_copy, run

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--reading", type=int, default=20,
                        help="PolNeAR documents opened after a pause each, after the rest")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="bench-suggest-app-"))
    out.mkdir(parents=True, exist_ok=True)
    os.environ["XDG_DATA_HOME"] = str(out / "data")  # daily copies: 48 MB a fresh run

    demo = out / "demo.annotator"
    if not demo.exists():
        run("import", str(demo), str(ROOT / "corpora" / "demo"), "--create")
    first, times, _ = open_and_time(demo, "bench", range(1, args.documents + 1), out)
    print(f"demo corpus: the first document's suggestions drawn {first[0] * 1000:.0f} ms "
          "after the window began opening the project")
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
    after = first_dev + args.documents
    first, times, reading = open_and_time(project, "gold", range(first_dev, after), out,
                                          reading_rows=range(after, after + args.reading))
    print(f"PolNeAR: the first document's suggestions drawn {first[0] * 1000:.0f} ms after "
          "the window began opening the project (this builds the suggester: models and the "
          f"gazetteer of every gold span; all of them {first[1] * 1000:.0f} ms)")
    report("PolNeAR dev, models learned from train", times)
    if reading:
        report("PolNeAR dev, each read a moment (the upkeep runs between)", reading)
    from datetime import date

    from news_annotator.backup import rolling_folder

    today = rolling_folder(project) / f"{date.today().isoformat()}.annotator"
    print(f"PolNeAR: today's daily copy {'made' if today.exists() else 'MISSING'} ({today})")


def run_learn(project: Path) -> str:
    import subprocess

    done = subprocess.run([sys.executable, "-m", "news_annotator.suggest.app_support", "learn",
                           str(project), "--learn-from", "gold"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


if __name__ == "__main__":
    main()
