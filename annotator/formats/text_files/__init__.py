"""Plain-text articles (see reader.py)."""

from annotator.formats.text_files.reader import read

__all__ = ["read"]
