"""Huge input: import a ~1 GB JSONL corpus and report peak memory (target < 500 MB).

The corpus is generated deterministically into bench/out/ (about 340,000 articles).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_import import OURS, run_child  # noqa: E402
from generate import write_corpus  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=340_000)
    args = parser.parse_args()
    corpus = HERE / "out" / f"corpus-{args.articles}.jsonl"
    if not corpus.exists():
        print(f"generating {args.articles:,} articles → {corpus}")
        write_corpus(corpus, args.articles)
    size_gb = corpus.stat().st_size / 1e9
    seconds, work, peak = run_child(OURS, corpus, HERE / "out" / "big.annotator")
    print(f"imported {size_gb:.2f} GB of JSONL ({args.articles:,} articles) in {seconds:.1f} s; "
          f"peak RSS {peak:.0f} MB (target < 500 MB)")


if __name__ == "__main__":
    main()
