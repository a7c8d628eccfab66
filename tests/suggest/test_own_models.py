"""A layer's in-layer link targets (a quote's CUE, a recipe's INGREDIENT) get a model of
their own, packed with the main model into the one blob the project file keeps."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pycrfsuite
import pytest

from news_annotator.store.suggestion_store import SuggestionStore
from news_annotator.suggest.crf import LayerModel
from news_annotator.suggest.learning import learn_layers, load_models
from news_annotator.suggest.model_bytes import MAIN, pack, pack_files, unpack
from tests.suggest.test_crf import recipe, recipe_project


def test_an_in_layer_target_gets_a_model_of_its_own(tmp_path):
    with recipe_project(tmp_path / "recipes.annotator") as project:
        learn_layers(project, ["cook"])
        parts = unpack(SuggestionStore(project.db).model("recipe").data)
    assert set(parts) == {MAIN, "INGREDIENT"}  # AMOUNT -of-> INGREDIENT
    own = pycrfsuite.Tagger()
    own.open_inmemory(parts["INGREDIENT"])
    assert set(own.labels()) == {"O", "U-INGREDIENT"}  # one-word ingredients, alone
    main = pycrfsuite.Tagger()
    main.open_inmemory(parts[MAIN])
    assert {"B-AMOUNT", "L-AMOUNT", "U-TOOL", "U-INGREDIENT"} <= set(main.labels())


def test_the_targets_spans_come_from_their_own_model(tmp_path):
    with recipe_project(tmp_path / "recipes.annotator") as project:
        learn_layers(project, ["cook"])
        model = load_models(project)["recipe"]
    from news_annotator.suggest.features import Featurizer, analyse

    text, spans = recipe(123)
    analysed = analyse(text, rule_hints=True)
    featurizer = Featurizer(model.plan.learned_cues, model.plan.cue_phrases)
    tags = model.tag(analysed, featurizer)
    found = {(t.start, t.end) for t, tag in zip(analysed.tokens, tags, strict=True)
             if tag.endswith("-INGREDIENT")}
    assert found == {(s, e) for label, s, e, _ in spans if label == "INGREDIENT"}
    # the main model alone would have said the same here; what matters is whose word
    # counts: silence the own model and its spans go, whatever the main model says
    model.taggers["INGREDIENT"] = _Silent()
    assert not any(tag.endswith("-INGREDIENT") for tag in model.tag(analysed, featurizer))


class _Silent:
    def tag(self, items):
        return ["O"] * len(items)


def test_a_model_stored_before_targets_had_their_own_still_suggests(tmp_path):
    with recipe_project(tmp_path / "recipes.annotator") as project:
        learn_layers(project, ["cook"])
        model = load_models(project)["recipe"]
    old = LayerModel(model.plan, unpack(model.data)[MAIN], model.params)  # one CRFsuite model
    from news_annotator.suggest.features import Featurizer, analyse

    analysed = analyse(recipe(7)[0], rule_hints=True)
    tags = old.tag(analysed, Featurizer())
    assert set(old.taggers) == {MAIN} and any(t.endswith("-INGREDIENT") for t in tags)


def test_damaged_model_bytes_are_refused():
    blob = pack({MAIN: b"main model", "CUE": b"cue model"})
    assert unpack(blob) == {MAIN: b"main model", "CUE": b"cue model"}
    assert pack({MAIN: b"alone"}) == b"alone" and unpack(b"alone") == {MAIN: b"alone"}
    with pytest.raises(ValueError, match="damaged"):
        unpack(blob[:-1])


def test_model_files_pack_as_their_bytes_do(tmp_path):
    """Training packs the models from their files: the blob is the one `pack` makes."""
    parts = {MAIN: b"main model" * 1000, "CUE": b"cue model", "AMOUNT": b""}
    paths = {}
    for number, (name, blob) in enumerate(parts.items()):
        paths[name] = tmp_path / f"{number}.crfsuite"
        paths[name].write_bytes(blob)
    assert pack_files(paths) == pack(parts)
    assert unpack(pack_files(paths)) == parts
    assert pack_files({MAIN: paths[MAIN]}) == parts[MAIN]


def test_the_taggers_keep_their_models_bytes_alive(tmp_path):
    """CRFsuite reads a model where it lies: a part's bytes freed under an open tagger
    gave garbage tags or a segmentation fault. Run apart, so a crash fails the test."""
    path = tmp_path / "recipes.annotator"
    with recipe_project(path) as project:
        learn_layers(project, ["cook"])
    script = textwrap.dedent(f"""
        import gc
        from news_annotator.project import Project
        from news_annotator.suggest.crf import LayerModel
        from news_annotator.suggest.features import Featurizer, analyse
        from news_annotator.suggest.learning import load_models
        from tests.suggest.test_crf import recipe
        with Project.open({str(path)!r}, read_only=True) as project:
            stored = load_models(project)["recipe"]
        model = LayerModel(stored.plan, bytes(bytearray(stored.data)), stored.params)
        del stored
        analysed = analyse(recipe(5)[0], rule_hints=True)
        first = model.tag(analysed, Featurizer())
        gc.collect()
        litter = [bytes([n % 251]) * 4096 for n in range(20000)]  # reuse freed memory
        for _ in range(20):
            assert model.tag(analysed, Featurizer()) == first
        print("same")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "same", done.stderr[-2000:]
