"""CoNLL-2003 style BIO (see reader.py)."""

from annotator.formats.conll.reader import decode, read, tag_text, write

__all__ = ["decode", "read", "tag_text", "write"]
