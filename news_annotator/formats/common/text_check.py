"""One rule for a span's stated text (brat's text field, Label Studio's value.text, our
own span snapshot) against the text at its offsets: the offsets are the truth.

A stated text that differs only in whitespace, that stops at a line break inside the
span (brat text fields cannot hold one), or that joins the fragments of a discontinuous
span another way (no space, " … ", "...") is accepted, and the reader counts a warning.
Any other difference is a real mismatch, described by where the two texts part.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from news_annotator.model import Fragment

CONTEXT = 12  # characters shown on each side of the first difference
SHORT = 40  # texts up to this long are shown whole
_SPACES = re.compile(r"\s+")
_JOIN = r"\s*(?:…|\.\.\.)?\s*"  # how other tools join the parts of a split span
_SHOWN = str.maketrans({"\n": "\\n", "\r": "\\r", "\t": "\\t"})


class Agreement(Enum):
    SAME = "same"
    WHITESPACE = "whitespace"
    CUT_AT_LINE_BREAK = "cut at a line break"
    JOINED = "fragments joined differently"
    DIFFERENT = "different"


@dataclass(frozen=True, slots=True)
class TextCheck:
    """The verdict and, unless the texts are the same, a sentence saying what differs."""

    agreement: Agreement
    detail: str = ""

    @property
    def accepted(self) -> bool:
        return self.agreement is not Agreement.DIFFERENT

    @property
    def warning(self) -> bool:
        return self.agreement not in (Agreement.SAME, Agreement.DIFFERENT)


def check_span_text(given: str, text: str, fragments: Sequence[Fragment], *,
                    joiner: str = " ") -> TextCheck:
    """How `given` compares with the text at `fragments` (in the order the file joins
    them, by `joiner`)."""
    parts = [text[start:end] for start, end in fragments]
    actual = joiner.join(parts)
    if given == actual:
        return TextCheck(Agreement.SAME)
    if _squash(given) == _squash(actual):
        return TextCheck(Agreement.WHITESPACE, "differs from the text at its offsets only in "
                         "whitespace")
    if len(parts) > 1 and _joined_otherwise(given, parts):
        return TextCheck(Agreement.JOINED, "joins the fragments of the span differently "
                         "from the text at its offsets")
    cut = _cut_at_line_break(given, actual)
    if cut is not None:
        return TextCheck(Agreement.CUT_AT_LINE_BREAK,
                         f"stops at the line break after character {cut} of the span; the "
                         f"offsets cover {len(actual) - cut} more characters")
    return TextCheck(Agreement.DIFFERENT, says_otherwise(given, actual,
                                                         _offsets(fragments, len(joiner))))


def says_otherwise(given: str, actual: str, offsets: Sequence[int | None] = ()) -> str:
    """"says 'Widget Inc' but the text at its offsets is 'Widget Co': they part at …"."""
    if len(given) <= SHORT and len(actual) <= SHORT:
        said = f"says {given!r} but the text at its offsets is {actual!r}"
    else:
        said = (f"says {given[:SHORT]!r}{'…' if len(given) > SHORT else ''} ({len(given)} "
                f"characters) but the text at its offsets ({len(actual)} characters) differs")
    return f"{said}: {where_they_part(given, actual, offsets)}"


def where_they_part(given: str, actual: str, offsets: Sequence[int | None] = ()) -> str:
    """'they part at character 7 (offset 19): 'Widget [I]nc' vs 'Widget [C]o''."""
    index = next((i for i, (a, b) in enumerate(zip(given, actual, strict=False)) if a != b),
                 min(len(given), len(actual)))
    at = f" (offset {offsets[index]})" if index < len(offsets) and offsets[index] is not None \
        else ""
    return (f"they part at character {index}{at}: {_around(given, index)} vs "
            f"{_around(actual, index)}")


def _around(text: str, index: int) -> str:
    before = text[max(0, index - CONTEXT):index]
    after = text[index + 1:index + 1 + CONTEXT]
    mark = text[index] if index < len(text) else "(end)"
    return "'" + ("…" if index > CONTEXT else "") + before.translate(_SHOWN) + "[" \
        + mark.translate(_SHOWN) + "]" + after.translate(_SHOWN) \
        + ("…" if index + 1 + CONTEXT < len(text) else "") + "'"


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _joined_otherwise(given: str, parts: list[str]) -> bool:
    pieces = [r"\s+".join(re.escape(word) for word in _squash(part).split(" "))
              for part in parts]
    return re.fullmatch(r"\s*" + _JOIN.join(pieces) + r"\s*", given) is not None


def _cut_at_line_break(given: str, actual: str) -> int | None:
    """Where `given` stops, when it is the span's text up to one of its line breaks."""
    wanted = _squash(given)
    if not wanted:
        return None
    for found in re.finditer(r"[\r\n]", actual):
        if _squash(actual[:found.start()]) == wanted:
            return found.start()
    return None


def _offsets(fragments: Sequence[Fragment], joiner_length: int) -> list[int | None]:
    """The text offset of each character of the joined span text (None inside a joiner)."""
    found: list[int | None] = []
    for index, (start, end) in enumerate(fragments):
        if index:
            found += [None] * joiner_length
        found += range(start, end)
    return found
