"""Label Studio JSON: the Label Studio samples, results of every kind, round trips, bad input
and fuzzing."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from news_annotator.errors import InputError
from news_annotator.formats import detect_format, labelstudio
from news_annotator.formats.common.records import ReadOptions
from news_annotator.importing import import_paths
from news_annotator.project import Project
from tests.conftest import fuzz_examples
from tests.formats.interop_support import build, check_yielded, read_all, snapshot, split_fragments

ADD = ReadOptions(add_labels=True)


def independent_count(path: Path) -> tuple[list[str], Counter]:
    raw = json.loads(path.read_text("utf-8"))
    tasks = raw if isinstance(raw, list) else [raw]
    labels: Counter = Counter()
    for task in tasks:
        for kind in ("annotations", "predictions"):
            for annotation in task.get(kind, []):
                for result in annotation["result"]:
                    if result["type"] == "labels":
                        value = result["value"]
                        assert task["data"]["text"][value["start"]:value["end"]] == value["text"]
                        labels.update(value["labels"])
    return [task["data"]["text"] for task in tasks], labels


@pytest.mark.parametrize("name, annotator", [("named_entity_annotations_1.json", "imported"),
                                             ("named_entity_tasks.json", "model:model 1")])
def test_labelstudio_samples_import_exactly(shared_data, project, name, annotator):
    path = shared_data / "interop" / "labelstudio" / name
    texts, labels = independent_count(path)
    assert detect_format(path).name == "labelstudio"
    report = import_paths(project, [path], options=ADD)
    assert report.documents_added == len(texts) == 1 and report.relations_added == 0
    doc = next(iter(project.documents.iter_all()))
    assert doc.text == texts[0]
    spans = project.spans.for_document(doc.id)
    assert Counter(s.label for s in spans) == labels == {"Date": 1}
    assert [(s.start, s.end, s.text) for s in spans] == [(343, 354, "February 22")]
    assert [a.name for a in project.annotators.all()] == [annotator]


def test_both_samples_are_one_document(shared_data, project):
    report = import_paths(project, [shared_data / "interop" / "labelstudio"], options=ADD)
    assert (report.files, report.documents_added, report.spans_added) == (2, 1, 2)


# -- inline samples (always run) ----------------------------------------------------

TEXT = "Zoë 😊 Ørsted met Acme in Paris. “We won,” she said."


def region(rid: str, start: int, end: int, *labels: str, **extra) -> dict:
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": TEXT[start:end],
                      "labels": list(labels)}, **extra}


def task(*results, **annotation) -> dict:
    return {"id": 3, "data": {"text": TEXT, "headline": "Met"},
            "annotations": [{"id": 11, "result": list(results), **annotation}]}


def write(tmp_path: Path, content, name: str = "export.json") -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else
                    json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


def test_regions_relations_and_per_region_results(tmp_path, project):
    results = [
        region("a", 0, 12, "PERSON", meta={"text": ["is she", "the CEO?"]}),
        region("b", 17, 21, "ORG"),
        region("q", 32, 41, "DIRECT"),
        {"id": "q", "from_name": "source_type", "to_name": "text", "type": "choices",
         "value": {"start": 32, "end": 41, "choices": ["named"]}},
        {"id": "b", "from_name": "sectors", "to_name": "text", "type": "choices",
         "value": {"choices": ["tech", "retail"]}},
        {"from_id": "a", "to_id": "q", "type": "relation", "direction": "left",
         "labels": ["source"]},
        {"from_id": "a", "to_id": "b", "type": "relation", "direction": "right"},
        {"id": "doc", "from_name": "topic", "to_name": "text", "type": "choices",
         "value": {"choices": ["business"]}},
    ]
    path = write(tmp_path, [task(*results, completed_by={"id": 4, "email": "zoe@example.org"})])
    import_paths(project, [path], options=ADD)
    doc = next(iter(project.documents.iter_all()))
    assert doc.metadata == {"headline": "Met", "labelstudio_id": 3, "topic": "business"}
    spans = {s.id: s for s in project.spans.for_document(doc.id)}
    by_label = {s.label: s for s in spans.values()}
    assert by_label["PERSON"].text == "Zoë 😊 Ørsted" and by_label["PERSON"].note == \
        "is she\nthe CEO?"
    assert by_label["DIRECT"].attributes == {"source_type": "named"}
    assert by_label["ORG"].attributes == {"sectors": ["tech", "retail"]}
    assert {(spans[r.source_id].label, r.type, spans[r.target_id].label)
            for r in project.relations.for_document(doc.id)} == {
        ("DIRECT", "source", "PERSON"), ("PERSON", "related", "ORG")}
    assert [a.name for a in project.annotators.all()] == ["zoe@example.org"]


def test_annotators_from_completed_by_and_created_username(tmp_path, project):
    path = write(tmp_path, [{"data": {"text": TEXT}, "annotations": [
        {"id": 1, "completed_by": 7, "result": [region("a", 17, 21, "ORG")]},
        {"id": 2, "completed_by": 8, "created_username": " ann@example.org, 8",
         "result": [region("a", 17, 21, "ORG")]},
        {"id": 3, "was_cancelled": True, "result": [region("a", 17, 21, "ORG")]}]}])
    import_paths(project, [path])
    assert sorted(a.name for a in project.annotators.all()) == ["ann@example.org",
                                                                  "labelstudio-user-7"]
    assert project.spans.count() == 2


def test_utf16_offsets_are_converted(tmp_path, project):
    start, end = TEXT.index("Acme"), TEXT.index("Acme") + 4
    result = region("a", start + 1, end + 1, "ORG")  # JavaScript counts 😊 as two units
    result["value"]["text"] = "Acme"
    import_paths(project, [write(tmp_path, [task(result)])])
    span = project.spans.for_document(next(iter(project.documents.iter_all())).id)[0]
    assert (span.start, span.end, span.text) == (start, end, "Acme")


# -- round trips --------------------------------------------------------------------


def test_round_trip_keeps_what_label_studio_holds(tmp_path):
    with Project.create(tmp_path / "a.annotator") as source:
        build(source)
        assert labelstudio.write(source, tmp_path / "out.json") == 3
        before = split_fragments(snapshot(source), keep_extras=True)
    tasks = json.loads((tmp_path / "out.json").read_text("utf-8"))
    assert [len(t["annotations"]) for t in tasks] == [2, 1, 0]
    first = tasks[0]["annotations"][0]["result"][0]
    assert (first["from_name"], first["to_name"], first["type"]) == ("label", "text", "labels")
    assert detect_format(tmp_path / "out.json").name == "labelstudio"
    with Project.create(tmp_path / "b.annotator") as target:
        import_paths(target, [tmp_path / "out.json"])
        assert snapshot(target) == before


def test_reimport_into_the_same_project_adds_nothing_new(tmp_path):
    with Project.create(tmp_path / "a.annotator") as project:
        build(project)
        labelstudio.write(project, tmp_path / "out.json")
        report = import_paths(project, [tmp_path / "out.json"])
        # Only the discontinuous quote, split in two, and its two relations come back new.
        assert (report.documents_added, report.spans_added, report.relations_added) == (0, 2, 2)


def test_labeling_config_lists_labels_and_relations():
    config = labelstudio.labeling_config(["PERSON", "A&B"], ["source"])
    assert '<Labels name="label" toName="text">' in config and 'value="A&amp;B"' in config
    assert '<Relation value="source"/>' in config and '<Text name="text" value="$text"/>' in config


# -- bad input ----------------------------------------------------------------------


@pytest.mark.parametrize("results, reason", [
    ([region("a", 0, 3, "PERSON")] and [{**region("a", 0, 3, "PERSON"),
                                         "value": {"start": 0, "end": 99, "labels": ["X"]}}],
     "past the end"),
    ([{**region("a", 0, 3, "PERSON"), "value": {"start": 0, "end": 3, "text": "Bob",
                                                 "labels": ["X"]}}], "says 'Bob'"),
    ([region("a", 0, 3, "PERSON"), {"from_id": "a", "to_id": "zz", "type": "relation"}],
     "region 'zz'"),
    ([{"id": "r", "type": "rectanglelabels", "value": {"x": 1}}], "only text 'labels'"),
    ([{"id": "r", "type": "labels", "value": {"start": "0", "end": 3, "labels": ["X"]}}],
     "whole-number start/end"),
])
def test_bad_task_names_file_and_record(tmp_path, project, results, reason):
    good = {"data": {"text": "A fine article."}}
    path = write(tmp_path, [good, task(*results)])
    with pytest.raises(InputError, match=re.escape(reason)) as caught:
        import_paths(project, [path], format_name="labelstudio", options=ADD)
    assert (caught.value.path, caught.value.record) == (str(path), "2")
    assert project.documents.count() == 0


def test_broken_json_names_line(tmp_path, project):
    path = write(tmp_path, '[\n  {"data": {"text": "Acme"},\n   "annotations": [}\n]\n')
    with pytest.raises(InputError, match="not valid JSON") as caught:
        import_paths(project, [path], format_name="labelstudio")
    assert caught.value.line == 3 and project.documents.count() == 0


def test_skip_bad(tmp_path, project):
    path = write(tmp_path, [{"data": {"text": "Fine."}}, {"data": {"text": ""}}])
    report = import_paths(project, [path], format_name="labelstudio",
                          options=ReadOptions(skip_bad=True))
    assert report.documents_added == 1 and len(report.skipped) == 1


# -- fuzzing ------------------------------------------------------------------------

_KEYS = ["data", "text", "annotations", "predictions", "result", "id", "type", "value", "start",
         "end", "labels", "from_id", "to_id", "direction", "choices", "meta", "completed_by",
         "from_name", "was_cancelled", "news_annotator_uids"]
_JSON = st.recursive(st.none() | st.booleans() | st.integers(-3, 60) | st.text(max_size=5)
                     | st.sampled_from(["labels", "relation", "choices", "textarea", "left"]),
                     lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.sampled_from(_KEYS), inner, max_size=5),
                     max_leaves=25)
VALID = json.dumps([task(region("a", 0, 12, "PERSON"), region("b", 17, 21, "ORG"),
                         {"from_id": "a", "to_id": "b", "type": "relation", "labels": ["x"]})],
                   ensure_ascii=False)


@settings(max_examples=fuzz_examples(300), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(
    _JSON.map(json.dumps),
    st.text(max_size=200),
    st.tuples(st.integers(0, len(VALID)), st.integers(0, 10), st.text(max_size=6)).map(
        lambda cut: VALID[:cut[0]] + cut[2] + VALID[cut[0] + cut[1]:]),
))
def test_fuzzed_input_only_fails_with_input_error(tmp_path, content):
    path = write(tmp_path, content)
    labelstudio.sniff(path)
    check_yielded(read_all(labelstudio, path, ADD))
