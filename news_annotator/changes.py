"""What a mutation changed, so each view refreshes only what it shows."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ChangeKind(str, enum.Enum):
    SPAN_ADDED = "span added"
    SPAN_CHANGED = "span changed"
    SPAN_DELETED = "span deleted"
    RELATION_ADDED = "relation added"
    RELATION_CHANGED = "relation changed"
    RELATION_DELETED = "relation deleted"
    STATUS = "status"
    DOCUMENTS = "documents"
    SCHEMA = "schema"
    ANNOTATORS = "annotators"
    # Another connection saved (another program, or a worker thread of ours): what it
    # changed is unknown, so each view re-reads what it shows.
    OUTSIDE = "saved elsewhere"


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    document_id: int | None = None
    ids: tuple[int, ...] = ()
    annotator_id: int | None = None
