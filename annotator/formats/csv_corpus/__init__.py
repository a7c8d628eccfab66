"""CSV/TSV articles and span rows (see reader.py)."""

from annotator.formats.csv_corpus.reader import COLUMNS, read, write

__all__ = ["COLUMNS", "read", "write"]
