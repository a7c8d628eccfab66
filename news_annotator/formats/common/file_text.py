"""A file's text as our readers take it: UTF-8 (an error names the line of a bad byte),
an optional BOM dropped, and line ends made \\n where offsets do not depend on them."""

from __future__ import annotations

from pathlib import Path

from news_annotator.errors import InputError


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
