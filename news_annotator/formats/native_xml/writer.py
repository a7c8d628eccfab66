"""Write our standoff XML a document at a time with lxml's incremental `xmlfile`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

from news_annotator.formats.common.native_documents import document_dicts, export_scope
from news_annotator.formats.common.xml_chars import sub_element, text_element
from news_annotator.formats.native_xml.schema_elements import schema_element
from news_annotator.formats.native_xml.values import add_members, typed_element
from news_annotator.project import Project

ROOT = "news-annotator"
XML_VERSION = 2
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_OPTIONAL = ("source", "url", "published")


def write(project: Project, out: Path, *, annotators: list[str] | None = None,
          document_ids: list[int] | None = None,
          progress: Callable[[int], None] | None = None) -> int:
    """Write the project as our XML; returns the number of documents written."""
    scope = export_scope(project, annotators)
    info = project.info()
    count = 0
    with out.open("wb") as handle, etree.xmlfile(handle, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(ROOT, {"version": str(XML_VERSION),
                               "created-with": str(info["created_with"]),
                               "exported-at": str(info["exported_at"])}):
            xf.write("\n")
            xf.write(schema_element(project.schema), pretty_print=True)
            people = etree.Element("annotators")
            for name in scope.chosen:
                sub_element(people, "annotator", {"name": name})
            xf.write(people, pretty_print=True)
            with xf.element("documents"):
                xf.write("\n")
                for document in document_dicts(project, scope, document_ids):
                    xf.write(document_element(document), pretty_print=True)
                    count += 1
                    if progress:
                        progress(count)
            xf.write("\n")
    return count


def document_element(doc: dict[str, Any]) -> etree._Element:
    """One document (as `document_to_dict` gives it) as a <document> element."""
    element = sub_element(None, "document", {"uid": doc["uid"], "added-at": doc["added_at"]})
    text_element(element, "title", doc["title"])
    for name in _OPTIONAL:
        if doc[name]:
            text_element(element, name, doc[name])
    if doc["metadata"]:
        add_members(etree.SubElement(element, "metadata"), doc["metadata"])
    text_element(element, "text", doc["text"], {XML_SPACE: "preserve"})
    spans = etree.SubElement(element, "spans")
    for span in doc["spans"]:
        _span(spans, span)
    relations = etree.SubElement(element, "relations")
    for relation in doc["relations"]:
        node = sub_element(relations, "relation", {
            "uid": relation["uid"], "annotator": relation["annotator"],
            "type": relation["type"], "source": relation["source"],
            "target": relation["target"]})
        _attributes(node, relation["attributes"])
    statuses = etree.SubElement(element, "statuses")
    for status in doc["statuses"]:
        sub_element(statuses, "status", {"annotator": status["annotator"],
                                         "status": status["status"],
                                         "updated-at": status["updated_at"]})
    return element


def _span(parent: etree._Element, span: dict[str, Any]) -> None:
    node = sub_element(parent, "span", {
        "uid": span["uid"], "annotator": span["annotator"], "layer": span["layer"],
        "label": span["label"], "start": str(span["start"]), "end": str(span["end"]),
        "created-at": span["created_at"], "updated-at": span["updated_at"]})
    fragments = span["fragments"]
    if len(fragments) > 1:
        for start, end in fragments:
            etree.SubElement(node, "fragment", start=str(start), end=str(end))
    text_element(node, "text", span["text"])
    _attributes(node, span["attributes"])
    if span["note"]:
        text_element(node, "note", span["note"])


def _attributes(parent: etree._Element, attributes: dict[str, Any]) -> None:
    """String values as their text; any other JSON value flagged with its kind."""
    for name, value in attributes.items():
        typed_element(parent, "attribute", value, {"name": name})
