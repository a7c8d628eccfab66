"""The label schema as XML elements, both ways (format version 2)::

    <schema name="news">
      <layer name="quote" description="…">
        <label name="DIRECT" color="#e15759" key="Q" description="…"/>
        <attribute-definition name="source_type" kind="choice" description="…">
          <value>named</value> <value>unnamed</value>
          <default>named</default>            (a typed value; absent when there is none)
          <applies-to>DIRECT</applies-to>     (none: every label of the layer)
        </attribute-definition>
      </layer>
      <relation-type name="source" key="S" color="#e15759" description="…">
        <source-label>DIRECT</source-label> <target-label>PERSON</target-label>
      </relation-type>
    </schema>

An XML attribute that would be empty is left out and reads back as "". Version 1 files
held the schema as JSON text inside `<schema>`; `schema_of` reads both.
"""

from __future__ import annotations

import json
from typing import Any

from lxml import etree

from news_annotator.errors import SchemaError
from news_annotator.formats.common.xml_chars import (
    XmlValueError,
    attribute_of,
    sub_element,
    text_element,
    text_of,
)
from news_annotator.formats.native_xml.values import typed_element, typed_value_of
from news_annotator.schema import Schema, parse_schema

_LABEL = ("name", "color", "key", "description")
_RELATION = ("name", "key", "color", "description")


def schema_element(schema: Schema) -> etree._Element:
    """A <schema> element holding everything `Schema.to_dict` does."""
    raw = schema.to_dict()
    root = sub_element(None, "schema", _present(raw, ("name",)))
    for layer in raw["layers"]:
        node = sub_element(root, "layer", _present(layer, ("name", "description")))
        for label in layer["labels"]:
            sub_element(node, "label", _present(label, _LABEL))
        for attribute in layer["attributes"]:
            definition = sub_element(node, "attribute-definition",
                                     _present(attribute, ("name", "kind", "description")))
            for value in attribute["values"]:
                text_element(definition, "value", str(value))
            if attribute["default"] is not None:
                typed_element(definition, "default", attribute["default"], {})
            for label in attribute["labels"]:
                text_element(definition, "applies-to", str(label))
    for relation in raw["relations"]:
        node = sub_element(root, "relation-type", _present(relation, _RELATION))
        for label in relation["source_labels"]:
            text_element(node, "source-label", str(label))
        for label in relation["target_labels"]:
            text_element(node, "target-label", str(label))
    return root


def _present(raw: dict[str, Any], names: tuple[str, ...]) -> dict[str, str]:
    return {name: str(raw[name]) for name in names if raw.get(name) not in (None, "")}


def schema_of(element: etree._Element, where: str) -> Schema:
    """The schema a <schema> element holds, in either shape; XmlValueError if it is bad."""
    try:
        if len(element) == 0 and (element.text or "").strip():
            raw: Any = json.loads(text_of(element))  # format version 1: JSON text
        else:
            raw = _schema_dict(element)
        return parse_schema(raw, f"{where}:{element.sourceline} (schema)")
    except (ValueError, RecursionError, SchemaError) as error:
        raise XmlValueError(f"bad <schema> ({error})", element.sourceline) from None


def _schema_dict(element: etree._Element) -> dict[str, Any]:
    layers, relations = [], []
    for child in _elements(element):
        if child.tag == "layer":
            layers.append(_layer(child))
        elif child.tag == "relation-type":
            relation = _attributes(child, _RELATION)
            relation["source_labels"] = []
            relation["target_labels"] = []
            for end in _elements(child):
                if end.tag not in ("source-label", "target-label"):
                    raise _unexpected(end, child)
                relation[end.tag.replace("-label", "_labels")].append(text_of(end))
            relations.append(relation)
        else:
            raise _unexpected(child, element)
    return {"name": attribute_of(element, "name", ""), "layers": layers,
            "relations": relations}


def _layer(element: etree._Element) -> dict[str, Any]:
    layer = _attributes(element, ("name", "description"))
    layer["labels"], layer["attributes"] = [], []
    for child in _elements(element):
        if child.tag == "label":
            layer["labels"].append(_attributes(child, _LABEL))
        elif child.tag == "attribute-definition":
            layer["attributes"].append(_definition(child))
        else:
            raise _unexpected(child, element)
    return layer


def _definition(element: etree._Element) -> dict[str, Any]:
    definition = _attributes(element, ("name", "kind", "description"))
    values: list[str] = []
    labels: list[str] = []
    default: Any = None
    for child in _elements(element):
        if child.tag == "value":
            values.append(text_of(child))
        elif child.tag == "applies-to":
            labels.append(text_of(child))
        elif child.tag == "default":
            default = typed_value_of(child)
        else:
            raise _unexpected(child, element)
    definition.update(values=values, default=default, labels=labels)
    if not definition["kind"]:
        definition["kind"] = "choice"
    return definition


def _attributes(element: etree._Element, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: attribute_of(element, name, "") for name in names}


def _elements(element: etree._Element) -> list[etree._Element]:
    if (element.text or "").strip():
        raise XmlValueError(f"<{element.tag}> holds text; expected only elements",
                            element.sourceline)
    return list(element)


def _unexpected(child: etree._Element, parent: etree._Element) -> XmlValueError:
    return XmlValueError(f"unexpected element <{child.tag}> in <{parent.tag}>",
                         child.sourceline)
