"""Read our standoff XML in flat memory: iterparse, one <document> at a time, cleared.

Both shapes read: version 2 (schema, metadata and non-string values as elements) and
version 1 (the same as JSON text inside `<schema>`, `<metadata>` and `type="json"`).

The parser resolves no entities, loads no DTD and touches no network; a file with a
DOCTYPE at all is refused (our format never has one), which also stops XXE and
entity-expansion bombs before any entity is used.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from news_annotator.errors import InputError
from news_annotator.formats.common.records import (
    AnnotatedDocument,
    ProjectHeader,
    ReadOptions,
    RelationRecord,
    SpanRecord,
    StatusRecord,
)
from news_annotator.formats.common.xml_chars import (
    XmlValueError,
    attribute_of,
    int_attribute,
    text_of,
)
from news_annotator.formats.native_xml.schema_elements import schema_of
from news_annotator.formats.native_xml.values import members_of, typed_value_of
from news_annotator.model import NewDocument
from news_annotator.schema import Schema

ROOT = "news-annotator"
XML_VERSION = 2  # the newest this reader knows; every older one reads too
_DOCUMENT_FIELDS = ("title", "source", "url", "published")


def read(path: Path, options: ReadOptions) -> Iterator[AnnotatedDocument | ProjectHeader
                                                         | InputError]:
    return read_xml(path)


def sniff(path: Path) -> bool:
    """True for a file whose first element is ours (reads at most 1 KB; never raises)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError:
        return False
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return head.startswith((b"<?xml", b"<" + ROOT.encode())) and b"<" + ROOT.encode() in head


def read_xml(path: Path) -> Iterator[AnnotatedDocument | ProjectHeader | InputError]:
    """The header (schema, annotators), then each document; a bad document is yielded as
    an InputError (to skip or raise); broken XML raises InputError with its line."""
    schema: Schema | None = None
    annotators: list[str] = []
    depth = 0
    try:
        events = etree.iterparse(str(path), events=("start", "end"), resolve_entities=False,
                                 no_network=True, load_dtd=False, huge_tree=True,
                                 remove_comments=True, remove_pis=True)
        for event, element in events:
            if event == "start":
                depth += 1
                if depth == 1:
                    _check_root(element, path)
                elif depth == 2 and element.tag == "documents":
                    yield ProjectHeader(schema, annotators)
                continue
            depth -= 1
            tag = element.tag
            if depth == 1 and tag == "schema":
                schema = schema_of(element, str(path))
            elif depth == 1 and tag == "annotators":
                annotators = [attribute_of(a, "name") for a in element if a.tag == "annotator"]
            elif depth == 1 and tag != "documents":
                raise XmlValueError(f"unexpected element <{tag}> in <{ROOT}>", element.sourceline)
            if depth != 2 or tag != "document":
                continue
            if element.getparent().tag != "documents":  # type: ignore[union-attr]
                raise XmlValueError("<document> belongs inside <documents>", element.sourceline)
            try:
                yield _document(element, path)
            except XmlValueError as error:
                yield InputError(path, str(error), line=error.line)
            except RecursionError:
                yield InputError(path, "values nested too deeply", line=element.sourceline)
            element.clear()
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (None, 0)
        raise InputError(path, f"not well-formed XML ({error.msg}, column {column})",
                         line=line) from None
    except XmlValueError as error:
        raise InputError(path, str(error), line=error.line) from None
    except OSError as error:
        raise InputError(path, f"cannot read ({error.strerror or error})") from None


def _check_root(root: etree._Element, path: Path) -> None:
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise InputError(path, "a DOCTYPE is not allowed in our XML (entities and DTDs are "
                         "refused for safety)", line=1)
    if root.tag != ROOT:
        raise InputError(path, f"expected our XML (<{ROOT}>), found <{root.tag}>",
                         line=root.sourceline)
    version = root.get("version", "")
    if not version.isdigit() or not version.isascii():
        raise InputError(path, f"<{ROOT}> needs a numeric version, not {version!r}",
                         line=root.sourceline)
    if int(version) > XML_VERSION:
        raise InputError(path, f"written by a newer version (XML format {version}); this "
                         f"program reads version {XML_VERSION}", line=root.sourceline)


def _metadata(element: etree._Element) -> dict[str, Any]:
    """A document's metadata: members as elements, or (version 1) a JSON object as text."""
    if len(element) or not (element.text or "").strip():
        return members_of(element)
    try:
        metadata = json.loads(text_of(element))
    except (ValueError, RecursionError) as error:
        raise XmlValueError(f"<metadata> is not valid JSON ({error})",
                            element.sourceline) from None
    if not isinstance(metadata, dict):
        raise XmlValueError("<metadata> must hold a JSON object", element.sourceline)
    return metadata


def _document(element: etree._Element, path: Path) -> AnnotatedDocument:
    fields = dict.fromkeys(_DOCUMENT_FIELDS, "")
    text: str | None = None
    metadata: dict[str, Any] = {}
    spans: list[SpanRecord] = []
    relations: list[RelationRecord] = []
    statuses: list[StatusRecord] = []
    for child in element:
        tag = child.tag
        if tag in fields:
            fields[tag] = text_of(child)
        elif tag == "text":
            text = text_of(child)
        elif tag == "metadata":
            metadata = _metadata(child)
        elif tag == "spans":
            spans = [_span(node) for node in _children(child, "span")]
        elif tag == "relations":
            relations = [_relation(node) for node in _children(child, "relation")]
        elif tag == "statuses":
            statuses = [StatusRecord(attribute_of(node, "annotator"),
                                     attribute_of(node, "status"),
                                     attribute_of(node, "updated-at", ""))
                        for node in _children(child, "status")]
        else:
            raise XmlValueError(f"unexpected element <{tag}> in <document>", child.sourceline)
    if text is None:
        raise XmlValueError("<document> has no <text>", element.sourceline)
    document = NewDocument(text=text, uid=attribute_of(element, "uid", ""), metadata=metadata,
                           **fields)
    return AnnotatedDocument(document, spans, relations, statuses,
                             f"{path}:{element.sourceline}",
                             attribute_of(element, "added-at", ""))


def _children(element: etree._Element, tag: str) -> list[etree._Element]:
    children = list(element)
    for child in children:
        if child.tag != tag:
            raise XmlValueError(f"unexpected element <{child.tag}> in <{element.tag}>",
                                child.sourceline)
    return children


def _span(node: etree._Element) -> SpanRecord:
    start, end = int_attribute(node, "start"), int_attribute(node, "end")
    fragments: list[tuple[int, int]] = []
    text: str | None = None
    note = ""
    attributes: dict[str, Any] = {}
    for child in node:
        if child.tag == "fragment":
            fragments.append((int_attribute(child, "start"), int_attribute(child, "end")))
        elif child.tag == "text":
            text = text_of(child)
        elif child.tag == "note":
            note = text_of(child)
        elif child.tag == "attribute":
            _attribute(child, attributes)
        else:
            raise XmlValueError(f"unexpected element <{child.tag}> in <span>", child.sourceline)
    if not fragments:
        fragments = [(start, end)]
    elif (fragments[0][0], fragments[-1][1]) != (start, end):
        raise XmlValueError(f"span bounds {start}..{end} disagree with its fragments "
                            f"({fragments[0][0]}..{fragments[-1][1]})", node.sourceline)
    return SpanRecord(uid=attribute_of(node, "uid", ""), annotator=attribute_of(node, "annotator",
                                                                               ""),
                      label=attribute_of(node, "label"), fragments=tuple(fragments),
                      layer=attribute_of(node, "layer", ""), attributes=attributes, note=note,
                      text=text, created_at=attribute_of(node, "created-at", ""),
                      updated_at=attribute_of(node, "updated-at", ""))


def _relation(node: etree._Element) -> RelationRecord:
    attributes: dict[str, Any] = {}
    for child in _children(node, "attribute"):
        _attribute(child, attributes)
    return RelationRecord(uid=attribute_of(node, "uid", ""),
                          annotator=attribute_of(node, "annotator", ""),
                          type=attribute_of(node, "type"), source=attribute_of(node, "source"),
                          target=attribute_of(node, "target"), attributes=attributes)


def _attribute(node: etree._Element, into: dict[str, Any]) -> None:
    name = attribute_of(node, "name")
    if name in into:
        raise XmlValueError(f"attribute {name!r} is given twice", node.sourceline)
    into[name] = typed_value_of(node)
