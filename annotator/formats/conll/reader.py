"""CoNLL-2003 style BIO: a token and its tag a line, the entity layer only.

Layout: ``token<TAB>tag`` a line, a blank line between sentences, a ``-DOCSTART-`` line
(then a blank line) before each document. On import the tag is the last column and the
token the first, so the four-column CoNLL-2003 files read too; columns are split on tabs
when a line has one, else on any whitespace.

Export cuts each document with the tokenizer of `annotator.formats.common.tokens` (documented
there): words, numbers with separators, abbreviations, and every other character —
punctuation and curly quotes included — as its own token, with token boundaries forced
at entity edges so every entity maps onto whole tokens. Sentences end at line breaks and
after ``. ! ?`` when a new sentence follows. Only the ``entity`` layer is written; an
entity overlapping an earlier (or, at the same start, longer) one cannot be tagged and
is dropped, counted in the warnings; each part of a discontinuous entity becomes an
entity of its own.

Import rebuilds each document's text from its tokens, joined by single spaces within a
sentence and by line breaks between sentences: span offsets refer to this rebuilt text,
not to any original. Tags may be IOB2 (``B-`` starts every entity), IOB1 (``I-`` after
``O`` or another type starts an entity; ``B-`` only separates two adjacent entities of
one type) or BIOES (``E-``/``S-``); all are decoded by the same rules.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from annotator.errors import InputError
from annotator.formats.common.records import AnnotatedDocument, ReadOptions, SpanRecord
from annotator.formats.common.tokens import Chunk, choose_chunks, sentences, tokenize
from annotator.model import Document, NewDocument
from annotator.project import Project

ENTITY_LAYER = "entity"
DOCSTART = "-DOCSTART-"
_TAG = re.compile(r"^(?:O|([BIES])-(\S+))$")
_SPACE = re.compile(r"\s+")

Progress = Callable[[int], None]
log = logging.getLogger(__name__)


# -- writing ------------------------------------------------------------------------


@dataclass(slots=True)
class _Tally:
    overlapping: int = 0
    discontinuous: int = 0
    untokenized: int = 0
    renamed: set[str] = field(default_factory=set)

    def messages(self) -> list[str]:
        found = []
        if self.overlapping:
            found.append(f"{self.overlapping} overlapping entities dropped (BIO tags cannot "
                         "hold overlaps; the earliest, then the longest, was kept)")
        if self.discontinuous:
            found.append(f"{self.discontinuous} discontinuous entities written as one entity "
                         "per part")
        if self.untokenized:
            found.append(f"{self.untokenized} entities cover no token (only spaces) and were "
                         "dropped")
        if self.renamed:
            found.append("labels with spaces written with '_': " + ", ".join(sorted(
                self.renamed)))
        return found


def write(project: Project, out: Path, *, annotators: list[str] | None = None,
          document_ids: list[int] | None = None, progress: Progress | None = None,
          warnings: list[str] | None = None) -> int:
    """Write the entity layer as BIO, a document after each -DOCSTART-; returns documents.

    What could not be represented is reported in `warnings` (or logged when None).
    """
    wanted = _annotator_ids(project, annotators)
    tally = _Tally()
    count = 0
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        for document in project.documents.iter_all(document_ids):
            write_document(handle, document_rows(project, document, wanted, tally))
            count += 1
            if progress:
                progress(count)
    for message in tally.messages():
        if warnings is None:
            log.warning("%s: %s", out, message)
        else:
            warnings.append(message)
    return count


def _annotator_ids(project: Project, names: list[str] | None) -> set[int] | None:
    if names is None:
        return None
    return {a.id for a in project.annotators.all() if a.name in names}


def entity_chunks(project: Project, document: Document, wanted: set[int] | None,
                  tally: _Tally) -> list[Chunk]:
    """The entity spans of a document that a flat tag sequence can hold."""
    parts = []
    for span in project.spans.for_document(document.id):
        if span.layer != ENTITY_LAYER or (wanted is not None and span.annotator_id not in wanted):
            continue
        if span.is_discontinuous:
            tally.discontinuous += 1
        label = _SPACE.sub("_", span.label)
        if label != span.label:
            tally.renamed.add(span.label)
        parts.extend((label, start, end) for start, end in span.fragments)
    chunks, dropped = choose_chunks(parts)
    tally.overlapping += dropped
    return chunks


def document_rows(project: Project, document: Document, wanted: set[int] | None,
                  tally: _Tally) -> list[list[tuple[str, str]]]:
    """A document as sentences of (token, tag) pairs."""
    text = document.text
    chunks = entity_chunks(project, document, wanted, tally)
    return tag_text(text, chunks, tally)


def tag_text(text: str, chunks: list[Chunk], tally: _Tally | None = None) -> list[
        list[tuple[str, str]]]:
    """Tokenize `text` (cut at the chunks' edges) and tag it with IOB2 tags."""
    tokens = tokenize(text, [edge for c in chunks for edge in (c.start, c.end)])
    tags = ["O"] * len(tokens)
    inside: set[int] = set()
    index = 0
    for chunk in chunks:
        while index < len(tokens) and tokens[index].end <= chunk.start:
            index += 1
        first = index
        while index < len(tokens) and tokens[index].end <= chunk.end:
            tags[index] = ("B-" if index == first else "I-") + chunk.label
            if index > first:
                inside.add(index)
            index += 1
        if index == first and tally is not None:
            tally.untokenized += 1
    positions = {token: i for i, token in enumerate(tokens)}
    return [[(text[t.start:t.end], tags[positions[t]]) for t in sentence]
            for sentence in sentences(text, tokens, inside)]


def write_document(handle: IO[str], rows: list[list[tuple[str, str]]]) -> None:
    handle.write(f"{DOCSTART}\tO\n\n")
    for sentence in rows:
        handle.write("".join(f"{token}\t{tag}\n" for token, tag in sentence))
        handle.write("\n")


# -- reading ------------------------------------------------------------------------


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
