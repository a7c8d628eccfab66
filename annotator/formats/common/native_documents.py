"""Documents with their annotations as plain dicts, in id order: what every lossless
writer (JSON, JSONL, XML) serializes, so the three hold exactly the same content.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from annotator.formats.native_json.reader import ExportScope, document_to_dict
from annotator.project import Project


def document_dicts(project: Project, scope: ExportScope,
                   document_ids: Iterable[int] | None = None) -> Iterator[dict[str, Any]]:
    """Each document as `native_json.document_to_dict` gives it, one at a time."""
    for document in project.documents.iter_all(document_ids):
        yield document_to_dict(project, document, scope.names, scope.wanted)


def document_lines(project: Project, scope: ExportScope,
                   document_ids: Iterable[int] | None = None) -> Iterator[str]:
    """Each document as one line of JSON (without the newline)."""
    for document in document_dicts(project, scope, document_ids):
        yield json.dumps(document, ensure_ascii=False)
