"""spaCy DocBin export (see writer.py)."""

from annotator.formats.spacy_docbin.writer import write

__all__ = ["write"]
