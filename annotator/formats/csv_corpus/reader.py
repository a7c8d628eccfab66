"""CSV/TSV: articles a row on import; spans a row on export, for spreadsheets.

The export is UTF-8 with a byte-order mark (so Excel reads accents and emoji right; our
reader and pandas skip it), CRLF row ends as RFC 4180 has them, and a tab separator
when the file name ends in .tsv. It is a view for analysis, not a lossless format: use
json, jsonl or xml to move a project. A cell starting with = + - @ (or a tab or CR) gets
a leading apostrophe, so a spreadsheet shows it as text instead of running a formula.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from annotator.errors import InputError
from annotator.formats.common.fields import DocumentMaker, resolve_fields
from annotator.formats.common.records import ReadOptions
from annotator.model import NewDocument
from annotator.project import Project

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


COLUMNS = ("document_uid", "document_title", "span_uid", "annotator", "layer", "label",
           "start", "end", "fragments", "text", "attributes", "note", "relations")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write(project: Project, out: Path, *, annotators: list[str] | None = None,
          document_ids: list[int] | None = None,
          progress: Callable[[int], None] | None = None) -> int:
    """One row per span, documents in id order; returns the number of documents read."""
    from annotator.formats.common.native_documents import document_dicts
    from annotator.formats.native_json.reader import export_scope

    delimiter = "\t" if out.suffix.lower() == ".tsv" else ","
    count = 0
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(COLUMNS)
        for document in document_dicts(project, export_scope(project, annotators),
                                       document_ids):
            writer.writerows(span_rows(document))
            count += 1
            if progress:
                progress(count)
    return count


def span_rows(document: dict) -> Iterator[list]:
    """The rows of one document (as `document_to_dict` gives it)."""
    spans = {span["uid"]: span for span in document["spans"]}
    links: dict[str, list[str]] = {}
    for relation in document["relations"]:
        source, target = spans[relation["source"]], spans[relation["target"]]
        links.setdefault(source["uid"], []).append(
            f"{relation['type']} → {target['label']} “{_short(target['text'])}”")
        links.setdefault(target["uid"], []).append(
            f"{relation['type']} ← {source['label']} “{_short(source['text'])}”")
    for span in document["spans"]:
        yield [_cell(document["uid"]), _cell(document["title"]), _cell(span["uid"]),
               _cell(span["annotator"]), _cell(span["layer"]), _cell(span["label"]),
               span["start"], span["end"], json.dumps(span["fragments"]), _cell(span["text"]),
               json.dumps(span["attributes"], ensure_ascii=False), _cell(span["note"]),
               _cell("; ".join(links.get(span["uid"], ())))]


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value
