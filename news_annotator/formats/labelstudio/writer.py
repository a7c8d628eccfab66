"""Writing Label Studio JSON: a task per document, an annotation per annotator, and the
labeling config that accepts them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from news_annotator.errors import InputError
from news_annotator.formats.common.interop import UIDS_FIELD, annotations_by_annotator, uid_map
from news_annotator.formats.labelstudio.reader import DOCUMENT_FIELDS
from news_annotator.model import Document, Relation, Span
from news_annotator.project import Project

Progress = Callable[[int], None]


def write(project: Project, out: Path, *, annotators: list[str] | None = None,
          document_ids: list[int] | None = None, progress: Progress | None = None) -> int:
    """A JSON list with one task per document, streamed."""
    chosen = [a for a in project.annotators.all() if annotators is None or a.name in annotators]
    count = 0
    try:
        with out.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write("[")
            for document in project.documents.iter_all(document_ids):
                results = annotations_by_annotator(project, document.id, chosen)
                handle.write(",\n" if count else "\n")
                handle.write(json.dumps(task_for(document, results), ensure_ascii=False))
                count += 1
                if progress:
                    progress(count)
            handle.write("\n]\n")
    except OSError as error:
        raise InputError(out, f"cannot write ({error.strerror})") from error
    return count


def task_for(document: Document,
             work: list[tuple[str, list[Span], list[Relation]]]) -> dict[str, Any]:
    data: dict[str, Any] = {"text": document.text}
    data.update({name: getattr(document, name) for name in DOCUMENT_FIELDS
                 if getattr(document, name)})
    task: dict[str, Any] = {"data": data, "annotations": [
        {"result": _results(document.text, spans, relations), "created_username": name,
         "was_cancelled": False, "ground_truth": False}
        for name, spans, relations in work]}
    meta = dict(document.metadata)
    if work:
        meta[UIDS_FIELD] = {name: uid_map(spans, relations) for name, spans, relations in work}
    if meta:
        task["meta"] = meta
    return task


def _results(text: str, spans: list[Span], relations: list[Relation]) -> list[dict[str, Any]]:
    results, region_of = [], {}
    for span in spans:
        for index, (start, end) in enumerate(span.fragments):
            region = span.uid if index == 0 else f"{span.uid}-{index + 1}"
            result: dict[str, Any] = {
                "id": region, "from_name": "label", "to_name": "text", "type": "labels",
                "origin": "manual", "value": {"start": start, "end": end,
                                              "text": text[start:end], "labels": [span.label]}}
            if index == 0:
                region_of[span.id] = region
                if span.note:
                    result["meta"] = {"text": [span.note]}
            results.append(result)
        start, end = span.fragments[0]
        for name, value in span.attributes.items():
            choices = _choices(value)
            if choices is not None:
                results.append({"id": region_of[span.id], "from_name": name, "to_name": "text",
                                "type": "choices", "origin": "manual",
                                "value": {"start": start, "end": end, "choices": choices}})
    for relation in relations:
        if relation.source_id in region_of and relation.target_id in region_of:
            results.append({"from_id": region_of[relation.source_id],
                            "to_id": region_of[relation.target_id], "type": "relation",
                            "direction": "right", "labels": [relation.type]})
    return results


def _choices(value: Any) -> list[str] | None:
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, (str, int, float)):
        return [str(value)]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def labeling_config(labels: list[str], relation_types: list[str]) -> str:
    """A Label Studio labeling config that accepts what `write` produces."""
    def quote(name: str) -> str:
        return name.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")

    return "\n".join(["<View>", '  <Relations>',
                      *[f'    <Relation value="{quote(r)}"/>' for r in relation_types],
                      '  </Relations>', '  <Labels name="label" toName="text">',
                      *[f'    <Label value="{quote(label)}"/>' for label in labels],
                      '  </Labels>', '  <Text name="text" value="$text"/>', "</View>"]) + "\n"
