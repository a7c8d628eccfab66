"""brat standoff: the tutorial samples, PolNeAR-style quote frames, round trips, bad input."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from news_annotator.errors import InputError, SchemaError
from news_annotator.formats import brat
from news_annotator.formats.common.records import ReadOptions
from news_annotator.importing import import_paths
from news_annotator.project import Project
from tests.conftest import fuzz_examples
from tests.formats.interop_support import (
    NEWS,
    at,
    build,
    check_yielded,
    read_all,
    snapshot,
)

ADD = ReadOptions(add_labels=True)


def write_pair(folder: Path, name: str, text: str, ann: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8", newline="")
    (folder / f"{name}.ann").write_text(ann, encoding="utf-8", newline="")
    return folder / f"{name}.ann"


# -- the brat tutorial samples ------------------------------------------------------


def expected_from_ann(folder: Path) -> tuple[int, Counter, int]:
    """Counted straight from the .ann lines: documents, T labels, relations (R lines,
    event arguments, equivalence chains)."""
    documents, labels, relations = 0, Counter(), 0
    for ann in sorted(folder.glob("*.ann")):
        documents += 1
        for line in ann.read_text("utf-8").splitlines():
            if m := re.match(r"T\d+\t(\S+) ", line):
                labels[m.group(1)] += 1
            elif re.match(r"R\d+\t", line):
                relations += 1
            elif re.match(r"E\d+\t", line):
                relations += len(line.split("\t")[1].split()) - 1
            elif line.startswith("*\t"):
                relations += len(line.split("\t")[1].split()) - 2
    return documents, labels, relations


def test_tutorial_samples_import_exactly(shared_data, project):
    folder = shared_data / "interop" / "brat"
    documents, labels, relations = expected_from_ann(folder)
    report = import_paths(project, [folder], options=ADD)
    assert report.documents_added == documents == 13
    stats = project.stats()
    assert stats["documents"] == documents
    got = Counter({label: n for layer in stats["by_label"].values() for label, n in layer.items()})
    assert got == labels and sum(labels.values()) == stats["spans"] == 119
    assert stats["relations"] == relations == 63


def test_tutorial_spans_keep_text_attributes_notes(shared_data, project):
    import_paths(project, [shared_data / "interop" / "brat"], options=ADD)
    by_file = {d.metadata["file"]: d for d in project.documents.iter_all()}
    doc = by_file["000-introduction.txt"]
    spans = {s.text: s for s in project.spans.for_document(doc.id)}
    for span in spans.values():
        assert doc.text[span.start:span.end] == span.text
    assert spans["$100 million"].note == "100000000 USD"
    assert spans["Raul Salinas de Gortari"].attributes == {"Mention": "Name", "Individual": True}
    assert spans["moving"].attributes == {"Confidence": "High"}  # A on E1 -> its trigger
    norm = spans["former Mexican president"].attributes[brat.NORMALIZATIONS]
    assert norm == [{"type": "Reference", "db": "Wikipedia", "id": "64488",
                     "text": "Carlos Salinas de Gortari"}]
    kinds = Counter(r.type for r in project.relations.for_document(doc.id))
    assert kinds == {"Origin": 1, "Family": 1, "Giver-Arg": 1, "Money-Arg": 1,
                     "Beneficiary-Arg": 1, "Recipient-Arg": 1}
    notes = by_file["110-note_annotation.txt"]
    relation_notes = [r.attributes.get("note") for r in project.relations.for_document(notes.id)
                      if r.type == "Family"]
    assert "Should this be marked? It's not explicitly stated." in relation_notes


def test_tutorial_samples_need_add_labels(shared_data, project):
    with pytest.raises(InputError, match="unknown label"):
        import_paths(project, [shared_data / "interop" / "brat"])
    assert project.documents.count() == 0


# -- inline samples (always run) ----------------------------------------------------

POLNEAR_TEXT = ("Flynn says Trump was right.\n“We are strong,” Flynn said Thursday, “and "
                "ready.” He said the plan would work. Critics saw a “dangerous” idea.\n")


def polnear_ann(text: str) -> str:
    def t(ident: str, label: str, *pieces: tuple[str, int]) -> str:
        spans = [at(text, piece, nth) for piece, nth in pieces]
        offsets = ";".join(f"{s} {e}" for s, e in spans)
        return f"{ident}\t{label} {offsets}\t{' '.join(text[s:e] for s, e in spans)}\n"

    return "".join([
        t("T1", "Source", ("Flynn", 0)), t("T2", "Cue", ("says", 0)),
        t("T3", "Content", ("Trump was right", 0)), t("T4", "Attribution", ("says", 0)),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n",
        t("T5", "Source", ("Flynn", 1)), t("T6", "Cue", ("said", 0)),
        t("T7", "Content", ("“We are strong,”", 0), ("“and ready.”", 0)),
        t("T8", "Attribution", ("said", 0)),
        "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5\n",
        t("T9", "Cue", ("said", 1)), t("T10", "Content", ("the plan would work", 0)),
        t("T11", "Attribution", ("said", 1)), "E3\tAttribution:T11 Cue:T9 Source:T5 Content:T10\n",
        t("T12", "Cue", ("saw", 0)), t("T13", "Content", ("a “dangerous” idea", 0)),
        t("T14", "Attribution-no-source", ("saw", 0)),
        "E4\tAttribution-no-source:T14 Content:T13 Cue:T12\n",
        "A1\tQuoteType E3 Mixed\n",
    ])


def test_polnear_attributions_become_quote_frames(tmp_path, project):
    ann = write_pair(tmp_path / "in", "article", POLNEAR_TEXT, polnear_ann(POLNEAR_TEXT))
    report = import_paths(project, [ann])  # every label lands in the news schema
    assert report.spans_added == 10  # 14 T lines minus 4 triggers
    doc = next(iter(project.documents.iter_all()))
    spans = {s.id: s for s in project.spans.for_document(doc.id)}
    by_text = {s.text: s for s in spans.values()}
    assert by_text["Trump was right"].label == "INDIRECT"
    assert by_text["“We are strong,” … “and ready.”"].label == "DIRECT"
    assert by_text["“We are strong,” … “and ready.”"].is_discontinuous
    assert by_text["the plan would work"].label == "MIXED"  # from the QuoteType attribute
    assert by_text["the plan would work"].attributes == {}
    assert by_text["a “dangerous” idea"].label == "MIXED"  # guessed from its marks
    assert {s.label for s in spans.values() if s.text in ("says", "said", "saw")} == {"CUE"}
    assert by_text["Flynn"].label == "OTHER" and by_text["Flynn"].layer == "entity"
    frames = Counter((spans[r.source_id].text, r.type, spans[r.target_id].text)
                     for r in project.relations.for_document(doc.id))
    assert frames[("Trump was right", "source", "Flynn")] == 1
    assert frames[("Trump was right", "cue", "says")] == 1
    assert frames[("the plan would work", "source", "Flynn")] == 1  # shared source T5
    assert frames[("a “dangerous” idea", "cue", "saw")] == 1
    assert sum(frames.values()) == 7
    assert not [s for s in spans.values() if s.label.startswith("Attribution")]


def test_generic_lines(tmp_path, project):
    text = "Acme bought Widget Co in Paris yesterday.\n"
    ann = ("T1\tORG 0 4\tAcme\nT2\tORG 12 21\tWidget Co\nT3\tBuy 5 11\tbought\n"
           "T4\tGPE 25 30\tParis\nE1\tBuy:T3 Buyer:T1 Target:T2\nR1\tLocated Arg1:T2 Arg2:T4\t\n"
           "A1\tNegated E1\nM2\tCertainty T1 High\n#1\tAnnotatorNotes T2\tfirst\n"
           "#2\tAnnotatorNotes T2\tsecond\nT5\tOTHER 0 4;12 21\tAcme Widget Co\n"
           "*\tAlias T1 T5\n")
    import_paths(project, [write_pair(tmp_path, "a", text, ann)], options=ADD)
    doc = next(iter(project.documents.iter_all()))
    spans = {s.id: s for s in project.spans.for_document(doc.id)}
    by_text = {s.text: s for s in spans.values()}
    assert by_text["bought"].label == "Buy" and by_text["bought"].attributes == {"Negated": True}
    assert by_text["Acme"].attributes == {"Certainty": "High"}
    assert by_text["Widget Co"].note == "first\nsecond"
    assert by_text["Acme … Widget Co"].fragments == ((0, 4), (12, 21))
    relations = {(spans[r.source_id].text, r.type, spans[r.target_id].text)
                 for r in project.relations.for_document(doc.id)}
    assert relations == {("bought", "Buyer", "Acme"), ("bought", "Target", "Widget Co"),
                         ("Widget Co", "Located", "Paris"), ("Acme", "Alias", "Acme … Widget Co")}


def test_txt_without_ann_and_read_folder(tmp_path, project):
    write_pair(tmp_path, "a", "Acme rose.\n", "T1\tORG 0 4\tAcme\n")
    (tmp_path / "b.txt").write_text("Nothing here.\n", encoding="utf-8")
    import_paths(project, [tmp_path], format_name="brat")
    assert project.documents.count() == 2 and project.spans.count() == 1


def test_crlf_text_keeps_offsets(tmp_path, project):
    text = "Line one\r\nAcme 😊 rose\r\n"
    ann = write_pair(tmp_path, "a", text, "T1\tORG 10 14\tAcme\nT2\tOTHER 17 21\trose\n")
    import_paths(project, [ann])
    doc = next(iter(project.documents.iter_all()))
    assert doc.text == text
    assert [s.text for s in project.spans.for_document(doc.id)] == ["Acme", "rose"]


# -- round trips --------------------------------------------------------------------


def test_round_trip_keeps_everything_brat_holds(tmp_path):
    with Project.create(tmp_path / "a.annotator") as source:
        build(source)
        assert brat.write(source, tmp_path / "out") == 3
        before = snapshot(source)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["alice", "bob"]
    with Project.create(tmp_path / "b.annotator") as target:
        import_paths(target, [tmp_path / "out"])
        assert snapshot(target) == before


def test_quote_frames_are_written_as_attribution_events(tmp_path):
    with Project.create(tmp_path / "a.annotator") as source:
        build(source)
        brat.write(source, tmp_path / "out", annotators=["alice"])
    ann = (tmp_path / "out" / "01.ann").read_text("utf-8")
    events = [line for line in ann.splitlines() if line.startswith("E")]
    assert len(events) == 2
    assert all(re.match(r"E\d+\tAttribution:T\d+ Content:T\d+ Cue:T\d+ Source:T\d+$", e)
               for e in events)
    start, end = at(NEWS, "“We agreed to establish a joint team,”")
    start2, end2 = at(NEWS, "“and to act.”")
    assert f"DIRECT {start} {end};{start2} {end2}\t" in ann
    conf = (tmp_path / "out" / "annotation.conf").read_text("utf-8")
    assert "[entities]" in conf and "\nAttribution\tContent:DIRECT|INDIRECT|MIXED" in conf
    assert "source_type\tArg:DIRECT|INDIRECT|MIXED" in conf
    assert (tmp_path / "out" / "01.txt").read_text("utf-8") == NEWS


def test_reimport_into_the_same_project_adds_nothing(tmp_path):
    with Project.create(tmp_path / "a.annotator") as project:
        build(project)
        brat.write(project, tmp_path / "out")
        before = snapshot(project)
        report = import_paths(project, [tmp_path / "out"])
        assert (report.documents_added, report.spans_added, report.relations_added) == (0, 0, 0)
        assert snapshot(project) == before


# -- bad input ----------------------------------------------------------------------

TEXT = "Acme bought Widget Co.\n"


@pytest.mark.parametrize("ann, reason, line", [
    ("T1\tORG 0 4\tAcme\nT2\tORG 12 99\tWidget\n", "past the end", 2),
    ("T1\tORG 0 4\tAcme\nT2\tORG 12 21\tWidget Inc\n", "says 'Widget Inc'", 2),
    ("T1\tORG 0 4\tAcme\nR1\tOwns Arg1:T1 Arg2:T9\t\n", "T9 is not defined", 2),
    ("T1\tORG 0 4\tAcme\nX1\tsomething\n", "unknown annotation line", 2),
    ("T1\tORG 0 four\tAcme\n", "bad offsets", 1),
    ("T1\tORG 4 0\t\n", "need 0 <= start < end", 1),
    ("T1\tORG 0 4\tAcme\nT1\tORG 0 4\tAcme\n", "used twice", 2),
    ("T1\tORG 0 4\tAcme\nT2\t" + "X" * 70 + " 12 21\tWidget Co\n", "cannot be used", 2),
])
def test_bad_ann_names_file_and_line(tmp_path, project, ann, reason, line):
    path = write_pair(tmp_path, "bad", TEXT, ann)
    with pytest.raises(InputError, match=re.escape(reason)) as caught:
        import_paths(project, [path], options=ADD)
    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert project.documents.count() == 0 and project.spans.count() == 0


def test_a_label_no_schema_can_hold_is_refused_before_saving(tmp_path):
    with Project.create(tmp_path / "p.annotator") as project, \
            pytest.raises(SchemaError, match="needs a 'name'"):
        project.add_label("entity", "X" * 70)
    with Project.open(tmp_path / "p.annotator") as reopened:
        assert reopened.schema.layer("entity") is not None


def test_missing_txt(tmp_path, project):
    (tmp_path / "lonely.ann").write_text("T1\tORG 0 4\tAcme\n", encoding="utf-8")
    with pytest.raises(InputError, match="no text file lonely.txt"):
        import_paths(project, [tmp_path / "lonely.ann"])
    assert project.documents.count() == 0


def test_skip_bad_skips_the_bad_annotation_or_the_unreadable_document(tmp_path, project):
    write_pair(tmp_path, "good", TEXT, "T1\tORG 0 4\tAcme\n")
    write_pair(tmp_path, "bad", TEXT.upper(), "T1\tORG 0 4\tAcme\nT2\tORG 12 21\tWIDGET CO\n")
    write_pair(tmp_path, "empty", " \n", "")
    report = import_paths(project, [tmp_path], options=ReadOptions(skip_bad=True))
    assert project.documents.count() == 2 and project.spans.count() == 2
    assert len(report.skipped) == 1 and "empty.txt" in str(report.skipped[0])
    assert [str(e).split(": ")[0] for e in report.skipped_annotations] == [
        str(tmp_path / "bad.ann") + ":1"]


# -- fuzzing ------------------------------------------------------------------------

_TOKENS = ["T1", "T2", "R1", "E1", "A1", "M1", "N1", "#1", "*", "ORG", "Arg1:T1", "Arg2:T2",
           "Attribution:T1", "Content:T2", "Cue:T1", "Source:E1", "0", "4", "12", "21", "99",
           "-1", ";", "0 4;12 21", "Acme", "Widget Co", "AnnotatorNotes", "DB:1", "\t", " ",
           "\n", "\r", ":", "😊"]
VALID = ("T1\tORG 0 4\tAcme\nT2\tORG 12 21\tWidget Co\nR1\tOwns Arg1:T1 Arg2:T2\t\n"
         "T3\tCue 5 11\tbought\nE1\tAttribution:T3 Content:T2 Cue:T3 Source:T1\n"
         "A1\tNeg T1\n#1\tAnnotatorNotes R1\tnote\n")


@settings(max_examples=fuzz_examples(300), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(
    st.lists(st.sampled_from(_TOKENS), max_size=40).map("".join),
    st.text(max_size=200),
    st.tuples(st.integers(0, len(VALID)), st.integers(0, 20), st.text(max_size=8)).map(
        lambda cut: VALID[:cut[0]] + cut[2] + VALID[cut[0] + cut[1]:]),
))
def test_fuzzed_ann_only_fails_with_input_error(tmp_path, ann):
    path = write_pair(tmp_path / "fuzz", "doc", TEXT, ann)
    check_yielded(read_all(brat, path, ADD))
