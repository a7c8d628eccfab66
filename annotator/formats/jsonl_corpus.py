"""JSON Lines corpora: one article per line, streamed so any size imports in flat memory.

A line that carries our own annotations (`spans`/`relations`, as our jsonl export
writes) comes back annotated; any other object is a plain article.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from annotator.errors import InputError
from annotator.formats.fields import record_to_document, resolve_fields
from annotator.formats.records import AnnotatedDocument, ReadOptions
from annotator.model import NewDocument


def read(path: Path, options: ReadOptions) -> Iterator[NewDocument | AnnotatedDocument
                                                         | InputError]:
    """Yield one document per line; a bad line is yielded as an InputError to skip or raise."""
    from annotator.formats.native_json import annotated_from_dict, is_native_document

    try:
        handle = path.open("rb")
    except OSError as error:
        raise InputError(path, f"cannot read ({error.strerror})") from error
    fields: dict[str, str] | None = None
    seen_any = False
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            seen_any = True
            try:
                record = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as error:
                yield InputError(path, f"not valid UTF-8 at byte {error.start} of the line",
                                 line=number)
                continue
            except json.JSONDecodeError as error:
                yield InputError(path, f"not valid JSON ({error.msg}, column {error.colno})",
                                 line=number)
                continue
            if not isinstance(record, dict):
                yield InputError(path, f"expected a JSON object, found {type(record).__name__}",
                                 line=number)
                continue
            if is_native_document(record):
                try:
                    yield annotated_from_dict(record, f"{path}:{number}")
                except (KeyError, TypeError, ValueError) as error:
                    yield InputError(path, f"bad annotated document ({error})", line=number)
                continue
            if fields is None or fields.get("text") not in record:
                fields = resolve_fields(list(record), options.field_map)
            document = record_to_document(record, fields)
            if isinstance(document, str):
                yield InputError(path, document, line=number)
            else:
                yield document
    if not seen_any:
        raise InputError(path, "empty file: no JSON lines")
