"""A layer's sequence model: linear-chain CRFs (CRFsuite) over BILOU tags of the plan.

A main model tags everything the plan names; each in-layer target of a link (a quote's
CUE) also gets a model of its own, trained on the same features, whose spans replace
the main model's: with only its own tag to learn it is the surer of the two (PolNeAR's
dev: cue exact F1 0.660 -> 0.68, precision 0.66 -> 0.75), while the main model still
uses the cues it sees to place sources. Training is deterministic: fixed settings,
data in document order, the C library's random numbers seeded; the same work gives the
same model bytes. The models travel as one blob (`model_bytes`, stored in the project
file) and are opened in memory for tagging.
"""

from __future__ import annotations

import bisect
import ctypes
import gzip
import pickle
import tempfile
import threading
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycrfsuite

from news_annotator.suggest.features import (
    CACHED_WORDS_TRAINING,
    Analysed,
    Featurizer,
    analyse,
    words_seen_once,
)
from news_annotator.suggest.model_bytes import MAIN, pack_files, unpack
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
# A target's own model: the averaged perceptron did as well as or better than
# passive-aggressive there (cue exact F1 0.685 vs 0.677-0.682), in 4 s of training.
TARGET_TRAINING = {"algorithm": "ap", "max_iterations": 10, "feature.minfreq": 2,
                   "feature.possible_transitions": True}


@dataclass
class LayerModel:
    """A trained model for one layer: its plan and the models' bytes (`model_bytes`)."""

    plan: LayerPlan
    data: bytes
    params: dict[str, Any] = field(default_factory=dict)
    _taggers: dict[str, Any] | None = field(default=None, repr=False)
    # A tagger reads its model where it lies (CRFsuite does not copy it): each part's
    # bytes must live as long as the tagger does.
    _parts: dict[str, bytes] = field(default_factory=dict, repr=False)

    @property
    def taggers(self) -> dict[str, Any]:
        """The opened models by name: the main one (MAIN) and each target's own."""
        if self._taggers is None:
            self._parts = unpack(self.data)
            taggers = {}
            for name, blob in self._parts.items():
                taggers[name] = pycrfsuite.Tagger()
                taggers[name].open_inmemory(blob)
            self._taggers = taggers
        return self._taggers

    @property
    def tagger(self) -> Any:
        return self.taggers[MAIN]

    def tag(self, analysed: Analysed, featurizer: Featurizer) -> list[str]:
        """One tag per token of the text: the main model's, with each target's spans
        from the target's own model."""
        main, own = self.tagger, [(n, t) for n, t in self.taggers.items() if n != MAIN]
        tags: list[str] = []
        for first, last in analysed.sequences:
            # converted once for every model: the conversion costs as much as a tagging
            items = pycrfsuite.ItemSequence(featurizer.sequence(analysed, first, last))
            found = main.tag(items)
            if any(tag != "O" for tag in found):  # where the main model saw nothing, no
                for name, tagger in own:  # target's model found more (PolNeAR dev: ±0)
                    found = _with_own(found, tagger.tag(items), name)
            tags.extend(found)
        return tags


def _with_own(tags: list[str], own: list[str], name: str) -> list[str]:
    """`tags` with the spans of tag `name` taken from `own` instead."""
    return [mine if mine != "O" else ("O" if tag[2:] == name else tag)
            for tag, mine in zip(tags, own, strict=True)]


def quote_fraction(analysed: Analysed, fragments: Iterable[tuple[int, int]]) -> float:
    """Share of a span's tokens inside quotation marks (marks themselves count as in)."""
    starts = analysed.starts
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
    tokens, starts = analysed.tokens, analysed.starts
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
    last: list = [None, None]  # one analysis at a time: a document's spans come together

    def fraction(text: str, fragments: Iterable[tuple[int, int]]) -> float:
        if last[0] is not text:
            last[:] = [text, analyse(text)]
        return quote_fraction(last[1], fragments)

    plan = learn_plan(layer, examples, fraction)
    last[:] = [None, None]
    featurizer = featurizer_factory(plan.learned_cues, plan.cue_phrases,
                                    cached_words=CACHED_WORDS_TRAINING,
                                    once=words_seen_once(text for text, _ in examples))
    params = dict(TRAINING, **(settings or {}))
    own = plan.own_targets()
    trainer, params = _trainer(params)
    with tempfile.TemporaryFile() as spill, \
            tempfile.TemporaryDirectory(prefix="news-annotator-models-") as folder:
        # The targets' models learn from the same features: kept on disk (compressed,
        # ~20 MB for 1,000 articles) rather than made twice or held in memory.
        with gzip.GzipFile(fileobj=spill, mode="wb", compresslevel=1) as saved:
            for text, work in examples:
                analysed = analyse(text, rule_hints=True)
                tags = encode(plan, analysed, work)
                for first, last_token in analysed.sequences:
                    features = featurizer.sequence(analysed, first, last_token)
                    trainer.append(features, tags[first:last_token])
                    if own:
                        pickle.dump((features, tags[first:last_token]), saved, protocol=5)
        featurizer.forget()  # the word cache is no use to the trainers: give its memory back
        # the models stay in their files until they are packed into one blob
        paths = {MAIN: _train(trainer, Path(folder) / "main.crfsuite")}
        del trainer  # its copy of the data, before the next trainer makes one
        for number, name in enumerate(own):
            spill.seek(0)
            target, target_params = _trainer(dict(TARGET_TRAINING))
            for features, tags in _spilled(spill):
                target.append(features, [t if t[2:] == name else "O" for t in tags])
            paths[name] = _train(target, Path(folder) / f"target-{number}.crfsuite")
            del target
            params.setdefault("own", {})[name] = target_params
        data = pack_files(paths)
    return LayerModel(plan, data, params)


def _trainer(params: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """A CRFsuite trainer with `params` (those its algorithm knows), and those params."""
    params = dict(params)
    algorithm = params.pop("algorithm", "lbfgs")
    trainer = pycrfsuite.Trainer(algorithm=algorithm, verbose=False)
    valid = set(trainer.params())  # another algorithm's settings ("c" of pa) are left out
    params = {name: value for name, value in params.items() if name in valid}
    trainer.set_params(params)
    params["algorithm"] = algorithm
    return trainer, params


def _train(trainer: Any, path: Path) -> Path:
    """Train, seeded, into the model file `path`."""
    with _TRAINING_LOCK:
        _seed_c_random()
        trainer.train(str(path))
    return path


def _spilled(spill: Any) -> Iterator[tuple[list[list[str]], list[str]]]:
    with gzip.GzipFile(fileobj=spill, mode="rb") as saved:
        while True:
            try:
                yield pickle.load(saved)
            except EOFError:
                return
