"""Annotate all occurrences: the same text as a labelled span, elsewhere.

Matches are whole words and case-aware (“Turkey” the country is not “turkey” the bird),
longest entries first, and never inside a longer span of the same layer. Every accepted
span of a gazetteer layer (one whose labels are not relation sources, nor in-layer
relation targets: entities, yes; quote contents and cues, no) joins the project's
gazetteer, and is proposed wherever its text occurs again — unless the project uses its
label for a role rather than for every mention: when (nearly) all of a label's spans are
what relations point at (PolNeAR's sources, say: "Trump" labelled only where he speaks),
another mention of the text is no such span, and the label stays out.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from news_annotator.model import Fragment
from news_annotator.ranges import ranges_by_layer
from news_annotator.schema import Schema
from news_annotator.suggest.proposals import Proposals, ProposedSpan

MAX_ENTRY_LENGTH = 80
# A label is a role when at least this share of its spans, and this many of them, are
# relation targets (PolNeAR: 17,193 of 17,193; its gazetteer proposals were right 23% of
# the time). A new project's first linked mentions are too few to say.
ROLE_SHARE = 0.9
ROLE_MIN_SPANS = 20
# (layer, label, text, how many spans, how many of them a relation points at)
TextRow = tuple[str, str, str, int, int]


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


def role_labels(counts: Iterable[TextRow]) -> set[tuple[str, str]]:
    """The (layer, label) pairs used for a role: nearly all their spans relation targets."""
    spans: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for layer, label, _, count, linked in counts:
        total = spans[layer, label]
        total[0] += count
        total[1] += linked
    return {key for key, (count, linked) in spans.items()
            if count >= ROLE_MIN_SPANS and linked >= ROLE_SHARE * count}


def good_entry(text: str) -> bool:
    """A text worth proposing everywhere: a name or number, not a pronoun or a word
    like “officials” (no capital and no digit), nor a whole sentence, nor a function
    word that a sentence's start capitalised (“The”, “And”: PolNeAR's annotators left a
    few as spans, and every sentence then began with a suggestion)."""
    text = text.strip()
    return 0 < len(text) <= MAX_ENTRY_LENGTH and "\n" not in text and (
        any(map(str.isupper, text)) or any(map(str.isdigit, text))) and any(
        map(str.isalnum, text)) and text.lower() not in FUNCTION_WORDS


# English function words: never a name on their own, whatever their capitals.
FUNCTION_WORDS = frozenset("""
a an the and or but nor so yet for of in on at to by from with without as into onto
upon about above below over under after before since until while during through than
that this these those there here it its he she they we i you him her them us me his
hers their theirs our ours my mine your yours who whom whose which what when where why
how if then else also not no yes all any some each every both either neither one
is are was were be been being has have had do does did will would can could may might
shall should must just only even still however meanwhile
""".split())


# Where a match may begin: a run of word characters, or one other character. An entry
# matches at a token whose text is the entry's own first token (a whole word, as the
# entry's next character is not a word character, or the one mark it starts with).
_TOKEN = re.compile(r"\w+|[^\w\s]")
_WORD = re.compile(r"\w")


def _first_token(text: str) -> str:
    match = _TOKEN.match(text)
    return match.group() if match else text


def _longest_first(texts: Iterable[str]) -> list[str]:
    return sorted(texts, key=lambda t: (-len(t), t))


@dataclass
class Gazetteer:
    """Texts with the label they most often had: proposed wherever they occur.

    Entries are indexed by their first token, so matching a text costs one dictionary
    look-up per token of it, whatever the number of entries, and adding an entry (or
    copying the gazetteer with one more, `with_entry`) touches one list of the index.
    """

    entries: dict[str, tuple[str, str]] = field(default_factory=dict)
    _index: dict[str, list[str]] | None = field(default=None, init=False, repr=False)

    @classmethod
    def from_spans(cls, spans: Iterable[tuple[str, str, str]],
                   allowed: set[tuple[str, str]] | None = None) -> Gazetteer:
        """From (layer, label, text) triples; the most frequent label wins a text."""
        return cls.from_counts(((layer, label, text, 1, 0) for layer, label, text in spans),
                               allowed)

    @classmethod
    def from_counts(cls, counts: Iterable[TextRow],
                    allowed: set[tuple[str, str]] | None = None) -> Gazetteer:
        """From (layer, label, text, how many spans, how many linked) rows, role labels
        left out; the most frequent label wins a text (on a tie, the first in (layer,
        label) order)."""
        counts = list(counts)
        roles = role_labels(counts)
        votes: dict[str, dict[tuple[str, str], int]] = {}
        bad: set[str] = set()
        for layer, label, text, count, _ in counts:
            if allowed is not None and (layer, label) not in allowed or (layer, label) in roles:
                continue
            text = text.strip()
            found = votes.get(text)
            if found is None:
                if text in bad or not good_entry(text):
                    bad.add(text)
                    continue
                found = votes[text] = {}
            found[layer, label] = found.get((layer, label), 0) + count
        entries = {text: min(found.items(), key=lambda i: (-i[1], i[0]))[0]
                   if len(found) > 1 else next(iter(found))
                   for text, found in votes.items()}
        return cls(entries)

    def add(self, layer: str, label: str, text: str) -> None:
        """Propose `text` as (layer, label) from now on (a new entry, or a new label)."""
        if not good_entry(text):
            return
        text = text.strip()
        known = text in self.entries
        self.entries[text] = (layer, label)
        if self._index is not None and not known:
            first = _first_token(text)
            self._index[first] = _longest_first([*self._index.get(first, ()), text])

    def with_entry(self, layer: str, label: str, text: str) -> Gazetteer:
        """A copy with `text` added (this one unchanged: a job in flight may be using it);
        the copy shares the index lists the entry does not touch."""
        copy = Gazetteer(dict(self.entries))
        if self._index is not None:
            copy._index = dict(self._index)
        copy.add(layer, label, text)
        return copy

    @property
    def index(self) -> dict[str, list[str]]:
        """First token -> the entries that begin with it, longest first."""
        if self._index is None:
            index: dict[str, list[str]] = defaultdict(list)
            for text in _longest_first(self.entries):  # one sort: each list comes in order
                index[_first_token(text)].append(text)
            self._index = dict(index)
        return self._index

    def occurrences(self, text: str) -> Iterable[tuple[int, int, str, str]]:
        """(start, end, layer, label) of every entry in `text`, longest match first: what
        one regular expression of every entry (longest first) between a lookbehind and a
        lookahead for no word character would find, found one token at a time."""
        index = self.index
        if not index:
            return
        free = 0  # the end of the last match: the next starts there or later
        size = len(text)
        for token in _TOKEN.finditer(text):
            start = token.start()
            candidates = index.get(token.group())
            if candidates is None or start < free:
                continue
            if start and _WORD.match(text, start - 1):  # a mark right after a word
                continue
            for entry in candidates:
                end = start + len(entry)
                if text.startswith(entry, start) and not (end < size
                                                          and _WORD.match(text, end)):
                    layer, label = self.entries[entry]
                    yield start, end, layer, label
                    free = end
                    break

    def propose(self, text: str, existing: Iterable[tuple[str, tuple[Fragment, ...]]] = ()
                ) -> Proposals:
        """Proposals at every occurrence that no existing span of the layer covers or
        crosses (`existing`: (layer, fragments) of the spans already there)."""
        ranges = ranges_by_layer((layer, fragments[0][0], fragments[-1][1])
                                 for layer, fragments in existing)
        proposals = Proposals()
        for start, end, layer, label in self.occurrences(text):
            found = ranges.get(layer)
            if found is not None and found.overlaps(start, end):
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
