"""What the readers and writers of other tools' formats (brat, doccano, Label Studio) share:
stable uids for spans that come without one, offset checks, JSON with positions, and the
notices a reader yields about one annotation inside a document it can still read.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from news_annotator.errors import InputError
from news_annotator.formats.common.records import RelationRecord, SpanRecord
from news_annotator.model import Annotator, Fragment, Relation, Span, check_fragments

if TYPE_CHECKING:
    from news_annotator.project import Project

QUOTE_LABELS = ("DIRECT", "INDIRECT", "MIXED")
_NAME = re.compile(r"^[^\s].{0,63}$")  # the schema's rule for label and relation names
UIDS_FIELD = "news_annotator_uids"  # where our exports keep span and relation uids
FRAME_RELATIONS = ("source", "cue")


@dataclass(frozen=True, slots=True)
class ReadWarning:
    """Something a reader accepted but the user should hear of (a brat text field cut at
    a line break); the import counts it and goes on."""

    problem: InputError


@dataclass(frozen=True, slots=True)
class SkippedAnnotation:
    """One annotation a reader left out of a document (and what needs it): the import
    stops on it unless bad records are skipped, and then counts it."""

    problem: InputError


ReadNotice = ReadWarning | SkippedAnnotation


def derived_uid(*parts: object) -> str:
    """A deterministic uid from what identifies a record, so importing twice adds nothing."""
    key = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def name_problem(name: str, what: str = "label") -> str | None:
    """Why a label or relation type cannot join a schema, or None when it can."""
    if _NAME.match(name):
        return None
    return (f"{what} {name[:40]!r} cannot be used: names are 1-64 characters on one line, "
            "not starting with a space")


def records_problem(spans: list[SpanRecord], relations: list[RelationRecord]) -> str | None:
    """The first label or relation type among these records that no schema could hold."""
    for span in spans:
        if problem := name_problem(span.label):
            return problem
    for relation in relations:
        if problem := name_problem(relation.type, "relation type"):
            return problem
    return None


def fragments_problem(fragments: tuple[Fragment, ...], text_length: int) -> str | None:
    """Why these fragments cannot be a span of a text this long, or None when they can."""
    try:
        check_fragments(fragments, text_length)
    except ValueError as error:
        return str(error)
    return None


def as_offset(value: Any) -> int | None:
    """An offset from JSON: a non-negative int (bools and floats with fractions refused)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, int) and value >= 0 else None


def utf16_to_code_points(text: str, offset: int) -> int | None:
    """A UTF-16 code unit offset (JavaScript's) as a code point offset; None if it splits a
    surrogate pair or lies past the end."""
    units = 0
    for index, char in enumerate(text):
        if units == offset:
            return index
        if units > offset:
            return None
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text) if units == offset else None


def scalar_text(value: Any) -> str:
    """A JSON scalar as text; objects, lists and null become "" (not "{...}")."""
    return "" if value is None or isinstance(value, (dict, list)) else str(value)


def annotations_by_annotator(project: Project, document_id: int, annotators: list[Annotator]
                             ) -> list[tuple[str, list[Span], list[Relation]]]:
    """(name, spans, relations) of each chosen annotator with spans in the document: the
    one-record-per-annotator shape of doccano and Label Studio exports."""
    found = []
    for annotator in annotators:
        spans = project.spans.for_document(document_id, annotator.id)
        if spans:
            found.append((annotator.name, spans,
                          project.relations.for_document(document_id, annotator.id)))
    return found


def json_values(path: Path, text: str) -> Iterator[tuple[int, Any]]:
    """Each top-level JSON value in a file of one or more (pretty-printed) values, with the
    line it starts on; a syntax error is an InputError naming its line."""
    decoder = json.JSONDecoder()
    position, length = 0, len(text)
    if text.startswith("\ufeff"):
        position = 1
    while True:
        while position < length and text[position] in " \t\r\n":
            position += 1
        if position >= length:
            return
        line = text.count("\n", 0, position) + 1
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise InputError(path, f"not valid JSON ({error.msg}, column {error.colno})",
                             line=error.lineno) from None
        except (ValueError, RecursionError) as error:
            raise InputError(path, f"not valid JSON ({type(error).__name__})", line=line) from None
        yield line, value


def head(path: Path, size: int = 65536) -> str:
    """The first bytes of a file as text, for cheap format sniffing ('' when unreadable)."""
    try:
        with path.open("rb") as handle:
            return handle.read(size).decode("utf-8", errors="replace")
    except OSError:
        return ""


# Our uids ride along in each format's metadata, keyed by what a span is (label and
# offsets), so a re-import reuses them only for spans the other tool left unchanged.


def span_key(label: str, fragments: tuple[Fragment, ...] | list[Fragment]) -> str:
    return label + "@" + ",".join(f"{start}-{end}" for start, end in fragments)


def relation_key(kind: str, source_key: str, target_key: str) -> str:
    return f"{kind}|{source_key}|{target_key}"


def uid_map(spans: list[Span], relations: list[Relation]) -> dict[str, dict[str, str]]:
    """{"spans": {key: uid}, "relations": {key: uid}} for one document and annotator."""
    keys = {span.id: span_key(span.label, span.fragments) for span in spans}
    return {"spans": {keys[s.id]: s.uid for s in spans},
            "relations": {relation_key(r.type, keys[r.source_id], keys[r.target_id]): r.uid
                          for r in relations if r.source_id in keys and r.target_id in keys}}


def apply_uid_map(raw: Any, spans: list[SpanRecord], relations: list[RelationRecord]) -> None:
    """Give records the uids a map (from `uid_map`, read back from a file) holds for them."""
    if not isinstance(raw, dict):
        return
    span_uids = raw.get("spans") if isinstance(raw.get("spans"), dict) else {}
    relation_uids = raw.get("relations") if isinstance(raw.get("relations"), dict) else {}
    keys, renamed = {}, {}
    for span in spans:
        key = span_key(span.label, span.fragments)
        found = span_uids.get(key)
        if isinstance(found, str) and found:
            renamed[span.uid] = found
            span.uid = found
        keys[span.uid] = key
    for relation in relations:
        relation.source = renamed.get(relation.source, relation.source)
        relation.target = renamed.get(relation.target, relation.target)
        if relation.source in keys and relation.target in keys:
            found = relation_uids.get(relation_key(relation.type, keys[relation.source],
                                                   keys[relation.target]))
            if isinstance(found, str) and found:
                relation.uid = found
