"""Write a project as WebAnno TSV 3.3 files INCEpTION imports: NN.tsv per document, one
annotator's work per file (a subfolder per annotator when there are several), and a
manifest.json with what TSV cannot hold (uids, title, metadata, layer names)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from news_annotator.errors import InputError
from news_annotator.formats.common.annotator_folders import annotator_folders, open_manifest
from news_annotator.formats.common.interop import UIDS_FIELD, uid_map
from news_annotator.formats.webanno_tsv.document_tsv import Written, document_tsv
from news_annotator.formats.webanno_tsv.layers import (
    TsvLayer,
    java_name,
    relation_layer_for,
    span_layer_for,
    unique,
)
from news_annotator.formats.webanno_tsv.reader import MANIFEST, MANIFEST_TAG
from news_annotator.model import Annotator, Document, Relation, Span
from news_annotator.project import Project
from news_annotator.schema import Schema

Progress = Callable[[int], None]
log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Layers:
    """Our layers' TSV layers, growing a feature when an undeclared attribute shows up."""

    spans: dict[str, TsvLayer]
    relation: TsvLayer
    taken: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, schema: Schema) -> _Layers:
        taken: set[str] = set()
        spans = {layer.name: span_layer_for(
            layer.name, [a.name for a in layer.attributes],
            {a.name for a in layer.attributes if a.kind == "boolean"}, taken)
            for layer in schema.layers}
        return cls(spans, relation_layer_for([], set()), taken)

    def cover(self, spans: list[Span], relations: list[Relation]) -> None:
        for span in spans:
            if span.layer not in self.spans:
                self.spans[span.layer] = span_layer_for(span.layer, [], set(), self.taken)
            _add_attributes(self.spans[span.layer], span.attributes)
        for relation in relations:
            _add_attributes(self.relation, relation.attributes)

    def manifest(self) -> dict[str, dict[str, object]]:
        return {layer.type: {"layer": layer.layer, "label": layer.label_feature,
                             "attributes": layer.attributes,
                             "booleans": sorted(layer.booleans)}
                for layer in [*self.spans.values(), self.relation]}


def _add_attributes(layer: TsvLayer, attributes: dict[str, object]) -> None:
    known = set(layer.attributes.values())
    used = set(layer.attributes) | {"begin", "end", "sofa", "label", "value", "identifier",
                                    "type", "Governor", "Dependent"}
    for name, value in attributes.items():
        if name not in known:
            feature = unique(java_name(name, capital=False), used)
            layer.attributes[feature] = name
            known.add(name)
        if isinstance(value, bool):
            layer.booleans.update(f for f, n in layer.attributes.items() if n == name)


def write(project: Project, out: Path, *, annotators: list[str] | None = None,
          document_ids: list[int] | None = None, progress: Progress | None = None,
          warnings: list[str] | None = None) -> int:
    """Write the folder `out`; returns the number of documents. What TSV cannot hold
    is reported in `warnings` (or logged when None)."""
    if out.exists() and not out.is_dir():
        raise InputError(out, "exists and is not a folder; a WebAnno TSV export writes a "
                         "folder")
    chosen: list[Annotator | None] = [a for a in project.annotators.all()
                                      if annotators is None or a.name in annotators]
    folders = annotator_folders(out, chosen) if chosen else {None: out}
    layers = _Layers.of(project.schema)
    written = Written()
    discontinuous = 0
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
                for annotator in chosen or [None]:
                    key = annotator.id if annotator else None
                    spans = project.spans.for_document(document.id, annotator.id) \
                        if annotator else []
                    relations = project.relations.for_document(document.id, annotator.id) \
                        if annotator else []
                    layers.cover(spans, relations)
                    content = document_tsv(document.text, spans, relations, layers.spans,
                                           layers.relation, written)
                    (folders[key] / f"{name}.tsv").write_text(content, encoding="utf-8",
                                                              newline="")
                    split = [s for s in spans if s.is_discontinuous]
                    discontinuous += len(split)
                    _manifest_entry(manifests[key], name, document, annotator, spans,
                                    relations, split, count == 1)
                if progress:
                    progress(count)
            types = json.dumps(layers.manifest(), ensure_ascii=False)
            for handle in manifests.values():
                handle.write(f'\n], "types": {types}}}\n')
    except OSError as error:
        raise InputError(out, f"cannot write ({error.strerror})") from error
    for message in _messages(written, discontinuous):
        if warnings is None:
            log.warning("%s", message)
        else:
            warnings.append(message)
    return count


def _messages(written: Written, discontinuous: int) -> list[str]:
    found = []
    if discontinuous:
        found.append(f"{discontinuous} discontinuous spans written as one annotation per "
                     "part (relations attach to the first part; our manifest joins them "
                     "again on import)")
    if written.as_text:
        found.append("attribute values that are not text or true/false were written as "
                     "JSON text: " + ", ".join(sorted(written.as_text)))
    if written.cut_values:
        found.append("carriage returns in attribute values were written as line breaks "
                     "(TSV cannot hold them): " + ", ".join(sorted(written.cut_values)))
    if written.notes:
        found.append(f"{written.notes} span notes were left out (TSV has no place for them)")
    return found


def _manifest_entry(handle: IO[str], name: str, document: Document,
                    annotator: Annotator | None, spans: list[Span],
                    relations: list[Relation], split: list[Span], first: bool) -> None:
    entry = {"file": name, "uid": document.uid, "title": document.title,
             "source": document.source, "url": document.url, "published": document.published,
             "metadata": document.metadata, "annotator": annotator.name if annotator else "",
             UIDS_FIELD: uid_map(spans, relations),
             "discontinuous": [{"layer": s.layer, "label": s.label,
                                "fragments": [list(f) for f in s.fragments]} for s in split]}
    handle.write(("\n" if first else ",\n") + json.dumps(entry, ensure_ascii=False))
