"""Writing XMI: a CAS per document (``0001.xmi`` ...) plus ``TypeSystem.xml``, in a
folder or, when the output name ends in ``.zip``, in one zip file.

One document at a time is built, serialized and written, so memory stays flat. Text
that XML 1.0 cannot hold (control characters other than tab and line breaks, lone
surrogates, U+FFFE/U+FFFF) is written as U+FFFD: one code point, one UTF-16 unit, so no
offset moves; how many documents needed it is reported in the warnings.
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cassis import Cas

from news_annotator.errors import InputError
from news_annotator.formats.xmi.types import COLLECTION_ID, OurTypes, build_typesystem
from news_annotator.model import Document, Span
from news_annotator.project import Project

TYPESYSTEM_NAME = "TypeSystem.xml"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

Progress = Callable[[int], None]
log = logging.getLogger(__name__)


def xml_safe(text: str) -> str:
    """`text` with every character XML 1.0 forbids replaced by U+FFFD (offsets unchanged)."""
    return _NOT_XML.sub("\ufffd", text)


@dataclass(slots=True)
class _Tally:
    replaced_text: int = 0
    discontinuous: int = 0
    dropped_attributes: set[str] = field(default_factory=set)
    relation_attributes: int = 0
    notes: int = 0
    annotators: set[int] = field(default_factory=set)

    def messages(self) -> list[str]:
        found = []
        if self.replaced_text:
            found.append(f"{self.replaced_text} documents hold characters XML 1.0 cannot "
                         "(control characters); written as U+FFFD")
        if self.discontinuous:
            found.append(f"{self.discontinuous} discontinuous spans written as one "
                         "annotation per part (relations attach to the first part)")
        if self.dropped_attributes:
            found.append("attributes the schema does not declare were left out: "
                         + ", ".join(sorted(self.dropped_attributes)))
        if self.relation_attributes:
            found.append(f"{self.relation_attributes} relations had attributes; XMI keeps "
                         "only their type")
        if self.notes:
            found.append(f"{self.notes} span notes were left out (XMI has no place for them)")
        if len(self.annotators) > 1:
            found.append(f"spans of {len(self.annotators)} annotators were merged into one "
                         "CAS per document; pass one annotator to keep them apart")
        return found


class _Sink:
    """Where files go: a folder, or a zip when `out` ends in .zip."""

    def __init__(self, out: Path) -> None:
        self.zip: zipfile.ZipFile | None = None
        self.folder = out
        if out.suffix.lower() == ".zip":
            out.parent.mkdir(parents=True, exist_ok=True)
            self.zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
        else:
            if out.exists() and not out.is_dir():
                raise InputError(out, "XMI export writes a folder (or a .zip file); this is "
                                 "an existing file")
            out.mkdir(parents=True, exist_ok=True)

    def put(self, name: str, data: bytes) -> None:
        if self.zip is not None:
            self.zip.writestr(name, data)
        else:
            (self.folder / name).write_bytes(data)

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


def write(project: Project, out: Path, *, annotators: list[str] | None = None,
          document_ids: list[int] | None = None, progress: Progress | None = None,
          warnings: list[str] | None = None) -> int:
    """Write one XMI per document and TypeSystem.xml; returns the number of documents."""
    types = build_typesystem(project.schema)
    wanted = None if annotators is None else {
        a.id for a in project.annotators.all() if a.name in annotators}
    total = len(document_ids) if document_ids is not None else project.documents.count()
    width = max(2, len(str(total)))
    tally = _Tally()
    sink = _Sink(out)
    count = 0
    try:
        sink.put(TYPESYSTEM_NAME, types.typesystem.to_xml().encode("utf-8"))
        for document in project.documents.iter_all(document_ids):
            cas = document_cas(project, document, types, wanted, tally)
            count += 1
            sink.put(f"{count:0{width}d}.xmi", cas.to_xmi().encode("utf-8"))
            if progress:
                progress(count)
    finally:
        sink.close()
    for message in tally.messages():
        if warnings is None:
            log.warning("%s: %s", out, message)
        else:
            warnings.append(message)
    return count


def document_cas(project: Project, document: Document, types: OurTypes,
                 wanted: set[int] | None, tally: _Tally) -> Cas:
    """One document and its annotations as a CAS of our type system."""
    text = xml_safe(document.text)
    if text != document.text:
        tally.replaced_text += 1
    cas = Cas(typesystem=types.typesystem, sofa_string=text, sofa_mime="text/plain")
    cas.add(types.document_meta(
        begin=0, end=len(text), language="x-unspecified", documentTitle=xml_safe(document.title),
        documentId=xml_safe(document.uid), documentUri=xml_safe(document.url) or None,
        collectionId=COLLECTION_ID, isLastSegment=False))
    spans = [s for s in project.spans.for_document(document.id)
             if wanted is None or s.annotator_id in wanted]
    first_parts: dict[int, Any] = {}
    for span in spans:
        tally.annotators.add(span.annotator_id)
        first = _add_span(cas, span, types, tally)
        if first is not None:
            first_parts[span.id] = first
    for relation in project.relations.for_document(document.id):
        governor = first_parts.get(relation.source_id)
        dependent = first_parts.get(relation.target_id)
        if governor is None or dependent is None:
            continue
        if relation.attributes:
            tally.relation_attributes += 1
        annotation = types.relation(begin=dependent.begin, end=dependent.end,
                                    Governor=governor, Dependent=dependent)
        setattr(annotation, types.relation_type_feature, xml_safe(relation.type))
        cas.add(annotation)
    return cas


def _add_span(cas: Cas, span: Span, types: OurTypes, tally: _Tally) -> Any:
    layer = types.layers.get(span.layer)
    if layer is None:  # a layer the schema lost: nothing declares its type
        return None
    if span.is_discontinuous:
        tally.discontinuous += 1
    if span.note:
        tally.notes += 1
    features: dict[str, Any] = {layer.label_feature: xml_safe(span.label)}
    for name, value in span.attributes.items():
        feature = layer.attribute_features.get(name)
        if feature is None:
            tally.dropped_attributes.add(f"{span.layer}.{name}")
            continue
        if feature.rangeType.name == "uima.cas.Boolean":
            if isinstance(value, bool):
                features[feature.name] = value
            else:
                tally.dropped_attributes.add(f"{span.layer}.{name} (not true/false)")
        elif value is not None:
            features[feature.name] = xml_safe(value if isinstance(value, str) else str(value))
    first = None
    for start, end in span.fragments:
        annotation = layer.type(begin=start, end=end)
        for name, value in features.items():
            setattr(annotation, name, value)
        cas.add(annotation)
        first = first if first is not None else annotation
    return first
