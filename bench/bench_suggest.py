"""Suggestions: quality on PolNeAR's dev split, learning and suggesting speed.

usage: python bench/bench_suggest.py [--data ../shared/data/polnear] [--out DIR]

Steps (each prints its figures):
1. Copy PolNeAR's train and dev splits into DIR with one annotator per article (the one
   metadata.tsv names): train as `gold`, dev as `heldout`; import both into one project
   with `annotator import` (brat).
2. `annotator suggest P --learn-from gold`: learns from train, suggests on the
   documents gold has not annotated (dev); then `annotator export` (native JSON) and the
   team's scorer `quote_eval.py EXPORT heldout suggestions`.
3. Learning from 1,000 annotated articles (train's 839, then from the start again) in a
   fresh process: seconds and peak memory (ru_maxrss).
4. Suggesting: documents per second over every article (propose only, and propose and
   write), and the time for one document (median and worst) as the app would ask.
News texts stay in DIR (a temporary folder by default), never in the repository.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "polnear"
QUOTE_EVAL = ROOT.parent / "shared" / "tools" / "quote_eval.py"
LEARN_1000 = """
import itertools, resource, sys, time
from news_annotator.project import Project
from news_annotator.suggest.crf import train_layer
from news_annotator.suggest.learning import Examples

class Thousand:
    # train's articles, then from the start again, read from the project on each pass
    def __init__(self, examples):
        self.examples = examples
    def __len__(self):
        return 1000
    def __iter__(self):
        return itertools.islice(itertools.chain(self.examples, self.examples), 1000)

with Project.open(sys.argv[1], read_only=True) as project:
    examples = Thousand(Examples(project, "quote", ["gold"]))
    started = time.perf_counter()
    model = train_layer("quote", examples)
    seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{seconds:.1f} {peak:.0f} {len(model.data)}")
"""


def gold_copy(data: Path, split: str, destination: Path, annotator: str) -> int:
    """PolNeAR's `split` with one .ann per article, renamed for `annotator`."""
    (destination / "text").mkdir(parents=True, exist_ok=True)
    (destination / "attributions").mkdir(exist_ok=True)
    count = 0
    with open(data / "metadata.tsv", encoding="utf-8") as rows:
        for row in csv.DictReader(rows, delimiter="\t"):
            if row["compartment"] != split:
                continue
            name, who = row["filename"], sorted(row["annotators"].split("|"))[0]
            shutil.copy(data / split / "text" / f"{name}.txt", destination / "text")
            shutil.copy(data / split / "attributions" / f"{name}_{who}.ann",
                        destination / "attributions" / f"{name}_{annotator}.ann")
            count += 1
    return count


def run(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "news_annotator.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"annotator {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"{args.data}: no PolNeAR here (see ../shared/data/README.md)")
    out = args.out or Path(tempfile.mkdtemp(prefix="bench-suggest-"))
    project = out / "polnear.annotator"
    if not project.exists():
        for split, who in (("train", "gold"), ("dev", "heldout")):
            count = gold_copy(args.data, split, out / split, who)
            print(f"{split}: {count} articles as {who}")
        run("import", str(project), str(out / "train"), str(out / "dev"), "--format", "brat",
            "--create", "--add-labels")

    print("\n== quality: learn on train, suggest on dev ==")
    print(run("suggest", str(project), "--learn-from", "gold", "--layer", "quote").strip())
    export = out / "export.json"
    run("export", str(project), "--format", "json", "--out", str(export))
    if QUOTE_EVAL.is_file():
        scored = subprocess.run([sys.executable, str(QUOTE_EVAL), str(export), "heldout",
                                 "suggestions"], capture_output=True, text=True, check=True)
        print(f"quote_eval.py {export.name} heldout suggestions\n{scored.stdout.strip()}")

    print("\n== learning from 1,000 annotated articles (fresh process) ==")
    done = subprocess.run([sys.executable, "-c", LEARN_1000, str(project)], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    seconds, peak, size = done.stdout.split()
    print(f"learn 1,000 articles: {seconds} s, peak {peak} MiB, model {int(size) / 1e6:.1f} MB "
          f"(targets: <= 60 s, <= 300 MB)")

    print("\n== suggesting ==")
    measure_suggesting(project)
    print(f"\n(files in {out})")


def measure_suggesting(path: Path) -> None:
    from news_annotator.project import Project
    from news_annotator.suggest.engine import build_suggester, suggest

    with Project.open(path) as project:
        suggester = build_suggester(project, layers=["quote"])
        texts = [d.text for d in project.documents.iter_all()]
        suggester.propose(texts[0])  # load the model once, as the app does
        gc.freeze()  # and keep the loaded suggester out of the collector's passes
        times = []
        started = time.perf_counter()
        for text in texts:
            begun = time.perf_counter()
            suggester.propose(text)
            times.append(time.perf_counter() - begun)
        elapsed = time.perf_counter() - started
        chars = statistics.mean(len(t) for t in texts)
        print(f"propose: {len(texts) / elapsed:,.0f} articles/s over {len(texts):,} articles "
              f"(mean {chars:,.0f} characters); one article: median "
              f"{statistics.median(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms "
              f"(targets: >= 100 articles/s, well under 200 ms)")
        for workers in sorted({1, os.cpu_count() or 1}):
            result = suggest(project, "all", layers=["quote"], as_annotator="bench",
                             use_stored_models=True, workers=workers)
            print(f"propose and write (suggest --documents all), {workers} process(es): "
                  f"{result.documents / result.suggest_seconds:,.0f} articles/s, "
                  f"{result.spans:,} spans")
    print(f"peak memory of this process: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
