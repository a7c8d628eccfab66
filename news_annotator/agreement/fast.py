"""The agreement report's per-document work, done in bulk for the common case.

Why: the reference algorithms (`tokens.count_token_labels`, `spans.PairTally.add`,
`unitizing.UnitizingTally.add`) pay Python overhead per edge, per label group and per
token; on 2 x 10,000 documents x 100 spans that was most of the report's time. Here:

- each text is classified once into token-start marks (bytes translation and
  big-integer shifts instead of a regex match per token);
- spans arrive grouped by label; each annotator's are painted onto one byte array per
  layer, and the painted length shows whether they are continuous and disjoint;
- joint token labels are counted with integer arithmetic on those arrays,
  `bytes.translate` and `bytes.count`; exact matches are set differences per label, and
  only spans without an exact twin are bisected for overlaps, which also gives
  alpha_u's observed disagreement.

Nested, overlapping or discontinuous spans take the reference path for matching and
unitizing, so the numbers are identical in every case (tests/core/test_agreement.py
compares whole reports with the reference path on random projects).
"""

from __future__ import annotations

import codecs
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from itertools import chain
from operator import itemgetter, sub

from news_annotator.agreement.spans import MatchCounts, SpanTuple, parts
from news_annotator.agreement.tokens import OUTSIDE, _paint_order
from news_annotator.agreement.unitizing import UnitizingTally

_START, _END = itemgetter(1), itemgetter(2)
_WORD, _SPACE = re.compile(r"\w"), re.compile(r"\s")
# ASCII byte -> 1 where TOKEN_PATTERN sees a word character / a one-character token.
_WORD_BIT = bytes(1 if _WORD.match(chr(b)) else 0 for b in range(256))
_OTHER_BIT = bytes(0 if b > 127 or _WORD.match(chr(b)) or _SPACE.match(chr(b)) else 1
                   for b in range(256))


class _StandIns(dict):
    """ord -> an ASCII character of the same token class ('a', ' ' or '!'), memoised."""

    def __missing__(self, key: int) -> str:
        char = chr(key)
        value = "a" if _WORD.match(char) else " " if _SPACE.match(char) else "!"
        self[key] = value
        return value


_STAND_INS = _StandIns()
_HIGH = bytes(range(128, 256))
_FILLS = [bytes((c,)) * 1024 for c in range(256)]  # runs of one label code, to paint with


def _stand_in(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return error.object[error.start:error.end].translate(_STAND_INS), error.end


codecs.register_error("annotator-token-class", _stand_in)


def token_marks(text: str) -> int:
    """Big-endian bytes of len(text): 0x80 at each offset where no token starts.

    A token (TOKEN_PATTERN) starts at every non-space character except a word character
    that follows another; non-ASCII characters are swapped for ASCII ones of the same
    class first. OR-ing this onto painted labels and deleting bytes >= 0x80 leaves one
    label per token.
    """
    ascii_ = text.encode("ascii", "annotator-token-class")
    word = int.from_bytes(ascii_.translate(_WORD_BIT), "big")
    other = int.from_bytes(ascii_.translate(_OTHER_BIT), "big")
    starts = (word & ~(word >> 8)) | other  # byte x of `word >> 8` is byte x - 1 of word
    return (int.from_bytes(b"\x01" * len(text), "big") ^ starts) << 7


class LayerCodes:
    """Label <-> byte code for one layer (0 is 'O') and decoded joint codes."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.names: list[str] = [OUTSIDE]
        self._decoded: dict[tuple, list[tuple]] = {}

    def code(self, label: str) -> int:
        code = self.codes.get(label)
        if code is None:
            code = self.codes[label] = len(self.names)
            self.names.append(label)
        return code

    def table(self, layout: tuple[bool, ...], base: int) -> list[tuple]:
        """Joint code (base-`base` digits, one per present annotator) -> label tuple,
        with None for the annotators absent in `layout`."""
        key = (layout, base)
        found = self._decoded.get(key)
        if found is None:
            found = self._decoded[key] = []
            for joint in range(base ** sum(layout)):
                labels: list = []
                for present in reversed(layout):
                    if present:
                        joint, code = divmod(joint, base)
                        labels.append(self.names[code])
                    else:
                        labels.append(None)
                found.append(tuple(reversed(labels)))
        return found


def _fills(size: int) -> list[bytes]:
    """Runs of each byte value, at least `size` long, to slice paint from."""
    if size > len(_FILLS[0]):
        _FILLS[:] = [bytes((c,)) * max(size, 2 * len(_FILLS[0])) for c in range(256)]
    return _FILLS


Groups = dict[str, list[SpanTuple]]


def scan(groups: Groups, length: int, codes: LayerCodes) -> tuple[bytearray | None, bool]:
    """One annotator's spans of a layer by label: (labels by character, simple).

    Labels are byte codes (the innermost span wins, as in tokens.py), None past 127
    labels or for a span beyond the text. Simple: all spans are continuous and
    disjoint, which holds when painting them left exactly their total length painted.
    """
    painted = bytearray(length)
    fills = _fills(length)
    known = codes.codes
    covered = 0
    simple = True
    for label, spans in groups.items():
        fill = fills[known.get(label) or codes.code(label)] if len(codes.names) < 128 else b""
        for _, start, end, fragments in spans:
            if fragments is not None:
                simple = False
                break
            painted[start:end] = fill[:end - start]
            covered += end - start
    if len(codes.names) > 128 or len(painted) != length:
        return None, False
    if simple and painted.count(0) == length - covered:
        return painted, True
    painted = bytearray(length)
    for span in _paint_order([span for spans in groups.values() for span in spans]):
        fill = fills[codes.code(span[0])]
        for start, end in parts(span):
            painted[start:end] = fill[:end - start]
    return painted, False


def count_joint(painted: Sequence[bytearray | None], marks: int, codes: LayerCodes,
                into: Counter) -> None:
    """Add the joint token labels (None for an absent annotator) to `into`; the
    annotators' codes are combined into one byte when they fit, else zipped."""
    layout = tuple(p is not None for p in painted)
    present = [p for p in painted if p is not None]
    length = len(present[0]) if present else 0
    if not length:
        return
    base = len(codes.names)
    if base ** len(present) <= 128:  # one byte per character holds every code
        joint = 0
        for column in present:
            joint = joint * base + int.from_bytes(column, "big")
        merged = (joint | marks).to_bytes(length, "big").translate(None, _HIGH)
        table = codes.table(layout, base)
        for code in set(merged):
            into[table[code]] += merged.count(code)
        return
    columns = [(int.from_bytes(column, "big") | marks).to_bytes(length, "big")
               .translate(None, _HIGH) for column in present]
    for combination, count in Counter(zip(*columns, strict=True)).items():
        labels = iter(codes.names[c] for c in combination)
        into[tuple(next(labels) if here else None for here in layout)] += count


class PairCounts:
    """Per-label sums behind spans.MatchCounts for one pair, for disjoint spans."""

    def __init__(self) -> None:
        self.a_spans: Counter = Counter()
        self.b_spans: Counter = Counter()
        self.unmatched_a: Counter = Counter()  # spans without an exact twin
        self.unmatched_b: Counter = Counter()
        self.hits_a: Counter = Counter()  # ... that overlap a span of the other side
        self.hits_b: Counter = Counter()

    def add(self, groups_a: Groups, groups_b: Groups,
            unitizing: dict[str, UnitizingTally] | None) -> MatchCounts:
        """Count one document of one layer (each side continuous and disjoint, so no
        duplicates); add the pair's unitizing disagreement when `unitizing` is given
        (unitizing.pair_observed, here from the overlaps found anyway)."""
        doc = MatchCounts()
        for label in groups_a.keys() | groups_b.keys():
            spans_a, spans_b = groups_a.get(label, ()), groups_b.get(label, ())
            doc.a_spans += len(spans_a)
            doc.b_spans += len(spans_b)
            self.a_spans[label] += len(spans_a)
            self.b_spans[label] += len(spans_b)
            if spans_a == spans_b:
                doc.exact += len(spans_a)
                continue
            set_a, set_b = set(spans_a), set(spans_b)
            only_a, only_b = set_a - set_b, set_b - set_a
            doc.exact += len(spans_a) - len(only_a)
            self.unmatched_a[label] += len(only_a)
            self.unmatched_b[label] += len(only_b)
            # A unit both coders have overlaps nothing else of the other (units are
            # disjoint) and adds 0, so only the others count towards `observed`.
            hits, observed = _overlaps(only_a, spans_b, True)
            self.hits_a[label] += hits
            hits, alone = _overlaps(only_b, spans_a, False)
            self.hits_b[label] += hits
            if unitizing is not None:
                unitizing[label].observed += observed + alone
        return doc

    def match_counts(self) -> dict[str, tuple[int, int, int, int, int]]:
        """label -> (a_spans, b_spans, exact, overlap_a, overlap_b)."""
        found = {}
        for label in self.a_spans.keys() | self.b_spans.keys():
            exact = self.a_spans[label] - self.unmatched_a[label]
            found[label] = (self.a_spans[label], self.b_spans[label], exact,
                            exact + self.hits_a[label], exact + self.hits_b[label])
        return found


def _overlaps(spans: set[SpanTuple], others: Sequence[SpanTuple], pairs: bool
              ) -> tuple[int, int]:
    """(how many `spans` overlap one of `others`, delta): delta sums (b - b')^2 +
    (e - e')^2 over overlapping pairs when `pairs`, plus length^2 of each span that
    overlaps none. `others` are sorted and disjoint, so their ends ascend too."""
    if not spans:
        return 0, 0
    hits = delta = 0
    for _, start, end, _ in spans:
        low = bisect_right(others, start, key=_END)
        high = bisect_left(others, end, low, key=_START)
        if low < high:
            hits += 1
            if pairs:
                for _, other_start, other_end, _ in others[low:high]:
                    delta += (start - other_start) ** 2 + (end - other_end) ** 2
        else:
            delta += (end - start) ** 2
    return hits, delta


def add_units(unitizing: dict[str, UnitizingTally], pending: dict[str, tuple[list, list]],
              length: int, groups: Sequence[Groups]) -> None:
    """UnitizingTally.add for every label, from each coder's disjoint label groups,
    except `observed` (PairCounts.add counts it). Unit and gap sizes are collected in
    `pending` lists (gaps unfiltered) and counted by flush_units."""
    for label in set().union(*groups):
        tally = unitizing.get(label)
        if tally is None:
            tally = unitizing[label] = UnitizingTally()
        tally.seen[length] += 1
        sizes = pending.get(label)
        if sizes is None:
            sizes = pending[label] = ([], [])
        units, gaps = sizes
        previous = None
        for coder in groups:
            column = coder.get(label)
            if column is None:
                gaps.append(length)
            elif column == previous:  # the same units as the coder before
                units.extend(units[-len(column):])
                gaps.extend(gaps[-len(column) - 1:])
            else:
                units.extend(map(sub, map(_END, column), map(_START, column)))
                gaps.extend(map(sub, chain(map(_START, column), (length,)),
                                chain((0,), map(_END, column))))
            previous = column
        if len(gaps) > 1 << 20:
            flush_units(unitizing, pending)


def flush_units(unitizing: dict[str, UnitizingTally],
                pending: dict[str, tuple[list, list]]) -> None:
    """Count the collected sizes into the tallies (gaps of zero or less are none)."""
    for label, (units, gaps) in pending.items():
        tally = unitizing[label]
        tally.units.update(units)
        counted = Counter(gaps)
        for size in [size for size in counted if size <= 0]:
            del counted[size]
        tally.gaps.update(counted)
        units.clear()
        gaps.clear()
