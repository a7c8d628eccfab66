"""Our own JSON: the whole project (schema, annotators, documents, spans, relations,
statuses), lossless. The writer streams one document at a time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from annotator.errors import InputError, SchemaError
from annotator.formats.records import (
    AnnotatedDocument,
    ReadOptions,
    RelationRecord,
    SpanRecord,
    StatusRecord,
)
from annotator.model import Document, NewDocument
from annotator.project import Project
from annotator.schema import Schema, parse_schema

FORMAT_TAG = "news-annotator"
FORMAT_VERSION = 1

Progress = Callable[[int], None]


@dataclass(slots=True)
class ProjectFile:
    """What our JSON holds besides its documents."""

    schema: Schema | None
    annotators: list[str]
    documents: list[AnnotatedDocument] = field(default_factory=list)


# -- writing ------------------------------------------------------------------------


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


def write(project: Project, out: Path, *, annotators: list[str] | None = None,
          document_ids: list[int] | None = None, progress: Progress | None = None) -> int:
    """Write the project as one JSON object; returns the number of documents written."""
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        return write_to(project, handle, annotators=annotators, document_ids=document_ids,
                        progress=progress)


def write_to(project: Project, handle: IO[str], *, annotators: list[str] | None = None,
             document_ids: list[int] | None = None, progress: Progress | None = None) -> int:
    everyone = project.annotators.all()
    chosen = [a for a in everyone if annotators is None or a.name in annotators]
    names = {a.id: a.name for a in everyone}
    wanted = {a.id for a in chosen} if annotators is not None else None
    header = {"format": FORMAT_TAG, "version": FORMAT_VERSION, "project": project.info(),
              "schema": project.schema.to_dict(), "annotators": [a.name for a in chosen]}
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


# -- reading ------------------------------------------------------------------------


def is_native_document(record: dict[str, Any]) -> bool:
    return isinstance(record.get("text"), str) and isinstance(record.get("spans"), list)


def annotated_from_dict(raw: dict[str, Any], where: str) -> AnnotatedDocument:
    """One document as our JSON/JSONL holds it; raises KeyError/TypeError/ValueError."""
    document = NewDocument(
        text=raw["text"], title=str(raw.get("title", "")), uid=str(raw.get("uid", "")),
        source=str(raw.get("source", "")), url=str(raw.get("url", "")),
        published=str(raw.get("published", "")), metadata=dict(raw.get("metadata") or {}))
    spans = []
    for s in raw.get("spans", []):
        fragments = s.get("fragments") or [[s["start"], s["end"]]]
        spans.append(SpanRecord(
            uid=str(s.get("uid", "")), annotator=str(s.get("annotator", "")),
            label=str(s["label"]), layer=str(s.get("layer", "")),
            fragments=tuple((int(a), int(b)) for a, b in fragments),
            attributes=dict(s.get("attributes") or {}), note=str(s.get("note", "")),
            text=s.get("text"), created_at=str(s.get("created_at", "")),
            updated_at=str(s.get("updated_at", ""))))
    relations = [RelationRecord(uid=str(r.get("uid", "")), annotator=str(r.get("annotator", "")),
                                type=str(r["type"]), source=str(r["source"]),
                                target=str(r["target"]),
                                attributes=dict(r.get("attributes") or {}))
                 for r in raw.get("relations", [])]
    statuses = [StatusRecord(str(st["annotator"]), str(st["status"]),
                             str(st.get("updated_at", "")))
                for st in raw.get("statuses", [])]
    return AnnotatedDocument(document, spans, relations, statuses, where)


def read_project_file(path: Path) -> ProjectFile:
    try:
        raw = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as error:
        raise InputError(path, f"cannot read ({error.strerror})") from error
    except UnicodeDecodeError as error:
        raise InputError(path, f"not valid UTF-8 (offset {error.start})") from error
    except json.JSONDecodeError as error:
        raise InputError(path, f"not valid JSON ({error.msg}, column {error.colno})",
                         line=error.lineno) from error
    if isinstance(raw, list):  # a bare list of documents
        raw = {"documents": raw}
    if not isinstance(raw, dict) or not isinstance(raw.get("documents"), list):
        raise InputError(path, "expected our project JSON: an object with a 'documents' list")
    if raw.get("format", FORMAT_TAG) != FORMAT_TAG:
        raise InputError(path, f"unknown format tag {raw.get('format')!r}")
    if int(raw.get("version", FORMAT_VERSION)) > FORMAT_VERSION:
        raise InputError(path, f"written by a newer version (format {raw['version']}); "
                         f"this program reads version {FORMAT_VERSION}")
    try:
        schema = parse_schema(raw["schema"], f"{path} (schema)") if "schema" in raw else None
    except SchemaError as error:
        raise InputError(path, str(error)) from error
    result = ProjectFile(schema, [str(a) for a in raw.get("annotators", [])])
    for index, item in enumerate(raw["documents"], start=1):
        if not isinstance(item, dict):
            raise InputError(path, "expected a document object", record=str(index))
        try:
            result.documents.append(annotated_from_dict(item, f"{path} (document {index})"))
        except (KeyError, TypeError, ValueError) as error:
            raise InputError(path, f"bad document ({type(error).__name__}: {error})",
                             record=str(index)) from error
    return result


def read(path: Path, options: ReadOptions) -> Iterator[AnnotatedDocument]:
    return iter(read_project_file(path).documents)
