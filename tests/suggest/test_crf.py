"""The learned model: any schema, deterministic, stored in the project file."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from news_annotator.model import NewDocument
from news_annotator.project import Project
from news_annotator.schema import Label, Layer, RelationType, Schema
from news_annotator.store.suggestion_store import SuggestionStore
from news_annotator.suggest import crf
from news_annotator.suggest.crf import train_layer
from news_annotator.suggest.engine import build_suggester, suggest
from news_annotator.suggest.features import Featurizer, analyse, words_seen_once
from news_annotator.suggest.learning import learn_layers, load_models
from news_annotator.suggest.quality import project_quality
from news_annotator.suggest.work import Work

RECIPES = Schema(
    layers=(Layer("recipe", (Label("AMOUNT", "#111111"), Label("INGREDIENT", "#222222"),
                             Label("TOOL", "#333333"))),),
    relation_types=(RelationType("of", ("AMOUNT",), ("INGREDIENT",)),),
    name="recipes")
INGREDIENTS = ["flour", "sugar", "butter", "milk", "rice", "salt", "honey", "oats", "cocoa",
               "yeast"]
TOOLS = ["whisk", "spoon", "fork", "ladle", "spatula"]
UNITS = ["cups", "grams", "spoons", "pinches"]


def recipe(seed: int) -> tuple[str, list[tuple[str, int, int, int | None]]]:
    """A made-up recipe and its spans: (label, start, end, index of the amount's
    ingredient span or None)."""
    rng = random.Random(seed)
    text, spans = "", []
    for _ in range(rng.randint(3, 6)):
        amount = f"{rng.randint(1, 9)} {rng.choice(UNITS)}"
        ingredient, tool = rng.choice(INGREDIENTS), rng.choice(TOOLS)
        verb = rng.choice(["Mix", "Stir", "Add", "Fold in"])
        start = len(text) + len(verb) + 1
        text += f"{verb} {amount} of {ingredient} with the {tool}. "
        spans.append(("AMOUNT", start, start + len(amount), len(spans) + 1))
        i_start = start + len(amount) + 4
        spans.append(("INGREDIENT", i_start, i_start + len(ingredient), None))
        t_start = i_start + len(ingredient) + 10
        spans.append(("TOOL", t_start, t_start + len(tool), None))
    return text.strip(), spans


def recipe_project(path, train: int = 30, new: int = 10) -> Project:
    project = Project.create(path, RECIPES)
    texts = [recipe(seed) for seed in range(train + new)]
    with project.transaction():
        project.documents.insert_many(NewDocument(text=t, title=f"r{i}", uid=f"r{i}")
                                      for i, (t, _) in enumerate(texts))
    cook = project.annotator("cook")
    gold = project.annotator("gold")
    for i, (_, spans) in enumerate(texts):
        document_id = project.documents.id_for_uid(f"r{i}")
        who = cook if i < train else gold  # gold: the held-out answers, for scoring
        made = [project.add_span(document_id, who.id, label, [(s, e)]) for label, s, e, _ in spans]
        for span, (_, _, _, target) in zip(made, spans, strict=True):
            if target is not None:
                project.add_relation("of", span.id, made[target].id)
    return project


def test_learns_a_schema_that_is_not_news(tmp_path):
    with recipe_project(tmp_path / "recipes.annotator") as project:
        result = suggest(project, learn_from=("cook",))
        assert result.learned["recipe"].documents == 30
        assert result.documents == 10  # the ten the cook has not annotated
        report = project_quality(project, ["gold"], "suggestions")
        for label in ("AMOUNT", "INGREDIENT", "TOOL"):
            assert report.labels[("recipe", label)].f1 >= 0.95, label
        relations = [r for d in project.documents.ids()
                     for r in project.relations.for_document(d, project.annotators.find(
                         "suggestions").id)]
        assert len(relations) == report.labels[("recipe", "AMOUNT")].predicted


def test_training_is_deterministic(tmp_path):
    stored = []
    for run in range(2):
        with recipe_project(tmp_path / f"run{run}.annotator") as project:
            learn_layers(project, ["cook"])
            stored.append(SuggestionStore(project.db).model("recipe").data)
            suggester = build_suggester(project, use_rules=False)
            suggester.gazetteer = None
            text = recipe(99)[0]
            stored.append([(s.label, s.fragments) for s in suggester.propose(text).spans])
    assert stored[0] == stored[2]
    assert stored[1] == stored[3] and stored[1]


def test_the_model_travels_in_the_project_file(tmp_path):
    path = tmp_path / "recipes.annotator"
    with recipe_project(path) as project:
        learn_layers(project, ["cook"])
        data = SuggestionStore(project.db).model("recipe").data
    with Project.open(path, read_only=True) as reopened:
        [stored] = [SuggestionStore(reopened.db).model(layer)
                    for layer in SuggestionStore(reopened.db).model_layers()]
        assert stored.data == data and stored.annotators == ("cook",)
        assert stored.documents == 30 and stored.params["plan"]["links"] == [
            ["AMOUNT", "of", "INGREDIENT"]]
        model = load_models(reopened)["recipe"]
        assert set(model.plan.tags) == {"AMOUNT", "INGREDIENT", "TOOL"}


def test_learning_from_the_suggestions_annotator_is_refused(tmp_path):
    from news_annotator.errors import ProjectError

    with recipe_project(tmp_path / "recipes.annotator") as project, \
            pytest.raises(ProjectError, match="suggestions"):
        suggest(project, learn_from=("suggestions",))


def recipe_examples(count: int) -> list[tuple[str, Work]]:
    """Recipes as training examples, each with a word of its own ("Zorbl3"); the first
    two share one ("Quux")."""
    examples = []
    for seed in range(count):
        text, spans = recipe(seed)
        work = Work()
        for number, (label, start, end, _) in enumerate(spans):
            work.spans[number] = ("recipe", label, ((start, end),))
        work.relations = [("of", number, target) for number, (*_, target) in enumerate(spans)
                          if target is not None]
        examples.append((f"{text} Zorbl{seed} served it{' to Quux' * (seed < 2)}.", work))
    return examples


def test_words_seen_once_leave_the_model_as_it_was(monkeypatch):
    """A word the training data holds once gives attributes that occur once, which
    CRFsuite drops (feature.minfreq 2): training leaves them out of its trainer (less
    memory), and the model must come out byte for byte the same."""
    examples = recipe_examples(30)
    once = words_seen_once(text for text, _ in examples)
    assert {"zorbl0", "zorbl29"} <= once and not {"quux", "flour", "served"} & once

    def attributes(featurizer: Featurizer) -> Counter:
        found: Counter = Counter()
        for text, _ in examples:
            analysed = analyse(text)
            for first, last in analysed.sequences:
                found.update(a for item in featurizer.sequence(analysed, first, last)
                             for a in item)
        return found

    plain, lean = attributes(Featurizer()), attributes(Featurizer(once=once))
    left_out = plain - lean
    assert {"w=zorbl3", "-1:w=zorbl3", "2:w=zorbl3"} <= set(left_out) and "x3=bl3" in lean
    assert not lean - plain and set(left_out.values()) == {1}
    assert all(plain[attribute] == 1 for attribute in left_out)  # all dropped by minfreq

    model = train_layer("recipe", examples)
    monkeypatch.setattr(crf, "words_seen_once", lambda texts: set())
    assert train_layer("recipe", examples).data == model.data
