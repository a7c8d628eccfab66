"""The lexical rules of WebAnno TSV 3.3, as INCEpTION's own reader and writer apply them.

- Sentence text (`#Text=` lines) escapes `\\` and the control characters, the readable
  ones as `\\t`, `\\n`, `\\f`, `\\r`, `\\b`, the others as a backslash before the raw
  character (INCEpTION's `Escaping.escapeText`); a sentence that holds line feeds is
  written as several `#Text=` lines.
- Feature values escape `\\`, `[`, `]`, `|`, `_`, `->`, `;`, `*`, tab and line feed
  with a backslash (`escapeValue`; `->` is escaped as one unit); an unescaped `*` alone
  is a null value, `_` alone an empty column; stacked values are split at an unescaped
  `|`; a value may end with a disambiguation id `[N]` (relation references `[S_T]`).
- Offsets count UTF-16 code units (Java's): a character past U+FFFF counts two.
"""

from __future__ import annotations

import re
from bisect import bisect_left

FORMAT_PREFIX = "#FORMAT="
FORMAT_NAME = "WebAnno TSV"
FORMAT_LINE = "#FORMAT=WebAnno TSV 3.3"
SPAN_PREFIX, CHAIN_PREFIX, RELATION_PREFIX = "#T_SP=", "#T_CH=", "#T_RL="
TEXT_PREFIX = "#Text="
SENTENCE_ID_PREFIX = "#Sentence.id="
NULL_COLUMN = "_"
NULL_VALUE = "*"
BASE_TYPE_PREFIX = "BT_"
ROLE_PREFIX = "ROLE_"

_TEXT_ESCAPES = {chr(code): "\\" + chr(code) for code in range(32) if not 7 < code < 14}
_TEXT_ESCAPES.update({"\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", "\b": "\\b",
                      "\\": "\\\\"})
_TEXT_ESCAPE = re.compile("[" + re.escape("".join(_TEXT_ESCAPES)) + "]")
_TEXT_UNESCAPES = {escaped[1]: raw for raw, escaped in _TEXT_ESCAPES.items()}
_TEXT_UNESCAPE = re.compile(r"\\([" + re.escape("".join(_TEXT_UNESCAPES)) + "])")
_VALUE_ESCAPE = re.compile(r"->|[\\\[\]|_;*\t\n]")
_VALUE_UNESCAPE = re.compile(r"\\(->|[\\\[\]|_;*tn])")
_VALUE_UNESCAPES = {"t": "\t", "n": "\n"}
_DISAMBIGUATION = re.compile(r"^(.*)\[(\d{1,9})\]$", re.DOTALL)
_UNIT_ID = re.compile(r"^(\d{1,9})-(\d{1,9})(?:\.(\d{1,9}))?$")
_REFERENCE = re.compile(r"^(\d{1,9}-\d{1,9}(?:\.\d{1,9})?)(?:\[(\d{1,9})_(\d{1,9})\])?$")
_LINE_END = re.compile(r"\r\n|\r|\n")


def escape_text(text: str) -> str:
    return _TEXT_ESCAPE.sub(lambda m: _TEXT_ESCAPES[m.group()], text)


def unescape_text(text: str) -> str:
    return _TEXT_UNESCAPE.sub(lambda m: _TEXT_UNESCAPES[m.group(1)], text)


def escape_value(value: str) -> str:
    return _VALUE_ESCAPE.sub(lambda m: {"\t": "\\t", "\n": "\\n"}.get(m.group(),
                                                                    "\\" + m.group()), value)


def unescape_value(value: str) -> str:
    return _VALUE_UNESCAPE.sub(lambda m: _VALUE_UNESCAPES.get(m.group(1), m.group(1)), value)


def split_unescaped(value: str, separator: str) -> list[str]:
    """`value` split at each `separator` not escaped by a backslash (escapes kept)."""
    parts, current, index = [], [], 0
    while index < len(value):
        char = value[index]
        if char == "\\" and index + 1 < len(value):
            current.append(value[index:index + 2])
            index += 2
            continue
        if char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


def split_disambiguation(value: str) -> tuple[str, int | None]:
    """`PER[3]` -> ('PER', 3); a value ending in an escaped `\\]` has no id."""
    match = _DISAMBIGUATION.match(value)
    if match is None or _ends_escaped(match.group(1) + "[", len(match.group(1))):
        return value, None
    return match.group(1), int(match.group(2))


def _ends_escaped(text: str, index: int) -> bool:
    """True when the character at `index` is escaped by an odd run of backslashes."""
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def parse_unit_id(text: str) -> tuple[int, int, int] | None:
    """`2-5` -> (2, 5, 0); `2-5.1` -> (2, 5, 1); None when malformed."""
    match = _UNIT_ID.match(text)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)


def parse_reference(text: str) -> tuple[str, int, int] | None:
    """A relation's source reference `1-3` or `1-3[2_0]` -> (unit id, source id, target
    id), ids 0 when not given; None when malformed."""
    match = _REFERENCE.match(text)
    if match is None:
        return None
    return match.group(1), int(match.group(2) or 0), int(match.group(3) or 0)


def lines_of(text: str) -> list[str]:
    """Lines as Java's readLine cuts them: at CR LF, CR or LF, and nowhere else."""
    lines = _LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


class Utf16Offsets:
    """Converts between UTF-16 code units (TSV's offsets) and code points (ours)."""

    def __init__(self, text: str) -> None:
        self.astral: list[int] = []  # code point index of each character past U+FFFF
        if not text.isascii():
            self.astral = [index for index, char in enumerate(text) if ord(char) > 0xFFFF]
        # the UTF-16 offset at which each of those characters starts
        self.astral_units = [index + number for number, index in enumerate(self.astral)]
        self.length = len(text) + len(self.astral)

    def to_units(self, offset: int) -> int:
        return offset + bisect_left(self.astral, offset)

    def to_code_points(self, units: int) -> int | None:
        """None when `units` falls inside a surrogate pair or past the end."""
        if not 0 <= units <= self.length:
            return None
        before = bisect_left(self.astral_units, units)
        if before and self.astral_units[before - 1] == units - 1:
            return None
        return units - before


def utf16_length(text: str) -> int:
    return len(text) if text.isascii() else len(text) + sum(ord(c) > 0xFFFF for c in text)
