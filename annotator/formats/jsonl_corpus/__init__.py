"""JSON Lines (see reader.py)."""

from annotator.formats.jsonl_corpus.reader import read, write

__all__ = ["read", "write"]
