"""Parsing XML that news agencies wrote (NITF, NewsML-G2), safely, and finding its root.

The parser honours the encoding the file declares (ISO-8859-1 items exist), loads no
DTD, resolves no entity, touches no network and keeps libxml2's limits on depth and
size (no `huge_tree`). A DOCTYPE that only names a DTD (`<!DOCTYPE nitf SYSTEM
"nitf-3-3.dtd">`, as NITF items do) is read without loading it; one whose internal
subset declares entities is refused, which also stops XXE and entity-expansion bombs.
Named entities the missing DTD would have defined stay in the tree as entity nodes:
`news_markup` gives them their characters. An item with no DOCTYPE that still uses such
a name (not well-formed XML, but agencies send them) is read as if it named a DTD.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from news_annotator.errors import InputError

SNIFF_BYTES = 4096
_PROLOG = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(\[.*?\])?\s*>", re.DOTALL)
_FIRST_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def parse_news_xml(path: Path) -> etree._Element:
    """The root element of an agency's XML file; InputError (with its line) if it is not
    well-formed, cannot be read, or declares entities."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(path, f"cannot read ({error.strerror or error})") from None
    try:
        try:
            root = etree.fromstring(data, _parser())
        except etree.XMLSyntaxError as error:
            # Without a DOCTYPE, `&nbsp;` is not well-formed at all; with one that names a
            # DTD (never loaded) it is an entity node like in any NITF item that has one.
            if error.code != etree.ErrorTypes.ERR_UNDECLARED_ENTITY or b"<!DOCTYPE" in data \
                    or data.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise
            root = etree.fromstring(_with_doctype(data, root_name(path) or "x"), _parser())
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (None, 0)
        raise InputError(path, f"not well-formed XML ({error.msg}, column {column})",
                         line=line) from None
    except (ValueError, LookupError) as error:  # an encoding lxml does not know
        raise InputError(path, f"cannot decode ({error})") from None
    if root is None:
        raise InputError(path, "no XML element in this file")
    internal = root.getroottree().docinfo.internalDTD
    if internal is not None and any(True for _ in internal.iterentities()):
        raise InputError(path, "its DOCTYPE declares entities; refused for safety (entity "
                         "declarations can read local files or expand without end)", line=1)
    return root


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def _with_doctype(data: bytes, root: str) -> bytes:
    """`data` with a DOCTYPE naming a DTD that is never loaded, put on the first line
    (after any XML declaration) so that line numbers stay as they were."""
    declaration = re.match(rb"(\xef\xbb\xbf)?\s*<\?xml[^>]*\?>", data)
    at = declaration.end() if declaration else (3 if data.startswith(b"\xef\xbb\xbf") else 0)
    return data[:at] + b'<!DOCTYPE ' + root.encode("ascii", "replace") \
        + b' SYSTEM "undeclared-entities.dtd">' + data[at:]


def local_name(element: etree._Element) -> str:
    """An element's name without its namespace ("" for comments and entities)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def namespace(element: etree._Element) -> str:
    tag = element.tag
    return tag[1:tag.index("}")] if isinstance(tag, str) and tag.startswith("{") else ""


def root_name(path: Path) -> str:
    """The local name of a file's first element, from its first bytes ("" if none is
    found or the file cannot be read); never raises."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return ""
    head = head.removeprefix(b"\xef\xbb\xbf")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: decode the little we need
        try:
            head = head.decode("utf-16").encode("utf-8", errors="replace")
        except UnicodeDecodeError:
            return ""
    position = 0
    while True:
        while position < len(head) and head[position:position + 1].isspace():
            position += 1
        prolog = _PROLOG.match(head, position)
        if prolog is None:
            break
        position = prolog.end()
    found = _FIRST_TAG.match(head, position)
    return found.group(1).decode("ascii", errors="replace") if found else ""


def children(element: etree._Element, name: str) -> list[etree._Element]:
    """The child elements with this local name, in any namespace."""
    return [child for child in element if local_name(child) == name]


def child(element: etree._Element | None, name: str) -> etree._Element | None:
    """The first child element with this local name, or None."""
    if element is None:
        return None
    return next((node for node in element if local_name(node) == name), None)


def descendants(element: etree._Element, name: str) -> list[etree._Element]:
    """Every element below `element` with this local name, in document order."""
    return [node for node in element.iter() if local_name(node) == name]
