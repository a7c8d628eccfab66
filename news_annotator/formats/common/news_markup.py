"""The text of news markup (an NITF body, XHTML inside NewsML-G2, ninjs `body_html`) as
readable paragraphs: markup removed, a paragraph per block element, whitespace inside a
paragraph collapsed to single spaces (no-break spaces kept), `<br/>` kept as a line break,
`<pre>` kept as it is.

Named entities. XML needs a DTD to define `&nbsp;` or `&eacute;`, and we never load one;
NITF's DTD (and XHTML's) take them from the XHTML 1.0 entity sets, which are HTML 4's
252 names plus `&apos;`, so those names are given their characters here. A name outside
that set is kept as written (`&foo;`) and counted, so the reader can warn about it.
Character references (`&#233;`, `&#xE9;`) and the five XML entities need no DTD and are
resolved by the parser.
"""

from __future__ import annotations

import re
from collections import Counter
from html.entities import name2codepoint

from lxml import etree

from news_annotator.formats.common.news_xml import local_name

XHTML_ENTITIES: dict[str, str] = {name: chr(code) for name, code in name2codepoint.items()}
XHTML_ENTITIES["apos"] = "'"

# Elements that start a paragraph of their own (NITF 3.x and XHTML names).
BLOCKS = frozenset({
    "p", "hl1", "hl2", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "tr",
    "caption", "figcaption", "media-caption", "tagline", "byline", "dateline", "address",
    "blockquote", "bq", "credit", "div", "section", "article", "header", "footer",
    "block", "table", "ul", "ol", "dl", "fn", "note", "abstract", "pre", "nitf-table",
    "media", "figure", "hr", "body.content", "body.end", "body",
})
# Elements whose content is never text to read.
SKIPPED = frozenset({
    "script", "style", "head", "title", "media-reference", "media-object", "media-metadata",
    "media-producer", "object", "embed", "iframe", "img", "video", "audio", "source",
    "noscript", "template", "svg", "math", "nitf-table-metadata", "classifier",
})
CELLS = frozenset({"td", "th"})
_BREAK = "\x00"  # stands for <br/> until whitespace is collapsed (XML text never holds it)
_CELL = "\x01"  # stands for the tab between table cells, likewise
_SPACES = re.compile(r"[ \t\r\n\f]+")
_AROUND_BREAK = re.compile(r" ?\x00 ?")
_AROUND_CELL = re.compile(r" ?\x01 ?")


class _Flow:
    """Collects paragraphs while the tree is walked in document order."""

    def __init__(self, unknown: Counter[str] | None) -> None:
        self.paragraphs: list[str] = []
        self.parts: list[str] = []
        self.unknown = unknown

    def text(self, value: str | None) -> None:
        if value:
            self.parts.append(value)

    def end_paragraph(self) -> None:
        if not self.parts:
            return
        joined = _SPACES.sub(" ", "".join(self.parts))
        self.parts.clear()
        joined = _AROUND_CELL.sub("\t", _AROUND_BREAK.sub("\n", joined)).strip(" \n")
        if joined.strip():  # (a paragraph of no-break spaces only is layout, not text)
            self.paragraphs.append(joined)

    def verbatim(self, value: str) -> None:
        self.end_paragraph()
        value = value.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
        if value.strip():
            self.paragraphs.append(value.rstrip())

    def entity(self, name: str) -> None:
        character = XHTML_ENTITIES.get(name)
        if character is None:
            if self.unknown is not None:
                self.unknown[name] += 1
            character = f"&{name};"
        self.parts.append(character)


def paragraphs(element: etree._Element, *, unknown: Counter[str] | None = None,
               skip: frozenset[str] = frozenset()) -> list[str]:
    """The readable paragraphs under `element`; entity names outside the XHTML set are
    counted in `unknown`; elements named in `skip` are left out with their content."""
    flow = _Flow(unknown)
    _walk(element, flow, SKIPPED | skip)
    flow.end_paragraph()
    return flow.paragraphs


def _walk(element: etree._Element, flow: _Flow, skipped: frozenset[str]) -> None:
    name = local_name(element).lower()
    if name in skipped:
        return
    if name == "pre":
        flow.verbatim("".join(_plain_text(element, flow)))
        return
    if name == "br":
        flow.text(_BREAK)
        return
    block = name in BLOCKS
    if block:
        flow.end_paragraph()
    elif name in CELLS and flow.parts:
        flow.text(_CELL)
    flow.text(element.text)
    for node in element:
        if isinstance(node, etree._Entity):
            flow.entity(node.name)
        elif isinstance(node.tag, str):
            _walk(node, flow, skipped)
        flow.text(node.tail)
    if block:
        flow.end_paragraph()


def _plain_text(element: etree._Element, flow: _Flow) -> list[str]:
    found = [element.text or ""]
    for node in element:
        if isinstance(node, etree._Entity):
            found.append(XHTML_ENTITIES.get(node.name, f"&{node.name};"))
        elif isinstance(node.tag, str):
            found += ["\n"] if local_name(node).lower() == "br" else _plain_text(node, flow)
        found.append(node.tail or "")
    return found


def html_paragraphs(markup: str) -> list[str]:
    """The paragraphs of an HTML fragment (ninjs `body_html`); HTML's own parser knows
    every named entity, loads nothing and touches no network."""
    if not markup.strip():
        return []
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                              default_doctype=False)
    root = etree.fromstring(f"<html><body>{markup}</body></html>", parser)
    if root is None:
        return []
    body = root.find("body")
    return paragraphs(body if body is not None else root)


def plain_paragraphs(text: str) -> list[str]:
    """Paragraphs of plain text: split at blank lines when there are any, else at line
    breaks; whitespace inside each collapsed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pieces = re.split(r"\n[ \t]*\n", text) if re.search(r"\n[ \t]*\n", text) \
        else text.split("\n")
    found = (_SPACES.sub(" ", piece).strip() for piece in pieces)
    return [piece for piece in found if piece]


def inline_text(element: etree._Element | None, *,
                unknown: Counter[str] | None = None) -> str:
    """An element's text on one line (a headline, a byline), whitespace collapsed, even
    when the element is one whose content `paragraphs` leaves out (a <title>)."""
    if element is None:
        return ""
    flow = _Flow(unknown)
    flow.text(element.text)
    for node in element:
        if isinstance(node, etree._Entity):
            flow.entity(node.name)
        elif isinstance(node.tag, str):
            _walk(node, flow, SKIPPED)
        flow.text(node.tail)
    flow.end_paragraph()
    return " ".join(flow.paragraphs).replace("\n", " ")


def nitf_body_paragraphs(body: etree._Element, *,
                         unknown: Counter[str] | None = None) -> list[str]:
    """The article an NITF `<body>` holds: the bylines and datelines of `<body.head>` where
    it puts them (not the headline, not the abstract, not a `normalized_byline`), every
    paragraph of `<body.content>` and the taglines of `<body.end>`. When the content has
    a `full_text` block, a `lead_paragraph` block (the New York Times corpus repeats the
    first paragraphs there) is left out."""
    found: list[str] = []
    for part in body:
        name = local_name(part)
        if name == "body.head":
            for node in part:
                if local_name(node) == "dateline" or (
                        local_name(node) == "byline" and node.get("class") != "normalized_byline"):
                    found += paragraphs(node, unknown=unknown)
        elif name == "body.content":
            classes = {node.get("class") for node in part if local_name(node) == "block"}
            repeated = "full_text" in classes and "lead_paragraph" in classes
            for node in part:  # (body.content holds no text of its own in NITF)
                if not (repeated and local_name(node) == "block"
                        and node.get("class") == "lead_paragraph"):
                    found += paragraphs(node, unknown=unknown)
        elif name == "body.end":
            for node in part:
                if local_name(node) == "tagline":
                    found += paragraphs(node, unknown=unknown)
    return found
