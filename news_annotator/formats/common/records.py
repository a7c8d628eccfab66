"""What readers produce: documents, optionally with annotations keyed by uid and name.

Readers know nothing of row ids; the import pipeline turns annotator names and span
uids into rows, so a reader stays a small pure function of its input file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from news_annotator.model import Fragment, NewDocument
from news_annotator.schema import Schema


@dataclass(slots=True)
class SpanRecord:
    uid: str
    annotator: str
    label: str
    fragments: tuple[Fragment, ...]
    layer: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    text: str | None = None  # when given, must equal the text at the offsets
    created_at: str = ""
    updated_at: str = ""


@dataclass(slots=True)
class RelationRecord:
    uid: str
    annotator: str
    type: str
    source: str  # span uid
    target: str  # span uid
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class StatusRecord:
    annotator: str
    status: str
    updated_at: str = ""


@dataclass(slots=True)
class AnnotatedDocument:
    document: NewDocument
    spans: list[SpanRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    statuses: list[StatusRecord] = field(default_factory=list)
    where: str = ""  # file and line or record, for error messages
    added_at: str = ""  # kept by lossless formats; empty means "now"


@dataclass(slots=True)
class ProjectHeader:
    """What a lossless export holds besides documents: its schema and annotators.

    Readers yield it before the documents; the import pipeline adopts the schema when
    the project has no spans yet, so a round trip into an empty project is exact.
    """

    schema: Schema | None
    annotators: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Options every reader accepts; each uses what applies to it."""

    annotator: str = ""
    field_map: dict[str, str] = field(default_factory=dict)
    skip_bad: bool = False
    add_labels: bool = False  # unknown labels join the schema instead of failing
    # Streaming readers report how far into the file they are (bytes), for progress bars.
    on_position: Callable[[int], None] | None = None
