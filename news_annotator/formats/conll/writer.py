"""Writing CoNLL BIO: the entity layer tokenized, entities on whole tokens, a
-DOCSTART- before each document."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from news_annotator.formats.common.tokens import Chunk, choose_chunks, sentences, tokenize
from news_annotator.formats.conll.reader import DOCSTART, ENTITY_LAYER
from news_annotator.model import Document
from news_annotator.project import Project

_SPACE = re.compile(r"\s+")

Progress = Callable[[int], None]
log = logging.getLogger(__name__)


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
