"""doccano JSONL (see reader.py)."""

from annotator.formats.doccano.reader import read, sniff, write

__all__ = ["read", "sniff", "write"]
