"""Annotate all occurrences: the same text as a labelled span, elsewhere.

Matches are whole words and case-aware (“Turkey” the country is not “turkey” the bird),
longest entries first, and never inside a longer span of the same layer. Every accepted
span of a gazetteer layer (one whose labels are not relation sources, nor in-layer
relation targets: entities, yes; quote contents and cues, no) joins the project's
gazetteer, and is proposed wherever its text occurs again.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from news_annotator.model import Fragment
from news_annotator.schema import Schema
from news_annotator.suggest.proposals import Proposals, ProposedSpan

MAX_ENTRY_LENGTH = 80


def gazetteer_labels(schema: Schema) -> set[tuple[str, str]]:
    """(layer, label) pairs whose spans make sense at every occurrence of their text."""
    excluded: set[tuple[str, str]] = set()
    for kind in schema.relation_types:
        for layer in schema.layers:
            names = {label.name for label in layer.labels}
            sources = names & set(kind.source_labels)
            excluded |= {(layer.name, name) for name in sources}
            if sources:
                excluded |= {(layer.name, name) for name in names & set(kind.target_labels)}
    return {(layer.name, label.name) for layer in schema.layers for label in layer.labels
            if (layer.name, label.name) not in excluded}


def good_entry(text: str) -> bool:
    """A text worth proposing everywhere: a name or number, not a pronoun or a word
    like “officials” (no capital and no digit), nor a whole sentence."""
    text = text.strip()
    return 0 < len(text) <= MAX_ENTRY_LENGTH and "\n" not in text and any(
        c.isupper() or c.isdigit() for c in text) and any(c.isalnum() for c in text)


@dataclass
class Gazetteer:
    """Texts with the label they most often had: proposed wherever they occur."""

    entries: dict[str, tuple[str, str]] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False)

    @classmethod
    def from_spans(cls, spans: Iterable[tuple[str, str, str]],
                   allowed: set[tuple[str, str]] | None = None) -> Gazetteer:
        """From (layer, label, text) triples; the most frequent label wins a text."""
        votes: dict[str, Counter] = defaultdict(Counter)
        for layer, label, text in spans:
            text = text.strip()
            if (allowed is None or (layer, label) in allowed) and good_entry(text):
                votes[text][(layer, label)] += 1
        entries = {text: sorted(counter.items(), key=lambda i: (-i[1], i[0]))[0][0]
                   for text, counter in votes.items()}
        return cls(entries)

    def add(self, layer: str, label: str, text: str) -> None:
        if good_entry(text):
            self.entries[text.strip()] = (layer, label)
            self._pattern = None

    @property
    def pattern(self) -> re.Pattern[str] | None:
        if self._pattern is None and self.entries:
            ordered = sorted(self.entries, key=lambda t: (-len(t), t))
            self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered))
                                       + r")(?!\w)")
        return self._pattern

    def occurrences(self, text: str) -> Iterable[tuple[int, int, str, str]]:
        """(start, end, layer, label) of every entry in `text`, longest match first."""
        pattern = self.pattern
        if pattern is None:
            return
        for match in pattern.finditer(text):
            layer, label = self.entries[match.group()]
            yield match.start(), match.end(), layer, label

    def propose(self, text: str, existing: Iterable[tuple[str, tuple[Fragment, ...]]] = ()
                ) -> Proposals:
        """Proposals at every occurrence that no existing span of the layer covers or
        crosses (`existing`: (layer, fragments) of the spans already there)."""
        taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for layer, fragments in existing:
            taken[layer].append((fragments[0][0], fragments[-1][1]))
        proposals = Proposals()
        for start, end, layer, label in self.occurrences(text):
            if any(s < end and start < e for s, e in taken[layer]):
                continue
            proposals.add(ProposedSpan(layer, label, ((start, end),), "gazetteer"))
        return proposals


def find_text(text: str, needle: str) -> list[tuple[int, int]]:
    """Whole-word, case-aware occurrences of `needle` in `text`."""
    needle = needle.strip()
    if not needle:
        return []
    pattern = re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]
