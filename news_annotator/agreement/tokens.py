"""Token-level labels: the unit of Cohen's and Fleiss' kappa, Krippendorff's alpha and
the confusion matrices.

Tokenizer: `TOKEN_PATTERN` below — a run of word characters (letters, digits and `_`
in any script) or any single other non-space character (punctuation, symbols, emoji).
A token takes the label of a span of the layer that covers the token's *first*
character, 'O' when none does; where several spans of one annotator cover it
(nested or overlapping spans), the shortest (innermost) one wins, and among equally
long ones the label first in alphabetical order. A discontinuous span covers only its
fragments.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from itertools import repeat

from news_annotator.agreement.spans import SpanTuple, parts

TOKEN_PATTERN = r"\w+|[^\w\s]"
TOKEN = re.compile(TOKEN_PATTERN)
OUTSIDE = "O"


def tokenize(text: str) -> list[tuple[int, int]]:
    """(start, end) of every token, for display and tests."""
    return [m.span() for m in TOKEN.finditer(text)]


def token_starts(text: str) -> list[int]:
    return [m.start() for m in TOKEN.finditer(text)]


def _paint_order(spans: Sequence[SpanTuple]) -> list[SpanTuple]:
    """Longest first, so shorter (inner) spans are painted last and win."""
    by_label = sorted(spans, key=lambda span: span[0], reverse=True)
    return sorted(by_label, key=lambda span: span[1] - span[2])


def count_token_labels(starts: Sequence[int], length: int,
                       spans_by_annotator: Sequence[Sequence[SpanTuple] | None],
                       into: Counter) -> None:
    """Add one document's label tuples (one label per annotator, None where an annotator
    did not annotate the document) to `into`, weighted by the tokens that carry them.

    Labels only change at span edges, so the text is cut at every edge of every
    annotator's spans and each piece is labelled once, whatever its token count.
    """
    edges = {0, length}
    for spans in spans_by_annotator:
        for span in spans or ():
            for start, end in parts(span):
                edges.add(start)
                edges.add(end)
    bounds = sorted(edges)
    index = {bound: i for i, bound in enumerate(bounds)}
    cuts = [bisect_left(starts, bound) for bound in bounds]
    sizes = [b - a for a, b in zip(cuts, cuts[1:], strict=False)]
    columns: list = []
    for spans in spans_by_annotator:
        if spans is None:
            columns.append(repeat(None))
            continue
        column = [OUTSIDE] * len(sizes)
        if spans:
            for span in _paint_order(spans) if len(spans) > 1 else spans:
                label = span[0]
                for start, end in parts(span):
                    for i in range(index[start], index[end]):
                        column[i] = label
        columns.append(column)
    for labels, size in zip(zip(*columns, strict=False), sizes, strict=False):
        if size:
            into[labels] += size
