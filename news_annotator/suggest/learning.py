"""Learn each layer's sequence model from accepted work and keep it in the project file."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from news_annotator.project import Project
from news_annotator.store.database import utc_now
from news_annotator.store.suggestion_store import StoredModel
from news_annotator.suggest.crf import LayerModel, train_layer
from news_annotator.suggest.plan import LayerPlan
from news_annotator.suggest.work import Work, reference_documents, reference_work


@dataclass(frozen=True, slots=True)
class LearnReport:
    layer: str
    annotators: tuple[str, ...]
    documents: int
    spans: int
    seconds: float
    size: int  # model bytes


class Examples:
    """(text, work) of each document the reference annotators annotated in a layer,
    read from the project on every pass (training makes a few)."""

    def __init__(self, project: Project, layer: str, learn_from: Sequence[str]) -> None:
        self.project, self.layer, self.learn_from = project, layer, tuple(learn_from)
        self.documents = [d for d, _ in reference_documents(project, learn_from, [layer])
                          .items()]

    def __len__(self) -> int:
        return len(self.documents)

    def __iter__(self) -> Iterator[tuple[str, Work]]:
        for document_id, work in reference_work(self.project, self.learn_from, [self.layer],
                                                self.documents):
            yield self.project.documents.text(document_id) or "", work

    def __contains__(self, item: object) -> bool:
        return any(item == example for example in self)


def learn_layer(project: Project, layer: str, learn_from: Sequence[str]) -> LearnReport | None:
    """Train `layer`'s model on the work of `learn_from` and store it; None when they have
    no spans in that layer."""
    started = time.perf_counter()
    examples = Examples(project, layer, learn_from)
    if not len(examples):
        return None
    spans = sum(1 for _, work in examples for layer_name, _, _ in work.spans.values()
                if layer_name == layer)
    model = train_layer(layer, examples)
    names = tuple(learn_from)
    stored = StoredModel(layer, utc_now(), names, len(examples),
                         {"plan": model.plan.to_dict(), "training": model.params}, model.data)
    with project.transaction():
        project.suggestions.save_model(stored)
    return LearnReport(layer, names, len(examples), spans, time.perf_counter() - started,
                       len(model.data))


def learn_layers(project: Project, learn_from: Sequence[str],
                 layers: Sequence[str] | None = None) -> dict[str, LearnReport]:
    """`learn_layer` for each layer asked for (default: every layer of the schema)."""
    chosen = list(layers) if layers else [layer.name for layer in project.schema.layers]
    reports = {}
    for layer in chosen:
        report = learn_layer(project, layer, learn_from)
        if report is not None:
            reports[layer] = report
    return reports


def load_models(project: Project) -> dict[str, LayerModel]:
    """Every layer model stored in the project."""
    store = project.suggestions
    models = {}
    for layer in store.model_layers():
        stored = store.model(layer)
        if stored is not None:
            models[layer] = LayerModel(LayerPlan.from_dict(stored.params["plan"]), stored.data,
                                       stored.params.get("training", {}))
    return models
