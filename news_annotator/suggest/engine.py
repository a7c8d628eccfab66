"""Suggestions end to end: learn, propose, write them as the `suggestions` annotator.

Sources, in order of trust: the project's gazetteer (accepted spans' texts at their
other occurrences), the sequence models learned from accepted work (one per layer,
stored in the project file), and the English quote-frame rules (only for a schema that
has the news quote layer, and only where neither of the others proposed anything in the
layer). Suggestions are ordinary spans and relations of their own annotator; a run
replaces that annotator's earlier suggestions in the documents it covers, and never
proposes a span that already exists or that someone rejected.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from news_annotator.errors import ProjectError, SchemaError
from news_annotator.project import Project
from news_annotator.schema import Schema
from news_annotator.suggest.crf import LayerModel
from news_annotator.suggest.features import Featurizer, analyse
from news_annotator.suggest.gazetteer import Gazetteer, TextRow, gazetteer_labels
from news_annotator.suggest.learning import learn_layers, load_models
from news_annotator.suggest.proposals import Proposals
from news_annotator.suggest.results import SuggestResult
from news_annotator.suggest.rules import QuoteLabels, QuoteRules
from news_annotator.suggest.writing import write_proposals

SUGGESTIONS_ANNOTATOR = "suggestions"
Progress = Callable[[int, int], None]


@dataclass
class Suggester:
    """Proposes suggestions for one text; holds the loaded models, gazetteer and rules.

    Pure (no database): the app can run `propose` on a worker thread for the document
    just opened, then write the result on its own thread.
    """

    models: dict[str, LayerModel] = field(default_factory=dict)
    gazetteer: Gazetteer | None = None
    rules: QuoteRules | None = None
    _featurizers: dict[str, Featurizer] = field(default_factory=dict, repr=False)

    def prepare(self) -> Suggester:
        """Do now what the first `propose` would do once: open the taggers, make the
        featurizers, index the gazetteer."""
        if self.gazetteer is not None:
            self.gazetteer.index  # noqa: B018 (built on first use)
        for layer, model in self.models.items():
            model.tagger  # noqa: B018
            self._featurizer(layer, model)
        return self

    def _featurizer(self, layer: str, model: LayerModel) -> Featurizer:
        featurizer = self._featurizers.get(layer)
        if featurizer is None:
            featurizer = self._featurizers[layer] = Featurizer(
                model.plan.learned_cues, model.plan.cue_phrases)
        return featurizer

    def propose(self, text: str, existing: Iterable[tuple[str, tuple]] = ()) -> Proposals:
        existing = list(existing)
        proposals = Proposals()
        if self.gazetteer is not None:
            proposals.extend(self.gazetteer.propose(text, existing))
        if self.models:
            analysed = analyse(text, rule_hints=True)
            from news_annotator.suggest.decode import proposals_from_tags

            for layer, model in sorted(self.models.items()):
                tags = model.tag(analysed, self._featurizer(layer, model))
                proposals.extend(proposals_from_tags(model.plan, analysed, tags))
        if self.rules is not None and self.rules.labels.layer not in self.models:
            proposals.extend(self.rules.propose(text))
        return proposals

    def propose_piece(self, text: str, existing: Iterable[tuple[str, tuple]],
                      start: int, end: int) -> Proposals:
        """Proposals for `text[start:end]` alone (a long document's part on screen, cut
        at paragraph ends), at their places in the whole text."""
        inside = []
        for layer, fragments in existing:
            clipped = tuple((max(s, start) - start, min(e, end) - start)
                            for s, e in fragments if s < end and start < e)
            if clipped:
                inside.append((layer, clipped))
        return self.propose(text[start:end], inside).shifted(start)


def rule_labels(schema: Schema) -> QuoteLabels | None:
    """The rules' labels when the schema has the news quote frame, else None."""
    labels = QuoteLabels()
    quote, entity = schema.layer(labels.layer), schema.layer(labels.source_layer)
    if quote is None or entity is None:
        return None
    needed = [(quote, labels.direct), (quote, labels.indirect), (quote, labels.mixed),
              (quote, labels.cue), (entity, labels.person), (entity, labels.organisation)]
    if any(layer.label(name) is None for layer, name in needed):
        return None
    if schema.relation_type(labels.cue_relation) is None or \
            schema.relation_type(labels.source_relation) is None:
        return None
    return labels


def build_suggester(project: Project, *, learn_from: Sequence[str] = (),
                    layers: Sequence[str] | None = None, use_rules: bool = True,
                    use_models: bool = True, as_annotator: str = SUGGESTIONS_ANNOTATOR,
                    models: dict[str, LayerModel] | None = None) -> Suggester:
    """A Suggester from what the project holds: its stored models (or `models`, loaded
    before), a gazetteer of the accepted work (of `learn_from`, or of everyone but the
    suggestions annotator), and the rules when the schema has the news quote frame."""
    schema = project.schema
    if not use_models:
        models = {}
    elif models is None:
        models = layer_models(project, layers)
    gazetteer = build_gazetteer(project, learn_from=learn_from, layers=layers,
                                as_annotator=as_annotator)
    return suggester_from(schema, models, gazetteer, layers, use_rules=use_rules)


def suggester_from(schema: Schema, models: dict[str, LayerModel], gazetteer: Gazetteer | None,
                   layers: Sequence[str] | None = None, *, use_rules: bool = True
                   ) -> Suggester:
    """A Suggester of these parts, for `layers` (default: all), with the rules when the
    schema has the news quote frame."""
    wanted = set(layers) if layers else {layer.name for layer in schema.layers}
    labels = rule_labels(schema) if use_rules else None
    rules = QuoteRules(labels) if labels is not None and labels.layer in wanted else None
    return Suggester({layer: model for layer, model in models.items() if layer in wanted},
                     gazetteer, rules)


def layer_models(project: Project, layers: Sequence[str] | None = None
                 ) -> dict[str, LayerModel]:
    """The stored models of `layers` (default: all)."""
    return {layer: model for layer, model in load_models(project).items()
            if not layers or layer in layers}


def build_gazetteer(project: Project, *, learn_from: Sequence[str] = (),
                    layers: Sequence[str] | None = None,
                    as_annotator: str = SUGGESTIONS_ANNOTATOR) -> Gazetteer | None:
    """The gazetteer of the accepted work in `layers`, read in one grouped query (None
    when it would be empty)."""
    return gazetteer_from_rows(*gazetteer_rows(project, learn_from=learn_from, layers=layers,
                                               as_annotator=as_annotator))


def gazetteer_rows(project: Project, *, learn_from: Sequence[str] = (),
                   layers: Sequence[str] | None = None,
                   as_annotator: str = SUGGESTIONS_ANNOTATOR
                   ) -> tuple[set[tuple[str, str]], list[TextRow]]:
    """What the gazetteer is made of: its (layer, label) pairs and the grouped query's
    rows (SQLite does most of this without holding the interpreter: a thread of its own
    can read them while another works)."""
    allowed = {(layer, label) for layer, label in gazetteer_labels(project.schema)
               if not layers or layer in layers}
    if not allowed:
        return allowed, []
    return allowed, list(project.suggestions.span_texts(
        accepted_annotators(project, learn_from, as_annotator),
        {layer for layer, _ in allowed}))


def gazetteer_from_rows(allowed: set[tuple[str, str]],
                        rows: Iterable[TextRow]) -> Gazetteer | None:
    """The gazetteer of `gazetteer_rows` (None when it would be empty)."""
    if not allowed:
        return None
    gazetteer = Gazetteer.from_counts(rows, allowed)
    return gazetteer if gazetteer.entries else None


def accepted_annotators(project: Project, learn_from: Sequence[str], as_annotator: str
                        ) -> list[int]:
    """The ids of `learn_from`, or of everyone but `as_annotator` when none are named."""
    return [a.id for a in project.annotators.all()
            if (a.name in learn_from if learn_from else a.name != as_annotator)]


def target_documents(project: Project, documents: str | Iterable[int],
                     learn_from: Sequence[str], as_annotator: str) -> list[int]:
    """"all", "unannotated" (no work of the learn-from annotators, or of anyone but the
    suggestions annotator when none are named) or the given ids."""
    if not isinstance(documents, str):
        return sorted(set(documents))
    every = [int(d) for d in project.documents.ids()]
    if documents == "all":
        return every
    if documents != "unannotated":
        raise ProjectError(f"documents: expected 'all' or 'unannotated', not {documents!r}")
    names = {a.name: a.id for a in project.annotators.all()}
    who = [names[n] for n in learn_from if n in names] if learn_from else \
        [i for n, i in names.items() if n != as_annotator]
    annotated = project.suggestions.documents_with_work(who)
    return [d for d in every if d not in annotated]


def suggest(project: Project, documents: str | Iterable[int] = "unannotated", *,
            learn_from: Sequence[str] = (), layers: Sequence[str] | None = None,
            as_annotator: str = SUGGESTIONS_ANNOTATOR, use_rules: bool = True,
            use_stored_models: bool = False, workers: int = 1,
            progress: Progress | None = None) -> SuggestResult:
    """Learn from `learn_from` (none: rules and gazetteer only, or the models stored
    before with `use_stored_models`), then write suggestions as `as_annotator` into
    `documents`, replacing that annotator's earlier ones there. `workers` > 1 proposes
    on that many forked processes (the command line; never from a Qt app)."""
    started = time.perf_counter()
    if as_annotator.strip() in learn_from:
        raise ProjectError(f"cannot learn from {as_annotator!r} and write suggestions as it")
    unknown = sorted(set(layers or ()) - {layer.name for layer in project.schema.layers})
    if unknown:
        raise SchemaError(f"no such layer: {', '.join(unknown)}")
    result = SuggestResult()
    if learn_from:
        result.learned = learn_layers(project, learn_from, layers)
    suggester = build_suggester(project, learn_from=learn_from, layers=layers,
                                use_rules=use_rules,
                                use_models=bool(learn_from) or use_stored_models,
                                as_annotator=as_annotator)
    ids = target_documents(project, documents, learn_from, as_annotator)
    begun = time.perf_counter()
    accepted_by = None
    if learn_from:
        names = {a.name: a.id for a in project.annotators.all()}
        accepted_by = [names[n] for n in learn_from if n in names]
    suggester.prepare()  # before the workers fork: they inherit the opened models
    write_proposals(project, suggester.propose, ids, as_annotator, layers, result, progress,
                    accepted_by=accepted_by, workers=workers)
    result.suggest_seconds = time.perf_counter() - begun
    result.seconds = time.perf_counter() - started
    return result


