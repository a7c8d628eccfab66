"""CSV/TSV: articles a row on import; spans a row on export, for spreadsheets.

The export is UTF-8 with a byte-order mark (so Excel reads accents and emoji right; our
reader and pandas skip it), CRLF row ends as RFC 4180 has them, and a tab separator
when the file name ends in .tsv. It is a view for analysis, not a lossless format: use
json, jsonl or xml to move a project. A cell starting with = + - @ (or a tab or CR) gets
a leading apostrophe, so a spreadsheet shows it as text instead of running a formula.
"""

from news_annotator.formats.csv_corpus.reader import read
from news_annotator.formats.csv_corpus.writer import COLUMNS, write

__all__ = ["COLUMNS", "read", "write"]
