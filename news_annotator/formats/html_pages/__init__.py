"""Saved news pages: main text and metadata extracted by trafilatura, boilerplate dropped.

Import only; trafilatura is imported when the first page is read.
"""

from news_annotator.formats.html_pages.reader import read

__all__ = ["read"]
