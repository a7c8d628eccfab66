"""How our XML carries strings that XML 1.0 cannot: base64, flagged on the element.

XML 1.0 allows tab, newline, carriage return and U+0020-U+D7FF, U+E000-U+FFFD,
U+10000-U+10FFFF; not even `&#1;` may name anything else. Articles do hold such
characters now and then (a stray U+0001 or U+FFFE from a scraper) and a lossless format
must keep them, so:

- element content (text, title, note, ...) that holds one is written as the base64 of
  its UTF-8 bytes, and the element gets `encoding="base64"`;
- an attribute value that holds one (a label, an annotator name, ...) is written as
  base64 the same way, and the element lists that attribute's name in
  `base64-attributes` (space separated).

Every other string is written as is (lxml escapes `<`, `&` and, as `&#13;`, carriage
returns, so they survive parsing). Lone surrogates never reach the writer (a project's
SQLite text is UTF-8); base64 that decodes to invalid UTF-8 is refused on reading.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from functools import partial

from lxml import etree

ENCODING = "encoding"
ENCODED_ATTRIBUTES = "base64-attributes"


class XmlValueError(ValueError):
    """A value in our XML that cannot be decoded; carries the element's line."""

    def __init__(self, reason: str, line: int | None) -> None:
        super().__init__(reason)
        self.line = line


def _encode(value: str) -> str:
    return base64.b64encode(value.encode("utf-8")).decode("ascii")


def _decode(value: str, element: etree._Element, what: str) -> str:
    try:
        return base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        raise XmlValueError(f"<{element.tag}> {what} is not base64 of UTF-8 text",
                            element.sourceline) from None


def sub_element(parent: etree._Element | None, tag: str,
                attributes: Mapping[str, str] | None = None) -> etree._Element:
    """A new element (a child of `parent`, if given) with these attributes, base64-encoding
    the values XML 1.0 cannot hold."""
    make = etree.Element if parent is None else partial(etree.SubElement, parent)
    try:
        return make(tag, attributes)
    except ValueError:  # lxml refuses exactly the characters XML 1.0 excludes
        pass
    child = make(tag)
    encoded = []
    for name, value in (attributes or {}).items():
        try:
            child.set(name, value)
        except ValueError:
            child.set(name, _encode(value))
            encoded.append(name)
    child.set(ENCODED_ATTRIBUTES, " ".join(encoded))
    return child


def text_element(parent: etree._Element | None, tag: str, value: str,
                 attributes: Mapping[str, str] | None = None) -> etree._Element:
    """A child holding `value` as its content, base64-encoded when XML 1.0 cannot hold it."""
    child = sub_element(parent, tag, attributes)
    try:
        child.text = value
    except ValueError:
        child.text = _encode(value)
        child.set(ENCODING, "base64")
    return child


def text_of(element: etree._Element) -> str:
    """The decoded content of a text-only element."""
    if len(element):
        raise XmlValueError(f"<{element.tag}> holds elements; expected only text",
                            element.sourceline)
    value = element.text or ""
    encoding = element.get(ENCODING)
    if encoding is None:
        return value
    if encoding != "base64":
        raise XmlValueError(f"<{element.tag}> has unknown encoding {encoding!r}",
                            element.sourceline)
    return _decode(value, element, "content")


def attribute_of(element: etree._Element, name: str, default: str | None = None) -> str:
    """A decoded attribute; a missing one is an error unless a default is given."""
    value = element.get(name)
    if value is None:
        if default is None:
            raise XmlValueError(f"<{element.tag}> needs a {name!r} attribute",
                                element.sourceline)
        return default
    encoded = element.get(ENCODED_ATTRIBUTES)
    if encoded and name in encoded.split():
        return _decode(value, element, f"attribute {name!r}")
    return value


def int_attribute(element: etree._Element, name: str) -> int:
    value = element.get(name)
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 18:
        raise XmlValueError(f"<{element.tag}> attribute {name!r} must be a whole number "
                            f"≥ 0, not {value!r}", element.sourceline)
    return int(value)
