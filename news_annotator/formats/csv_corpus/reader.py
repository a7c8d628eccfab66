"""Reading CSV/TSV: a header row names the columns, then an article a row."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

from news_annotator.errors import InputError
from news_annotator.formats.common.fields import DocumentMaker, resolve_fields
from news_annotator.formats.common.records import ReadOptions
from news_annotator.model import NewDocument

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # articles are longer than csv's 128 KB default


def read(path: Path, options: ReadOptions) -> Iterator[NewDocument | InputError]:
    try:
        handle = path.open("r", encoding="utf-8-sig", newline="")
    except OSError as error:
        raise InputError(path, f"cannot read ({error.strerror})") from error
    with handle:
        try:
            sample = handle.read(65536)
        except UnicodeDecodeError as error:
            raise InputError(path, f"not valid UTF-8 (offset {error.start})") from error
        if not sample.strip():
            raise InputError(path, "empty file: no header and no rows")
        handle.seek(0)
        delimiter = "\t" if path.suffix.lower() == ".tsv" or (
            sample.split("\n", 1)[0].count("\t") > sample.split("\n", 1)[0].count(",")) else ","
        reader = csv.DictReader(handle, delimiter=delimiter)
        try:
            header = reader.fieldnames or []
        except (csv.Error, UnicodeDecodeError) as error:
            raise InputError(path, f"cannot read the header ({error})", line=1) from error
        fields = resolve_fields(list(header), options.field_map)
        make_document = DocumentMaker(fields)
        if "text" not in fields:
            wanted = options.field_map.get("text", "text")
            raise InputError(path, f"no text column: expected {wanted!r} among the header's "
                             f"columns ({', '.join(header) or 'none'}); map one with "
                             "--field text=COLUMN", line=1)
        try:
            for row in reader:
                line = reader.line_num
                if None in row:
                    yield InputError(path, "more cells than header columns", line=line)
                    continue
                document = make_document(row)
                if isinstance(document, str):
                    yield InputError(path, document, line=line)
                else:
                    yield document
        except csv.Error as error:
            raise InputError(path, f"malformed CSV ({error})", line=reader.line_num) from error
        except UnicodeDecodeError as error:
            raise InputError(path, f"not valid UTF-8 after line {reader.line_num}",
                             line=reader.line_num + 1) from error
