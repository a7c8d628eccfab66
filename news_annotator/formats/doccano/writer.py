"""Writing doccano JSONL in the relation-extraction form, a line per document and
annotator."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from news_annotator.errors import InputError
from news_annotator.formats.common.interop import UIDS_FIELD, annotations_by_annotator, uid_map
from news_annotator.model import Document, Relation, Span
from news_annotator.project import Project

Progress = Callable[[int], None]


def write(project: Project, out: Path, *, annotators: list[str] | None = None,
          document_ids: list[int] | None = None, progress: Progress | None = None) -> int:
    """One line per document and annotator (a document nobody annotated: one line)."""
    chosen = [a for a in project.annotators.all() if annotators is None or a.name in annotators]
    count = 0
    try:
        with out.open("w", encoding="utf-8", newline="\n") as handle:
            for document in project.documents.iter_all(document_ids):
                lines = [_line(document, *found)
                         for found in annotations_by_annotator(project, document.id, chosen)]
                for line in lines or [_line(document, "", [], [])]:
                    handle.write(json.dumps(line, ensure_ascii=False) + "\n")
                count += 1
                if progress:
                    progress(count)
    except OSError as error:
        raise InputError(out, f"cannot write ({error.strerror})") from error
    return count


def _line(document: Document, annotator: str, spans: list[Span],
          relations: list[Relation]) -> dict[str, Any]:
    entities, first_entity = [], {}
    for span in spans:
        for start, end in span.fragments:
            first_entity.setdefault(span.id, len(entities))
            entities.append({"id": len(entities), "label": span.label, "start_offset": start,
                             "end_offset": end})
    links = [{"id": index, "from_id": first_entity[r.source_id], "to_id": first_entity[r.target_id],
              "type": r.type}
             for index, r in enumerate(r for r in relations
                                       if r.source_id in first_entity
                                       and r.target_id in first_entity)]
    line: dict[str, Any] = {"uid": document.uid, "text": document.text, "entities": entities,
                            "relations": links}
    for name in ("title", "url", "source", "published"):
        if getattr(document, name):
            line[name] = getattr(document, name)
    if document.metadata:
        line["metadata"] = document.metadata
    if annotator:
        line["annotator"] = annotator
        line[UIDS_FIELD] = uid_map(spans, relations)
    return line
