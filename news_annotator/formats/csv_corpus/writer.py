"""Writing CSV/TSV: a row per span with its document, for spreadsheets."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path

from news_annotator.formats.common.native_documents import document_dicts, export_scope
from news_annotator.project import Project

COLUMNS = ("document_uid", "document_title", "span_uid", "annotator", "layer", "label",
           "start", "end", "fragments", "text", "attributes", "note", "relations")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write(project: Project, out: Path, *, annotators: list[str] | None = None,
          document_ids: list[int] | None = None,
          progress: Callable[[int], None] | None = None) -> int:
    """One row per span, documents in id order; returns the number of documents read."""
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
