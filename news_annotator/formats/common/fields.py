"""Turn one tabular/JSON record into a document, with `--field text=body` style mapping."""

from __future__ import annotations

from typing import Any

from news_annotator.formats.common.file_text import normalize_newlines
from news_annotator.model import NewDocument

DOCUMENT_FIELDS = ("text", "title", "id", "url", "published", "source")
# Common spellings seen in scraped corpora, tried when no mapping is given.
ALIASES = {
    "text": ("text", "body", "content", "article", "maintext"),
    "title": ("title", "headline"),
    "id": ("id", "uid", "doc_id", "article_id"),
    "url": ("url", "link"),
    "published": ("published", "date", "date_publish", "published_at", "pubdate"),
    "source": ("source", "sitename", "outlet", "publisher"),
}


def parse_field_map(pairs: list[str]) -> dict[str, str]:
    """`['text=body', 'id=guid']` -> `{'text': 'body', 'id': 'guid'}`."""
    mapping = {}
    for pair in pairs:
        ours, sep, theirs = pair.partition("=")
        if not sep or ours not in DOCUMENT_FIELDS or not theirs:
            raise ValueError(f"bad field mapping {pair!r}: use OURS=THEIRS with OURS one of "
                             + ", ".join(DOCUMENT_FIELDS))
        mapping[ours] = theirs
    return mapping


def resolve_fields(available: list[str], field_map: dict[str, str]) -> dict[str, str]:
    """Which input field feeds each of ours (only those present)."""
    resolved = {}
    for ours in DOCUMENT_FIELDS:
        if ours in field_map:
            if field_map[ours] in available:
                resolved[ours] = field_map[ours]
            continue
        for alias in ALIASES[ours]:
            if alias in available:
                resolved[ours] = alias
                break
    return resolved


_ABSENT = object()


class DocumentMaker:
    """Turns records with one field layout into documents; built once per layout because
    it runs for every record of a corpus (a hot path of large imports)."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = fields
        self.text_key = fields.get("text", "")
        self.used = frozenset(fields.values())
        # Their field for each of ours (a key no record has when theirs is absent).
        self.keys: list[object] = [fields.get(ours, _ABSENT) for ours in
                                   ("title", "id", "url", "published", "source")]

    def __call__(self, record: dict[str, Any]) -> NewDocument | str:
        text = record.get(self.text_key)
        if type(text) is not str:
            wanted = self.fields.get("text", "text")
            return f"no text: field {wanted!r} is missing or not a string"
        if not text or text.isspace():  # (strip() would copy every article)
            return "empty text"
        used = self.used
        metadata = {key: value for key, value in record.items() if key not in used}
        get = record.get
        title_key, id_key, url_key, published_key, source_key = self.keys
        # Strings are the rule: _string only for the rest (a call per field costs here).
        title, uid, url = get(title_key, ""), get(id_key, ""), get(url_key, "")
        published, source = get(published_key, ""), get(source_key, "")
        if type(title) is not str:
            title = _string(title)
        if type(uid) is not str:
            uid = _string(uid)
        if type(url) is not str:
            url = _string(url)
        if type(published) is not str:
            published = _string(published)
        if type(source) is not str:
            source = _string(source)
        if "\r" in text:
            text = normalize_newlines(text)
        return NewDocument(text, title.strip(), uid, source, url, published, metadata)


def _string(value: Any) -> str:
    return value if type(value) is str else "" if value is None else str(value)
