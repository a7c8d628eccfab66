"""What a layer's model tags, learned from the training work of that layer (any schema).

- Labels that are the source of relations (a quote's DIRECT/INDIRECT/MIXED) share one
  tag, the *group*: the model finds the stretch, and the label is chosen afterwards by
  how much of it sits inside quotation marks (the majority label the project used for
  such stretches).
- Other labels of the layer (CUE, PERSON…) are tags of their own.
- Spans of other layers that the layer's relations point to (a quote's source, an
  entity) get a tag per relation type, "@source", and the label they most often had.
- `links` lists the relations to rebuild between tagged spans, same-layer ones first,
  so a quote's source is looked for near its cue.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from news_annotator.suggest.work import Work

MIN_CUE_COUNT = 2
# A word is a learned cue word when at least 15% of its occurrences are in cues; a cue
# phrase is kept when at least 10% of its occurrences are cues. Looser lists (5%, all
# phrases) cost PolNeAR's dev 0.01 in sources and 40 MB of training memory.
MIN_CUE_RATE = 0.15
MIN_PHRASE_RATE = 0.1
MAX_PHRASE = 6


@dataclass
class LayerPlan:
    layer: str
    tags: dict[str, str] = field(default_factory=dict)  # label -> tag
    group_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # tag -> bucket -> label
    targets: dict[str, list[str]] = field(default_factory=dict)  # "@type" -> [layer, label]
    links: list[list[str]] = field(default_factory=list)  # [source tag, relation, target tag]
    learned_cues: list[str] = field(default_factory=list)
    # [words of a phrase the cues use, how often that phrase is a cue where it occurs]
    cue_phrases: list[list[Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"layer": self.layer, "tags": self.tags, "group_labels": self.group_labels,
                "targets": self.targets, "links": self.links,
                "learned_cues": self.learned_cues, "cue_phrases": self.cue_phrases}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LayerPlan:
        return cls(data["layer"], dict(data["tags"]), dict(data["group_labels"]),
                   dict(data["targets"]), [list(x) for x in data["links"]],
                   list(data["learned_cues"]), [list(x) for x in data.get("cue_phrases", [])])

    @property
    def group_tags(self) -> set[str]:
        return {source for source, _, _ in self.links}

    def own_targets(self) -> list[str]:
        """The in-layer targets of links (a quote's CUE): each gets a model of its own."""
        return sorted({target for _, _, target in self.links if not target.startswith("@")})

    def priority(self, tag: str) -> int:
        """Which tag a token keeps when spans overlap: linked targets first (a cue inside
        a quote), then other layers' targets, then the rest."""
        if tag in {target for _, _, target in self.links if not target.startswith("@")}:
            return 0
        if tag.startswith("@"):
            return 1
        return 2


def learn_plan(layer: str, works: Collection[tuple[str, Work]],
               quote_fraction: Any) -> LayerPlan:
    """The plan for `layer` from (text, work) pairs; `quote_fraction(text, fragments)`
    gives the share of a span's tokens inside quotation marks."""
    outgoing: dict[str, set[str]] = defaultdict(set)
    target_labels: dict[str, Counter] = defaultdict(Counter)
    labels: Counter = Counter()
    for _, work in works:
        for layer_name, label, _ in work.spans.values():
            if layer_name == layer:
                labels[label] += 1
        for kind, source, target in work.relations:
            source_span, target_span = work.spans[source], work.spans[target]
            if source_span[0] != layer:
                continue
            outgoing[source_span[1]].add(kind)
            target_labels[kind][(target_span[0], target_span[1])] += 1
    plan = LayerPlan(layer)
    signatures: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for label in sorted(labels):
        if outgoing.get(label):
            signatures[tuple(sorted(outgoing[label]))].append(label)
        else:
            plan.tags[label] = label
    for group in signatures.values():
        tag = "+".join(group)
        for label in group:
            plan.tags[label] = tag
    in_layer_targets = set()
    for kind in sorted(target_labels):
        (target_layer, target_label), _ = target_labels[kind].most_common(1)[0]
        sources = sorted({plan.tags[label] for label, kinds in outgoing.items() if kind in kinds})
        if target_layer == layer:
            for source in sources:
                plan.links.append([source, kind, plan.tags[target_label]])
            in_layer_targets.add(plan.tags[target_label])
        else:
            plan.targets["@" + kind] = [target_layer, target_label]
    for kind in sorted(target_labels):
        if "@" + kind in plan.targets:
            sources = sorted({plan.tags[label] for label, kinds in outgoing.items()
                              if kind in kinds})
            plan.links.extend([source, kind, "@" + kind] for source in sources)
    _learn_group_labels(plan, works, quote_fraction)
    plan.learned_cues, plan.cue_phrases = _learn_cues(plan, works, in_layer_targets)
    return plan


def _learn_group_labels(plan: LayerPlan, works: Collection[tuple[str, Work]],
                        quote_fraction: Any) -> None:
    votes: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    grouped = {label: tag for label, tag in plan.tags.items() if tag in plan.group_tags}
    for text, work in works:
        for layer_name, label, fragments in work.spans.values():
            if layer_name == plan.layer and label in grouped:
                bucket = fraction_bucket(quote_fraction(text, fragments))
                votes[grouped[label]][bucket][label] += 1
    for tag, buckets in votes.items():
        overall: Counter = Counter()
        for counter in buckets.values():
            overall.update(counter)
        plan.group_labels[tag] = {b: _majority(buckets.get(b) or overall)
                                  for b in ("none", "some", "all")}


def _majority(counter: Counter) -> str:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[0][0]


def fraction_bucket(fraction: float) -> str:
    if fraction <= 0.0:
        return "none"
    return "all" if fraction >= 0.95 else "some"


def _learn_cues(plan: LayerPlan, works: Collection[tuple[str, Work]], targets: set[str]
                ) -> tuple[list[str], list[list[Any]]]:
    """Words and phrases that the project's linked in-layer targets (cues) use, with how
    often a phrase is a cue where it occurs (smoothed, so a phrase seen once is no rule)."""
    from news_annotator.suggest.text import tokenize

    inside: Counter = Counter()
    phrases: Counter = Counter()
    for text, work in works:
        for layer_name, label, fragments in work.spans.values():
            if layer_name == plan.layer and plan.tags.get(label) in targets:
                words = tuple(t.text.lower() for start, end in fragments
                              for t in tokenize(text[start:end]))
                inside.update(words)
                if 0 < len(words) <= MAX_PHRASE:
                    phrases[words] += 1
    if not inside:
        return [], []
    everywhere: Counter = Counter()
    lengths: dict[str, set[int]] = defaultdict(set)  # first word -> lengths of its phrases
    for phrase in phrases:
        lengths[phrase[0]].add(len(phrase))
    occurrences: Counter = Counter()
    for text, _ in works:
        lowered = [t.text.lower() for t in tokenize(text)]
        everywhere.update(lowered)
        for index, word in enumerate(lowered):
            for length in lengths.get(word, ()):
                found = tuple(lowered[index:index + length])
                if found in phrases:
                    occurrences[found] += 1
    words = sorted(word for word, count in inside.items()
                   if count >= MIN_CUE_COUNT and count / max(everywhere[word], count)
                   >= MIN_CUE_RATE)
    kept = sorted([" ".join(phrase), round(count / (max(occurrences[phrase], count) + 1), 2)]
                  for phrase, count in phrases.items() if count >= MIN_CUE_COUNT
                  and count / (max(occurrences[phrase], count) + 1) >= MIN_PHRASE_RATE)
    return words, kept
