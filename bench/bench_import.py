"""Import benchmark: the CLI's import path vs raw sqlite3.executemany, same rows, same run.

Each side runs in its own child process so peak memory (ru_maxrss) is its own. The raw
baselines parse the same JSONL and insert into a bare table (no index) in one
transaction: once the exact rows we store (the source fields plus the sha256 content
hash and the time added), once the source fields alone. Ours does everything `annotator
import` does (field mapping, uid, hash, metadata, dedupe by uid, indexes).
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
import hashlib, json, sqlite3, sys, time
started = time.perf_counter()
same_rows = sys.argv[3] == "same-rows"
conn = sqlite3.connect(sys.argv[2])
conn.execute("PRAGMA page_size = 16384")
conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, uid TEXT, title TEXT, text TEXT, "
             "source TEXT, url TEXT, published TEXT, metadata TEXT, sha256 TEXT, added_at TEXT)")
def rows():
    with open(sys.argv[1], encoding="utf-8") as handle:
        for line in handle:
            r = json.loads(line)
            row = (r["id"], r["title"], r["text"], r["source"], r["url"], r["published"],
                   json.dumps({"section": r["section"]}))
            if same_rows:  # exactly the row we store: plus the content hash and the time
                row += (hashlib.sha256(r["text"].encode()).hexdigest(), "2026-11-25T00:00:00")
            yield row
columns = "uid, title, text, source, url, published, metadata" + (
    ", sha256, added_at" if same_rows else "")
with conn:
    conn.executemany(f"INSERT INTO documents ({columns}) VALUES "
                     f"({', '.join('?' * len(columns.split(',')))})", rows())
conn.close()
print(time.perf_counter() - started)
"""

OURS = r"""
import contextlib, io, sys, time
from news_annotator.cli import main
started = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    code = main(["import", "--create", sys.argv[2], sys.argv[1]])
print(time.perf_counter() - started)
sys.exit(code)
"""

# Into a project that already exists (`annotator init`, then `annotator import`): WAL all
# the way, since another program may hold such a file (issue 11). Timed from the import.
OURS_EXISTING = r"""
import contextlib, io, sys, time
from news_annotator.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(["init", sys.argv[2]])
started = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    code = main(["import", sys.argv[2], sys.argv[1]])
print(time.perf_counter() - started)
sys.exit(code)
"""


def run_child(code: str, corpus: Path, target: Path, *extra: str) -> tuple[float, float, float]:
    """Wall seconds, seconds of work (after imports) and peak RSS (MB) of one child."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, str(corpus), str(target), *extra],
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
    raw_runs, same_runs, our_runs, existing_runs = [], [], [], []
    for _ in range(args.repeat):  # interleaved, so machine noise hits every side alike
        raw_runs.append(run_child(RAW, corpus, OUT / "raw.sqlite", "source-fields"))
        same_runs.append(run_child(RAW, corpus, OUT / "raw.sqlite", "same-rows"))
        our_runs.append(run_child(OURS, corpus, OUT / "ours.annotator"))
        existing_runs.append(run_child(OURS_EXISTING, corpus, OUT / "ours.annotator"))

    def median(runs: list, column: int) -> float:
        return statistics.median(run[column] for run in runs)

    ours, our_work = median(our_runs, 0), median(our_runs, 1)
    print(f"corpus: {args.articles:,} articles, {size_mb:.0f} MB of JSONL "
          f"(medians of {args.repeat} interleaved runs, each in its own process)")
    for label, runs in (("raw executemany, the same rows we store (9 columns incl. "
                         "the sha256 content hash)", same_runs),
                        ("raw executemany, the 7 source fields only", raw_runs)):
        print(f"{label}: {median(runs, 0):.2f} s; ours / raw: {ours / median(runs, 0):.2f} "
              f"whole process, {our_work / median(runs, 1):.2f} after start-up imports")
    print(f"annotator import --create (CLI path, a new file: rollback journal until it is "
          f"shared): {ours:.2f} s ({args.articles / ours:,.0f} articles/s); target ≤ 1.5 × "
          "the same rows")
    existing = median(existing_runs, 1)
    print(f"annotator import into an existing project (WAL, import only): {existing:.2f} s; "
          f"ours / raw same rows: {existing / median(same_runs, 1):.2f}")
    print(f"peak RSS of the import: {max(run[2] for run in our_runs):.0f} MB (target < 500 MB);"
          f" raw: {max(run[2] for run in raw_runs + same_runs):.0f} MB")

if __name__ == "__main__":
    main()
