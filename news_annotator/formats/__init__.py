"""The format registry: which reader or writer handles a name, a suffix, a file.

Each format is a package here named by its spec's `module_name`, with `reader.py` and/or
`writer.py` and an `__init__` that re-exports `read`, `write`, `sniff` and the like; what
several formats share is in `common/`. Packages load on first use, so `annotator --help`
stays fast and an optional format's missing dependency only matters when that format is
asked for.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from news_annotator.errors import InputError


@dataclass(frozen=True, slots=True)
class FormatSpec:
    name: str
    module_name: str
    description: str
    suffixes: tuple[str, ...] = ()
    can_read: bool = True
    can_write: bool = True
    # Suffixes of the files whose content the module's `sniff` looks at; None: every file.
    # Detection imports a module only to sniff such a file.
    sniffs: tuple[str, ...] | None = ()

    @property
    def module(self) -> ModuleType:
        try:
            return importlib.import_module(f"news_annotator.formats.{self.module_name}")
        except ImportError as error:
            raise InputError(self.name, f"this format is not available ({error})") from error


FORMATS: dict[str, FormatSpec] = {spec.name: spec for spec in (
    FormatSpec("json", "native_json", "our project JSON: everything, lossless", (".json",)),
    FormatSpec("jsonl", "jsonl_corpus",
               "JSON Lines: one article, or one annotated document, a line",
               (".jsonl", ".ndjson", ".jsonlines")),
    FormatSpec("xml", "native_xml", "our standoff XML, lossless (XSD in resources/xml)",
               (".xml",), sniffs=None),
    FormatSpec("text", "text_files", "plain-text articles, one per file", (".txt", ".text"),
               can_write=False),
    FormatSpec("html", "html_pages", "saved news pages; main text and metadata extracted",
               (".html", ".htm", ".xhtml"), can_write=False),
    FormatSpec("csv", "csv_corpus", "CSV/TSV: articles a row on import; spans a row on export",
               (".csv", ".tsv")),
    FormatSpec("brat", "brat", "brat standoff: .txt + .ann pairs", (".ann",)),
    FormatSpec("doccano", "doccano", "doccano JSONL (sequence labeling, relations)", (),
               sniffs=(".jsonl", ".json")),
    FormatSpec("labelstudio", "labelstudio", "Label Studio JSON export", (),
               sniffs=(".json",)),
    FormatSpec("xmi", "xmi", "UIMA CAS XMI as INCEpTION reads and writes it", (".xmi",),
               sniffs=(".xmi", ".zip", ".xml")),
    FormatSpec("conll", "conll", "CoNLL-2003 style BIO, entity layer only",
               (".conll", ".iob", ".bio")),
    FormatSpec("spacy", "spacy_docbin", "spaCy DocBin (needs spaCy installed)", (".spacy",),
               can_read=False),
    # Agency formats and WebAnno TSV share their suffixes with others: found by content.
    FormatSpec("nitf", "nitf", "NITF 3.x news items (AP, NYT Annotated Corpus)", (),
               can_write=False, sniffs=(".xml", ".nitf")),
    FormatSpec("newsml", "newsml", "IPTC NewsML-G2 news items and messages", (),
               can_write=False, sniffs=(".xml", ".nml")),
    FormatSpec("ninjs", "ninjs", "IPTC ninjs 1.x/2.x JSON news items", (), can_write=False,
               sniffs=(".json",)),
    FormatSpec("webanno-tsv", "webanno_tsv", "WebAnno TSV 3.3 as INCEpTION reads and writes "
               "it", (), sniffs=(".tsv",)),
)}


def get_format(name: str) -> FormatSpec:
    try:
        return FORMATS[name]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise InputError(name, f"unknown format; known formats: {known}") from None


def _implemented(spec: FormatSpec) -> bool:
    return importlib.util.find_spec(f"news_annotator.formats.{spec.module_name}") is not None


def available_formats(*, reading: bool) -> list[str]:
    """Names of the formats whose module is present, for help texts and dialogs (without
    importing them: every CLI command builds the help)."""
    return sorted(name for name, spec in FORMATS.items()
                  if (spec.can_read if reading else spec.can_write) and _implemented(spec))


def detect_format(path: Path) -> FormatSpec | None:
    """The format a file is in: a module's own `sniff` first, its suffix second."""
    candidates = [spec for spec in FORMATS.values() if spec.can_read and _implemented(spec)]
    suffix = path.suffix.lower()
    for spec in candidates:
        if spec.sniffs is not None and suffix not in spec.sniffs:
            continue
        sniff = getattr(spec.module, "sniff", None)
        if sniff is not None and sniff(path):
            return spec
    return next((spec for spec in candidates if suffix in spec.suffixes), None)
