"""brat standoff: each document is a .txt with a .ann of the same name beside it.

Reading keeps every line type brat writes:
- T text-bound spans, discontinuous ones (`T1 Label 0 5;10 15`) as fragments; each T's
  text must equal the .txt at its offsets (fragments joined by a space, as brat does).
- R relations (Arg1 → Arg2) and `*` equivalences (a chain of relations of that type).
- E events. PolNeAR-style attributions (`E1 Attribution:T4 Content:T3 Cue:T2 Source:T1`,
  also `Attribution-no-source`) become our quote frame: the content a DIRECT, INDIRECT or
  MIXED span (from the T's label when it is one of those, else from a `QuoteType`/`Type`
  attribute, else guessed from its quotation marks), the cue a CUE span, a PolNeAR
  `Source` span an OTHER entity, and `source`/`cue` relations from the quote; the trigger
  T is not kept (export rebuilds it on the cue). Any other event becomes its trigger span
  plus one relation per argument, named by the role (`Org-Arg2`), so unknown event types
  need --add-labels like any unknown label.
- A/M attributes onto span (or relation) attributes, binary ones as `true`; N
  normalizations into the span attribute `brat_normalizations`; # notes onto the span
  note (one line per # line; a relation's note goes to its attribute `note`).
brat labels are used as they are; the schema says which layer a label belongs to.

brat cannot carry document metadata: our export writes it to a `manifest.json` beside the
files (brat ignores it; this reader uses it). What brat cannot carry at all: values of
attributes that are lists or objects, `false` attributes (absent in brat), whitespace
inside attribute values and labels (written as `_`), span text snapshots, timestamps.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from annotator.errors import InputError
from annotator.formats.interop import (
    QUOTE_LABELS,
    UIDS_FIELD,
    apply_uid_map,
    derived_uid,
    fragments_problem,
    name_problem,
)
from annotator.formats.records import AnnotatedDocument, ReadOptions, RelationRecord, SpanRecord
from annotator.formats.text_files import read_utf8
from annotator.model import Fragment, NewDocument
from annotator.store.documents import content_uid

NORMALIZATIONS = "brat_normalizations"
ATTRIBUTION = "Attribution"
MANIFEST = "manifest.json"
MANIFEST_TAG = "news-annotator/brat"
CUE_LABEL = "CUE"
UNTYPED_SOURCE = "OTHER"
QUOTE_TYPE_ATTRIBUTES = ("quotetype", "quote_type", "type")
QUOTATION_MARKS = "\"“”„‟«»"
_FRAME_ROLE = re.compile(r"^(content|cue|source)\d*$", re.IGNORECASE)


@dataclass(slots=True)
class TextBound:
    id: str
    label: str
    fragments: tuple[Fragment, ...]
    line: int


@dataclass(slots=True)
class Event:
    id: str
    type: str
    trigger: str
    args: list[tuple[str, str]]
    line: int


@dataclass(slots=True)
class Link:
    """An R relation or one step of a `*` equivalence chain."""

    id: str
    type: str
    source: str
    target: str
    line: int


@dataclass(slots=True)
class Annotation:
    """What one .ann holds, in file order, with the line each thing came from."""

    textbounds: dict[str, TextBound] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    attributes: list[tuple[str, str, Any, int]] = field(default_factory=list)
    notes: list[tuple[str, str, int]] = field(default_factory=list)
    normalizations: list[tuple[str, dict[str, str], int]] = field(default_factory=list)


# -- reading ------------------------------------------------------------------------


def read(path: Path, options: ReadOptions) -> Iterator[AnnotatedDocument | InputError]:
    """One document from a .ann and the .txt beside it (or a .txt with no .ann)."""
    ann_path, txt_path = path.with_suffix(".ann"), path.with_suffix(".txt")
    if not txt_path.is_file():
        raise InputError(path, f"no text file {txt_path.name} beside it (brat keeps each "
                         "document's text in a .txt of the same name)")
    text = read_utf8(txt_path)  # verbatim: brat offsets count every character, \r included
    ann_text = read_utf8(ann_path).lstrip("\ufeff") if ann_path.is_file() else ""
    entry = manifest_entry(ann_path)
    annotator = str(entry.get("annotator") or options.annotator)
    if not text.strip():
        yield InputError(txt_path, "empty file: no article text")
        return
    uid = str(entry.get("uid") or content_uid(text))
    metadata = entry.get("metadata") if isinstance(entry.get("metadata"), dict) else None
    title = next((line.strip() for line in text.splitlines() if line.strip()), path.stem)
    document = NewDocument(
        text=text, uid=uid, title=str(entry.get("title", title[:300])),
        source=str(entry.get("source", txt_path.name)), url=str(entry.get("url", "")),
        published=str(entry.get("published", "")),
        metadata=metadata if metadata is not None else {"file": txt_path.name})
    try:
        parsed = parse_ann(ann_path, ann_text, text)
        spans, relations = to_records(ann_path, parsed, text, uid, annotator)
        apply_uid_map(entry.get(UIDS_FIELD), spans, relations)
    except InputError as error:
        yield error
        return
    yield AnnotatedDocument(document, spans, relations, where=str(ann_path))


def read_folder(path: Path, options: ReadOptions) -> Iterator[AnnotatedDocument | InputError]:
    """A brat collection: every .ann with its .txt, and every .txt that has no .ann."""
    for file in sorted(path.rglob("*")):
        hidden = any(part.startswith(".") for part in file.relative_to(path).parts)
        if hidden or not file.is_file():
            continue
        suffix = file.suffix.lower()
        if suffix == ".ann" or (suffix == ".txt" and not file.with_suffix(".ann").exists()):
            yield from read(file, options)


def parse_ann(path: Path, ann_text: str, text: str) -> Annotation:
    """Every line of a .ann, checked against the text; the first problem is an InputError."""
    parsed, seen = Annotation(), set()
    for number, raw in enumerate(ann_text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        fields = line.split("\t")
        ident, kind = fields[0].strip(), fields[0][:1]
        body = fields[1].split() if len(fields) > 1 else []

        def fail(reason: str, number: int = number) -> InputError:
            return InputError(path, reason, line=number)

        if kind not in "TREAMN#*" or not ident:
            raise fail(f"unknown annotation line {line[:40]!r} (brat lines start with T, R, E, "
                       "A, M, N, # or *)")
        if kind not in "#*":
            if ident in seen:
                raise fail(f"id {ident} is used twice")
            seen.add(ident)
        if not body:
            raise fail(f"{ident} has no annotation after its id (fields are tab-separated)")
        for name in [body[0].rpartition(":")[0] or body[0]] if kind in "TRE*" else []:
            if problem := name_problem(name, "relation type" if kind in "R*" else "label"):
                raise fail(problem)
        if kind == "T":
            parsed.textbounds[ident] = _text_bound(ident, fields, text, fail, number)
        elif kind == "R":
            args = [_role_arg(arg, fail) for arg in body[1:]]
            if len(args) != 2:
                raise fail(f"relation {ident} needs exactly two arguments (Arg1:… Arg2:…)")
            if [role for role, _ in args] == ["Arg2", "Arg1"]:
                args.reverse()
            parsed.links.append(Link(ident, body[0], args[0][1], args[1][1], number))
        elif kind == "E":
            event_type, trigger = _role_arg(body[0], fail)
            args = [_role_arg(arg, fail) for arg in body[1:]]
            for role, _ in args:
                if problem := name_problem(role, "event role"):
                    raise fail(problem)
            parsed.events[ident] = Event(ident, event_type, trigger, args, number)
        elif kind in "AM":
            if len(body) not in (2, 3):
                raise fail(f"attribute {ident} needs a name, a target and at most one value")
            parsed.attributes.append((body[1], body[0], body[2] if len(body) == 3 else True,
                                      number))
        elif kind == "N":
            if len(body) != 3 or ":" not in body[2]:
                raise fail(f"normalization {ident} needs a type, a target and DB:ID")
            database, _, key = body[2].partition(":")
            parsed.normalizations.append((body[1], {
                "type": body[0], "db": database, "id": key,
                "text": "\t".join(fields[2:])}, number))
        elif kind == "#":
            if len(body) < 2:
                raise fail(f"note {ident} needs a type and a target")
            parsed.notes.append((body[1], "\t".join(fields[2:]), number))
        else:
            members = body[1:]
            if len(members) < 2:
                raise fail("an equivalence needs at least two members")
            parsed.links.extend(Link("*", body[0], a, b, number)
                                for a, b in zip(members, members[1:], strict=False))
    return parsed


def _text_bound(ident: str, fields: list[str], text: str, fail, number: int) -> TextBound:
    parts = fields[1].split(None, 1)  # any whitespace: a stray \r must not join the label
    label, offsets = (parts[0], parts[1]) if len(parts) == 2 else ((parts or [""])[0], "")
    fragments = []
    for part in offsets.split(";"):
        bounds = part.split()
        if len(bounds) != 2 or not all(b.isascii() and b.isdigit() for b in bounds):
            raise fail(f"{ident}: bad offsets {offsets!r} (expected 'start end' pairs "
                       "separated by ';')")
        fragments.append((int(bounds[0]), int(bounds[1])))
    in_file_order = tuple(fragments)
    fragments.sort()
    problem = fragments_problem(tuple(fragments), len(text))
    if problem:
        raise fail(f"{ident} ({label}): {problem}")
    if len(fields) > 2:
        given = "\t".join(fields[2:])
        actual = " ".join(text[start:end] for start, end in in_file_order)
        if given != actual and _flat(given) != _flat(actual):
            raise fail(f"{ident} ({label}) says {given[:40]!r} but the text at "
                       f"{offsets} is {actual[:40]!r}")
    return TextBound(ident, label, tuple(fragments), number)


def _flat(text: str) -> str:
    """Text as a .ann line can hold it: line breaks and tabs as spaces, no trailing space."""
    return re.sub(r"[\r\n\t]", " ", text).rstrip(" ")


def _split_role(arg: str) -> tuple[str, str]:
    role, _, ref = arg.rpartition(":")
    return role, ref


def _role_arg(arg: str, fail) -> tuple[str, str]:
    role, ref = _split_role(arg)
    if not role or not ref:
        raise fail(f"bad argument {arg!r} (expected Role:ID)")
    return role, ref


# -- brat annotations -> our records ----------------------------------------------


def to_records(path: Path, ann: Annotation, text: str, doc_uid: str,
               annotator: str) -> tuple[list[SpanRecord], list[RelationRecord]]:
    """Spans and relations (quote frames mapped) for one parsed .ann."""
    frames = {e.id: e for e in ann.events.values() if _is_attribution(ann, e)}
    referenced = {ref for e in ann.events.values() for _, ref in e.args}
    referenced |= {e.trigger for e in ann.events.values() if e.id not in frames}
    referenced |= {ref for link in ann.links for ref in (link.source, link.target)}
    skipped = {e.trigger: e.id for e in frames.values() if e.trigger not in referenced}

    def main(ref: str, line: int, depth: int = 0) -> str:
        """The T that stands for an id: itself, an event's trigger, or a frame's content."""
        if depth > len(ann.events) + 1:
            raise InputError(path, f"events refer to each other in a cycle at {ref}", line=line)
        if ref in ann.textbounds and ref not in skipped:
            return ref
        event = ann.events.get(skipped.get(ref, ref))
        if event is None:
            raise InputError(path, f"{ref} is not defined in this file (dangling reference)",
                             line=line)
        target = _content(event) if event.id in frames else event.trigger
        return main(target, line, depth + 1)

    labels = {t.id: t.label for t in ann.textbounds.values()}
    consumed: set[int] = set()
    for event in frames.values():
        content = main(_content(event), event.line)
        labels[content] = _quote_label(ann, event, content, labels[content], text, consumed)
        for role, ref in event.args:
            kind = _FRAME_ROLE.match(role)
            if kind and kind.group(1).lower() == "cue":
                labels[main(ref, event.line)] = CUE_LABEL
            elif kind and kind.group(1).lower() == "source":
                source = main(ref, event.line)
                if labels[source].lower() == "source":
                    labels[source] = UNTYPED_SOURCE

    uids: dict[str, str] = {}
    spans: dict[str, SpanRecord] = {}
    for t in ann.textbounds.values():
        if t.id in skipped:
            continue
        uid = derived_uid("brat", doc_uid, annotator, labels[t.id], t.fragments)
        uids[t.id] = uid
        spans[t.id] = SpanRecord(uid=uid, annotator=annotator, label=labels[t.id],
                                 fragments=t.fragments)

    relations: list[RelationRecord] = []
    by_link: dict[str, RelationRecord] = {}

    def relate(kind: str, source: str, target: str, line: int) -> RelationRecord:
        record = RelationRecord(uid="", annotator=annotator, type=kind,
                                source=uids[main(source, line)], target=uids[main(target, line)])
        relations.append(record)
        return record

    for link in ann.links:
        by_link[link.id] = relate(link.type, link.source, link.target, link.line)
    for event in ann.events.values():
        head = _content(event) if event.id in frames else event.trigger
        for role, ref in event.args:
            kind = _FRAME_ROLE.match(role) if event.id in frames else None
            if kind and kind.group(1).lower() == "content":
                continue
            relate(kind.group(1).lower() if kind else role, head, ref, event.line)

    for index, (target, name, value, line) in enumerate(ann.attributes):
        if index in consumed:
            continue
        if target in by_link:
            by_link[target].attributes[name] = value
        else:
            spans[main(target, line)].attributes[name] = value
    for target, note, line in ann.notes:
        if target in by_link:
            previous = by_link[target].attributes.get("note")
            by_link[target].attributes["note"] = note if previous is None else \
                f"{previous}\n{note}"
        else:
            span = spans[main(target, line)]
            span.note = note if not span.note else f"{span.note}\n{note}"
    for target, normalization, line in ann.normalizations:
        spans[main(target, line)].attributes.setdefault(NORMALIZATIONS, []).append(normalization)
    return list(spans.values()), relations


def _is_attribution(ann: Annotation, event: Event) -> bool:
    return event.type.lower().startswith(ATTRIBUTION.lower()) and any(
        (m := _FRAME_ROLE.match(role)) and m.group(1).lower() == "content"
        for role, _ in event.args)


def _content(event: Event) -> str:
    return next(ref for role, ref in event.args
                if (m := _FRAME_ROLE.match(role)) and m.group(1).lower() == "content")


def _quote_label(ann: Annotation, event: Event, content: str, label: str, text: str,
                 consumed: set[int]) -> str:
    """DIRECT, INDIRECT or MIXED: the T's own label, a quote-type attribute, or a guess."""
    found = None
    for index, (target, name, value, _) in enumerate(ann.attributes):
        if target in (event.id, content) and name.lower() in QUOTE_TYPE_ATTRIBUTES \
                and isinstance(value, str) and value.upper() in QUOTE_LABELS:
            consumed.add(index)
            found = found or value.upper()
    if label in QUOTE_LABELS:
        return label
    if found:
        return found
    parts = [text[start:end] for start, end in ann.textbounds[content].fragments]
    return guess_quote_label(parts)


def guess_quote_label(parts: list[str]) -> str:
    """DIRECT when every part sits inside quotation marks, MIXED when some marks appear,
    INDIRECT otherwise (PolNeAR does not type its quotes)."""
    def enclosed(part: str) -> bool:
        core = part.strip().rstrip(".,;:!?")
        return len(core) >= 2 and core[0] in QUOTATION_MARKS and core[-1] in QUOTATION_MARKS

    if all(enclosed(part) for part in parts):
        return "DIRECT"
    if any(mark in part for part in parts for mark in QUOTATION_MARKS):
        return "MIXED"
    return "INDIRECT"


# -- the manifest our export writes beside the files --------------------------------


def manifest_entry(ann_path: Path) -> dict[str, Any]:
    """What our export recorded about this document (uid, title, annotator…), or {}."""
    manifest = ann_path.parent / MANIFEST
    try:
        stat = manifest.stat()
    except OSError:
        return {}
    return _load_manifest(str(manifest), stat.st_mtime_ns, stat.st_size).get(ann_path.stem, {})


@lru_cache(maxsize=8)
def _load_manifest(path: str, mtime_ns: int, size: int) -> dict[str, dict[str, Any]]:
    try:
        raw = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(raw, dict) or raw.get("format") != MANIFEST_TAG \
            or not isinstance(raw.get("documents"), list):
        return {}
    return {str(entry["file"]): entry for entry in raw["documents"]
            if isinstance(entry, dict) and "file" in entry}


def write(project, out: Path, *, annotators: list[str] | None = None,
          document_ids: list[int] | None = None, progress=None) -> int:
    """A brat collection (see annotator.formats.brat_writer)."""
    from annotator.formats.brat_writer import write_collection

    return write_collection(project, out, annotators=annotators, document_ids=document_ids,
                            progress=progress)
