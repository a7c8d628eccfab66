"""Reading brat: a .ann with its .txt (or a .txt alone), a folder of them, and the
manifest.json our export leaves beside them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from news_annotator.errors import InputError
from news_annotator.formats.brat.ann import (
    ATTRIBUTION,
    MANIFEST,
    MANIFEST_TAG,
    NORMALIZATIONS,
    Annotation,
    Event,
    parse_ann,
)
from news_annotator.formats.common.file_text import read_utf8
from news_annotator.formats.common.interop import (
    QUOTE_LABELS,
    UIDS_FIELD,
    ReadNotice,
    ReadWarning,
    SkippedAnnotation,
    apply_uid_map,
    derived_uid,
)
from news_annotator.formats.common.records import (
    AnnotatedDocument,
    ReadOptions,
    RelationRecord,
    SpanRecord,
)
from news_annotator.model import NewDocument
from news_annotator.store.documents import content_uid

CUE_LABEL = "CUE"
UNTYPED_SOURCE = "OTHER"
QUOTE_TYPE_ATTRIBUTES = ("quotetype", "quote_type", "type")
QUOTATION_MARKS = "\"“”„‟«»"
TEXT_FOLDER = "text"  # PolNeAR: text/NAME.txt beside attributions/NAME_ANNOTATOR.ann
_FRAME_ROLE = re.compile(r"^(content|cue|source)\d*$", re.IGNORECASE)


def read(path: Path, options: ReadOptions
         ) -> Iterator[AnnotatedDocument | InputError | ReadNotice]:
    """One document from a .ann and its .txt (or a .txt with no .ann); before it, a notice
    for each annotation left out and each text field accepted with a warning."""
    ann_path = path.with_suffix(".ann")
    txt_path, named = text_for(ann_path) if path.suffix.lower() == ".ann" \
        else (path.with_suffix(".txt"), "")
    if not txt_path.is_file():
        raise InputError(path, f"no text file {txt_path.name} beside it (brat keeps each "
                         "document's text in a .txt of the same name)")
    text = read_utf8(txt_path)  # verbatim: brat offsets count every character, \r included
    ann_text = read_utf8(ann_path).lstrip("\ufeff") if ann_path.is_file() else ""
    entry = manifest_entry(ann_path)
    annotator = str(entry.get("annotator") or named or options.annotator)
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
    parsed = parse_ann(ann_text, text)
    spans, relations = to_records(parsed, text, uid, annotator)
    apply_uid_map(entry.get(UIDS_FIELD), spans, relations)
    yield from notices(ann_path, parsed)
    yield AnnotatedDocument(document, spans, relations, where=str(ann_path))


def text_for(ann_path: Path) -> tuple[Path, str]:
    """The .txt a .ann annotates, and the annotator its name gives ('' when none): NAME.txt
    beside it, else PolNeAR's layout, `attributions/NAME_ANNOTATOR.ann` with
    `text/NAME.txt` (NAME.txt beside it, or in a `text` folder next to its folder)."""
    beside = ann_path.with_suffix(".txt")
    if beside.is_file():
        return beside, ""
    base, _, annotator = ann_path.stem.rpartition("_")
    for folder in (ann_path.parent, ann_path.parent.parent / TEXT_FOLDER):
        for name, named in ((ann_path.stem, ""), (base, annotator)):
            if name and (folder / f"{name}.txt").is_file():
                return folder / f"{name}.txt", named
    return beside, ""


def read_folder(path: Path, options: ReadOptions
                ) -> Iterator[AnnotatedDocument | InputError | ReadNotice]:
    """A brat collection: every .ann with its .txt, and every .txt that no .ann annotates."""
    files = [file for file in sorted(path.rglob("*")) if file.is_file()
             and not any(part.startswith(".") for part in file.relative_to(path).parts)]
    annotated = {text_for(file)[0] for file in files if file.suffix.lower() == ".ann"}
    for file in files:
        suffix = file.suffix.lower()
        if suffix == ".ann" or (suffix == ".txt" and file not in annotated
                                and not file.with_suffix(".ann").exists()):
            yield from read(file, options)


def notices(ann_path: Path, ann: Annotation) -> Iterator[ReadNotice]:
    """Warnings and left-out annotations in line order, each naming what needed it."""
    found: list[tuple[int, ReadNotice]] = [
        (line, ReadWarning(InputError(ann_path, reason, line=line)))
        for line, reason in ann.warnings]
    for key, (line, reason) in ann.left_out.items():
        needing = list(dict.fromkeys(ann.needed_by.get(key, ())))
        if needing:
            reason += f" ({', '.join(needing)} {'needs' if len(needing) == 1 else 'need'} it)"
        found.append((line, SkippedAnnotation(InputError(ann_path, reason, line=line))))
    for _, notice in sorted(found, key=lambda pair: pair[0]):
        yield notice


# -- brat annotations -> our records ----------------------------------------------


class _Missing(Exception):
    """A reference that leads to a line left out (`root`), or to nothing (`reason`)."""

    def __init__(self, root: str = "", reason: str = "") -> None:
        super().__init__(root or reason)
        self.root, self.reason = root, reason


def to_records(ann: Annotation, text: str, doc_uid: str,
               annotator: str) -> tuple[list[SpanRecord], list[RelationRecord]]:
    """Spans and relations (quote frames mapped) for one parsed .ann. Whatever needs a line
    that was left out is left out too (and noted in `ann.needed_by`); a line that refers to
    an id the file does not define is left out itself."""
    _leave_out_dangling(ann)
    frames = {e.id: e for e in ann.events.values() if _is_attribution(ann, e)}
    referenced = {ref for e in ann.events.values() for _, ref in e.args}
    referenced |= {e.trigger for e in ann.events.values() if e.id not in frames}
    referenced |= {ref for link in ann.links for ref in (link.source, link.target)}
    skipped = {e.trigger: e.id for e in frames.values() if e.trigger not in referenced}
    gone: dict[str, str] = {}  # an id left out because it needed a line left out -> that line

    def main(ref: str, depth: int = 0) -> str:
        """The T that stands for an id: itself, an event's trigger, or a frame's content."""
        if depth > len(ann.events) + 1:
            raise _Missing(reason=f"events refer to each other in a cycle at {ref}")
        if ref in ann.left_out or ref in gone:
            raise _Missing(root=gone.get(ref, ref))
        if ref in ann.textbounds and ref not in skipped:
            return ref
        event = ann.events.get(skipped.get(ref, ref))
        if event is None:
            raise _Missing(reason=f"{ref} is not defined in this file (dangling reference)")
        target = _content(event) if event.id in frames else event.trigger
        return main(target, depth + 1)

    def use(ref: str, owner: str, line: int) -> str | None:
        """`main(ref)`, or None when it is gone (the owner then goes with it)."""
        try:
            return main(ref)
        except _Missing as missing:
            if missing.root:
                ann.needed_by.setdefault(missing.root, []).append(owner)
                gone.setdefault(owner, missing.root)
            else:
                ann.left_out.setdefault(owner, (line, f"{owner}: {missing.reason}"))
            return None

    for event in list(ann.events.values()):  # an event caught in a cycle is left out
        use(event.id, event.id, event.line)
    labels = {t.id: t.label for t in ann.textbounds.values()}
    consumed: set[int] = set()
    for event in frames.values():
        if event.id in ann.left_out:
            continue
        content = use(_content(event), event.id, event.line)
        if content is not None:
            labels[content] = _quote_label(ann, event, content, labels[content], text,
                                           consumed)
        for role, ref in event.args:
            kind = _FRAME_ROLE.match(role)
            if kind and kind.group(1).lower() in ("cue", "source"):
                found = use(ref, event.id, event.line)
                if found is None:
                    continue
                if kind.group(1).lower() == "cue":
                    labels[found] = CUE_LABEL
                elif labels[found].lower() == "source":
                    labels[found] = UNTYPED_SOURCE

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

    def relate(owner: str, kind: str, source: str, target: str, line: int
               ) -> RelationRecord | None:
        ends = [use(source, owner, line), use(target, owner, line)]
        if ends[0] is None or ends[1] is None:
            return None
        record = RelationRecord(uid="", annotator=annotator, type=kind,
                                source=uids[ends[0]], target=uids[ends[1]])
        relations.append(record)
        return record

    for link in ann.links:
        if (made := relate(link.id, link.type, link.source, link.target, link.line)):
            by_link[link.id] = made
    for event in ann.events.values():
        if event.id in ann.left_out or event.id in gone:
            continue
        head = _content(event) if event.id in frames else event.trigger
        for role, ref in event.args:
            kind = _FRAME_ROLE.match(role) if event.id in frames else None
            if kind and kind.group(1).lower() == "content":
                continue
            relate(event.id, kind.group(1).lower() if kind else role, head, ref, event.line)

    for index, attribute in enumerate(ann.attributes):
        if index in consumed:
            continue
        if attribute.target in by_link:
            by_link[attribute.target].attributes[attribute.name] = attribute.value
        elif (found := use(attribute.target, attribute.id, attribute.line)) is not None:
            spans[found].attributes[attribute.name] = attribute.value
    for target, note, line, ident in ann.notes:
        if target in by_link:
            previous = by_link[target].attributes.get("note")
            by_link[target].attributes["note"] = note if previous is None else \
                f"{previous}\n{note}"
        elif (found := use(target, ident, line)) is not None:
            span = spans[found]
            span.note = note if not span.note else f"{span.note}\n{note}"
    for target, normalization, line, ident in ann.normalizations:
        if (found := use(target, ident, line)) is not None:
            spans[found].attributes.setdefault(NORMALIZATIONS, []).append(normalization)
    return list(spans.values()), relations


def _leave_out_dangling(ann: Annotation) -> None:
    """R and E lines that name an id the file never defines are left out before anything
    is built, so what refers to them goes too."""
    defined = set(ann.textbounds) | set(ann.events) | set(ann.left_out)
    defined |= {link.id for link in ann.links}
    for event in list(ann.events.values()):
        if missing := [ref for ref in (event.trigger, *(ref for _, ref in event.args))
                       if ref not in defined]:
            ann.left_out[event.id] = (event.line, f"{event.id}: {missing[0]} is not defined "
                                      "in this file (dangling reference)")
            del ann.events[event.id]
    kept = []
    for link in ann.links:
        missing = [ref for ref in (link.source, link.target) if ref not in defined]
        if missing:
            key, owner = (link.id, f"{link.id}: ") if link.id != "*" else \
                (f"line {link.line}", "")
            ann.left_out.setdefault(key, (link.line, f"{owner}{missing[0]} is not defined in "
                                          "this file (dangling reference)"))
        else:
            kept.append(link)
    ann.links[:] = kept


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
    for index, attribute in enumerate(ann.attributes):
        value = attribute.value
        if attribute.target in (event.id, content) \
                and attribute.name.lower() in QUOTE_TYPE_ATTRIBUTES \
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
