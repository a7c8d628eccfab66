"""Reading plain-text articles: the whole file is the text, the first non-empty line the title."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from news_annotator.errors import InputError
from news_annotator.formats.common.file_text import normalize_newlines, read_text_file
from news_annotator.formats.common.records import ReadOptions
from news_annotator.model import NewDocument


def read(path: Path, options: ReadOptions) -> Iterator[NewDocument]:
    text = normalize_newlines(read_text_file(path))
    if not text.strip():
        raise InputError(path, "empty file: no article text")
    title = next((line.strip() for line in text.splitlines() if line.strip()), path.stem)
    yield NewDocument(text=text, title=title[:300], source=path.name,
                      metadata={"file": path.name})
