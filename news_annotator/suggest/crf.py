"""A layer's sequence model: a linear-chain CRF (CRFsuite) over BILOU tags of the plan.

Training is deterministic: fixed settings, L-BFGS (no random order), data in document
order; the same work gives the same model bytes. The model travels as bytes (stored in
the project file) and is opened in memory for tagging.
"""

from __future__ import annotations

import bisect
import ctypes
import os
import tempfile
import threading
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

import pycrfsuite

from news_annotator.suggest.features import (
    CACHED_WORDS_TRAINING,
    Analysed,
    Featurizer,
    analyse,
)
from news_annotator.suggest.plan import LayerPlan, learn_plan
from news_annotator.suggest.work import Work

_TRAINING_LOCK = threading.Lock()


def _seed_c_random() -> None:
    """CRFsuite's online trainers shuffle the data with the C library's rand(): seeding
    it before each training makes the order, and so the model, the same every time (a
    fresh process would start from the same seed anyway; a second training in one
    process would not)."""
    try:
        ctypes.CDLL(None).srand(1)
    except (OSError, AttributeError):  # no C library to seed (not on Linux or macOS)
        pass


# Chosen on PolNeAR's dev split (docs/suggestions.md): passive-aggressive updates
# (type 1, C = 0.1) over the averaged perceptron: cue exact F1 +0.017, sources +0.028 at
# the same speed; 15 epochs (25: no better); its shuffling is seeded (above).
TRAINING = {"algorithm": "pa", "type": 1, "c": 0.1, "max_iterations": 15, "feature.minfreq": 2,
            "feature.possible_transitions": True}


@dataclass
class LayerModel:
    """A trained model for one layer: its plan and the CRFsuite model bytes."""

    plan: LayerPlan
    data: bytes
    params: dict[str, Any] = field(default_factory=dict)
    _tagger: Any = field(default=None, repr=False)

    @property
    def tagger(self) -> Any:
        if self._tagger is None:
            tagger = pycrfsuite.Tagger()
            tagger.open_inmemory(self.data)
            self._tagger = tagger
        return self._tagger

    def tag(self, analysed: Analysed, featurizer: Featurizer) -> list[str]:
        """One tag per token of the text."""
        tags: list[str] = []
        for first, last in analysed.sequences:
            tags.extend(self.tagger.tag(featurizer.sequence(analysed, first, last)))
        return tags


def quote_fraction(analysed: Analysed, fragments: Iterable[tuple[int, int]]) -> float:
    """Share of a span's tokens inside quotation marks (marks themselves count as in)."""
    starts = [t.start for t in analysed.tokens]
    total = inside = 0
    for start, end in fragments:
        index = bisect.bisect_left(starts, start)
        while index < len(starts) and analysed.tokens[index].end <= end:
            total += 1
            inside += analysed.state[index] > 0
            index += 1
    return inside / total if total else 0.0


def encode(plan: LayerPlan, analysed: Analysed, work: Work) -> list[str]:
    """BILOU tags of the tokens for one document's work in the plan's layer."""
    tokens = analysed.tokens
    starts = [t.start for t in tokens]
    owner: list[tuple[int, int, str] | None] = [None] * len(tokens)
    targets_of: dict[object, str] = {}
    for kind, source, target in work.relations:
        if "@" + kind in plan.targets and work.spans[source][0] == plan.layer:
            targets_of.setdefault(target, "@" + kind)

    for key, (layer, label, fragments) in work.spans.items():
        tag = plan.tags.get(label) if layer == plan.layer else targets_of.get(key)
        if tag is None:
            continue
        rank = (plan.priority(tag), fragments[-1][1] - fragments[0][0])
        for start, end in fragments:
            first = bisect.bisect_left(starts, start)
            if first > 0 and tokens[first - 1].end > start:
                first -= 1
            index = first
            while index < len(tokens) and tokens[index].start < end:
                current = owner[index]
                if current is None or rank < current[:2]:
                    owner[index] = (*rank, f"{'B' if index == first else 'I'}-{tag}")
                index += 1
    tags = []
    previous = "O"
    for entry in owner:
        if entry is None:
            tag = "O"
        else:
            tag = entry[2]
            if tag.startswith("I-") and previous[2:] != tag[2:]:
                tag = "B-" + tag[2:]
        tags.append(tag)
        previous = tag
    return bilou(tags)


def bilou(tags: list[str]) -> list[str]:
    """BIO tags as BILOU: a run's last token is L-, a one-token run U-. The model then
    learns where spans end as well as where they start ("said" or "said Friday"):
    PolNeAR's dev, cue exact F1 +0.010, sources +0.006, over BIO."""
    out = list(tags)
    for index, tag in enumerate(tags):
        if tag == "O":
            continue
        following = tags[index + 1] if index + 1 < len(tags) else "O"
        goes_on = following == "I-" + tag[2:]
        if tag.startswith("B-"):
            out[index] = ("B-" if goes_on else "U-") + tag[2:]
        elif not goes_on:
            out[index] = "L-" + tag[2:]
    return out


def train_layer(layer: str, examples: Collection[tuple[str, Work]], *,
                settings: dict[str, Any] | None = None,
                featurizer_factory: Any = Featurizer) -> LayerModel:
    """Learn `layer` from (text, work) examples, deterministically. `examples` is read
    several times, one example at a time: it may fetch them from the project each time
    (`learning.Examples`), so a thousand articles need not all sit in memory."""
    last: list = [None, None]  # one analysis at a time: the plan reads a document's spans together

    def fraction(text: str, fragments: Iterable[tuple[int, int]]) -> float:
        if last[0] is not text:
            last[:] = [text, analyse(text)]
        return quote_fraction(last[1], fragments)

    plan = learn_plan(layer, examples, fraction)
    last[:] = [None, None]
    featurizer = featurizer_factory(plan.learned_cues, plan.cue_phrases,
                                    cached_words=CACHED_WORDS_TRAINING)
    params = dict(TRAINING, **(settings or {}))
    algorithm = params.pop("algorithm", "lbfgs")
    trainer = pycrfsuite.Trainer(algorithm=algorithm, verbose=False)
    valid = set(trainer.params())  # another algorithm's settings ("c" of pa) are left out
    params = {name: value for name, value in params.items() if name in valid}
    trainer.set_params(params)
    params["algorithm"] = algorithm
    for text, work in examples:
        analysed = analyse(text, rule_hints=True)
        tags = encode(plan, analysed, work)
        for first, last_token in analysed.sequences:
            trainer.append(featurizer.sequence(analysed, first, last_token),
                           tags[first:last_token])
    featurizer.forget()  # the word cache is no use to the trainer: give its memory back
    handle, path = tempfile.mkstemp(suffix=".crfsuite")
    os.close(handle)
    try:
        with _TRAINING_LOCK:
            _seed_c_random()
            trainer.train(path)
        with open(path, "rb") as model_file:
            data = model_file.read()
    finally:
        os.unlink(path)
    return LayerModel(plan, data, params)
