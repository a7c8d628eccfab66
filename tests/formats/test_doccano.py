"""doccano JSONL: the doccano samples, both span shapes, pretty-printed files, round trips,
bad input and fuzzing."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from news_annotator.errors import InputError
from news_annotator.formats import detect_format, doccano
from news_annotator.formats.common.records import ReadOptions
from news_annotator.importing import import_paths
from news_annotator.project import Project
from tests.conftest import fuzz_examples
from tests.formats.interop_support import build, check_yielded, read_all, snapshot, split_fragments

ADD = ReadOptions(add_labels=True)
SAMPLES = ("data_export__relation_extraction__example.jsonl",
           "data_export__sequence_labeling__example.jsonl",
           "data_import__relation_extraction__example.jsonl",
           "data_import__sequence_labeling__example.jsonl")


def independent_count(path: Path) -> tuple[list[str], Counter, int]:
    """Texts, span labels and relation count, parsed here without our reader."""
    raw = path.read_text("utf-8")
    try:
        records = [json.loads(line) for line in raw.splitlines() if line.strip()]
    except json.JSONDecodeError:
        records = [json.loads(raw)]
    texts, labels, relations = [], Counter(), 0
    for record in records:
        texts.append(record.get("text", record.get("column_data")))
        for entity in record.get("entities", []):
            labels[entity["label"]] += 1
        for _, _, label in record.get("label", record.get("column_label", [])):
            labels[label] += 1
        relations += len(record.get("relations", []))
    return texts, labels, relations


@pytest.mark.parametrize("name", SAMPLES)
def test_doccano_samples_import_exactly(shared_data, project, name):
    path = shared_data / "interop" / "doccano" / name
    texts, labels, relations = independent_count(path)
    assert detect_format(path).name == "doccano"
    report = import_paths(project, [path], options=ADD)
    assert report.documents_added == len(texts) and report.relations_added == relations
    stored = list(project.documents.iter_all())
    assert [d.text for d in stored] == texts
    spans = [s for d in stored for s in project.spans.for_document(d.id)]
    assert Counter(s.label for s in spans) == labels
    for span in spans:
        assert span.text == next(d.text for d in stored if d.id == span.document_id)[
            span.start:span.end]


def test_doccano_relation_sample_in_detail(shared_data, project):
    import_paths(project, [shared_data / "interop" / "doccano" / SAMPLES[0]], options=ADD)
    doc = next(iter(project.documents.iter_all()))
    spans = {s.id: s.text for s in project.spans.for_document(doc.id)}
    assert sorted(spans.values()) == ["Google", "Larry Page", "September 4, 1998",
                                      "Sergey Brin"]
    assert {(spans[r.source_id], r.type, spans[r.target_id])
            for r in project.relations.for_document(doc.id)} == {
        ("Google", "foundedAt", "September 4, 1998"), ("Google", "foundedBy", "Larry Page"),
        ("Google", "foundedBy", "Sergey Brin")}


def test_doccano_sample_folder_is_detected(shared_data, project):
    report = import_paths(project, [shared_data / "interop" / "doccano"], options=ADD)
    assert report.files == 4 and report.documents_read == 8
    assert report.documents_added == 4  # the same texts in export and import examples


# -- inline samples (always run) ----------------------------------------------------


def write(tmp_path: Path, content: str, name: str = "data.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_both_shapes_pretty_printed_lists_and_categories(tmp_path, project):
    records = [
        {"text": "Acme hired Zoë 😊 Ørsted.", "label": [[0, 4, "ORG"], [11, 23, "PERSON"]]},
        {"id": 7, "text": "Paris is in France.", "Comments": [],
         "entities": [{"id": 1, "start_offset": 0, "end_offset": 5, "label": "GPE"},
                      {"id": 2, "start_offset": 12, "end_offset": 18, "label": "GPE"}],
         "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "part_of"}]},
        {"text": "Great news all round.", "label": ["positive"]},
    ]
    pretty = write(tmp_path, json.dumps(records, indent=2, ensure_ascii=False), "list.json")
    assert doccano.sniff(pretty)
    import_paths(project, [pretty], format_name="doccano", options=ADD)
    docs = {d.text: d for d in project.documents.iter_all()}
    spans = project.spans.for_document(docs["Acme hired Zoë 😊 Ørsted."].id)
    assert [(s.label, s.text) for s in spans] == [("ORG", "Acme"), ("PERSON", "Zoë 😊 Ørsted")]
    paris = docs["Paris is in France."]
    assert paris.metadata == {"id": 7, "Comments": []}
    assert [r.type for r in project.relations.for_document(paris.id)] == ["part_of"]
    assert docs["Great news all round."].metadata == {"labels": ["positive"]}


def test_several_pretty_objects_in_a_row(tmp_path, project):
    one = json.dumps({"text": "Acme rose.", "label": [[0, 4, "ORG"]]}, indent=4)
    two = json.dumps({"text": "Bolt fell.", "label": [[0, 4, "ORG"]]}, indent=4)
    path = write(tmp_path, one + "\n" + two + "\n")
    report = import_paths(project, [path], format_name="doccano")
    assert report.documents_added == 2 and report.spans_added == 2


def test_column_names_and_field_map(tmp_path, project):
    path = write(tmp_path, json.dumps({"body": "Acme rose.", "label": [[0, 4, "ORG"]],
                                       "guid": "a-1"}) + "\n")
    import_paths(project, [path], format_name="doccano",
                 options=ReadOptions(field_map={"text": "body", "id": "guid"}))
    doc = next(iter(project.documents.iter_all()))
    assert (doc.uid, doc.text, project.spans.count()) == ("a-1", "Acme rose.", 1)


# -- round trips --------------------------------------------------------------------


def test_round_trip_keeps_what_doccano_holds(tmp_path):
    with Project.create(tmp_path / "a.annotator") as source:
        build(source)
        assert doccano.write(source, tmp_path / "out.jsonl") == 3
        before = split_fragments(snapshot(source), keep_extras=False)
    lines = (tmp_path / "out.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == 4  # news-1 for alice and bob, news-2, news-3
    assert all({"text", "entities", "relations", "uid"} <= set(json.loads(x)) for x in lines)
    with Project.create(tmp_path / "b.annotator") as target:
        import_paths(target, [tmp_path / "out.jsonl"])
        assert snapshot(target) == before


def test_reimport_into_the_same_project_adds_nothing_new(tmp_path):
    with Project.create(tmp_path / "a.annotator") as project:
        build(project)
        doccano.write(project, tmp_path / "out.jsonl")
        report = import_paths(project, [tmp_path / "out.jsonl"])
        # Only the discontinuous quote, split in two, and its two relations come back new.
        assert (report.documents_added, report.spans_added, report.relations_added) == (0, 2, 2)


# -- bad input ----------------------------------------------------------------------


@pytest.mark.parametrize("line, reason", [
    ('{"text": "Acme", "label": [[0, 9, "ORG"]]}', "past the end"),
    ('{"text": "Acme", "label": [[0, 4]]}', "cannot read span"),
    ('{"text": "Acme", "entities": [{"id": 1, "start_offset": 0, "end_offset": 4, '
     '"label": "ORG"}], "relations": [{"from_id": 1, "to_id": 2, "type": "x"}]}',
     "not in this record"),
    ('{"text": "Acme", "label": [[0, 4, "ORG"]]', "not valid JSON"),
    ('{"label": [[0, 4, "ORG"]]}', "no text"),
    ('["text"]', "expected a JSON object"),
])
def test_bad_record_names_file_and_line(tmp_path, project, line, reason):
    good = '{"text": "Fine.", "label": []}'
    path = write(tmp_path, good + "\n" + line + "\n")
    with pytest.raises(InputError, match=re.escape(reason)) as caught:
        import_paths(project, [path], format_name="doccano", options=ADD)
    assert (caught.value.path, caught.value.line) == (str(path), 2)
    assert project.documents.count() == 0


def test_broken_pretty_json_names_line(tmp_path, project):
    path = write(tmp_path, '{\n  "text": "Acme",\n  "label": [[0, 4, "ORG"]\n}\n')
    with pytest.raises(InputError, match="not valid JSON") as caught:
        import_paths(project, [path], format_name="doccano")
    assert caught.value.line == 4 and project.documents.count() == 0


def test_skip_bad(tmp_path, project):
    path = write(tmp_path, '{"text": "Acme", "label": [[0, 4, "ORG"]]}\n{broken\n')
    report = import_paths(project, [path], format_name="doccano",
                          options=ReadOptions(skip_bad=True))
    assert report.documents_added == 1 and len(report.skipped) == 1


# -- fuzzing ------------------------------------------------------------------------

_JSON = st.recursive(st.none() | st.booleans() | st.integers(-5, 60) | st.floats(allow_nan=False)
                     | st.text(max_size=6),
                     lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.sampled_from(
                         ["text", "label", "entities", "relations", "id", "start_offset",
                          "end_offset", "from_id", "to_id", "type", "meta", "uid",
                          "news_annotator_uids", "spans", "relations"]), inner, max_size=5),
                     max_leaves=20)
VALID = ('{"text": "Acme bought Widget.", "entities": [{"id": 1, "start_offset": 0, '
         '"end_offset": 4, "label": "ORG"}, {"id": 2, "start_offset": 12, "end_offset": 18, '
         '"label": "ORG"}], "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "x"}]}\n')


@settings(max_examples=fuzz_examples(300), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(
    _JSON.map(lambda v: json.dumps(v) + "\n"),
    st.lists(_JSON, max_size=3).map(lambda vs: "".join(json.dumps(v, indent=1) for v in vs)),
    st.text(max_size=200),
    st.tuples(st.integers(0, len(VALID)), st.integers(0, 10), st.text(max_size=6)).map(
        lambda cut: VALID[:cut[0]] + cut[2] + VALID[cut[0] + cut[1]:]),
))
def test_fuzzed_input_only_fails_with_input_error(tmp_path, content):
    path = write(tmp_path, content)
    doccano.sniff(path)
    check_yielded(read_all(doccano, path, ADD))
