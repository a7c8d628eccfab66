"""brat standoff: .txt + .ann pairs (see reader.py)."""

from annotator.formats.brat.reader import NORMALIZATIONS, read, read_folder, text_for, write

__all__ = ["NORMALIZATIONS", "read", "read_folder", "text_for", "write"]
