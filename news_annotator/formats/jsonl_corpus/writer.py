"""Writing our lossless JSONL: a header line, then a document a line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from news_annotator.formats.common.native_documents import document_lines, export_scope, header_dict
from news_annotator.project import Project


def write(project: Project, out: Path, *, annotators: list[str] | None = None,
          document_ids: list[int] | None = None,
          progress: Callable[[int], None] | None = None) -> int:
    """Write a header line and a document a line; returns the number of documents."""
    scope = export_scope(project, annotators)
    count = 0
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(json.dumps(header_dict(project, scope), ensure_ascii=False) + "\n")
        for line in document_lines(project, scope, document_ids):
            handle.write(line)
            handle.write("\n")
            count += 1
            if progress:
                progress(count)
    return count
