"""Chance-corrected agreement on nominal labels: Cohen's kappa, Fleiss' kappa,
Krippendorff's alpha.

Each function takes *counts* rather than one row per unit: a mapping from a tuple of
labels (one per annotator, None where an annotator gave no value) to how many units
carry exactly that tuple. Millions of tokens then cost as much as their few distinct
label combinations, and arithmetic stays exact (integers and Fractions) until the end.

Policy for undefined values: a coefficient whose formula divides by zero (no units,
a single label everywhere, fewer than two annotators) is returned as
`Coefficient(None, reason)`, never NaN and never an exception.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

Label = Hashable
LabelCounts = Mapping[tuple, int]


@dataclass(frozen=True, slots=True)
class Coefficient:
    """A coefficient's value, or None with the reason it is undefined."""

    value: float | None
    reason: str = ""

    @property
    def defined(self) -> bool:
        return self.value is not None


def undefined(reason: str) -> Coefficient:
    return Coefficient(None, reason)


def cohen_kappa(pairs: LabelCounts) -> Coefficient:
    """Cohen (1960): (p_o - p_e) / (1 - p_e) from a (label_a, label_b) -> count table."""
    n = sum(pairs.values())
    if n == 0:
        return undefined("no unit was labelled by both annotators")
    agreed = sum(count for (a, b), count in pairs.items() if a == b)
    rows: Counter = Counter()
    columns: Counter = Counter()
    for (a, b), count in pairs.items():
        rows[a] += count
        columns[b] += count
    chance = sum(rows[k] * columns[k] for k in rows)  # p_e * n^2
    if chance == n * n:
        return undefined(f"both annotators gave every unit the same label ({next(iter(rows))!r})")
    return Coefficient(float(Fraction(n * agreed - chance, n * n - chance)))


def fleiss_kappa(units: LabelCounts) -> Coefficient:
    """Fleiss (1971) for a fixed number m >= 2 of raters per unit; units with a missing
    value (None) are left out, as the statistic requires every rater on every unit."""
    complete = {labels: count for labels, count in units.items()
                if count and None not in labels}
    if not complete:
        return undefined("no unit was labelled by every annotator")
    m = len(next(iter(complete)))
    if m < 2:
        return undefined("needs at least two annotators")
    if any(len(labels) != m for labels in complete):
        raise ValueError("every unit needs the same number of raters")
    n_units = sum(complete.values())
    same_pairs = 0  # sum over units of sum_j n_ij (n_ij - 1)
    totals: Counter = Counter()  # sum over units of n_ij, per category j
    for labels, count in complete.items():
        per_category = Counter(labels)
        same_pairs += count * sum(c * (c - 1) for c in per_category.values())
        for category, c in per_category.items():
            totals[category] += count * c
    observed = Fraction(same_pairs, n_units * m * (m - 1))
    chance = sum(Fraction(t, n_units * m) ** 2 for t in totals.values())
    if chance == 1:
        return undefined(f"every annotator gave every unit the same label "
                         f"({next(iter(totals))!r})")
    return Coefficient(float((observed - chance) / (1 - chance)))


def krippendorff_alpha(units: LabelCounts) -> Coefficient:
    """Krippendorff's alpha, nominal: 1 - (n - 1) * D / (n^2 - sum_c n_c^2), where D sums
    each unit's disagreeing value pairs divided by (m_u - 1); units with fewer than two
    values are not pairable and are left out (missing values allowed)."""
    disagreeing = Fraction(0)
    values: Counter = Counter()
    for labels, count in units.items():
        present = [label for label in labels if label is not None]
        m_u = len(present)
        if m_u < 2 or not count:
            continue
        per_value = Counter(present)
        disagreeing += Fraction(count * (m_u * m_u - sum(c * c for c in per_value.values())),
                                m_u - 1)
        for value, c in per_value.items():
            values[value] += count * c
    n = sum(values.values())
    if n == 0:
        return undefined("no unit has values from two annotators")
    spread = n * n - sum(c * c for c in values.values())
    if spread == 0:
        return undefined(f"only one value occurs ({next(iter(values))!r})")
    return Coefficient(float(1 - (n - 1) * disagreeing / spread))


def pair_table(units: LabelCounts, a: int, b: int) -> Counter:
    """The (label_a, label_b) -> count confusion table of annotators at positions a and b."""
    table: Counter = Counter()
    for labels, count in units.items():
        x, y = labels[a], labels[b]
        if x is not None and y is not None:
            table[(x, y)] += count
    return table


def count_rows(rows: Iterable[Sequence[Label | None]]) -> Counter:
    """Per-unit label rows (one value per annotator) to the counts the functions take."""
    return Counter(tuple(row) for row in rows)
