"""CSV export: a span a row, readable by the csv module and spreadsheets."""

from __future__ import annotations

import csv
import json

from news_annotator.formats import csv_corpus
from news_annotator.model import NewDocument


def annotated(project):
    with project.transaction():
        project.documents.insert_many([
            NewDocument("=SUM(A1) said Ana, “we agreed,” to Bob 😀.\nNext line.", "-title", "d1"),
            NewDocument("Nothing marked here.", "empty", "d2")])
    doc = project.documents.ids()[0]
    alice, bob = project.annotator("alice"), project.annotator("bob")
    ana = project.add_span(doc, alice.id, "PERSON", [(14, 17)], note="@mention")
    quote = project.add_span(doc, alice.id, "DIRECT", [(19, 26), (28, 29)],
                             attributes={"source_type": "named"})
    project.add_relation("source", quote.id, ana.id)
    project.add_span(doc, bob.id, "ORG", [(0, 8)])
    return doc


def read_rows(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so spreadsheets read it as UTF-8
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t" if path.suffix == ".tsv" else ","))


def test_one_row_per_span_with_relations_summarised(project, tmp_path):
    annotated(project)
    path = tmp_path / "spans.csv"
    assert csv_corpus.write(project, path) == 2
    rows = read_rows(path)
    assert list(rows[0]) == list(csv_corpus.COLUMNS)
    assert [(r["annotator"], r["label"]) for r in rows] == [
        ("bob", "ORG"), ("alice", "PERSON"), ("alice", "DIRECT")]
    org, person, quote = rows
    assert org["text"] == "'=SUM(A1)" and org["document_title"] == "'-title"  # no formulas
    assert person["note"] == "'@mention"
    assert json.loads(quote["fragments"]) == [[19, 26], [28, 29]]
    assert (quote["start"], quote["end"]) == ("19", "29")
    assert quote["text"] == "“we agr … d"
    assert json.loads(quote["attributes"]) == {"source_type": "named"}
    assert quote["relations"] == "source → PERSON “Ana”"
    assert person["relations"] == "source ← DIRECT ““we agr … d”"


def test_annotator_filter_and_tsv(project, tmp_path):
    annotated(project)
    path = tmp_path / "bob.tsv"
    csv_corpus.write(project, path, annotators=["bob"])
    rows = read_rows(path)
    assert [(r["annotator"], r["label"]) for r in rows] == [("bob", "ORG")]
    assert "\t" in path.read_text("utf-8-sig").splitlines()[0]


def test_text_with_newlines_and_emoji_survives_quoting(project, tmp_path):
    with project.transaction():
        project.documents.insert_many([NewDocument("a\nb, \"c\" 😀\r\nd", "t", "x")])
    doc = project.documents.ids()[0]
    project.add_span(doc, project.annotator("a").id, "PERSON", [(0, 11)])
    path = tmp_path / "nl.csv"
    csv_corpus.write(project, path)
    assert read_rows(path)[0]["text"] == "a\nb, \"c\" 😀\r"
