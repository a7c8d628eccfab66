"""Plain-text articles: one .txt file per article, title from the first non-empty line.

Import only: the file is read as UTF-8 (a BOM dropped, line ends made \\n), and its name
becomes the document's source and its `file` metadata.
"""

from news_annotator.formats.text_files.reader import read

__all__ = ["read"]
