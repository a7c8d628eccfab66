"""Writing our project JSON: one object, streamed a document at a time."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import IO

from news_annotator.formats.common.native_documents import (
    document_to_dict,
    export_scope,
    header_dict,
)
from news_annotator.project import Project

Progress = Callable[[int], None]


def write(project: Project, out: Path, *, annotators: list[str] | None = None,
          document_ids: list[int] | None = None, progress: Progress | None = None) -> int:
    """Write the project as one JSON object; returns the number of documents written."""
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        return write_to(project, handle, annotators=annotators, document_ids=document_ids,
                        progress=progress)


def write_to(project: Project, handle: IO[str], *, annotators: list[str] | None = None,
             document_ids: list[int] | None = None, progress: Progress | None = None) -> int:
    scope = export_scope(project, annotators)
    names, wanted = scope.names, scope.wanted
    header = header_dict(project, scope)
    opening = json.dumps(header, ensure_ascii=False, indent=1)[:-2]  # drop the closing "\n}"
    handle.write(opening + ',\n "documents": [')
    count = 0
    for document in project.documents.iter_all(document_ids):
        handle.write(",\n  " if count else "\n  ")
        handle.write(json.dumps(document_to_dict(project, document, names, wanted),
                                ensure_ascii=False))
        count += 1
        if progress:
            progress(count)
    handle.write("\n ]\n}\n")
    return count
