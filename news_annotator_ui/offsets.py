"""Code points <-> Qt UTF-16 positions, and snapping span edges to graphemes and words.

The core stores Python string indices (code points); Qt counts UTF-16 code units, so
every character above U+FFFF takes two Qt positions. This module is the only place in
the app that converts between the two.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_ZWJ = "\u200d"
_SPACING_MARKS = frozenset("\u0e33\u0eb3")  # Thai and Lao AM: letters that attach
_VIRAMAS = frozenset("\u094d\u09cd\u0acd\u0b4d\u0c4d\u0d4d")


class OffsetMap:
    """Converts offsets within one text; O(log n) per call via the astral positions."""

    __slots__ = ("text", "_astral_cp", "_astral_qt")

    def __init__(self, text: str) -> None:
        self.text = text
        self._astral_cp = [match.start() for match in _ASTRAL.finditer(text)]
        # The Qt position of the k-th astral character is its code point index plus k.
        self._astral_qt = [cp + k for k, cp in enumerate(self._astral_cp)]

    @property
    def qt_length(self) -> int:
        """The text's length in UTF-16 code units."""
        return len(self.text) + len(self._astral_cp)

    def to_qt(self, cp: int) -> int:
        """The Qt (UTF-16) position of code point index `cp`."""
        if not self._astral_cp:
            return cp
        return cp + bisect_left(self._astral_cp, cp)

    def from_qt(self, u16: int) -> int:
        """The code point index at Qt position `u16`; inside a surrogate pair, its start."""
        if not self._astral_qt:
            return u16
        return u16 - bisect_left(self._astral_qt, u16)

    def snap(self, start: int, end: int, *, words: bool = False) -> tuple[int, int] | None:
        """A user selection made into span bounds: whitespace trimmed, graphemes whole.

        With `words`, edges inside a word grow to the word's ends. None when nothing but
        whitespace is left.
        """
        return snap_selection(self.text, start, end, words=words)


# -- graphemes ----------------------------------------------------------------------------

def _is_extend(char: str) -> bool:
    """True for characters that never start a grapheme cluster of their own."""
    code = ord(char)
    if char == _ZWJ or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        return True  # joiner, variation selectors
    if 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F:
        return True  # skin-tone modifiers, tag characters (subdivision flags)
    if 0x1160 <= code <= 0x11FF or 0xD7B0 <= code <= 0xD7FF:
        return True  # Hangul medial vowels and final consonants join the syllable
    return unicodedata.category(char) in ("Mn", "Me", "Mc")


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def _is_pictographic(char: str) -> bool:
    code = ord(char)
    if 0x1F000 <= code <= 0x1FFFD:
        return not (0x1F1E6 <= code <= 0x1F1FF or 0x1F3FB <= code <= 0x1F3FF)
    return code < 0x10000 and (unicodedata.category(char) == "So" or 0x2190 <= code <= 0x2BFF)


def _pictographic_before_joiner(text: str, joiner: int) -> bool:
    """True when the ZWJ at `joiner` follows a pictograph (plus its modifiers)."""
    cursor = joiner - 1
    while cursor >= 0 and text[cursor] != _ZWJ and _is_extend(text[cursor]):
        cursor -= 1
    return cursor >= 0 and _is_pictographic(text[cursor])


def is_grapheme_boundary(text: str, index: int) -> bool:
    """True when a span edge may sit at `index` without splitting a user-perceived character.

    A pragmatic subset of UAX #29: CR LF, combining marks and other extenders, emoji
    ZWJ sequences, skin tones, variation selectors and regional-indicator (flag) pairs.
    """
    if index <= 0 or index >= len(text):
        return True
    before, after = text[index - 1], text[index]
    if before == "\r" and after == "\n":
        return False
    if before in "\r\n" or after in "\r\n":
        return True
    if _is_extend(after) or after in _SPACING_MARKS:
        return False
    if before == _ZWJ and _is_pictographic(after) and _pictographic_before_joiner(text, index - 1):
        return False
    if before in _VIRAMAS and unicodedata.category(after) == "Lo":
        return False  # an Indic conjunct: consonant + virama + consonant
    if 0x1100 <= ord(before) <= 0x115F and (0x1100 <= ord(after) <= 0x11A7
                                            or 0xAC00 <= ord(after) <= 0xD7A3):
        return False  # a Hangul leading consonant joins what follows
    if _is_regional_indicator(before) and _is_regional_indicator(after):
        run = 0
        cursor = index - 1
        while cursor >= 0 and _is_regional_indicator(text[cursor]):
            run += 1
            cursor -= 1
        return run % 2 == 0
    return True


def grapheme_floor(text: str, index: int) -> int:
    """The nearest grapheme boundary at or before `index`."""
    index = max(0, min(index, len(text)))
    while not is_grapheme_boundary(text, index):
        index -= 1
    return index


def grapheme_ceil(text: str, index: int) -> int:
    """The nearest grapheme boundary at or after `index`."""
    index = max(0, min(index, len(text)))
    while not is_grapheme_boundary(text, index):
        index += 1
    return index


def grapheme_boundaries(text: str) -> list[int]:
    """Every grapheme boundary of `text`, 0 and len(text) included."""
    return [i for i in range(len(text) + 1) if is_grapheme_boundary(text, i)]


# -- words --------------------------------------------------------------------------------

def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_" or _is_extend(char)


def snap_selection(text: str, start: int, end: int, *,
                   words: bool = False) -> tuple[int, int] | None:
    """Trim whitespace, optionally grow to whole words, then widen to grapheme bounds."""
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    if words:
        if _is_word_char(text[start]):
            while start > 0 and _is_word_char(text[start - 1]):
                start -= 1
        if _is_word_char(text[end - 1]):
            while end < len(text) and _is_word_char(text[end]):
                end += 1
    return grapheme_floor(text, start), grapheme_ceil(text, end)
