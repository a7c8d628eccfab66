"""Read ninjs (IPTC's JSON for news items), versions 1.x and 2.x, into documents."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from news_annotator.errors import InputError
from news_annotator.formats.common.file_text import read_utf8
from news_annotator.formats.common.interop import ReadWarning, head, json_values
from news_annotator.formats.common.news_markup import html_paragraphs, plain_paragraphs
from news_annotator.formats.common.records import ReadOptions
from news_annotator.model import NewDocument

# A ninjs item has a `uri` and at least one of these (1.x and 2.x names).
ITEM_KEYS = ("headline", "headlines", "body_html", "body_text", "bodies", "versioncreated",
             "firstcreated")
TEXT_TYPES = ("", "text", "composite")


def sniff(path: Path) -> bool:
    """A .json file whose first item has ninjs's `uri` and a headline, body or version
    date at its top level (our own JSON and other tools' never do)."""
    if path.suffix.lower() != ".json":
        return False
    start = head(path)
    try:
        first = next(json_values(path, start), (0, None))[1]
    except InputError:  # cut off by the sniff's byte limit (or broken): look at the keys
        text = start[:4000]
        return '"news-annotator' not in text and '"uri"' in text \
            and any(f'"{key}"' in text for key in ITEM_KEYS)
    if isinstance(first, list) and first:
        first = first[0]
    return is_item(first)


def is_item(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("uri"), str) \
        and any(key in value for key in ITEM_KEYS) and "spans" not in value


def read(path: Path, options: ReadOptions
         ) -> Iterator[NewDocument | ReadWarning | InputError]:
    """Each item (a file of one item, a list of items, or items one after another) as a
    document; an item without text is skipped with a note or named as an error."""
    found = False
    for line, value in json_values(path, read_utf8(path, strip_bom=True)):
        for index, item in enumerate(value if isinstance(value, list) else [value], start=1):
            found = True
            where = str(index) if isinstance(value, list) else None
            if not isinstance(item, dict):
                yield InputError(path, "a ninjs item must be a JSON object", line=line,
                                 record=where)
                continue
            try:
                yield item_document(item)
            except _NoText as problem:
                error = InputError(path, str(problem), line=line, record=where)
                yield error if problem.text_type else ReadWarning(error)
    if not found:
        raise InputError(path, "empty file: no ninjs items")


class _NoText(ValueError):
    def __init__(self, reason: str, *, text_type: bool) -> None:
        super().__init__(reason)
        self.text_type = text_type


def item_document(item: dict[str, Any]) -> NewDocument:
    """One ninjs item as a document; _NoText when it has no body."""
    second = any(key in item for key in ("headlines", "bodies", "descriptions", "subjects"))
    uri, kind = _string(item.get("uri")), _string(item.get("type"))
    body = _body(item, second=second)
    if not body:
        named = f"ninjs item {uri!r}" if uri else "ninjs item"
        raise _NoText(f"{named} ({kind or 'no type'}) has no body text; skipped",
                      text_type=kind in TEXT_TYPES)
    title = _role_value(item.get("headlines"), "main") if second \
        else _string(item.get("headline"))
    return NewDocument(text="\n\n".join(body), title=title, uid=uri,
                       source=_source(item), published=_published(item),
                       metadata=_metadata(item, second=second))


def _body(item: dict[str, Any], *, second: bool) -> list[str]:
    if second:
        bodies = item.get("bodies")
        chosen = _by_role(bodies, "main") if isinstance(bodies, list) else None
        if chosen is None:
            return []
        value = _string(chosen.get("value"))
        html = "html" in _string(chosen.get("contenttype")) or value.lstrip().startswith("<")
        return html_paragraphs(value) if html else plain_paragraphs(value)
    html = _string(item.get("body_html"))
    if html.strip():
        return html_paragraphs(html)
    return plain_paragraphs(_string(item.get("body_text")))


def _by_role(values: list[Any], role: str) -> dict[str, Any] | None:
    """The entry whose role is (or ends with) `role`, else the first object."""
    objects = [value for value in values if isinstance(value, dict)]
    return next((value for value in objects if _string(value.get("role")).endswith(role)),
                objects[0] if objects else None)


def _role_value(values: Any, role: str) -> str:
    chosen = _by_role(values, role) if isinstance(values, list) else None
    return _string(chosen.get("value")) if chosen else ""


def _source(item: dict[str, Any]) -> str:
    sources = item.get("infosources")
    if isinstance(sources, list):
        named = [_string(s.get("name")) for s in sources if isinstance(s, dict)]
        if named := [name for name in named if name]:
            return named[0]
    return _string(item.get("copyrightholder"))


def _published(item: dict[str, Any]) -> str:
    return next((value for key in ("versioncreated", "firstcreated", "contentcreated")
                 if (value := _string(item.get(key)))), "")


def _metadata(item: dict[str, Any], *, second: bool) -> dict[str, Any]:
    standard = item.get("standard") if isinstance(item.get("standard"), dict) else {}
    version = _string(standard.get("version")) or ("2.x" if second else "1.x")
    found: dict[str, Any] = {"format": f"ninjs {version}"}
    if second:
        description = _role_value(item.get("descriptions"), "summary")
        if "<" in description:
            description = " ".join(html_paragraphs(description))
    else:
        description = _string(item.get("description_text")) or " ".join(
            html_paragraphs(_string(item.get("description_html"))))
    values: dict[str, Any] = {
        "type": _string(item.get("type")),
        "version": _string(item.get("version")),
        "first_created": _string(item.get("firstcreated")),
        "version_created": _string(item.get("versioncreated")),
        "content_created": _string(item.get("contentcreated")),
        "embargoed": _string(item.get("embargoed")),
        "pub_status": _string(item.get("pubstatus")),
        "urgency": _string(item.get("urgency")),
        "byline": _string(item.get("by" if second else "byline")),
        "located": _string(item.get("located")),
        "language": _string(item.get("language")),
        "slugline": _string(item.get("slugline")),
        "description": " ".join(description.split()),
        "copyright_holder": _string(item.get("copyrightholder")),
        "subjects": _concepts(item.get("subjects" if second else "subject")),
        "genre": [c.get("name") or c.get("code", "") for c in _concepts(item.get("genre"))],
        "keywords": [k for k in item.get("keywords", []) if isinstance(k, str)]
        if isinstance(item.get("keywords"), list) else [],
        "people": _names(item.get("people" if second else "person")),
        "organisations": _names(item.get("organisations" if second else "organisation")),
        "places": _names(item.get("places" if second else "place")),
    }
    found.update({key: value for key, value in values.items() if value})
    return found


def _concepts(values: Any) -> list[dict[str, str]]:
    """Subjects and the like as {code, name}: the code from `code`, else `uri`, else
    `qcode`."""
    if not isinstance(values, list):
        return []
    found = []
    for value in values:
        if not isinstance(value, dict):
            continue
        concept = {"code": _string(value.get("code") or value.get("uri") or value.get("qcode")),
                   "name": _string(value.get("name"))}
        if concept := {key: text for key, text in concept.items() if text}:
            found.append(concept)
    return found


def _names(values: Any) -> list[str]:
    if not isinstance(values, list):
        return []
    return [name for value in values if isinstance(value, dict)
            if (name := _string(value.get("name") or value.get("literal")))]


def _string(value: Any) -> str:
    """A JSON scalar as text (numbers as JSON writes them); anything else as ""."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return json.dumps(value)
    return ""
