"""Our documents as plain dicts, both ways: what the lossless formats (JSON, JSONL, XML)
and the CSV view write, in id order, so the three lossless ones hold exactly the same
content; and those dicts read back into records, each bad field named."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from news_annotator.errors import InputError, SchemaError
from news_annotator.formats.common.json_fields import (
    json_list,
    json_object,
    json_string,
    span_fragments,
)
from news_annotator.formats.common.records import (
    AnnotatedDocument,
    ProjectHeader,
    RelationRecord,
    SpanRecord,
    StatusRecord,
)
from news_annotator.model import Document, NewDocument
from news_annotator.project import Project
from news_annotator.schema import parse_schema

FORMAT_TAG = "news-annotator"
FORMAT_VERSION = 1


# -- writing ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExportScope:
    """Whose work an export holds: annotator names by id, and the ids chosen (None: all)."""

    names: dict[int, str]
    chosen: list[str]
    wanted: set[int] | None


def export_scope(project: Project, annotators: list[str] | None) -> ExportScope:
    everyone = project.annotators.all()
    chosen = [a for a in everyone if annotators is None or a.name in annotators]
    return ExportScope({a.id: a.name for a in everyone}, [a.name for a in chosen],
                       {a.id for a in chosen} if annotators is not None else None)


def header_dict(project: Project, scope: ExportScope) -> dict[str, Any]:
    """The part of our JSON (and the first line of our JSONL) that is not documents."""
    return {"format": FORMAT_TAG, "version": FORMAT_VERSION, "project": project.info(),
            "schema": project.schema.to_dict(), "annotators": scope.chosen}


def document_to_dict(project: Project, document: Document, names: dict[int, str],
                     annotator_ids: set[int] | None = None) -> dict[str, Any]:
    """One document with its annotations, keyed by uids and annotator names (no row ids)."""
    spans = [s for s in project.spans.for_document(document.id)
             if annotator_ids is None or s.annotator_id in annotator_ids]
    span_uids = {s.id: s.uid for s in spans}
    relations = [r for r in project.relations.for_document(document.id)
                 if r.source_id in span_uids and r.target_id in span_uids]
    statuses = [(a, st, at) for a, st, at in project.statuses.for_document(document.id)
                if annotator_ids is None or a in annotator_ids]
    return {
        "uid": document.uid, "title": document.title, "text": document.text,
        "source": document.source, "url": document.url, "published": document.published,
        "metadata": document.metadata, "added_at": document.added_at,
        "spans": [{
            "uid": s.uid, "annotator": names[s.annotator_id], "layer": s.layer,
            "label": s.label, "start": s.start, "end": s.end,
            "fragments": [list(f) for f in s.fragments], "text": s.text,
            "attributes": s.attributes, "note": s.note, "created_at": s.created_at,
            "updated_at": s.updated_at,
        } for s in spans],
        "relations": [{
            "uid": r.uid, "annotator": names[r.annotator_id], "type": r.type,
            "source": span_uids[r.source_id], "target": span_uids[r.target_id],
            "attributes": r.attributes,
        } for r in relations],
        "statuses": [{"annotator": names[a], "status": st.value, "updated_at": at}
                     for a, st, at in statuses],
    }


def document_dicts(project: Project, scope: ExportScope,
                   document_ids: Iterable[int] | None = None) -> Iterator[dict[str, Any]]:
    """Each document as `document_to_dict` gives it, one at a time."""
    for document in project.documents.iter_all(document_ids):
        yield document_to_dict(project, document, scope.names, scope.wanted)


def document_lines(project: Project, scope: ExportScope,
                   document_ids: Iterable[int] | None = None) -> Iterator[str]:
    """Each document as one line of JSON (without the newline)."""
    for document in document_dicts(project, scope, document_ids):
        yield json.dumps(document, ensure_ascii=False)


# -- reading ------------------------------------------------------------------------


def is_native_document(record: dict[str, Any]) -> bool:
    return isinstance(record.get("text"), str) and isinstance(record.get("spans"), list)


def is_header(record: dict[str, Any]) -> bool:
    """The first line of our JSONL: the format tag with a schema, and no documents."""
    return record.get("format") == FORMAT_TAG and "text" not in record \
        and "documents" not in record


def header_from_dict(raw: dict[str, Any], path: Path, line: int | None = None) -> ProjectHeader:
    """Check the format tag and version, and parse the schema; raises InputError."""
    if raw.get("format", FORMAT_TAG) != FORMAT_TAG:
        raise InputError(path, f"unknown format tag {raw.get('format')!r}", line=line)
    version = raw.get("version", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool):
        raise InputError(path, f"format version {version!r} is not a whole number", line=line)
    if version > FORMAT_VERSION:
        raise InputError(path, f"written by a newer version (format {version}); "
                         f"this program reads version {FORMAT_VERSION}", line=line)
    try:
        schema = parse_schema(raw["schema"], f"{path} (schema)") if "schema" in raw else None
        annotators = [json_string(name, "annotators") for name in json_list(raw, "annotators")]
    except (SchemaError, ValueError) as error:
        raise InputError(path, str(error), line=line) from error
    return ProjectHeader(schema, annotators)


def annotated_from_dict(raw: dict[str, Any], where: str) -> AnnotatedDocument:
    """One document as our JSON/JSONL holds it; raises ValueError naming the bad field."""
    document = NewDocument(
        text=json_string(raw.get("text"), "text", required=True),
        title=json_string(raw.get("title"), "title"),
        uid=json_string(raw.get("uid"), "uid"), source=json_string(raw.get("source"), "source"),
        url=json_string(raw.get("url"), "url"),
        published=json_string(raw.get("published"), "published"),
        metadata=json_object(raw, "metadata"))
    spans = []
    for index, s in enumerate(json_list(raw, "spans"), start=1):
        if not isinstance(s, dict):
            raise ValueError(f"span {index} is not an object")
        text = s.get("text")
        spans.append(SpanRecord(
            uid=json_string(s.get("uid"), "span uid"),
            annotator=json_string(s.get("annotator"), "span annotator"),
            label=json_string(s.get("label"), "span label", required=True),
            layer=json_string(s.get("layer"), "span layer"), fragments=span_fragments(s),
            attributes=json_object(s, "attributes"), note=json_string(s.get("note"), "note"),
            text=None if text is None else json_string(text, "span text"),
            created_at=json_string(s.get("created_at"), "created_at"),
            updated_at=json_string(s.get("updated_at"), "updated_at")))
    relations = []
    for index, r in enumerate(json_list(raw, "relations"), start=1):
        if not isinstance(r, dict):
            raise ValueError(f"relation {index} is not an object")
        relations.append(RelationRecord(
            uid=json_string(r.get("uid"), "relation uid"),
            annotator=json_string(r.get("annotator"), "relation annotator"),
            type=json_string(r.get("type"), "relation type", required=True),
            source=json_string(r.get("source"), "relation source", required=True),
            target=json_string(r.get("target"), "relation target", required=True),
            attributes=json_object(r, "attributes")))
    statuses = []
    for index, st in enumerate(json_list(raw, "statuses"), start=1):
        if not isinstance(st, dict):
            raise ValueError(f"status {index} is not an object")
        statuses.append(StatusRecord(
            json_string(st.get("annotator"), "status annotator", required=True),
            json_string(st.get("status"), "status", required=True),
            json_string(st.get("updated_at"), "status updated_at")))
    return AnnotatedDocument(document, spans, relations, statuses, where,
                             json_string(raw.get("added_at"), "added_at"))
