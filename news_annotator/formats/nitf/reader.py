"""Read an NITF 3.x item (with or without the IPTC namespace) into one document."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from news_annotator.errors import InputError
from news_annotator.formats.common.interop import ReadWarning
from news_annotator.formats.common.news_markup import (
    inline_text,
    nitf_body_paragraphs,
    paragraphs,
)
from news_annotator.formats.common.news_xml import (
    child,
    children,
    descendants,
    local_name,
    parse_news_xml,
    root_name,
)
from news_annotator.formats.common.records import ReadOptions
from news_annotator.model import NewDocument

ROOT = "nitf"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_BASIC_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})?)?$")
_VERSION = re.compile(r"NITF\s+(\d+(?:\.\d+)*)")


def sniff(path: Path) -> bool:
    """True for a file whose first element is <nitf> (read from its first bytes)."""
    return root_name(path) == ROOT


def read(path: Path, options: ReadOptions) -> Iterator[NewDocument | ReadWarning | InputError]:
    """The item as a document; a warning first for any named entity we could not name."""
    root = parse_news_xml(path)
    if local_name(root) != ROOT:
        raise InputError(path, f"expected NITF (<nitf>), found <{local_name(root)}>",
                         line=root.sourceline)
    unknown: Counter[str] = Counter()
    document = nitf_document(root, unknown)
    yield from entity_warnings(path, unknown)
    if not document.text:
        yield InputError(path, "no article text in <body.content>", line=root.sourceline)
        return
    yield document


def entity_warnings(path: Path, unknown: Counter[str]) -> Iterator[ReadWarning]:
    for name, count in sorted(unknown.items()):
        yield ReadWarning(InputError(path, f"named entity &{name}; ({count}×) is not an XHTML "
                                     "entity; kept as written"))


def nitf_document(root: etree._Element, unknown: Counter[str]) -> NewDocument:
    """One NITF item: headline, body paragraphs, and what its head says about it."""
    head, body = child(root, "head"), child(root, "body")
    body_head = child(body, "body.head")
    hedline = child(body_head, "hedline")
    title = " ".join(filter(None, (inline_text(node, unknown=unknown)
                                   for node in children(hedline, "hl1")) if hedline is not None
                            else ()))
    if not title:
        title = inline_text(child(head, "title"), unknown=unknown)
    text = "\n\n".join(nitf_body_paragraphs(body, unknown=unknown)) if body is not None else ""
    docdata = child(head, "docdata")
    pubdata = child(head, "pubdata")
    doc_id = child(docdata, "doc-id")
    metadata = _metadata(root, head, docdata, pubdata, body_head, unknown)
    published = _first((child(docdata, "date.issue"), "norm"), (pubdata, "date.publication"),
                       (child(docdata, "date.release"), "norm"))
    copyright_holder = _attribute(child(docdata, "doc.copyright"), "holder")
    source = _attribute(pubdata, "name") or copyright_holder \
        or inline_text(child(body_head, "distributor"))
    url = _attribute(pubdata, "ex-ref")
    return NewDocument(text=text, title=title, uid=_attribute(doc_id, "id-string"),
                       source=source, url=url if url.startswith(("http:", "https:")) else "",
                       published=iso_date(published), metadata=metadata)


def _metadata(root: etree._Element, head: etree._Element | None,
              docdata: etree._Element | None, pubdata: etree._Element | None,
              body_head: etree._Element | None, unknown: Counter[str]) -> dict[str, Any]:
    version = _VERSION.search(root.get("version", ""))
    found: dict[str, Any] = {"format": f"NITF {version.group(1)}" if version else "NITF"}
    bylines = [node for node in children(body_head, "byline")
               if node.get("class") != "normalized_byline"] if body_head is not None else []
    hedline = child(body_head, "hedline")
    values = {
        "byline": inline_text(bylines[0], unknown=unknown) if bylines else "",
        "dateline": inline_text(child(body_head, "dateline"), unknown=unknown),
        "subheadline": inline_text(child(hedline, "hl2"), unknown=unknown),
        "abstract": "\n\n".join(paragraphs(abstract, unknown=unknown))
        if (abstract := child(body_head, "abstract")) is not None else "",
        "language": _language(root),
        "urgency": _attribute(child(docdata, "urgency"), "ed-urg"),
        "copyright_holder": _attribute(child(docdata, "doc.copyright"), "holder"),
        "section": _attribute(pubdata, "position.section"),
        "release_date": iso_date(_attribute(child(docdata, "date.release"), "norm")),
    }
    found.update({key: value for key, value in values.items() if value})
    if head is not None:
        found.update(_lists(head, docdata))
        meta = {node.get("name", ""): node.get("content", "") for node in children(head, "meta")
                if node.get("name")}
        if meta:
            found["meta"] = meta
    return found


def _lists(head: etree._Element, docdata: etree._Element | None) -> dict[str, list[Any]]:
    """Subjects, keywords, and the people, organisations and places the item names."""
    subjects = [_subject(node) for node in descendants(head, "tobject.subject")]
    subjects += [{"name": inline_text(node), "type": node.get("type", "")}
                 for node in descendants(head, "classifier")]
    found: dict[str, list[Any]] = {
        "subjects": [{key: value for key, value in subject.items() if value}
                     for subject in subjects if subject.get("code") or subject.get("name")],
        "keywords": [node.get("key", "") for node in descendants(head, "keyword")
                     if node.get("key")]}
    identified = child(docdata, "identified-content")
    if identified is not None:
        for name, key in (("person", "people"), ("org", "organisations"),
                          ("location", "places")):
            found[key] = [value for node in descendants(identified, name)
                          if (value := inline_text(node))]
    return {key: values for key, values in found.items() if values}


def _subject(node: etree._Element) -> dict[str, str]:
    return {"code": node.get("tobject.subject.refnum", ""),
            "name": node.get("tobject.subject.matter") or node.get("tobject.subject.detail")
            or node.get("tobject.subject.type", "")}


def _language(root: etree._Element) -> str:
    for node in root.iter():
        if isinstance(node.tag, str) and node.get(XML_LANG):
            return node.get(XML_LANG, "")
    return ""


def _attribute(element: etree._Element | None, name: str) -> str:
    return (element.get(name) or "").strip() if element is not None else ""


def _first(*places: tuple[etree._Element | None, str]) -> str:
    return next((value for element, name in places if (value := _attribute(element, name))), "")


def iso_date(value: str) -> str:
    """NITF's ISO 8601 basic dates (`20020430T120000Z`) in the extended form our other
    readers give (`2002-04-30T12:00:00Z`); anything else as it is."""
    match = _BASIC_DATE.match(value)
    if not match:
        return value
    year, month, day, hour, minute, second, zone = match.groups()
    if hour is None:
        return f"{year}-{month}-{day}"
    zone = zone or ""
    if zone not in ("", "Z"):
        zone = f"{zone[:3]}:{zone[3:]}"
    return f"{year}-{month}-{day}T{hour}:{minute}:{second or '00'}{zone}"
