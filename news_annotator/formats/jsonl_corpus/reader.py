"""Reading JSON Lines a line at a time: our annotated documents, our header line, or
plain articles whose fields are found by name."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from news_annotator.errors import InputError
from news_annotator.formats.common.fields import DocumentMaker, resolve_fields
from news_annotator.formats.common.json_fields import lone_surrogate
from news_annotator.formats.common.native_documents import (
    annotated_from_dict,
    header_from_dict,
    is_header,
    is_native_document,
)
from news_annotator.formats.common.records import AnnotatedDocument, ProjectHeader, ReadOptions
from news_annotator.model import NewDocument


def read(path: Path, options: ReadOptions) -> Iterator[NewDocument | AnnotatedDocument
                                                         | ProjectHeader | InputError]:
    """Yield one document per line; a bad line is yielded as an InputError to skip or raise."""
    try:
        handle = path.open("rb")
    except OSError as error:
        raise InputError(path, f"cannot read ({error.strerror})") from error
    text_key: str | None = None  # where the current layout keeps the text
    seen_any = False
    on_position = options.on_position
    loads = json.loads
    with handle:
        for number, raw in enumerate(handle, start=1):
            if on_position is not None and number % 1000 == 0:
                on_position(handle.tell())
            if len(raw) < 8 and not raw.strip():  # blank line (strip would copy long ones)
                continue
            seen_any = True
            try:
                record = loads(raw.decode("utf-8"))
            except UnicodeDecodeError as error:
                yield InputError(path, f"not valid UTF-8 at byte {error.start} of the line",
                                 line=number)
                continue
            except json.JSONDecodeError as error:
                yield InputError(path, f"not valid JSON ({error.msg}, column {error.colno})",
                                 line=number)
                continue
            except (RecursionError, ValueError) as error:  # too deep, or a 5,000-digit number
                yield InputError(path, f"not valid JSON ({error or 'nested too deeply'})",
                                 line=number)
                continue
            if type(record) is not dict:
                yield InputError(path, f"expected a JSON object, found {type(record).__name__}",
                                 line=number)
                continue
            if lone_surrogate(raw, record):
                yield InputError(path, "holds a lone surrogate (\\ud800-\\udfff escape), "
                                 "which no project can store", line=number)
                continue
            if "format" in record and is_header(record):
                yield header_from_dict(record, path, number)
                continue
            if "spans" in record and is_native_document(record):
                try:
                    yield annotated_from_dict(record, f"{path}:{number}")
                except ValueError as error:
                    yield InputError(path, f"bad annotated document ({error})", line=number)
                continue
            if text_key not in record:  # the first record, or a new layout
                fields = resolve_fields(list(record), options.field_map)
                text_key = fields.get("text")
                make_document = DocumentMaker(fields)
            document = make_document(record)
            if type(document) is str:
                yield InputError(path, document, line=number)
            else:
                yield document
    if not seen_any:
        raise InputError(path, "empty file: no JSON lines")
