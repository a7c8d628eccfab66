"""Read WebAnno TSV 3.x files (one document each) into our records."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from functools import lru_cache
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
    derived_uid,
)
from news_annotator.formats.common.records import (
    AnnotatedDocument,
    ReadOptions,
    RelationRecord,
    SpanRecord,
)
from news_annotator.formats.webanno_tsv.layers import (
    TsvLayer,
    is_preprocessing,
    read_relation_layer,
    read_span_layer,
)
from news_annotator.formats.webanno_tsv.parsing import Annotation, Malformed, Parsed, parse
from news_annotator.formats.webanno_tsv.syntax import FORMAT_PREFIX, Utf16Offsets
from news_annotator.model import NewDocument

MANIFEST = "manifest.json"
MANIFEST_TAG = "news-annotator/webanno-tsv"


def sniff(path: Path) -> bool:
    """A .tsv file whose first line declares WebAnno TSV."""
    try:
        with path.open("rb") as handle:
            start = handle.read(64)
    except OSError:
        return False
    return start.removeprefix(b"\xef\xbb\xbf").startswith(
        (FORMAT_PREFIX + "WebAnno TSV").encode())


def read_folder(path: Path, options: ReadOptions
                ) -> Iterator[AnnotatedDocument | InputError | ReadNotice]:
    """Every .tsv file under a folder (subfolders too), in name order."""
    for entry in sorted(path.rglob("*.tsv")):
        if entry.is_file() and not any(part.startswith(".")
                                       for part in entry.relative_to(path).parts):
            yield from read(entry, options)


def read(path: Path, options: ReadOptions
         ) -> Iterator[AnnotatedDocument | InputError | ReadNotice]:
    """The file's document, after a notice for each annotation or layer left out; a file
    that breaks the format is yielded as an InputError naming the line."""
    try:
        parsed = parse(read_utf8(path, strip_bom=True))
    except Malformed as error:
        yield InputError(path, str(error), line=error.line)
        return
    if not parsed.text:
        yield InputError(path, "no text: the file holds no sentence")
        return
    types, entry = manifest_for(path)
    converter = _Converter(path, parsed, types, entry, options)
    spans, relations = converter.convert()
    yield from converter.notices()
    _rejoin(entry.get("discontinuous"), spans, relations)
    apply_uid_map(entry.get(UIDS_FIELD), spans, relations)
    metadata = entry.get("metadata")
    document = NewDocument(
        text=parsed.text, title=_string(entry.get("title"), path.stem),
        uid=_string(entry.get("uid"), ""), source=_string(entry.get("source"), path.name),
        url=_string(entry.get("url"), ""), published=_string(entry.get("published"), ""),
        metadata=metadata if isinstance(metadata, dict) else {"file": path.name})
    yield AnnotatedDocument(document, spans, relations, where=str(path))


class _Converter:
    """Parsed annotations into span and relation records, noting what cannot come."""

    def __init__(self, path: Path, parsed: Parsed, types: dict[str, TsvLayer],
                 entry: dict[str, Any], options: ReadOptions) -> None:
        self.path = path
        self.parsed = parsed
        self.offsets = Utf16Offsets(parsed.text)
        self.annotator = _string(entry.get("annotator"), "") or options.annotator
        self.key = _string(entry.get("uid"), "") or hashlib.sha256(
            parsed.text.encode("utf-8")).hexdigest()
        self.layers: dict[str, TsvLayer] = {}
        for layer in parsed.layers:
            reading = read_relation_layer if layer.kind == "relation" else read_span_layer
            self.layers[layer.type] = reading(layer.type, layer.features)
            ours = types.get(layer.type)
            if ours is not None and (ours.layer or layer.kind == "relation"):
                self.layers[layer.type] = ours  # our own export: the names it started from
        self.records: dict[int, SpanRecord] = {}  # by id() of the parsed annotation
        self.skipped: list[InputError] = []
        self.left_out: Counter[str] = Counter()  # layers not read, by type
        self.slots: dict[str, Counter[str]] = defaultdict(Counter)
        self.seen: Counter[str] = Counter()

    def convert(self) -> tuple[list[SpanRecord], list[RelationRecord]]:
        spans: list[SpanRecord] = []
        for annotation in self.parsed.annotations:
            if annotation.layer.kind != "relation" \
                    and (record := self._span(annotation)) is not None:
                spans.append(record)
                self.records[id(annotation)] = record
        relations = [record for annotation in self.parsed.annotations
                     if annotation.layer.kind == "relation"
                     and (record := self._relation(annotation)) is not None]
        return spans, relations + self._chain_relations()

    def _span(self, annotation: Annotation) -> SpanRecord | None:
        layer = annotation.layer
        if is_preprocessing(layer.type):
            self.left_out[layer.type] += 1
            return None
        if annotation.slot_links:
            for slot in layer.slots:
                self.slots[layer.type][slot] += annotation.slot_links
        mapping = self.layers[layer.type]
        if layer.kind == "chain":
            name = layer.type.rpartition(".")[2].removesuffix("Link").lower() or "chain"
            label = annotation.values.get("referenceType") or name.upper()
            attributes: dict[str, Any] = {}
        else:
            name = mapping.layer
            label = (annotation.values.get(mapping.label_feature or "") or "").strip() \
                or ("OTHER" if name == "entity" else mapping.short_name.upper())
            attributes = self._attributes(annotation, mapping)
        start = self.offsets.to_code_points(annotation.begin)
        end = self.offsets.to_code_points(annotation.end)
        where = f"{layer.type} {label!r} at line {annotation.line}"
        if start is None or end is None:
            self._skip(f"{where}: its offsets {annotation.begin}-{annotation.end} (UTF-16) "
                       "split a character or pass the end of the text")
            return None
        if start >= end:
            self._skip(f"{where}: a zero-length annotation (at offset {start}) cannot be "
                       "kept: a span needs at least one character")
            return None
        key = "|".join((name, label, str(start), str(end)))
        self.seen[key] += 1
        uid = derived_uid("webanno-tsv", self.key, self.annotator, key, self.seen[key])
        return SpanRecord(uid=uid, annotator=self.annotator, label=label, layer=name,
                          fragments=((start, end),), attributes=attributes)

    def _attributes(self, annotation: Annotation, mapping: TsvLayer) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for feature, value in annotation.values.items():
            if value is None or feature == mapping.label_feature:
                continue
            name = mapping.attributes.get(feature, feature)
            if feature in mapping.booleans and value in ("true", "false"):
                found[name] = value == "true"
            else:
                found[name] = value
        return found

    def _relation(self, annotation: Annotation) -> RelationRecord | None:
        layer = annotation.layer
        mapping = self.layers[layer.type]
        kind = (annotation.values.get(mapping.label_feature or "") or "").strip() \
            or mapping.short_name.lower()
        where = f"relation {kind!r} ({layer.type}) at line {annotation.line}"
        if is_preprocessing(layer.type) or is_preprocessing(layer.base_type):
            self.left_out[layer.type] += 1
            return None
        if annotation.reference is None:
            self._skip(f"{where} has no source reference in its BT_ column")
            return None
        source_unit, source_id, target_id = annotation.reference
        ends = [self._end(source_unit, source_id, layer.base_type),
                self._end(annotation.unit, target_id, layer.base_type)]
        if ends[0] is None or ends[1] is None:
            self._skip(f"{where} points to no {layer.base_type} annotation "
                       f"(source {source_unit}[{source_id}], target {annotation.unit}"
                       f"[{target_id}])")
            return None
        source, target = (self.records.get(id(end)) for end in ends)
        if source is None or target is None:
            self._skip(f"{where} needs a span that was left out")
            return None
        return RelationRecord(uid=derived_uid("webanno-tsv", kind, source.uid, target.uid),
                              annotator=self.annotator, type=kind, source=source.uid,
                              target=target.uid,
                              attributes=self._attributes(annotation, mapping))

    def _end(self, unit: str, identifier: int, base_type: str) -> Annotation | None:
        if identifier:
            return self.parsed.by_id.get(identifier)
        found = self.parsed.units.get(unit)
        stack = found.stacks.get(base_type, []) if found is not None else []
        return stack[0] if stack else None

    def _chain_relations(self) -> list[RelationRecord]:
        """A relation from each link of a chain to the next, typed by its relation."""
        chains: dict[tuple[str, int], list[Annotation]] = defaultdict(list)
        for annotation in self.parsed.annotations:
            if annotation.chain is not None and id(annotation) in self.records:
                chains[(annotation.layer.type, annotation.chain[0])].append(annotation)
        found = []
        for (tsv_type, _), links in chains.items():
            links.sort(key=lambda link: link.chain[1] if link.chain else 0)
            for before, after in zip(links, links[1:], strict=False):
                kind = before.values.get("referenceRelation") \
                    or tsv_type.rpartition(".")[2].removesuffix("Link").lower()
                source, target = self.records[id(before)], self.records[id(after)]
                found.append(RelationRecord(
                    uid=derived_uid("webanno-tsv", kind, source.uid, target.uid),
                    annotator=self.annotator, type=kind, source=source.uid,
                    target=target.uid))
        return found

    def _skip(self, reason: str) -> None:
        self.skipped.append(InputError(self.path, reason))

    def notices(self) -> Iterator[ReadNotice]:
        for problem in self.skipped:
            yield SkippedAnnotation(problem)
        for tsv_type, count in sorted(self.left_out.items()):
            yield ReadWarning(InputError(self.path, f"layer {tsv_type} ({count} annotations) "
                                         "is not read: DKPro token-level layers (parts of "
                                         "speech, lemmas, syntax) are not kept"))
        for tsv_type, slots in sorted(self.slots.items()):
            for slot, count in sorted(slots.items()):
                yield ReadWarning(InputError(
                    self.path, f"slot feature {slot!r} of {tsv_type}: {count} links left out "
                    "(slot features have no place in our model; the spans are kept)"))


def _rejoin(raw: Any, spans: list[SpanRecord], relations: list[RelationRecord]) -> None:
    """Discontinuous spans our export wrote as one annotation per part, whole again."""
    if not isinstance(raw, list):
        return
    by_part = {(s.layer, s.label, s.fragments[0]): s for s in spans}
    renamed: dict[str, str] = {}
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("fragments"), list):
            continue
        try:
            fragments = tuple((int(a), int(b)) for a, b in item["fragments"])
        except (TypeError, ValueError):
            continue
        parts = [by_part.get((item.get("layer"), item.get("label"), fragment))
                 for fragment in fragments]
        if len(parts) < 2 or any(part is None for part in parts):
            continue
        first = parts[0]
        assert first is not None
        first.fragments = fragments
        for part in parts[1:]:
            assert part is not None
            renamed[part.uid] = first.uid
            spans.remove(part)
    for relation in relations:
        relation.source = renamed.get(relation.source, relation.source)
        relation.target = renamed.get(relation.target, relation.target)


def manifest_for(path: Path) -> tuple[dict[str, TsvLayer], dict[str, Any]]:
    """The layer names and the entry our export recorded beside this file, or empties."""
    manifest = path.parent / MANIFEST
    try:
        stat = manifest.stat()
    except OSError:
        return {}, {}
    types, entries = _load_manifest(str(manifest), stat.st_mtime_ns, stat.st_size)
    return types, entries.get(path.stem, {})


@lru_cache(maxsize=8)
def _load_manifest(path: str, mtime_ns: int, size: int
                   ) -> tuple[dict[str, TsvLayer], dict[str, dict[str, Any]]]:
    try:
        raw = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}, {}
    if not isinstance(raw, dict) or raw.get("format") != MANIFEST_TAG:
        return {}, {}
    types: dict[str, TsvLayer] = {}
    raw_types = raw.get("types") if isinstance(raw.get("types"), dict) else {}
    for tsv_type, layer in raw_types.items():
        attributes = layer.get("attributes") if isinstance(layer, dict) else None
        booleans = layer.get("booleans") if isinstance(layer, dict) else None
        if not isinstance(attributes, dict) or not isinstance(booleans, list):
            continue
        label = layer.get("label")
        types[tsv_type] = TsvLayer(tsv_type, _string(layer.get("layer"), ""),
                                   label if isinstance(label, str) and label else None,
                                   {str(k): str(v) for k, v in attributes.items()},
                                   {b for b in booleans if isinstance(b, str)})
    documents = raw.get("documents") if isinstance(raw.get("documents"), list) else []
    entries = {str(entry["file"]): entry for entry in documents
               if isinstance(entry, dict) and "file" in entry}
    return types, entries


def _string(value: Any, default: str) -> str:
    return value if isinstance(value, str) else default
