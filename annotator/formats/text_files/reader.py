"""Plain-text articles: one .txt file per article, title from the first non-empty line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.errors import InputError
from annotator.formats.common.records import ReadOptions
from annotator.model import NewDocument


def read_text_file(path: Path) -> str:
    """A file's text as UTF-8 with any BOM dropped (articles; offsets do not depend on it)."""
    return read_utf8(path, strip_bom=True)


def read_utf8(path: Path, *, strip_bom: bool = False) -> str:
    """A whole file as text; an unreadable or non-UTF-8 file is an InputError naming the
    line of the bad byte."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(path, f"cannot read ({error.strerror})") from error
    if strip_bom and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise InputError(path, f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset "
                         f"{error.start})", line=line) from error


def normalize_newlines(text: str) -> str:
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read(path: Path, options: ReadOptions) -> Iterator[NewDocument]:
    text = normalize_newlines(read_text_file(path))
    if not text.strip():
        raise InputError(path, "empty file: no article text")
    title = next((line.strip() for line in text.splitlines() if line.strip()), path.stem)
    yield NewDocument(text=text, title=title[:300], source=path.name,
                      metadata={"file": path.name})
