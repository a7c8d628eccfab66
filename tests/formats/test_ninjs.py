"""ninjs 1.x and 2.x: headline, body HTML as paragraphs, metadata, skipping, and sniffing
that leaves our JSON, Label Studio and doccano alone (items written for these tests after
IPTC's ninjs schemas and examples, in tests/formats/data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from news_annotator.errors import InputError
from news_annotator.formats import detect_format
from news_annotator.formats.common.interop import ReadWarning
from news_annotator.formats.common.records import ReadOptions
from news_annotator.formats.ninjs import read, sniff
from news_annotator.importing import import_paths
from news_annotator.model import NewDocument

DATA = Path(__file__).parent / "data"
ONE = DATA / "ninjs-1.3.json"
TWO = DATA / "ninjs-2.0.json"


def items(path: Path) -> list:
    return list(read(path, ReadOptions()))


def test_version_1_item():
    (document,) = items(ONE)
    assert document.title == "Tram line reopens after two-year repairs"
    assert document.text.split("\n\n") == [
        "LISBON (Bench) — The city’s oldest tram line reopened on Monday after two years of "
        "repairs.",
        "“It is the same ride, just quieter,” said driver João Reis.",
        "Tram 28 on its first run."]  # HTML entities resolved, the script left out
    assert (document.uid, document.source, document.published) == (
        "http://bench.example/ninjs/2018/item-77", "Bench News", "2018-05-14T09:15:00Z")
    meta = document.metadata
    assert (meta["format"], meta["byline"], meta["language"], meta["urgency"]) == (
        "ninjs 1.3", "By Ana Lima", "en", "4")
    assert meta["subjects"] == [{"code": "20000682", "name": "transport"},
                                {"code": "http://sws.geonames.org/2267057/", "name": "Lisbon"}]
    assert (meta["located"], meta["people"], meta["first_created"]) == (
        "LISBON", ["João Reis"], "2018-05-14T08:00:00Z")


def test_version_2_list_takes_the_main_headline_and_body_and_skips_a_picture():
    found = items(TWO)
    (document,) = [item for item in found if isinstance(item, NewDocument)]
    (note,) = [item for item in found if isinstance(item, ReadWarning)]
    assert document.title == "Fähre verbindet Kiel und Oslo"
    assert document.text == ("KIEL – Eine neue Fähre soll ab Dezember täglich nach Oslo fahren, "
                             "teilte die Reederei am Donnerstag mit.\n\n„Die Nachfrage ist "
                             "groß“, sagte Sprecherin Ida Berg.")
    assert (document.uid, document.source, document.published) == (
        "urn:bench:ninjs:2022:0001", "Bench Nachrichten", "2022-11-03T17:40:00+01:00")
    meta = document.metadata
    assert (meta["format"], meta["byline"], meta["description"]) == (
        "ninjs 2.0", "Von Lena Vogel", "Eine neue Fährlinie startet.")
    assert meta["keywords"] == ["Fähre", "Kiel"]
    assert "urn:bench:ninjs:2022:0002' (picture) has no body text; skipped" \
        in str(note.problem)


def test_import_and_reimport(project):
    report = import_paths(project, [ONE, TWO])
    assert (report.documents_added, len(report.warnings)) == (2, 1)
    assert import_paths(project, [ONE, TWO]).documents_added == 0


def test_plain_body_text_and_items_one_after_another(tmp_path):
    path = tmp_path / "items.json"
    first = {"uri": "a", "type": "text", "headline": "A", "body_text": "One.\nTwo.\n\nThree."}
    second = {"uri": "b", "headlines": [{"value": "B"}],
              "bodies": [{"contenttype": "text/plain", "value": "Only\n line"}]}
    path.write_text(json.dumps(first) + "\n" + json.dumps(second, indent=1), "utf-8")
    a, b = items(path)
    assert (a.text, b.text, b.title) == ("One. Two.\n\nThree.", "Only\n\nline", "B")


def test_text_item_without_body_is_a_named_error(tmp_path, project):
    path = tmp_path / "bodyless.json"
    path.write_text(json.dumps({"uri": "u-1", "type": "text", "headline": "No body"}), "utf-8")
    with pytest.raises(InputError, match="ninjs item 'u-1' \\(text\\) has no body text"):
        import_paths(project, [path])


@pytest.mark.parametrize("content", ['[1, 2]', '{"uri": "x", "headline": 3, "body_html": []}'])
def test_odd_values_are_input_errors(tmp_path, project, content):
    path = tmp_path / "odd.json"
    path.write_text(content, "utf-8")
    with pytest.raises(InputError):
        import_paths(project, [path], format_name="ninjs")


@pytest.mark.parametrize(("content", "expected"), [
    ({"format": "news-annotator", "version": 1, "schema": {"layers": []}, "documents": []},
     "json"),
    ([{"data": {"text": "x", "uri": "u", "headline": "h"},
       "annotations": [{"result": []}]}], "labelstudio"),
    ({"text": "Hello", "entities": [[0, 5, "PERSON"]], "uri": "u"}, "doccano"),
    ({"uri": "u", "headline": "h", "body_text": "b"}, "ninjs"),
    ([{"uri": "u", "versioncreated": "2020-01-01T00:00:00Z"}], "ninjs"),
])
def test_sniffing_leaves_other_json_alone(tmp_path, content, expected):
    path = tmp_path / "file.json"
    path.write_text(json.dumps(content), "utf-8")
    assert detect_format(path).name == expected


def test_sniffing_a_file_larger_than_what_it_reads(tmp_path):
    path = tmp_path / "big.json"
    item = {"uri": "u", "headline": "h", "body_html": "<p>" + "word " * 40_000 + "</p>"}
    path.write_text(json.dumps(item), "utf-8")
    assert sniff(path) and detect_format(path).name == "ninjs"
    (document,) = items(path)
    assert document.text.startswith("word word")


def test_html_layout_becomes_plain_paragraphs(tmp_path):
    path = tmp_path / "layout.json"
    html = ("<h2>Results</h2><p>&nbsp;</p><p>First<br>second line</p>"
            "<table><tr><th>Party</th> <th>Seats</th></tr><tr><td>Green</td><td>12</td></tr>"
            "</table><ul><li>One</li><li>Two</li></ul><pre>  kept\n    as is</pre>"
            "<style>p {}</style><p>Caf&eacute; &amp; bar</p>")
    path.write_text(json.dumps({"uri": "t", "headline": "T", "body_html": html}), "utf-8")
    (document,) = items(path)
    assert document.text.split("\n\n") == [
        "Results", "First\nsecond line", "Party\tSeats", "Green\t12", "One", "Two",
        "  kept\n    as is", "Café & bar"]
