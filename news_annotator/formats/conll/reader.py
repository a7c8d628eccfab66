"""Reading CoNLL/IOB: documents split at -DOCSTART-, text rebuilt from the tokens,
entities decoded from IOB1, IOB2 or BIOES tags."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from news_annotator.errors import InputError
from news_annotator.formats.common.records import AnnotatedDocument, ReadOptions, SpanRecord
from news_annotator.model import NewDocument

ENTITY_LAYER = "entity"
DOCSTART = "-DOCSTART-"
_TAG = re.compile(r"^(?:O|([BIES])-(\S+))$")


@dataclass(slots=True)
class _Pending:
    """The document being read: its sentences, where it began, and its first problem."""

    number: int
    first_line: int
    sentences: list[list[tuple[str, str]]] = field(default_factory=lambda: [[]])
    error: InputError | None = None


def read(path: Path, options: ReadOptions) -> Iterator[AnnotatedDocument | InputError]:
    """Documents of a CoNLL/IOB file; a document with a bad line comes out as an InputError."""
    try:
        handle = path.open("r", encoding="utf-8-sig", newline=None)
    except OSError as error:
        raise InputError(path, f"cannot read ({error.strerror})") from error
    with handle:
        pending = _Pending(1, 1)
        line_number = 0
        try:
            for line_number, raw in enumerate(handle, start=1):  # noqa: B007
                line = raw.strip()
                fields = _fields(line)
                if fields and fields[0] == DOCSTART:
                    if pending.error is None and not any(pending.sentences):
                        pending = _Pending(pending.number, line_number + 1)
                        continue
                    yield from _finish(path, pending, options)
                    pending = _Pending(pending.number + 1, line_number + 1)
                elif pending.error is not None:
                    continue
                elif not line:
                    if pending.sentences[-1]:
                        pending.sentences.append([])
                else:
                    problem = _add_line(pending, fields)
                    if problem:
                        pending.error = InputError(path, problem, line=line_number,
                                                   record=f"document {pending.number}")
        except UnicodeDecodeError as error:
            raise InputError(path, f"not valid UTF-8 (byte 0x{error.object[error.start]:02x})",
                             line=line_number + 1) from error
        yield from _finish(path, pending, options)


def _fields(line: str) -> list[str]:
    if "\t" in line:
        return [part.strip() for part in line.split("\t")]
    return line.split()


def _add_line(pending: _Pending, fields: list[str]) -> str | None:
    if len(fields) < 2:
        return (f"expected a token and a tag, got {fields[0][:40]!r}" if fields
                else "expected a token and a tag")
    token, tag = fields[0], fields[-1]
    if not token:
        return "empty token before the tag"
    if not _TAG.match(tag):
        return f"expected a tag such as O, B-PER or I-PER as the last column, got {tag[:40]!r}"
    pending.sentences[-1].append((token, tag))
    return None


def _finish(path: Path, pending: _Pending, options: ReadOptions
            ) -> Iterator[AnnotatedDocument | InputError]:
    if pending.error is not None:
        yield pending.error
        return
    rows = [sentence for sentence in pending.sentences if sentence]
    if not rows:
        return
    text, spans = decode(rows)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    records = [SpanRecord(uid=_span_uid(digest, options.annotator, label, start, end),
                          annotator=options.annotator, label=label, layer=ENTITY_LAYER,
                          fragments=((start, end),))
               for label, start, end in spans]
    title = text.split("\n", 1)[0][:100]
    document = NewDocument(text=text, title=title, source=path.name,
                           metadata={"file": path.name, "document": pending.number})
    yield AnnotatedDocument(document, records,
                            where=f"{path}:{pending.first_line} (document {pending.number})")


def decode(rows: list[list[tuple[str, str]]]) -> tuple[str, list[tuple[str, int, int]]]:
    """Rebuilt text and (label, start, end) entities from sentences of (token, tag).

    ``I-X`` continues an open X entity and otherwise starts one (IOB1); ``B-X`` and
    ``S-X`` always start one; ``E-X`` and ``S-X`` close theirs; ``O`` and a sentence end
    close whatever is open.
    """
    pieces: list[str] = []
    entities: list[tuple[str, int, int]] = []
    position = 0
    for number, sentence in enumerate(rows):
        if number:
            pieces.append("\n")
            position += 1
        open_label: str | None = None
        open_start = 0
        last_end = position
        for index, (token, tag) in enumerate(sentence):
            if index:
                pieces.append(" ")
                position += 1
            start, end = position, position + len(token)
            pieces.append(token)
            position = end
            match = _TAG.match(tag)
            assert match is not None
            kind, label = match.group(1), match.group(2)
            continues = open_label is not None and label == open_label and kind in ("I", "E")
            if open_label is not None and not continues:
                entities.append((open_label, open_start, last_end))
                open_label = None
            if kind is not None and not continues:
                open_label, open_start = label, start
            if kind in ("E", "S") and open_label is not None:
                entities.append((open_label, open_start, end))
                open_label = None
            last_end = end
        if open_label is not None:
            entities.append((open_label, open_start, last_end))
    return "".join(pieces), entities


def _span_uid(digest: str, annotator: str, label: str, start: int, end: int) -> str:
    key = f"conll|{digest}|{annotator}|{ENTITY_LAYER}|{label}|{start}|{end}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
