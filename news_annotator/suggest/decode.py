"""From BILOU tags back to spans and relations: quote frames are rebuilt here.

Runs of a tag become spans; two runs of a group tag (quote content) with only other
tagged tokens and punctuation between them in one sentence ("“We agreed,” he said, “to
act.”") become one span of two fragments. Relations follow the plan's links: each group
span takes the nearest span of the target tag in its sequence, measured from the span
and the targets it already has (a quote's source is looked for near its cue).
"""

from __future__ import annotations

from dataclasses import dataclass

from news_annotator.suggest.features import Analysed
from news_annotator.suggest.plan import LayerPlan, fraction_bucket
from news_annotator.suggest.proposals import Proposals, ProposedSpan

MAX_JOIN_GAP = 12
SENTENCE_MARKS = {".", "!", "?"}


@dataclass
class _Run:
    tag: str
    parts: list[tuple[int, int]]  # token ranges, half-open
    sequence: int

    @property
    def first(self) -> int:
        return self.parts[0][0]

    @property
    def last(self) -> int:
        return self.parts[-1][1]


def runs(analysed: Analysed, tags: list[str]) -> list[_Run]:
    """Runs of one tag (B/I.../L, or U) within a sequence; only the tagged tokens are
    visited (most are O)."""
    found: list[_Run] = []
    sequences = analysed.sequences
    number, end = -1, -1
    current: _Run | None = None
    previous = -2
    for index in [i for i, tag in enumerate(tags) if tag != "O"]:
        if index >= end:  # the first tagged token of a later sequence
            while index >= end:
                number += 1
                end = sequences[number][1]
            current = None
        elif index != previous + 1:  # an O between
            current = None
        previous = index
        tag = tags[index]
        name = tag[2:]
        if current is not None and tag[0] in "IL" and current.tag == name:
            current.parts[-1] = (current.parts[-1][0], index + 1)
        else:
            current = _Run(name, [(index, index + 1)], number)
            found.append(current)
        if tag[0] in "LU":
            current = None
    return found


def join_fragments(analysed: Analysed, tags: list[str], found: list[_Run],
                   groups: set[str]) -> list[_Run]:
    """Join runs of one group tag split by an attribution into discontinuous runs."""
    tokens, state = analysed.tokens, analysed.state
    out: list[_Run] = []
    last_of: dict[str, _Run] = {}  # the latest run kept of each tag
    last_group: _Run | None = None  # the latest kept run of a group tag
    for run in found:
        previous = last_of.get(run.tag)
        if run.tag in groups and previous is not None and previous.sequence == run.sequence \
                and 0 < run.first - previous.last <= MAX_JOIN_GAP:
            gap = range(previous.last, run.first)
            tagged = any(tags[i] != "O" for i in gap)
            clean = all(tags[i] != "O" or not tokens[i].text[:1].isalnum() for i in gap)
            ends = any(tokens[i].text in SENTENCE_MARKS and state[i] == 0 for i in gap)
            later = last_group is not None and last_group.first > previous.last
            if tagged and clean and not ends and not later:
                previous.parts.extend(run.parts)
                continue
        out.append(run)
        last_of[run.tag] = run
        if run.tag in groups:
            last_group = run
    return out


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    if a[1] <= b[0]:
        return b[0] - a[1]
    if b[1] <= a[0]:
        return a[0] - b[1]
    return 0


def proposals_from_tags(plan: LayerPlan, analysed: Analysed, tags: list[str],
                        origin: str = "model") -> Proposals:
    groups = plan.group_tags
    found = join_fragments(analysed, tags, runs(analysed, tags), groups)
    tokens = analysed.tokens
    label_of = {tag: label for label, tag in plan.tags.items() if tag not in groups}
    proposals = Proposals()
    index_of: dict[int, int] = {}
    for number, run in enumerate(found):
        if run.tag in groups:
            label = _group_label(plan, analysed, run)
            layer = plan.layer
        elif run.tag in plan.targets:
            continue  # added when a relation needs it
        else:
            label = label_of.get(run.tag, "")
            layer = plan.layer
        if not label:
            continue
        fragments = tuple((tokens[a].start, tokens[b - 1].end) for a, b in run.parts)
        index_of[number] = proposals.add(ProposedSpan(layer, label, fragments, origin))
    anchors: dict[int, list[tuple[int, int]]] = {n: [(r.first, r.last)]
                                                 for n, r in enumerate(found)}
    for source_tag, relation, target_tag in plan.links:
        in_sequence: dict[int, list[int]] = {}  # the target's runs by sequence
        for n, r in enumerate(found):
            if r.tag == target_tag:
                in_sequence.setdefault(r.sequence, []).append(n)
        if not in_sequence:
            continue
        for number, run in enumerate(found):
            if run.tag != source_tag or number not in index_of:
                continue
            same = in_sequence.get(run.sequence)
            if not same:
                continue
            best = min(same, key=lambda n: (min(_distance(a, (found[n].first, found[n].last))
                                                for a in anchors[number]), found[n].first))
            target = index_of.get(best)
            if target is None and target_tag in plan.targets:
                layer, label = plan.targets[target_tag]
                fragments = tuple((tokens[a].start, tokens[b - 1].end)
                                  for a, b in found[best].parts)
                target = index_of[best] = proposals.add(ProposedSpan(layer, label, fragments,
                                                                     origin))
            if target is None:
                continue
            proposals.relate(relation, index_of[number], target)
            if not target_tag.startswith("@"):
                anchors[number].append((found[best].first, found[best].last))
    return proposals


def _group_label(plan: LayerPlan, analysed: Analysed, run: _Run) -> str:
    inside = [analysed.state[i] > 0 for a, b in run.parts for i in range(a, b)]
    fraction = sum(inside) / len(inside) if inside else 0.0
    return plan.group_labels.get(run.tag, {}).get(fraction_bucket(fraction), "")
