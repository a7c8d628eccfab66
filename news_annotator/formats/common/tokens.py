"""A small offset-keeping tokenizer and the entity choices token formats must make.

CoNLL and spaCy exports need tokens, and a token format cannot hold overlapping
entities; both share this module so they cut text and drop overlaps the same way.

The tokenizer, in order of preference at each position:
- letters-and-dots abbreviations: ``U.S.``, ``e.g.``;
- numbers with inner separators: ``2,500``, ``3.5``, ``12:30``, ``2024/25``;
- words: letters, digits and combining marks, joined by inner ``-``, ``'`` or ``’``
  (``self-driving``, ``O’Neill``, ``wasn’t``);
- any other single character (punctuation, curly quotes, symbols, emoji), with the
  combining marks, variation selectors and zero-width joiners that follow it.
Token boundaries are also forced at every given edge (the entity spans' starts and
ends), so each entity covers whole tokens exactly, whatever the regex would do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass

_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f\u200d"
_WORD = rf"[^\W_][\w{_MARKS}]*"
TOKEN = re.compile(
    rf"(?:[^\W\d_]\.){{2,}}"                           # U.S., e.g.
    rf"|\d+(?:[.,:/]\d+)+"                            # 2,500  3.5  12:30
    rf"|{_WORD}(?:[-'’]{_WORD})*"                      # words, hyphenated, O’Neill
    rf"|_+"                                           # runs of underscores
    rf"|\S[{_MARKS}\U000e0020-\U000e007f]*"           # anything else, one by one
)
SENTENCE_END = {".", "!", "?", "…"}
CLOSERS = {"”", "’", '"', "'", ")", "]", "»"}
ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "gov", "sen",
                 "rep", "inc", "ltd", "co", "corp", "no", "vs", "mt", "ft", "lt", "col"}


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Chunk:
    """An entity as a token format sees it: a label over [start, end)."""

    label: str
    start: int
    end: int


def tokenize(text: str, edges: Iterable[int] = ()) -> list[Token]:
    """Tokens of `text` as code-point offsets, also cut at every offset in `edges`."""
    cuts = sorted({e for e in edges if 0 < e < len(text)})
    tokens: list[Token] = []
    position = 0
    for cut in [*cuts, len(text)]:
        tokens.extend(_tokens_between(text, position, cut))
        position = cut
    return tokens


def _tokens_between(text: str, start: int, end: int) -> Iterator[Token]:
    for match in TOKEN.finditer(text, start, end):
        yield Token(match.start(), match.end())


def sentences(text: str, tokens: list[Token], inside: Set[int] = frozenset()
              ) -> list[list[Token]]:
    """Group tokens into sentences: a break at a line break, or after . ! ? (and closing
    quotes) when the next token starts a new sentence; never before a token whose index
    is in `inside` (the inner tokens of an entity)."""
    groups: list[list[Token]] = []
    current: list[Token] = []
    for index, token in enumerate(tokens):
        if current and index not in inside and _breaks(text, current, token):
            groups.append(current)
            current = []
        current.append(token)
    if current:
        groups.append(current)
    return groups


def _breaks(text: str, current: list[Token], token: Token) -> bool:
    if "\n" in text[current[-1].end:token.start]:
        return True
    words = [text[t.start:t.end] for t in current[-3:]]
    while words and words[-1] in CLOSERS:
        words.pop()
    if not words or words[-1] not in SENTENCE_END:
        return False
    if len(words) >= 2 and words[-1] == "." and words[-2].lower() in ABBREVIATIONS:
        return False
    first = text[token.start]
    return first.isupper() or first.isdigit() or first in "“‘\"'([«"


def choose_chunks(fragments: Iterable[tuple[str, int, int]]) -> tuple[list[Chunk], int]:
    """The entities a flat tag sequence can hold, and how many overlapping ones were dropped.

    Earliest start wins; among equal starts the longest (outermost) wins; anything that
    overlaps a kept entity is dropped. Exact duplicates (two annotators agreeing) count once.
    """
    ordered = sorted(set(fragments), key=lambda item: (item[1], -item[2], item[0]))
    kept: list[Chunk] = []
    dropped = 0
    for label, start, end in ordered:
        if kept and start < kept[-1].end:
            dropped += 1
            continue
        kept.append(Chunk(label, start, end))
    return kept, dropped
