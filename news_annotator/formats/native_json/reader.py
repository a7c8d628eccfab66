"""Reading our project JSON: the header, then every document (the whole file is parsed)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from news_annotator.errors import InputError
from news_annotator.formats.common.json_fields import lone_surrogate
from news_annotator.formats.common.native_documents import annotated_from_dict, header_from_dict
from news_annotator.formats.common.records import AnnotatedDocument, ProjectHeader, ReadOptions
from news_annotator.schema import Schema


@dataclass(slots=True)
class ProjectFile:
    """What our JSON holds besides its documents."""

    schema: Schema | None
    annotators: list[str]
    documents: list[AnnotatedDocument] = field(default_factory=list)


def read_project_file(path: Path) -> ProjectFile:
    try:
        data = path.read_bytes()
        raw = json.loads(data.decode("utf-8"))
    except OSError as error:
        raise InputError(path, f"cannot read ({error.strerror})") from error
    except UnicodeDecodeError as error:
        raise InputError(path, f"not valid UTF-8 (offset {error.start})") from error
    except json.JSONDecodeError as error:
        raise InputError(path, f"not valid JSON ({error.msg}, column {error.colno})",
                         line=error.lineno) from error
    except (RecursionError, ValueError) as error:  # too deep, or a 5,000-digit number
        raise InputError(path, f"not valid JSON ({error or 'nested too deeply'})") from None
    if isinstance(raw, list):  # a bare list of documents
        raw = {"documents": raw}
    if not isinstance(raw, dict) or not isinstance(raw.get("documents"), list):
        raise InputError(path, "expected our project JSON: an object with a 'documents' list")
    if lone_surrogate(data, raw):
        raise InputError(path, "holds a lone surrogate (\\ud800-\\udfff escape), which no "
                         "project can store")
    header = header_from_dict(raw, path)
    result = ProjectFile(header.schema, header.annotators)
    for index, item in enumerate(raw["documents"], start=1):
        if not isinstance(item, dict):
            raise InputError(path, "expected a document object", record=str(index))
        try:
            result.documents.append(annotated_from_dict(item, f"{path} (document {index})"))
        except ValueError as error:
            raise InputError(path, f"bad document ({error})", record=str(index)) from error
    return result


def read(path: Path, options: ReadOptions) -> Iterator[AnnotatedDocument | ProjectHeader]:
    content = read_project_file(path)
    yield ProjectHeader(content.schema, content.annotators)
    yield from content.documents
