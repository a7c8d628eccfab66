"""A span's stated text against its offsets (the offsets are the truth): what brat and
Label Studio files others wrote hold, what is accepted with a warning, what is a real
mismatch, what --skip-bad leaves out; and the message for labels the schema lacks."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from news_annotator.cli import main
from news_annotator.errors import InputError
from news_annotator.formats.common.records import ReadOptions
from news_annotator.formats.common.text_check import Agreement, check_span_text
from news_annotator.importing import import_paths

ROOT = Path(__file__).resolve().parents[2]
ADD = ReadOptions(add_labels=True)
SKIP = ReadOptions(add_labels=True, skip_bad=True)
TEXT = "Acme bought Widget Co.\n“We will grow,” Acme said,\n“and hire.”\n"


def write_pair(folder: Path, name: str, ann: str, text: str = TEXT) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8", newline="")
    (folder / f"{name}.ann").write_text(ann, encoding="utf-8", newline="")
    return folder / f"{name}.ann"


def at(piece: str, text: str = TEXT) -> str:
    start = text.index(piece)
    return f"{start} {start + len(piece)}"


# -- the shared rule ------------------------------------------------------------------


@pytest.mark.parametrize("given, fragments, agreement", [
    ("Widget Co", [(12, 21)], Agreement.SAME),
    ("Widget  Co", [(12, 21)], Agreement.WHITESPACE),
    (" Widget\nCo ", [(12, 21)], Agreement.WHITESPACE),
    ("Acme Widget Co", [(0, 4), (12, 21)], Agreement.SAME),
    ("Acme … Widget Co", [(0, 4), (12, 21)], Agreement.JOINED),
    ("AcmeWidget Co", [(0, 4), (12, 21)], Agreement.JOINED),
    ("Widget Co.", [(12, 40)], Agreement.CUT_AT_LINE_BREAK),
    ("Widget Inc", [(12, 21)], Agreement.DIFFERENT),
    ("Widget", [(12, 21)], Agreement.DIFFERENT),  # cut, but not at a line break
])
def test_check_span_text(given, fragments, agreement):
    assert check_span_text(given, TEXT, fragments).agreement is agreement


def test_a_mismatch_shows_where_the_texts_part():
    check = check_span_text("Widget Inc", TEXT, [(12, 21)])
    assert check.detail == ("says 'Widget Inc' but the text at its offsets is 'Widget Co': "
                            "they part at character 7 (offset 19): 'Widget [I]nc' vs "
                            "'Widget [C]o'")
    long_text = "x" * 30 + "It is not only about creating big audiences for advertisers. " * 3
    given = long_text[30:120].replace("big", "bug")
    detail = check_span_text(given, long_text, [(30, 120)]).detail
    assert "they part at character 31 (offset 61)" in detail
    assert "'…t creating b[u]g audiences …' vs '…t creating b[i]g audiences …'" in detail
    assert detail.count("It is not only") == 1  # not the same 40 characters twice


# -- brat ------------------------------------------------------------------------------


def test_brat_text_field_cut_at_a_line_break_is_read_with_a_warning(tmp_path, project):
    span = "Co.\n“We"
    path = write_pair(tmp_path, "cut", f"T1\tORG {at(span)}\tCo.\nT2\tORG {at('Acme')}\tAcme\n")
    report = import_paths(project, [path], options=ADD)
    assert project.spans.count() == 2 and not report.skipped_annotations
    [warning] = report.warnings
    assert (warning.path, warning.line) == (str(path), 1)
    assert "stops at the line break after character 3" in warning.reason


def test_brat_text_field_running_on_over_lines_is_one_annotation(tmp_path, project):
    """PolNeAR's three files: the field holds the line breaks, so the span's text goes on
    as lines of their own, and the next annotation still reads."""
    span = "Acme said,\n“and hire.”"
    fragments = f"{at('grow')};{at(span)}"
    ann = (f"T1\tContent {fragments}\tgrow Acme said,\n“and hire.”\n"
           f"T2\tCue {at('said')}\tsaid\nT3\tSource {at('Acme')}\tAcme\n"
           f"T4\tAttribution {at('said')}\tsaid\nE1\tAttribution:T4 Content:T1 Cue:T2 Source:T3\n")
    path = write_pair(tmp_path, "runon", ann)
    report = import_paths(project, [path], options=ADD)
    [warning] = report.warnings
    assert warning.line == 1 and "runs on over the next 1 line(s)" in warning.reason
    labels = {s.label for d in project.documents.ids() for s in project.spans.for_document(d)}
    assert labels == {"MIXED", "CUE", "OTHER"} and project.relations.count() == 2


def test_brat_whitespace_and_joined_fragments_are_accepted(tmp_path, project):
    ann = (f"T1\tORG {at('Widget Co')}\tWidget  Co\n"
           f"T2\tORG {at('Acme')};{at('Widget Co')}\tAcme … Widget Co\n"
           f"T3\tORG {at('Acme')};{at('Widget')}\tAcme Widget\n"
           f"T4\tORG {at('bought')}\tbought \n")  # brat's own: a trailing space is no news
    report = import_paths(project, [write_pair(tmp_path, "ws", ann)], options=ADD)
    assert project.spans.count() == 4
    assert [(w.line, w.reason.split(": ")[1]) for w in report.warnings] == [
        (1, "its text field differs from the text at its offsets only in whitespace"),
        (2, "its text field joins the fragments of the span differently from the text at "
            "its offsets")]


def test_brat_real_mismatch_names_the_place_and_both_texts(tmp_path, project):
    path = write_pair(tmp_path, "bad", f"T1\tORG {at('Acme')}\tAcme\n"
                                       f"T2\tORG {at('Widget Co')}\tWidget Inc\n")
    with pytest.raises(InputError) as caught:
        import_paths(project, [path], options=ADD)
    assert (caught.value.path, caught.value.line) == (str(path), 2)
    assert caught.value.reason == (
        "T2 (ORG) at 12 21: its text field says 'Widget Inc' but the text at its offsets is "
        "'Widget Co': they part at character 7 (offset 19): 'Widget [I]nc' vs 'Widget [C]o'")
    assert project.documents.count() == 0


def test_brat_skip_bad_drops_the_annotation_and_what_needs_it(tmp_path, project):
    ann = (f"T1\tORG {at('Acme')}\tAcme\nT2\tORG {at('Widget Co')}\tWidget Inc\n"
           "R1\tOwns Arg1:T1 Arg2:T2\nA1\tSure T2\n"
           f"T3\tContent {at('We will grow')}\tWe shall grow\nT4\tCue {at('said')}\tsaid\n"
           "E1\tAttribution:T4 Content:T3 Cue:T4 Source:T1\n")
    path = write_pair(tmp_path, "partly", ann)
    report = import_paths(project, [path], options=SKIP)
    assert project.documents.count() == 1 and not report.skipped
    [doc] = project.documents.ids()
    assert {(s.label, s.text) for s in project.spans.for_document(doc)} == {
        ("ORG", "Acme"), ("CUE", "said")}
    assert project.relations.count() == 0
    assert [(e.line, e.reason.split(":")[0]) for e in report.skipped_annotations] == [
        (2, "T2 (ORG) at 12 21"), (5, f"T3 (Content) at {at('We will grow')}")]
    assert report.skipped_annotations[0].reason.endswith("(R1, A1 need it)")
    assert report.skipped_annotations[1].reason.endswith("(E1 needs it)")


def test_cli_summary_counts_documents_annotations_and_warnings(tmp_path, capsys):
    folder = tmp_path / "in"
    write_pair(folder, "a", f"T1\tORG {at('Acme')}\tAcme\nT2\tORG {at('Widget Co')}\tWidget"
                            " Inc\nT3\tORG 12 22\tWidget  Co.\n")
    write_pair(folder, "b", "", text="")
    project = tmp_path / "p.annotator"
    code = main(["import", str(project), str(folder), "--create", "--add-labels", "--skip-bad"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "1 bad records skipped" in out and "2 spans" in out
    assert "1 annotations skipped, 1 warnings" in out
    assert re.search(r"skipped annotation: .*a\.ann:2: T2 .* they part at character 7", err)
    assert re.search(r"warning: .*a\.ann:3: T3 .* only in whitespace", err)
    assert "skipped: " in err and "b.txt" in err


# -- Label Studio ---------------------------------------------------------------------


def region(ident: str, piece: str, label: str, said: str | None = None) -> dict:
    start = TEXT.index(piece)
    return {"id": ident, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": start + len(piece), "labels": [label],
                      "text": piece if said is None else said}}


def labelstudio_file(tmp_path: Path, results: list[dict]) -> Path:
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([{"data": {"text": TEXT},
                                 "annotations": [{"result": results}]}]), "utf-8")
    return path


def test_labelstudio_whitespace_is_a_warning(tmp_path, project):
    path = labelstudio_file(tmp_path, [region("a", "Widget Co", "ORG", "Widget\tCo ")])
    report = import_paths(project, [path], format_name="labelstudio", options=ADD)
    assert project.spans.count() == 1
    [warning] = report.warnings
    assert warning.record == "1" and "only in whitespace" in warning.reason


def test_labelstudio_mismatch_skips_the_region_and_its_relations(tmp_path, project):
    results = [region("a", "Acme", "ORG"), region("b", "Widget Co", "ORG", "Widget Inc"),
               {"type": "relation", "from_id": "a", "to_id": "b", "labels": ["owns"]},
               {"id": "b", "type": "choices", "from_name": "sure", "to_name": "text",
                "value": {"choices": ["yes"]}}]
    path = labelstudio_file(tmp_path, results)
    with pytest.raises(InputError, match=re.escape("'Widget [I]nc' vs 'Widget [C]o'")):
        import_paths(project, [path], format_name="labelstudio", options=ADD)
    report = import_paths(project, [path], format_name="labelstudio", options=SKIP)
    assert project.documents.count() == 1 and project.spans.count() == 1
    assert project.relations.count() == 0 and not report.skipped
    [skipped] = report.skipped_annotations
    assert skipped.reason.startswith("annotations:1: result 2 (ORG) at 12..21: its text says")
    assert skipped.reason.endswith("(relation (result 3), choices (result 4) need it)")
    [doc] = project.documents.ids()
    assert "sure" not in project.documents.get(doc).metadata


# -- labels the schema lacks ----------------------------------------------------------


def add_labels_checkbox_text() -> str:
    source = (ROOT / "news_annotator_ui" / "dialogs" / "import_options.py").read_text("utf-8")
    return re.search(r'self\.add_labels = QCheckBox\("([^"]+)"\)', source).group(1)


def test_unknown_labels_are_all_named_with_the_option_that_adds_them(tmp_path, project):
    write_pair(tmp_path / "a", "a", f"T1\tDate {at('Acme')}\tAcme\nT2\tORG {at('said')}\tsaid\n"
                                    "R1\tPaid Arg1:T1 Arg2:T2\n")
    write_pair(tmp_path / "b", "b", f"T1\tMoney {at('Widget')}\tWidget\n")
    (tmp_path / "c.jsonl").write_text(json.dumps({"text": TEXT, "spans": [
        {"label": "WEEKDAY", "layer": "time", "start": 0, "end": 4}]}) + "\n", "utf-8")
    with pytest.raises(InputError) as caught:
        import_paths(project, [tmp_path / "a", tmp_path / "b", tmp_path / "c.jsonl"])
    message = str(caught.value)
    assert "unknown labels 'Date', 'Money'" in message
    assert "unknown label 'WEEKDAY' in layer 'time'" in message
    assert "unknown relation type 'Paid'" in message
    assert "--add-labels" in message and f'"{add_labels_checkbox_text()}"' in message
    assert caught.value.path == str(tmp_path / "a" / "a.ann")
    assert project.documents.count() == 0 and project.spans.count() == 0


# -- PolNeAR, as published ------------------------------------------------------------

POLNEAR_CUT = {  # file: (line, T, offsets) of the text field that runs on over lines
    "nyt_2016-04-18_for-news-outlets-feeling-the-squ_4e07.ann": (51, "T41",
                                                                 ((4902, 4959), (4984, 5422))),
    "usa-today_2016-08-09_khans-trump-stirs-ugliness-musli_4e07.ann": (
        85, "T68", ((3742, 4033), (4188, 4420))),
    "wash-post_2016-06-27_byline-amber-phillips_4e07.ann": (47, "T38",
                                                           ((1866, 1890), (1921, 1979))),
}


def test_polnear_train_imports_whole(shared_data, project):
    train = shared_data / "polnear" / "train"
    started = time.perf_counter()
    report = import_paths(project, [train], format_name="brat", options=ADD)
    seconds = time.perf_counter() - started
    # 919 .ann files on 840 texts, two of which are the same article.
    assert (report.documents_read, report.documents_added) == (919, 839)
    assert not report.skipped and not report.skipped_annotations
    assert sorted((Path(w.path).name, w.line) for w in report.warnings) == sorted(
        (name, line) for name, (line, _, _) in POLNEAR_CUT.items())
    for name, (_, ident, fragments) in POLNEAR_CUT.items():
        stem, _, annotator = name[:-4].rpartition("_")
        text = (train / "text" / f"{stem}.txt").read_text("utf-8")
        doc = next(d for d in project.documents.iter_all() if d.text == text)
        spans = project.spans.for_document(doc.id, project.annotator(annotator).id)
        assert any(s.fragments == fragments for s in spans), (name, ident)
    assert seconds < 60, seconds
