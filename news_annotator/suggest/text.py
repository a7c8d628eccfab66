"""Tokens, sentences and quotation state of a text, shared by the rules and the model.

No parser: tokens are words, clitics ("’s", "n’t") and single punctuation marks, with
code-point offsets into the text; sentences end at . ! ? (before a closing quote or not)
and at blank lines. Quotation state says, for each token, whether it sits inside
quotation marks of any common style (straight, curly, guillemets, low-9, single).
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

# Words (with inner hyphens and dots: "al-Assad", "U.S"), clitics ("’s", "'t") and marks.
TOKEN = re.compile(r"[’'](?:s|S|re|ve|ll|d|m|t)\b|\w+(?:[-.]\w+)*|[^\w\s]")

# Opening mark -> the marks that close it („German“ and „Polish” both close).
OPENING = {"“": "”", "„": "“”", "«": "»", "‘": "’", "‚": "‘’", "‹": "›", "「": "」", "『": "』"}
CLOSING = {"”", "»", "’", "›", "」", "』"}
STRAIGHT = {'"'}
QUOTE_MARKS = set(OPENING) | CLOSING | STRAIGHT | {"'", "``", "''"}
SENTENCE_END = {".", "!", "?"}
ABBREVIATIONS = frozenset("mr mrs ms dr st sen rep gov gen lt col sgt jr sr inc corp co "
                          "ltd u.s u.n vs jan feb mar apr aug sept sep oct nov dec no".split())


class Token(NamedTuple):
    """One token: its text and code-point offsets (half-open) into the document. A named
    tuple: made twice as fast as a frozen dataclass, and a text has thousands."""

    text: str
    start: int
    end: int


_new_token = tuple.__new__


def tokenize(text: str) -> list[Token]:
    """Words, clitics and punctuation marks with their offsets."""
    return [_new_token(Token, (m.group(), m.start(), m.end())) for m in TOKEN.finditer(text)]


def line_breaks(text: str, tokens: list[Token]) -> set[int]:
    """The indices of the tokens that a line break comes before (never the first): found
    from the text's few line breaks, not by looking between every two tokens."""
    starts = [token.start for token in tokens]
    found = set()
    for match in _NEWLINE.finditer(text):
        index = bisect.bisect_left(starts, match.start())
        if 0 < index < len(tokens):
            found.add(index)
    return found


_NEWLINE = re.compile("\n")
_CLOSES_SENTENCE = CLOSING | STRAIGHT | {")"}  # marks a sentence's end takes along


def sentences(text: str, tokens: list[Token], breaks: set[int] | None = None
              ) -> list[tuple[int, int]]:
    """Sentences as (first token, last token + 1) index pairs; `breaks`: `line_breaks`
    when the caller has them."""
    if breaks is None:
        breaks = line_breaks(text, tokens)
    bounds: list[tuple[int, int]] = []
    start = 0
    for index, token in enumerate(tokens):
        if index + 1 in breaks:
            bounds.append((start, index + 1))
            start = index + 1
            continue
        if token.text not in SENTENCE_END:
            continue
        if token.text == "." and index > 0 and tokens[index - 1].end == token.start and (
                tokens[index - 1].text.lower() in ABBREVIATIONS
                or len(tokens[index - 1].text) == 1 and tokens[index - 1].text.isupper()):
            continue
        end = index + 1
        while end < len(tokens) and tokens[end].text in _CLOSES_SENTENCE \
                and tokens[end].start == tokens[end - 1].end:
            end += 1
        if end < len(tokens) and not _starts_sentence(tokens[end].text):
            continue
        if end > start:
            bounds.append((start, end))
        start = end
    if start < len(tokens):
        bounds.append((start, len(tokens)))
    merged: list[tuple[int, int]] = []
    for first, last in bounds:  # a closing quote consumed above can leave an empty range
        if last > first:
            merged.append((first, last))
    return merged


def _starts_sentence(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit() or word in OPENING or word in STRAIGHT \
        or word in {"(", "—", "-", "'"}


def paragraphs(text: str, tokens: list[Token], breaks: set[int] | None = None
               ) -> list[tuple[int, int]]:
    """Paragraphs (runs of tokens between line breaks) as token index pairs."""
    if breaks is None:
        breaks = line_breaks(text, tokens)
    bounds: list[tuple[int, int]] = []
    start = 0
    for index in sorted(breaks):
        bounds.append((start, index))
        start = index
    if tokens:
        bounds.append((start, len(tokens)))
    return bounds


def quote_state(text: str, tokens: list[Token], breaks: set[int] | None = None) -> list[int]:
    """Per token: 1 inside quotation marks, 2 a quotation mark itself, 0 outside.

    The state resets at every line break (a paragraph that leaves a quote open, as news
    does when a quote runs over paragraphs, reopens it with a new mark). An apostrophe
    (’ between letters, or after a word with no ‘ open) is not a quotation mark.
    """
    if breaks is None:
        breaks = line_breaks(text, tokens)
    state = [0] * len(tokens)
    closer: str | None = None
    for index, token in enumerate(tokens):
        if index in breaks:
            closer = None
        mark = token.text
        if mark in OPENING and not (mark == "‘" and _inside_word(text, token)) \
                and closer is None:
            closer = OPENING[mark]
            state[index] = 2
        elif mark in STRAIGHT or mark == "''" or mark == "``":
            state[index] = 2
            closer = None if closer == '"' else ('"' if closer is None else closer)
        elif closer is not None and (
                mark in closer and not _inside_word(text, token)
                or mark in ("”", "»") and closer in ("”", "»")):
            closer = None
            state[index] = 2
        else:
            state[index] = 1 if closer is not None else 0
    return state


def _inside_word(text: str, token: Token) -> bool:
    before = text[token.start - 1] if token.start else " "
    after = text[token.end] if token.end < len(text) else " "
    return before.isalnum() and after.isalnum()


def is_quote_mark(word: str) -> bool:
    return word in QUOTE_MARKS
