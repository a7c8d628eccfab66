"""Write a project as a brat collection brat itself can open.

Per document NN.txt (verbatim) and NN.ann; per folder an annotation.conf and visual.conf
generated from the schema (plus the attributes actually used) and a manifest.json with
what brat cannot hold (uid, title, url, metadata, annotator). Quote frames go out as
PolNeAR-style Attribution events so they come back whole. When more than one
annotator's work is exported, each annotator gets a subfolder of their own.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from news_annotator.errors import InputError
from news_annotator.formats.brat.ann import ATTRIBUTION, MANIFEST, MANIFEST_TAG, NORMALIZATIONS
from news_annotator.formats.common.annotator_folders import annotator_folders, open_manifest
from news_annotator.formats.common.interop import FRAME_RELATIONS, QUOTE_LABELS, UIDS_FIELD, uid_map
from news_annotator.model import Annotator, Document, Relation, Span
from news_annotator.project import Project
from news_annotator.schema import Schema

Progress = Callable[[int], None]


@dataclass(slots=True)
class UsedAttributes:
    """Attribute names seen while writing, so annotation.conf declares each of them."""

    spans: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    relations: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def token(name: str) -> str:
    """A name as one brat token: brat splits its lines on whitespace."""
    return re.sub(r"\s+", "_", name.strip()) or "_"


def write(project: Project, out: Path, *, annotators: list[str] | None = None,
          document_ids: list[int] | None = None, progress: Progress | None = None) -> int:
    """Write the collection into the folder `out`; returns the number of documents."""
    if out.exists() and not out.is_dir():
        raise InputError(out, "exists and is not a folder; a brat export writes a folder")
    chosen: list[Annotator | None] = [a for a in project.annotators.all()
                                      if annotators is None or a.name in annotators]
    folders = annotator_folders(out, chosen)
    if not chosen:
        chosen = [None]
    used = UsedAttributes()
    total = len(document_ids) if document_ids is not None else project.documents.count()
    width = max(2, len(str(total)))
    count = 0
    try:
        for folder in folders.values():
            folder.mkdir(parents=True, exist_ok=True)
        with ExitStack() as stack:
            manifests = {key: open_manifest(stack, folder, MANIFEST, MANIFEST_TAG)
                         for key, folder in folders.items()}
            for document in project.documents.iter_all(document_ids):
                count += 1
                name = f"{count:0{width}d}"
                for annotator in chosen:
                    key = annotator.id if annotator else None
                    uids = _write_document(project, folders[key], name, document, annotator,
                                           used)
                    _manifest_entry(manifests[key], name, document, annotator, uids, count == 1)
                if progress:
                    progress(count)
            for handle in manifests.values():
                handle.write("\n]}\n")
        for folder in folders.values():
            (folder / "annotation.conf").write_text(annotation_conf(project.schema, used),
                                                    encoding="utf-8")
            (folder / "visual.conf").write_text(visual_conf(project.schema), encoding="utf-8")
    except OSError as error:
        raise InputError(out, f"cannot write ({error.strerror})") from error
    return count


def _manifest_entry(handle: IO[str], name: str, document: Document,
                    annotator: Annotator | None, uids: dict[str, Any], first: bool) -> None:
    entry = {"file": name, "uid": document.uid, "title": document.title,
             "source": document.source, "url": document.url, "published": document.published,
             "metadata": document.metadata, "annotator": annotator.name if annotator else "",
             UIDS_FIELD: uids}
    handle.write(("\n" if first else ",\n") + json.dumps(entry, ensure_ascii=False))


def _write_document(project: Project, folder: Path, name: str, document: Document,
                    annotator: Annotator | None, used: UsedAttributes) -> dict[str, Any]:
    """Write NN.txt and NN.ann; returns the uids to keep in the manifest."""
    (folder / f"{name}.txt").write_text(document.text, encoding="utf-8", newline="")
    spans = project.spans.for_document(document.id, annotator.id) if annotator else []
    relations = project.relations.for_document(document.id, annotator.id) if annotator else []
    lines = ann_lines(document.text, spans, relations, used)
    (folder / f"{name}.ann").write_text("".join(lines), encoding="utf-8", newline="")
    return uid_map(spans, relations)


def ann_lines(text: str, spans: list[Span], relations: list[Relation],
              used: UsedAttributes | None = None) -> list[str]:
    """The .ann lines for one document's spans and relations."""
    used = used or UsedAttributes()
    ids = {span.id: f"T{number}" for number, span in enumerate(spans, start=1)}
    by_id = {span.id: span for span in spans}
    lines = [_t_line(ids[span.id], span.label, span.fragments, text) for span in spans]
    relations = [r for r in relations if r.source_id in ids and r.target_id in ids]
    outgoing: dict[int, list[Relation]] = defaultdict(list)
    for relation in relations:
        outgoing[relation.source_id].append(relation)
    absorbed: set[int] = set()
    next_t, events = len(spans), 0
    for span in spans:
        frame = [r for r in outgoing[span.id] if r.type in FRAME_RELATIONS]
        if span.label not in QUOTE_LABELS or not frame:
            continue
        absorbed.update(r.id for r in frame)
        cues = [r for r in frame if r.type == "cue"]
        anchor = by_id[cues[0].target_id] if cues else span
        next_t, events = next_t + 1, events + 1
        lines.append(_t_line(f"T{next_t}", ATTRIBUTION, anchor.fragments, text))
        args = [f"{ATTRIBUTION}:T{next_t}", f"Content:{ids[span.id]}"]
        for role in ("Cue", "Source"):  # brat numbers repeated roles: Source, Source2…
            targets = [r.target_id for r in frame if r.type == role.lower()]
            args += [f"{role}{'' if index == 1 else index}:{ids[target]}"
                     for index, target in enumerate(targets, start=1)]
        lines.append(f"E{events}\t{' '.join(args)}\n")
    rel_ids: dict[int, str] = {}
    for relation in relations:
        if relation.id in absorbed:
            continue
        rel_ids[relation.id] = f"R{len(rel_ids) + 1}"
        lines.append(f"{rel_ids[relation.id]}\t{token(relation.type)} "
                     f"Arg1:{ids[relation.source_id]} Arg2:{ids[relation.target_id]}\t\n")
    counters = {"A": 0, "N": 0, "#": 0}

    def numbered(kind: str) -> str:
        counters[kind] += 1
        return f"{kind}{counters[kind]}"

    for span in spans:
        target = ids[span.id]
        for name, value in span.attributes.items():
            if name == NORMALIZATIONS and isinstance(value, list):
                lines += [_n_line(numbered("N"), target, item) for item in value
                          if isinstance(item, dict)]
            elif (line := _a_line(numbered, name, target, value)) is not None:
                lines.append(line)
                used.spans[token(name)].add(_value_token(value))
        lines += _note_lines(numbered, target, span.note)
    for relation in relations:
        if relation.id not in rel_ids:
            continue
        target = rel_ids[relation.id]
        for name, value in relation.attributes.items():
            if name == "note" and isinstance(value, str):
                lines += _note_lines(numbered, target, value)
            elif (line := _a_line(numbered, name, target, value)) is not None:
                lines.append(line)
                used.relations[token(name)].add(_value_token(value))
    return lines


def _t_line(ident: str, label: str, fragments: Iterable[tuple[int, int]], text: str) -> str:
    fragments = list(fragments)
    offsets = ";".join(f"{start} {end}" for start, end in fragments)
    covered = re.sub(r"[\r\n\t]", " ", " ".join(text[start:end] for start, end in fragments))
    return f"{ident}\t{token(label)} {offsets}\t{covered}\n"


def _value_token(value: Any) -> str:
    return "" if value is True else token(str(value))


def _a_line(numbered: Callable[[str], str], name: str, target: str, value: Any) -> str | None:
    if value is True:
        return f"{numbered('A')}\t{token(name)} {target}\n"
    if isinstance(value, bool) or value is None or not isinstance(value, (str, int, float)) \
            or str(value).strip() == "":
        return None
    return f"{numbered('A')}\t{token(name)} {target} {token(str(value))}\n"


def _n_line(ident: str, target: str, item: dict[str, Any]) -> str:
    text = re.sub(r"[\r\n]", " ", str(item.get("text", "")))
    return (f"{ident}\t{token(str(item.get('type', 'Reference')))} {target} "
            f"{token(str(item.get('db', '')))}:{token(str(item.get('id', '')))}\t{text}\n")


def _note_lines(numbered: Callable[[str], str], target: str, note: str) -> list[str]:
    if not note:
        return []
    lines = note.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [f"{numbered('#')}\tAnnotatorNotes {target}\t{line}\n" for line in lines]


# -- configuration ------------------------------------------------------------------


def annotation_conf(schema: Schema, used: UsedAttributes | None = None) -> str:
    """brat's annotation.conf for the schema: entities, relations, the Attribution event,
    and attributes (the schema's and any others the export wrote)."""
    used = used or UsedAttributes()
    labels = [token(label.name) for _, label in schema.all_labels()]
    quotes = "|".join(token(q) for q in QUOTE_LABELS) or "<ENTITY>"
    lines = ["# Generated by News Annotator from the project's schema.", "", "[entities]", ""]
    lines += labels
    lines += ["", "[relations]", ""]
    for kind in schema.relation_types:
        sources = "|".join(token(x) for x in kind.source_labels) or "<ENTITY>"
        targets = "|".join(token(x) for x in kind.target_labels) or "<ENTITY>"
        lines.append(f"{token(kind.name)}\tArg1:{sources}, Arg2:{targets}")
    lines.append("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>")
    lines += ["", "[events]", "",
              f"{ATTRIBUTION}\tContent:{quotes}, Cue*:CUE, Source*:<ENTITY>",
              "", "[attributes]", ""]
    declared: dict[str, tuple[list[str], set[str]]] = {}
    for layer in schema.layers:
        for attribute in layer.attributes:
            if attribute.kind == "text":
                continue
            name = token(attribute.name)
            args, values = declared.setdefault(name, ([], set()))
            args += [token(x) for x in (attribute.labels or [lb.name for lb in layer.labels])]
            values.update(token(v) for v in attribute.values)
    for name, seen in used.spans.items():
        args, values = declared.setdefault(name, (["<ENTITY>"], set()))
        values.update(v for v in seen if v)
    for name, (args, values) in declared.items():
        arg = "|".join(dict.fromkeys(args)) or "<ENTITY>"
        lines.append(f"{name}\tArg:{arg}" + (f", Value:{'|'.join(sorted(values))}"
                                              if values else ""))
    for name, seen in used.relations.items():
        values = sorted(v for v in seen if v)
        lines.append(f"{name}\tArg:<RELATION>" + (f", Value:{'|'.join(values)}"
                                                  if values else ""))
    return "\n".join(lines) + "\n"


def visual_conf(schema: Schema) -> str:
    """brat's visual.conf: our label and relation colours."""
    lines = ["# Generated by News Annotator from the project's schema.", "", "[labels]", "",
             "[drawing]", ""]
    lines += [f"{token(label.name)}\tbgColor:{label.color}" for _, label in schema.all_labels()]
    lines += [f"{token(kind.name)}\tcolor:{kind.color}" for kind in schema.relation_types]
    lines.append(f"{ATTRIBUTION}\tbgColor:#cccccc")
    return "\n".join(lines) + "\n"
