"""Saved news pages (see reader.py)."""

from annotator.formats.html_pages.reader import read

__all__ = ["read"]
