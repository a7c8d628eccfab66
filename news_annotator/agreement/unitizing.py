"""Krippendorff's unitizing alpha (alpha_u) for one category on a character continuum.

Definition (Krippendorff 1995, "On the reliability of unitizing continuous data";
restated in Content Analysis, 2nd ed., 2004, section 11.6): m coders each cut a
continuum of length L into sections; a section is a *unit* of the category or a *gap*.
For sections g of coder i and h of coder j (begin b, length l):

    delta(g, h) = (b_g - b_h)^2 + (e_g - e_h)^2   both units and they overlap
                = l_g^2                          unit g lies inside gap h
                = l_h^2                          unit h lies inside gap g
                = 0                              otherwise

    D_o = sum_{i != j} sum_g sum_h delta(g, h) / (m (m - 1) L^2)

    D_e = (2 / L) * sum_{units u} [ (N - 1)/3 * (2 l_u^3 - 3 l_u^2 + l_u)
                                   + l_u^2 * sum_{gaps G with l_G >= l_u} (l_G - l_u + 1) ]
          / [ m L (m L - 1) - sum_{units u} l_u (l_u - 1) ]

    alpha_u = 1 - D_o / D_e

with N the number of units of the category over all coders and the gap sum over all
coders' gaps. Several categories pool as 1 - sum_k D_o(k) / sum_k D_e(k) (2004).

How we apply it to a project: the continuum is the documents every coder annotated,
laid end to end; a gap never runs across a document boundary (units cannot either), so
the value does not depend on document order. A coder's overlapping units of one label
are merged into their union (the measure needs them disjoint); each fragment of a
discontinuous span is a unit. Known limit: Krippendorff et al. (2016) show this 1995
form behaves unexpectedly with more than two coders; it is what we implement.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from news_annotator.agreement.coefficients import Coefficient, undefined

Interval = tuple[int, int]


def disjoint_units(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted (start, end) units with overlapping ones merged (touching ones stay apart)."""
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1][1] = end
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def pair_observed(units_a: Sequence[Interval], units_b: Sequence[Interval]) -> int:
    """sum of delta over sections of two coders (one direction, i.e. half of i != j)."""
    total = 0
    hit_a = [False] * len(units_a)
    hit_b = [False] * len(units_b)
    p = q = 0
    while p < len(units_a) and q < len(units_b):
        sa, ea = units_a[p]
        sb, eb = units_b[q]
        if sa < eb and sb < ea:
            total += (sa - sb) ** 2 + (ea - eb) ** 2
            hit_a[p] = hit_b[q] = True
        if ea <= eb:
            p += 1
        else:
            q += 1
    # A unit overlapping none of the other coder's units lies inside one of its gaps.
    total += sum((e - s) ** 2 for (s, e), hit in zip(units_a, hit_a, strict=True) if not hit)
    total += sum((e - s) ** 2 for (s, e), hit in zip(units_b, hit_b, strict=True) if not hit)
    return total


@dataclass(slots=True)
class Continuum:
    """The documents every coder annotated: their lengths, shared by all categories."""

    coders: int
    lengths: Counter = field(default_factory=Counter)

    @property
    def length(self) -> int:
        return sum(size * count for size, count in self.lengths.items())

    def add(self, length: int) -> None:
        self.lengths[length] += 1


@dataclass(slots=True)
class UnitizingTally:
    """Sums for one category; documents where it never occurs cost nothing to add."""

    observed: int = 0  # sum over coder pairs i < j of delta
    units: Counter = field(default_factory=Counter)  # unit length -> count, all coders
    gaps: Counter = field(default_factory=Counter)  # gap length -> count, seen documents
    seen: Counter = field(default_factory=Counter)  # lengths of documents added here

    def add(self, length: int, units_by_coder: Sequence[Sequence[Interval]]) -> None:
        """One document: each coder's sorted, disjoint units of this category."""
        self.seen[length] += 1
        for units in units_by_coder:
            position = 0
            for start, end in units:
                self.units[end - start] += 1
                if start > position:
                    self.gaps[start - position] += 1
                position = end
            if length > position:
                self.gaps[length - position] += 1
        for i, units_a in enumerate(units_by_coder):
            for units_b in units_by_coder[i + 1:]:
                if units_a != units_b:  # identical unitizations disagree by 0
                    self.observed += pair_observed(units_a, units_b)

    def disagreements(self, continuum: Continuum) -> tuple[Fraction, Fraction]:
        """(D_o, D_e) over the continuum; D_e is 0 when there are no units."""
        m, length = continuum.coders, continuum.length
        gaps = Counter(self.gaps)
        for size, count in continuum.lengths.items():
            unseen = count - self.seen[size]
            if unseen:
                gaps[size] += m * unseen  # a whole document is one gap for every coder
        n_units = sum(self.units.values())
        if n_units == 0 or length == 0 or m < 2:
            return Fraction(0), Fraction(0)
        observed = Fraction(2 * self.observed, m * (m - 1) * length * length)
        sizes = sorted(gaps)
        at_least_count, at_least_sum = [0] * (len(sizes) + 1), [0] * (len(sizes) + 1)
        for k in range(len(sizes) - 1, -1, -1):
            at_least_count[k] = at_least_count[k + 1] + gaps[sizes[k]]
            at_least_sum[k] = at_least_sum[k + 1] + gaps[sizes[k]] * sizes[k]
        numerator = 0
        k = 0
        for size in sorted(self.units):
            while k < len(sizes) and sizes[k] < size:
                k += 1
            within_gaps = at_least_sum[k] - (size - 1) * at_least_count[k]
            # (N - 1)/3 * l(l-1)(2l-1): l(l-1)(2l-1) is a multiple of 6, so this is exact.
            per_unit = ((n_units - 1) * (size * (size - 1) * (2 * size - 1) // 3)
                        + size * size * within_gaps)
            numerator += self.units[size] * per_unit
        pairs = m * length * (m * length - 1) - sum(
            count * size * (size - 1) for size, count in self.units.items())
        expected = Fraction(2 * numerator, length * pairs)
        return observed, expected


def alpha_from(observed: Fraction, expected: Fraction) -> Coefficient:
    if expected == 0:
        return undefined("no units of this label")
    return Coefficient(float(1 - observed / expected))


def alpha_u(length: int, units_by_coder: Sequence[Iterable[Interval]], *,
            begin: int = 0) -> Coefficient:
    """alpha_u of one category on one continuum [begin, begin + length)."""
    continuum = Continuum(len(units_by_coder))
    continuum.add(length)
    tally = UnitizingTally()
    tally.add(length, [disjoint_units((s - begin, e - begin) for s, e in units)
                       for units in units_by_coder])
    if len(units_by_coder) < 2:
        return undefined("needs at least two coders")
    return alpha_from(*tally.disagreements(continuum))


def pooled_alpha(parts: Iterable[tuple[Fraction, Fraction]]) -> Coefficient:
    """alpha_u over several categories: 1 - sum D_o / sum D_e (Krippendorff 2004)."""
    observed = expected = Fraction(0)
    for o, e in parts:
        observed += o
        expected += e
    return alpha_from(observed, expected)
