"""Reading Label Studio JSON: tasks with their annotations and predictions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from news_annotator.errors import InputError
from news_annotator.formats.common.file_text import read_utf8
from news_annotator.formats.common.interop import (
    UIDS_FIELD,
    ReadNotice,
    ReadWarning,
    SkippedAnnotation,
    apply_uid_map,
    as_offset,
    derived_uid,
    fragments_problem,
    head,
    json_values,
    records_problem,
    scalar_text,
    utf16_to_code_points,
)
from news_annotator.formats.common.records import (
    AnnotatedDocument,
    ReadOptions,
    RelationRecord,
    SpanRecord,
)
from news_annotator.formats.common.text_check import TextCheck, check_span_text
from news_annotator.model import NewDocument
from news_annotator.store.documents import content_uid

DOCUMENT_FIELDS = ("uid", "title", "url", "source", "published")
ANNOTATION_LISTS = ("annotations", "completions", "predictions")


class RecordError(Exception):
    """A task that cannot be a document; the reader turns it into an InputError."""


def sniff(path: Path) -> bool:
    """A .json file that looks like Label Studio tasks with results."""
    if path.suffix.lower() != ".json":
        return False
    start = head(path)
    return ('"news-annotator' not in start[:400] and re.search(r'"data"\s*:', start) is not None
            and re.search(r'"result"\s*:', start) is not None
            and re.search(r'"(annotations|predictions|completions)"\s*:', start) is not None)


def read(path: Path, options: ReadOptions
         ) -> Iterator[AnnotatedDocument | InputError | ReadNotice]:
    """One document per task, after a notice for each region left out or read with a
    warning; a bad task is yielded as an InputError to skip or raise."""
    tasks = []
    for line, value in json_values(path, read_utf8(path)):
        tasks += [(line, item) for item in value] if isinstance(value, list) else [(line, value)]
    if not tasks:
        raise InputError(path, "no Label Studio tasks in this file")
    for index, (line, task) in enumerate(tasks, start=1):
        notices: list[tuple[type[ReadWarning] | type[SkippedAnnotation], str]] = []
        try:
            document = to_document(task, options, f"{path} (task {index})", notices)
        except RecordError as error:
            yield InputError(path, str(error), line=line, record=str(index))
            continue
        for kind, reason in notices:
            yield kind(InputError(path, reason, line=line, record=str(index)))
        yield document


def to_document(task: Any, options: ReadOptions, where: str,
                notices: list[tuple[type[ReadWarning] | type[SkippedAnnotation], str]]
                | None = None) -> AnnotatedDocument:
    """A task as a document; regions left out (and warnings) are added to `notices`."""
    if not isinstance(task, dict):
        raise RecordError(f"expected a task object, found {type(task).__name__}")
    data = task.get("data", task)
    if not isinstance(data, dict):
        raise RecordError("'data' should be an object")
    key = _text_key(task, data, options)
    text = data.get(key)
    if not isinstance(text, str) or not text.strip():
        raise RecordError(f"no text: data field {key!r} is missing, empty or not a string")
    meta = task.get("meta") if isinstance(task.get("meta"), dict) else {}
    fields = {name: scalar_text(data.get(name, meta.get(name, ""))) for name in DOCUMENT_FIELDS}
    if "id" in options.field_map:
        fields["uid"] = scalar_text(data.get(options.field_map["id"], fields["uid"]))
    uid = fields["uid"] or content_uid(text)
    metadata = {k: v for k, v in meta.items() if k not in DOCUMENT_FIELDS and k != UIDS_FIELD}
    uid_maps = meta.get(UIDS_FIELD) if isinstance(meta.get(UIDS_FIELD), dict) else {}
    metadata.update({k: v for k, v in data.items() if k != key and k not in DOCUMENT_FIELDS
                     and data is not task})
    if "id" in task and data is not task:
        metadata["labelstudio_id"] = task["id"]
    spans: list[SpanRecord] = []
    relations: list[RelationRecord] = []
    for list_name in ANNOTATION_LISTS:
        annotations = task.get(list_name) or []
        if not isinstance(annotations, list):
            raise RecordError(f"{list_name!r} should be a list")
        for number, annotation in enumerate(annotations, start=1):
            if not isinstance(annotation, dict):
                raise RecordError(f"{list_name} {number} is not an object")
            if annotation.get("was_cancelled") is True:
                continue
            name = (_model_name(annotation) if list_name == "predictions"
                    else _annotator_name(annotation))
            ident = f"{list_name}:{scalar_text(annotation.get('id')) or number}"
            found_spans: list[SpanRecord] = []
            found_relations: list[RelationRecord] = []
            results = _Results(text, uid, name, ident, metadata)
            results.read(annotation.get("result"), found_spans, found_relations)
            if notices is not None:
                notices += results.notices()
            if list_name != "predictions":
                apply_uid_map(uid_maps.get(name), found_spans, found_relations)
            spans += found_spans
            relations += found_relations
    if problem := records_problem(spans, relations):
        raise RecordError(problem)
    document = NewDocument(text=text, uid=uid, title=fields["title"].strip(), url=fields["url"],
                           source=fields["source"], published=fields["published"],
                           metadata=metadata)
    return AnnotatedDocument(document, spans, relations, where=where)


def _text_key(task: dict[str, Any], data: dict[str, Any], options: ReadOptions) -> str:
    if options.field_map.get("text"):
        return options.field_map["text"]
    for name in ANNOTATION_LISTS:
        annotations = task.get(name)
        for annotation in annotations if isinstance(annotations, list) else []:
            results = annotation.get("result") if isinstance(annotation, dict) else None
            for result in results if isinstance(results, list) else []:
                source = result.get("source") if isinstance(result, dict) else None
                if isinstance(source, str) and source.startswith("$") \
                        and isinstance(data.get(source[1:]), str):
                    return source[1:]
    if isinstance(data.get("text"), str):
        return "text"
    strings = [k for k, v in data.items() if isinstance(v, str) and k not in DOCUMENT_FIELDS]
    return strings[0] if len(strings) == 1 else "text"


def _annotator_name(annotation: dict[str, Any]) -> str:
    by = annotation.get("completed_by")
    if isinstance(by, dict):
        name = by.get("email") or by.get("username")
        if isinstance(name, str) and name.strip():
            return name.strip()
        by = by.get("id")
    if isinstance(by, str) and by.strip():
        return by.strip()
    created = annotation.get("created_username")
    if isinstance(created, str) and created.strip(" ,"):
        return re.sub(r",\s*\d+$", "", created.strip()).strip() or created.strip()
    if isinstance(by, int) and not isinstance(by, bool):
        return f"labelstudio-user-{by}"
    return ""


def _model_name(prediction: dict[str, Any]) -> str:
    version = scalar_text(prediction.get("model_version")).strip()
    return f"model:{version}" if version else "model"


class _Results:
    """One annotation's results: regions first, then what refers to them."""

    def __init__(self, text: str, doc_uid: str, annotator: str, ident: str,
                 metadata: dict[str, Any]) -> None:
        self.text, self.doc_uid, self.annotator, self.ident = text, doc_uid, annotator, ident
        self.metadata = metadata
        self.regions: dict[str, list[SpanRecord]] = {}
        self.warnings: list[str] = []
        self.left_out: dict[str, str] = {}  # region id -> why
        self.needed_by: dict[str, list[str]] = {}

    def notices(self) -> list[tuple[type[ReadWarning] | type[SkippedAnnotation], str]]:
        found: list[tuple[type[ReadWarning] | type[SkippedAnnotation], str]] = [
            (ReadWarning, warning) for warning in self.warnings]
        for region, reason in self.left_out.items():
            needing = list(dict.fromkeys(self.needed_by.get(region, ())))
            found.append((SkippedAnnotation, reason + (
                f" ({', '.join(needing)} {'needs' if len(needing) == 1 else 'need'} it)"
                if needing else "")))
        return found

    def read(self, results: Any, spans: list[SpanRecord],
             relations: list[RelationRecord]) -> None:
        if results is None:
            return
        if not isinstance(results, list):
            raise RecordError(f"{self.ident}: 'result' should be a list")
        later = []
        for number, result in enumerate(results, start=1):
            if not isinstance(result, dict) or not isinstance(result.get("type"), str):
                raise RecordError(f"{self.ident}: result {number} is not an object with a type")
            kind = result["type"]
            if kind == "labels":
                spans += self._region(result, number)
            elif kind.endswith("labels"):
                raise RecordError(f"{self.ident}: result {number} is a {kind!r} region; only "
                                  "text 'labels' regions can be imported")
            else:
                later.append((number, result))
        for number, result in later:
            if result["type"] == "relation":
                relations += self._relations(result, number)
            else:
                self._per_region(result, number)

    def _region(self, result: dict[str, Any], number: int) -> list[SpanRecord]:
        value = result.get("value")
        if not isinstance(value, dict):
            raise RecordError(f"{self.ident}: result {number} has no value")
        start, end = as_offset(value.get("start")), as_offset(value.get("end"))
        labels = value.get("labels")
        if isinstance(labels, list):
            labels = [label.strip() if isinstance(label, str) else label for label in labels]
        if start is None or end is None or not isinstance(labels, list) or not labels \
                or not all(isinstance(label, str) and label for label in labels):
            raise RecordError(f"{self.ident}: result {number} needs whole-number start/end "
                              "and a list of labels")
        region = scalar_text(result.get("id")) or f"#{number}"
        given = value.get("text")
        if isinstance(given, str) and self.text[start:end] != given:
            subject = f"{self.ident}: result {number} ({labels[0]}) at {start}..{end}"
            (start, end), check = self._offsets_for(given, start, end)
            if not check.accepted:
                self.left_out.setdefault(region, f"{subject}: its text {check.detail}")
                return []
            if check.warning:
                self.warnings.append(f"{subject}: its text {check.detail}")
        problem = fragments_problem(((start, end),), len(self.text))
        if problem:
            raise RecordError(f"{self.ident}: result {number} ({labels[0]}): {problem}")
        note = ""
        meta = result.get("meta")
        if isinstance(meta, dict) and isinstance(meta.get("text"), list):
            note = "\n".join(str(line) for line in meta["text"])
        records = [SpanRecord(uid=derived_uid("labelstudio", self.doc_uid, self.annotator,
                                              self.ident, region, label),
                              annotator=self.annotator, label=label, fragments=((start, end),),
                              note=note) for label in labels]
        self.regions.setdefault(region, []).extend(records)
        return records

    def _offsets_for(self, given: str, start: int, end: int
                     ) -> tuple[tuple[int, int], TextCheck]:
        """The offsets that fit the stated text best: as code points or (older Label
        Studio next to emoji) as UTF-16 units; the same text beats an accepted one."""
        found = [((start, end), check_span_text(given, self.text, ((start, end),)))]
        start16, end16 = (utf16_to_code_points(self.text, start),
                          utf16_to_code_points(self.text, end))
        if start16 is not None and end16 is not None and (start16, end16) != (start, end):
            found.append(((start16, end16),
                          check_span_text(given, self.text, ((start16, end16),))))
        return min(found, key=lambda pair: (not pair[1].accepted, pair[1].warning))

    def _relations(self, result: dict[str, Any], number: int) -> list[RelationRecord]:
        ends = [scalar_text(result.get(end)) for end in ("from_id", "to_id")]
        if gone := [end for end in ends if end in self.left_out]:
            self.needed_by.setdefault(gone[0], []).append(f"relation (result {number})")
            return []
        missing = [end for end in ends if end not in self.regions]
        if missing:
            raise RecordError(f"{self.ident}: relation (result {number}) points to region "
                              f"{missing[0]!r}, which is not in this annotation")
        if result.get("direction") == "left":
            ends.reverse()
        labels = result.get("labels") or ["related"]
        if isinstance(labels, list):
            labels = [x.strip() if isinstance(x, str) else x for x in labels]
        if not isinstance(labels, list) or not all(isinstance(x, str) and x for x in labels):
            raise RecordError(f"{self.ident}: relation (result {number}) has bad labels")
        source, target = (self.regions[end][0].uid for end in ends)
        return [RelationRecord(uid="", annotator=self.annotator, type=label, source=source,
                               target=target) for label in labels]

    def _per_region(self, result: dict[str, Any], number: int) -> None:
        kind, value = result["type"], result.get("value")
        if not isinstance(value, dict):
            raise RecordError(f"{self.ident}: result {number} has no value")
        if kind == "textarea" and isinstance(value.get("text"), list):
            payload: Any = "\n".join(str(line) for line in value["text"])
        elif kind in value:
            payload = value[kind]
            if isinstance(payload, list) and len(payload) == 1 and isinstance(payload[0], str):
                payload = payload[0]
        else:
            payload = {k: v for k, v in value.items() if k not in ("start", "end", "text")}
        name = scalar_text(result.get("from_name")) or kind
        region = scalar_text(result.get("id"))
        if region in self.left_out:
            self.needed_by.setdefault(region, []).append(f"{kind} (result {number})")
        elif region in self.regions:
            for span in self.regions[region]:
                span.attributes[name] = payload
        else:
            self.metadata[name] = payload
