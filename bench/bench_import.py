"""Import benchmark: the CLI's import path vs raw sqlite3.executemany, same rows, same run.

Each side runs in its own child process so peak memory (ru_maxrss) is its own. The raw
baseline parses the same JSONL and inserts the same columns into a bare table in one
transaction; ours does everything `annotator import` does (uid, hash, metadata, dedupe).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"

RAW = r"""
import json, sqlite3, sys, time
started = time.perf_counter()
conn = sqlite3.connect(sys.argv[2])
conn.execute("PRAGMA page_size = 16384")
conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, uid TEXT, title TEXT, text TEXT, "
             "source TEXT, url TEXT, published TEXT, metadata TEXT)")
def rows():
    with open(sys.argv[1], encoding="utf-8") as handle:
        for line in handle:
            r = json.loads(line)
            yield (r["id"], r["title"], r["text"], r["source"], r["url"], r["published"],
                   json.dumps({"section": r["section"]}))
with conn:
    conn.executemany("INSERT INTO documents (uid, title, text, source, url, published, metadata) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)", rows())
conn.close()
print(time.perf_counter() - started)
"""

OURS = r"""
import contextlib, io, sys, time
from annotator.cli import main
started = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    code = main(["import", "--create", sys.argv[2], sys.argv[1]])
print(time.perf_counter() - started)
sys.exit(code)
"""


def run_child(code: str, corpus: Path, target: Path) -> tuple[float, float, float]:
    """Wall seconds, seconds of work (after imports) and peak RSS (MB) of one child."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, str(corpus), str(target)],
                             stdout=subprocess.PIPE, text=True)
    output = child.stdout.read() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"child failed with status {status}")
    return elapsed, float(output.strip().splitlines()[-1]), usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from generate import write_corpus

    corpus = OUT / f"corpus-{args.articles}.jsonl"
    if not corpus.exists():
        print(f"generating {args.articles:,} articles → {corpus}")
        write_corpus(corpus, args.articles)
    size_mb = corpus.stat().st_size / 1e6
    raw_runs, our_runs = [], []
    for _ in range(args.repeat):  # interleaved, so machine noise hits both sides alike
        raw_runs.append(run_child(RAW, corpus, OUT / "raw.sqlite"))
        our_runs.append(run_child(OURS, corpus, OUT / "ours.annotator"))
    raw = statistics.median(t for t, _, _ in raw_runs)
    ours = statistics.median(t for t, _, _ in our_runs)
    raw_work = statistics.median(w for _, w, _ in raw_runs)
    our_work = statistics.median(w for _, w, _ in our_runs)
    peak = max(m for _, _, m in our_runs)
    print(f"corpus: {args.articles:,} articles, {size_mb:.0f} MB of JSONL")
    print(f"raw executemany (parse + insert, one transaction): {raw:6.2f} s "
          f"({args.articles / raw:,.0f} articles/s)")
    print(f"annotator import (CLI path):                       {ours:6.2f} s "
          f"({args.articles / ours:,.0f} articles/s)")
    print(f"ratio ours / raw, whole process: {ours / raw:.2f}; work after start-up "
          f"imports: {our_work / raw_work:.2f}  (target ≤ 1.5)")
    print(f"peak RSS of the import: {peak:.0f} MB  (target < 500 MB); "
          f"raw baseline: {max(m for _, _, m in raw_runs):.0f} MB")


if __name__ == "__main__":
    main()
