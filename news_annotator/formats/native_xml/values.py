"""JSON values as XML elements, both ways, so XPath and XSLT read every value directly.

The vocabulary is XPath 3.1's `json-to-xml` (W3C), without its namespace: `<string>`,
`<number>`, `<boolean>` (`true`/`false`), `<null/>`, `<array>` and `<map>`; the members
of a map carry their name in `key`. A document's `<metadata>` is a map's members.

A *typed value* (a span or relation `<attribute>`, an attribute definition's `<default>`)
is an element of its own name: a string as its text, anything else flagged with
`type="number|boolean|null|array|map"` and written in the same vocabulary. Files of
format version 1 wrote such values as JSON text with `type="json"`; they still read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from lxml import etree

from news_annotator.formats.common.xml_chars import (
    XmlValueError,
    attribute_of,
    sub_element,
    text_element,
    text_of,
)

JSON_TAGS = frozenset({"string", "number", "boolean", "null", "array", "map"})
VALUE_TYPES = ("string", "number", "boolean", "null", "array", "map", "json")


def kind_of(value: Any) -> str:
    """The vocabulary's name for a JSON value's kind."""
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "map"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def value_element(parent: etree._Element, value: Any, key: str | None = None) -> None:
    """`value` as a child of `parent` (a member named `key` when `parent` is a map)."""
    attributes = {"key": key} if key is not None else None
    if type(value) is str:  # the common case first
        text_element(parent, "string", value, attributes)
        return
    kind = kind_of(value)
    element = sub_element(parent, kind, attributes)
    _fill(element, kind, value)


def add_members(parent: etree._Element, mapping: Mapping[str, Any]) -> None:
    """A JSON object's members as children of `parent`, in order."""
    for key, value in mapping.items():
        value_element(parent, value, key)


def typed_element(parent: etree._Element, tag: str, value: Any,
                  attributes: Mapping[str, str]) -> None:
    """A child `tag` holding `value`: its text for a string, else flagged with its kind."""
    if type(value) is str:
        text_element(parent, tag, value, attributes)
        return
    kind = kind_of(value)
    element = sub_element(parent, tag, {**attributes, "type": kind})
    _fill(element, kind, value)


def _fill(element: etree._Element, kind: str, value: Any) -> None:
    if kind == "number":
        element.text = json.dumps(value)
    elif kind == "boolean":
        element.text = "true" if value else "false"
    elif kind == "array":
        for item in value:
            value_element(element, item)
    elif kind == "map":
        add_members(element, value)


# -- reading ----------------------------------------------------------------------------


def value_of(element: etree._Element) -> Any:
    """The JSON value one vocabulary element stands for."""
    tag = element.tag
    if tag == "string":
        return text_of(element)
    if tag not in JSON_TAGS:
        raise XmlValueError(f"unexpected element <{tag}> where a JSON value belongs "
                            "(string, number, boolean, null, array or map)",
                            element.sourceline)
    return _contents(element, tag)


def members_of(element: etree._Element) -> dict[str, Any]:
    """A map's members (children carrying `key`), refusing a name given twice."""
    _no_text(element)
    found: dict[str, Any] = {}
    for child in element:
        key = attribute_of(child, "key")
        if key in found:
            raise XmlValueError(f"<{element.tag}> names member {key[:40]!r} twice",
                                child.sourceline)
        found[key] = value_of(child)
    return found


def typed_value_of(element: etree._Element) -> Any:
    """The value of a typed element (see `typed_element`), old `type="json"` included."""
    kind = element.get("type", "string")
    if kind == "string":
        return text_of(element)
    if kind == "json":
        try:
            return json.loads(text_of(element))
        except (ValueError, RecursionError) as error:
            raise XmlValueError(f"<{element.tag}> is not valid JSON ({error})",
                                element.sourceline) from None
    if kind not in JSON_TAGS:
        raise XmlValueError(f"<{element.tag}> type must be one of {', '.join(VALUE_TYPES)}, "
                            f"not {kind!r}", element.sourceline)
    return _contents(element, kind)


def _contents(element: etree._Element, kind: str) -> Any:
    if kind == "array":
        _no_text(element)
        return [value_of(child) for child in element]
    if kind == "map":
        return members_of(element)
    text = text_of(element)
    if kind == "null":
        if text:
            raise XmlValueError(f"<{element.tag}> null must be empty", element.sourceline)
        return None
    if kind == "boolean":
        if text not in ("true", "false"):
            raise XmlValueError(f"<{element.tag}> boolean must be true or false, not "
                                f"{text[:20]!r}", element.sourceline)
        return text == "true"
    try:
        number = json.loads(text)
    except ValueError:
        number = None
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        raise XmlValueError(f"<{element.tag}> is not a number: {text[:20]!r}",
                            element.sourceline)
    return number


def _no_text(element: etree._Element) -> None:
    """Containers hold elements only (the whitespace pretty-printing adds is fine)."""
    if (element.text or "").strip() or any((child.tail or "").strip() for child in element):
        raise XmlValueError(f"<{element.tag}> holds text; expected only elements",
                            element.sourceline)
