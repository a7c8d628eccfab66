"""The format registry: which reader or writer handles a name, a suffix, a file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from annotator.errors import InputError
from annotator.formats import csv_corpus, html_pages, jsonl_corpus, native_json, text_files


@dataclass(frozen=True, slots=True)
class FormatSpec:
    name: str
    module: ModuleType
    description: str

    @property
    def suffixes(self) -> tuple[str, ...]:
        return getattr(self.module, "SUFFIXES", ())

    @property
    def can_read(self) -> bool:
        return hasattr(self.module, "read")

    @property
    def can_write(self) -> bool:
        return hasattr(self.module, "write")


FORMATS: dict[str, FormatSpec] = {spec.name: spec for spec in (
    FormatSpec("text", text_files, "plain-text articles (.txt), one per file"),
    FormatSpec("html", html_pages, "saved news pages; main text and metadata extracted"),
    FormatSpec("jsonl", jsonl_corpus, "JSON Lines, one article (or annotated document) a line"),
    FormatSpec("csv", csv_corpus, "CSV/TSV with a header, one article a row"),
    FormatSpec("json", native_json, "our project JSON: everything, lossless"),
)}


def register(spec: FormatSpec) -> None:
    """Add a format (the interchange formats register themselves here)."""
    FORMATS[spec.name] = spec


def get_format(name: str) -> FormatSpec:
    try:
        return FORMATS[name]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise InputError(name, f"unknown format; known formats: {known}") from None


def detect_format(path: Path) -> FormatSpec | None:
    """The format a file is in, by its own `sniff` first and its suffix second."""
    for spec in FORMATS.values():
        sniff = getattr(spec.module, "sniff", None)
        if sniff is not None and sniff(path):
            return spec
    suffix = path.suffix.lower()
    return next((spec for spec in FORMATS.values()
                 if spec.can_read and suffix in spec.suffixes), None)
