"""Reading doccano JSONL (or pretty-printed JSON): both span shapes, relations and
text-classification labels."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from news_annotator.errors import InputError
from news_annotator.formats.common.file_text import normalize_newlines, read_utf8
from news_annotator.formats.common.interop import (
    UIDS_FIELD,
    apply_uid_map,
    as_offset,
    derived_uid,
    fragments_problem,
    head,
    json_values,
    records_problem,
    scalar_text,
)
from news_annotator.formats.common.records import (
    AnnotatedDocument,
    ReadOptions,
    RelationRecord,
    SpanRecord,
)
from news_annotator.model import NewDocument
from news_annotator.store.documents import content_uid

TEXT_FIELDS = ("text", "data", "column_data")
LABEL_FIELDS = ("entities", "label", "labels", "column_label")
DOCUMENT_FIELDS = ("uid", "title", "url", "source", "published")


class RecordError(Exception):
    """A record that cannot be a document; the reader turns it into an InputError."""


def sniff(path: Path) -> bool:
    """A .jsonl/.json file whose first record has doccano's span fields."""
    if path.suffix.lower() not in (".jsonl", ".json"):
        return False
    start = head(path, 8192).lstrip("\ufeff \t\r\n")
    first_line = start.split("\n", 1)[0].strip()
    try:
        record = json.loads(first_line)
    except ValueError:
        return bool(re.search(r'"start_offset"\s*:', start) and re.search(r'"entities"\s*:',
                                                                          start))
    if not isinstance(record, dict) or "spans" in record:
        return False
    if isinstance(record.get("entities"), list):
        return True
    labels = next((record[f] for f in LABEL_FIELDS[1:] if f in record), None)
    return isinstance(labels, list) and any(isinstance(item, list) for item in labels)


def read(path: Path, options: ReadOptions) -> Iterator[AnnotatedDocument | InputError]:
    """One document per record; a bad record is yielded as an InputError to skip or raise."""
    text = read_utf8(path)
    found = False
    for line, record in _records(path, text):
        found = True
        try:
            yield to_document(record, options, f"{path}:{line}")
        except RecordError as error:
            yield InputError(path, str(error), line=line)
    if not found:
        raise InputError(path, "empty file: no doccano records")


def _records(path: Path, text: str) -> Iterator[tuple[int, Any]]:
    """(line, record) pairs: JSON Lines when the first line is a whole object, otherwise
    one or more pretty-printed values (a list counts as its items)."""
    body = text.lstrip("\ufeff")
    first = next((line.strip() for line in body.split("\n") if line.strip()), "")
    if first.startswith("{") and first.endswith("}"):
        for number, line in enumerate(body.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except (ValueError, RecursionError) as error:
                reason = getattr(error, "msg", type(error).__name__)
                yield number, RecordError(f"not valid JSON ({reason})")
        return
    for line, value in json_values(path, text):
        if isinstance(value, list):
            for item in value:
                yield line, item
        else:
            yield line, value


def to_document(record: Any, options: ReadOptions, where: str) -> AnnotatedDocument:
    """One doccano record as a document with its spans and relations."""
    if isinstance(record, RecordError):
        raise record
    if not isinstance(record, dict):
        raise RecordError(f"expected a JSON object, found {type(record).__name__}")
    text_field = options.field_map.get("text") or next(
        (f for f in TEXT_FIELDS if isinstance(record.get(f), str)), "text")
    text = record.get(text_field)
    if not isinstance(text, str) or not text.strip():
        raise RecordError(f"no text: field {text_field!r} is missing, empty or not a string")
    meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
    fields = {name: scalar_text(record.get(name, meta.get(name, ""))) for name in DOCUMENT_FIELDS}
    if "id" in options.field_map:
        fields["uid"] = scalar_text(record.get(options.field_map["id"], fields["uid"]))
    annotator = scalar_text(record.get("annotator", meta.get("annotator", "")))
    raw_spans = _raw_spans(record)
    if not raw_spans and not record.get("relations"):
        text = normalize_newlines(text)  # no offsets depend on the line endings
    uid = fields["uid"] or content_uid(text)
    used = {text_field, "meta", "metadata", "annotator", "relations", UIDS_FIELD,
            *DOCUMENT_FIELDS, *LABEL_FIELDS}
    metadata = {k: v for k, v in record.items() if k not in used}
    metadata.update({k: v for k, v in meta.items() if k not in DOCUMENT_FIELDS
                     and k not in ("annotator", UIDS_FIELD)})
    if isinstance(record.get("metadata"), dict):
        metadata.update(record["metadata"])
    categories = [item for item in _label_list(record) if isinstance(item, str)]
    if categories:
        metadata["labels"] = categories
    spans, ids = [], {}
    for index, (key, start, end, label) in enumerate(raw_spans, start=1):
        problem = fragments_problem(((start, end),), len(text))
        if problem:
            raise RecordError(f"span {index} ({label}): {problem}")
        span_uid = derived_uid("doccano", uid, annotator, label, start, end)
        if key is not None:
            if key in ids:
                raise RecordError(f"entity id {key!r} is used twice")
            ids[key] = span_uid
        spans.append(SpanRecord(uid=span_uid, annotator=annotator, label=label,
                                fragments=((start, end),)))
    relations = [_relation(raw, ids, annotator) for raw in _list(record, "relations")]
    apply_uid_map(record.get(UIDS_FIELD, meta.get(UIDS_FIELD)), spans, relations)
    if problem := records_problem(spans, relations):
        raise RecordError(problem)
    document = NewDocument(text=text, uid=uid, title=fields["title"].strip(), url=fields["url"],
                           source=fields["source"], published=fields["published"],
                           metadata=metadata)
    return AnnotatedDocument(document, spans, relations, where=where)


def _list(record: dict[str, Any], name: str) -> list[Any]:
    value = record.get(name, [])
    if not isinstance(value, list):
        raise RecordError(f"{name!r} should be a list, found {type(value).__name__}")
    return value


def _label_list(record: dict[str, Any]) -> list[Any]:
    return next((_list(record, f) for f in LABEL_FIELDS[1:] if f in record), [])


def _raw_spans(record: dict[str, Any]) -> list[tuple[Any, int, int, str]]:
    """(entity id or None, start, end, label) for every span the record holds."""
    found = []
    for item in _list(record, "entities") + _label_list(record):
        if isinstance(item, str):
            continue
        if isinstance(item, dict):
            key, start, end, label = (item.get("id"), item.get("start_offset"),
                                      item.get("end_offset"), item.get("label"))
        elif isinstance(item, list) and len(item) == 3:
            key, (start, end, label) = None, item
        else:
            raise RecordError(f"cannot read span {json.dumps(item)[:60]} (expected "
                              "[start, end, label] or an entity object)")
        start_at, end_at = as_offset(start), as_offset(end)
        label = label.strip() if isinstance(label, str) else None
        if start_at is None or end_at is None or not label:
            raise RecordError(f"span {json.dumps(item)[:60]} needs whole-number offsets "
                              "and a label")
        if isinstance(key, (dict, list)):
            raise RecordError(f"entity id {json.dumps(key)[:30]} is not a number or string")
        found.append((key, start_at, end_at, label))
    return found


def _relation(raw: Any, ids: dict[Any, str], annotator: str) -> RelationRecord:
    if not isinstance(raw, dict):
        raise RecordError(f"expected a relation object, found {type(raw).__name__}")
    kind = raw.get("type").strip() if isinstance(raw.get("type"), str) else None
    if not kind:
        raise RecordError(f"relation {raw.get('id', '')} has no type")
    ends = []
    for end in ("from_id", "to_id"):
        key = raw.get(end)
        if isinstance(key, (dict, list)) or key not in ids:
            raise RecordError(f"relation {raw.get('id', kind)} points to entity "
                              f"{json.dumps(key)[:30]}, which is not in this record")
        ends.append(ids[key])
    return RelationRecord(uid="", annotator=annotator, type=kind, source=ends[0], target=ends[1])
