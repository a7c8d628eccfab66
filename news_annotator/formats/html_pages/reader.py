"""Reading a saved news page: trafilatura finds the article and its metadata."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from news_annotator.errors import InputError
from news_annotator.formats.common.file_text import normalize_newlines, read_text_file
from news_annotator.formats.common.records import ReadOptions
from news_annotator.model import NewDocument


def read(path: Path, options: ReadOptions) -> Iterator[NewDocument]:
    import trafilatura  # heavy import, only when an HTML page is read

    html = read_text_file(path)
    if not html.strip():
        raise InputError(path, "empty file: no HTML")
    extracted = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, favor_precision=True,
        with_metadata=True)
    if extracted is None:
        raise InputError(path, "no article text found in this HTML page")
    data = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    text = normalize_newlines((data.get("text") or "").strip())
    if not text:
        raise InputError(path, "no article text found in this HTML page")
    metadata = {key: data[key] for key in ("sitename", "hostname", "description", "categories",
                                           "tags", "language") if data.get(key)}
    metadata["file"] = path.name
    return iter([NewDocument(
        text=text + "\n", title=(data.get("title") or path.stem).strip(),
        source=data.get("sitename") or data.get("hostname") or path.name,
        url=data.get("url") or "", published=data.get("date") or "",
        metadata={**metadata, "author": data.get("author") or ""})])
