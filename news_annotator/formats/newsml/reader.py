"""Read NewsML-G2: a newsItem, a packageItem, or a newsMessage holding several items."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from news_annotator.errors import InputError
from news_annotator.formats.common.interop import ReadWarning
from news_annotator.formats.common.news_markup import (
    XHTML_ENTITIES,
    html_paragraphs,
    inline_text,
    nitf_body_paragraphs,
    paragraphs,
    plain_paragraphs,
)
from news_annotator.formats.common.news_xml import (
    child,
    children,
    local_name,
    parse_news_xml,
    root_name,
)
from news_annotator.formats.common.records import ReadOptions
from news_annotator.model import NewDocument

ROOTS = ("newsItem", "newsMessage", "packageItem")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TEXT_CLASSES = ("", "ninat:text", "ninat:composite")  # item classes that carry an article


def sniff(path: Path) -> bool:
    """True for a file whose first element is a NewsML-G2 newsItem, packageItem or
    newsMessage (read from its first bytes)."""
    return root_name(path) in ROOTS


def read(path: Path, options: ReadOptions
         ) -> Iterator[NewDocument | ReadWarning | InputError]:
    """Each newsItem with text as a document; a note for each item skipped (a packageItem,
    a picture) and for each named entity we could not name."""
    root = parse_news_xml(path)
    kind = local_name(root)
    if kind == "newsMessage":
        items = [item for item_set in children(root, "itemSet") for item in item_set
                 if isinstance(item.tag, str)]
        if not items:
            raise InputError(path, "this newsMessage holds no items (no <itemSet>)",
                             line=root.sourceline)
    elif kind in ROOTS:
        items = [root]
    else:
        raise InputError(path, f"expected NewsML-G2 (<newsItem>, <newsMessage> or "
                         f"<packageItem>), found <{kind}>", line=root.sourceline)
    unknown: Counter[str] = Counter()
    for item in items:
        yield from _item(path, item, unknown)
    for name, count in sorted(unknown.items()):
        yield ReadWarning(InputError(path, f"named entity &{name}; ({count}×) is not an "
                                     "XHTML entity; kept as written"))


def _item(path: Path, item: etree._Element, unknown: Counter[str]
          ) -> Iterator[NewDocument | ReadWarning | InputError]:
    kind, guid = local_name(item), item.get("guid", "")
    named = f"{kind} {guid!r}" if guid else kind
    if kind != "newsItem":
        yield ReadWarning(InputError(path, f"{named} skipped: it holds no text of its own "
                                     "(a package refers to other items)", line=item.sourceline))
        return
    item_meta, content_meta = child(item, "itemMeta"), child(item, "contentMeta")
    item_class = _qcode(child(item_meta, "itemClass"))
    body, nitf_title = _body(child(item, "contentSet"), unknown)
    if not body:
        problem = InputError(path, f"{named} has no inline text (item class "
                             f"{item_class or 'not given'}); skipped", line=item.sourceline)
        yield ReadWarning(problem) if item_class not in TEXT_CLASSES else problem
        return
    yield NewDocument(
        text="\n\n".join(body), title=_headline(content_meta, unknown) or nitf_title, uid=guid,
        source=_name(child(item_meta, "provider")),
        published=_text(child(item_meta, "versionCreated")),
        metadata=_metadata(item, item_meta, content_meta, item_class, unknown))


def _body(content_set: etree._Element | None, unknown: Counter[str]
          ) -> tuple[list[str], str]:
    """The paragraphs of the first rendition with text, and an inline NITF's headline."""
    for rendition in content_set if content_set is not None else ():
        name = local_name(rendition)
        if name == "inlineXML":
            inner = next((node for node in rendition if isinstance(node.tag, str)), None)
            if inner is None:
                continue
            if local_name(inner) == "nitf":
                body = child(inner, "body")
                found = nitf_body_paragraphs(body, unknown=unknown) if body is not None else []
                hedline = child(child(body, "body.head"), "hedline")
                title = inline_text(child(hedline, "hl1"), unknown=unknown)
            else:
                html_body = child(inner, "body") if local_name(inner) == "html" else None
                found = paragraphs(html_body if html_body is not None else inner,
                                   unknown=unknown)
                title = ""
        elif name == "inlineData":
            data = "".join(_entity_text(rendition, unknown))
            found = html_paragraphs(data) if "html" in rendition.get("contenttype", "") \
                else plain_paragraphs(data)
            title = ""
        else:  # remoteContent: the text lives elsewhere
            continue
        if found:
            return found, title
    return [], ""


def _entity_text(element: etree._Element, unknown: Counter[str]) -> list[str]:
    found = [element.text or ""]
    for node in element:
        if isinstance(node, etree._Entity):
            character = XHTML_ENTITIES.get(node.name)
            if character is None:
                unknown[node.name] += 1
            found.append(character or f"&{node.name};")
        found.append(node.tail or "")
    return found


def _headline(content_meta: etree._Element | None, unknown: Counter[str]) -> str:
    """The main headline: the first without a role, else one whose role is main, else the
    first."""
    headlines = children(content_meta, "headline") if content_meta is not None else []
    for wanted in (lambda role: not role, lambda role: role.endswith("main"), None):
        chosen = next((h for h in headlines if wanted is None or wanted(h.get("role", ""))),
                      None)
        if chosen is not None:
            return inline_text(chosen, unknown=unknown)
    return ""


def _metadata(item: etree._Element, item_meta: etree._Element | None,
              content_meta: etree._Element | None, item_class: str,
              unknown: Counter[str]) -> dict[str, Any]:
    version = item.get("standardversion", "")
    found: dict[str, Any] = {"format": f"NewsML-G2 {version}".strip()}
    language = _attribute(child(content_meta, "language"), "tag") or item.get(XML_LANG, "")
    rights = child(item, "rightsInfo")
    values: dict[str, Any] = {
        "version": item.get("version", ""),
        "item_class": item_class,
        "first_created": _text(child(item_meta, "firstCreated")),
        "version_created": _text(child(item_meta, "versionCreated")),
        "pub_status": _qcode(child(item_meta, "pubStatus")),
        "content_created": _text(child(content_meta, "contentCreated")),
        "byline": inline_text(child(content_meta, "by"), unknown=unknown),
        "dateline": inline_text(child(content_meta, "dateline"), unknown=unknown),
        "creator": [name for node in children(content_meta, "creator")
                    if (name := _name(node))] if content_meta is not None else [],
        "provider": _name(child(item_meta, "provider")),
        "language": language,
        "slugline": inline_text(child(content_meta, "slugline"), unknown=unknown),
        "description": inline_text(child(content_meta, "description"), unknown=unknown),
        "located": _name(child(content_meta, "located")),
        "urgency": _text(child(content_meta, "urgency")),
        "genre": [name for node in children(content_meta, "genre")
                  if (name := _name(node))] if content_meta is not None else [],
        "subjects": [_subject(node) for node in children(content_meta, "subject")
                     ] if content_meta is not None else [],
        "keywords": [text for node in children(content_meta, "keyword")
                     if (text := inline_text(node))] if content_meta is not None else [],
        "copyright_holder": _name(child(rights, "copyrightHolder")),
    }
    found.update({key: value for key, value in values.items() if value})
    return found


def _subject(node: etree._Element) -> dict[str, str]:
    subject = {"code": _qcode(node), "name": inline_text(child(node, "name"))}
    return {key: value for key, value in subject.items() if value}


def _qcode(node: etree._Element | None) -> str:
    return _attribute(node, "qcode") or _attribute(node, "uri")


def _name(node: etree._Element | None) -> str:
    """A G2 party or concept by its <name>, else its literal, else its code."""
    if node is None:
        return ""
    return inline_text(child(node, "name")) or _attribute(node, "literal") or _qcode(node)


def _text(node: etree._Element | None) -> str:
    return (node.text or "").strip() if node is not None else ""


def _attribute(node: etree._Element | None, name: str) -> str:
    return (node.get(name) or "").strip() if node is not None else ""
