"""NewsML-G2: a newsItem with XHTML, a newsMessage (ISO-8859-1) with NITF, plain text, a
package and a picture; metadata, skipping with notes, safety (items written for these
tests after the IPTC specification's examples, in tests/formats/data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from news_annotator.errors import InputError
from news_annotator.formats import detect_format
from news_annotator.formats.common.interop import ReadWarning
from news_annotator.formats.common.records import ReadOptions
from news_annotator.formats.newsml import read
from news_annotator.importing import import_paths
from news_annotator.model import NewDocument

DATA = Path(__file__).parent / "data"
ITEM = DATA / "newsml-g2-item.xml"
MESSAGE = DATA / "newsml-g2-message.xml"
G2 = "http://iptc.org/std/nar/2006-10-01/"


def items(path: Path) -> list:
    return list(read(path, ReadOptions()))


def test_news_item_gives_headline_first_sentence_and_metadata():
    (document,) = items(ITEM)
    assert document.title == "Rail fares to rise by 2.6\xa0percent in January"
    first = document.text.split("\n\n")[0]
    assert first == ("LONDON, Oct 19 (Bench) - Rail fares in England will rise by 2.6\xa0percent "
                     "in January, the transport ministry said on Monday.")
    assert document.text.split("\n\n")[1:] == [
        "“Nobody wants to pay more,” said minister Tomás Novak.",
        "Passenger groups called the rise unfair & untimely."]
    assert "A plain rendition" not in document.text  # the first rendition with text wins
    assert (document.uid, document.source, document.published) == (
        "urn:newsml:bench.example:20201019:TEXT-0001", "Bench News", "2020-10-19T14:30:00Z")
    meta = document.metadata
    assert meta["format"] == "NewsML-G2 2.29"
    assert (meta["byline"], meta["dateline"], meta["creator"]) == (
        "By Jane Smith", "LONDON, Oct 19 (Bench) -", ["Jane Smith"])
    assert (meta["language"], meta["provider"], meta["item_class"]) == (
        "en-GB", "Bench News", "ninat:text")
    assert meta["subjects"] == [{"code": "medtop:04000000",
                                 "name": "economy, business and finance"},
                                {"code": "medtop:20000350"}]
    assert (meta["first_created"], meta["version_created"]) == (
        "2020-10-19T12:05:00Z", "2020-10-19T14:30:00Z")
    assert meta["keywords"] == ["rail", "fares"] and meta["located"] == "London"
    assert meta["copyright_holder"] == "Bench News Ltd"


def test_message_reads_each_text_item_and_notes_what_it_skips():
    found = items(MESSAGE)
    documents = [item for item in found if isinstance(item, NewDocument)]
    notes = [str(item.problem) for item in found if isinstance(item, ReadWarning)]
    assert [d.title for d in documents] == ["Mañana abre el puente",
                                            "Storm closes northern roads"]
    nitf, plain = documents
    assert nitf.text == ("Por Lucía Gómez\n\nEl puente de la bahía abrirá mañana, dijo el "
                         "alcalde.\n\nCostará 12 millones de euros.")  # ISO-8859-1 decoded
    assert (nitf.source, nitf.metadata["language"]) == ("Bench Wire", "es")
    assert plain.text == ("Snow closed three roads in the north on Tuesday. The police asked "
                          "drivers to stay home.\n\nSchools will open late.")
    assert plain.published == "2021-03-02T08:58:00+01:00"
    assert len(notes) == 2
    assert "packageItem 'urn:newsml:bench.example:20210302:package-1' skipped" in notes[0]
    assert "photo-1' has no inline text (item class ninat:picture); skipped" in notes[1]


def test_import_counts_notes_and_reimport_adds_nothing(project):
    report = import_paths(project, [MESSAGE, ITEM])
    assert (report.documents_added, len(report.warnings)) == (3, 2)
    again = import_paths(project, [MESSAGE, ITEM])
    assert again.documents_added == 0


def test_text_item_whose_text_is_elsewhere_is_a_named_error(tmp_path, project):
    path = tmp_path / "remote.xml"
    path.write_text(f'<newsItem xmlns="{G2}" guid="g-1"><itemMeta><itemClass qcode='
                    '"ninat:text"/></itemMeta><contentSet><remoteContent href="http://x/y"/>'
                    "</contentSet></newsItem>", "utf-8")
    with pytest.raises(InputError, match="newsItem 'g-1' has no inline text"):
        import_paths(project, [path])
    report = import_paths(project, [path], options=ReadOptions(skip_bad=True))
    assert (report.documents_added, len(report.skipped)) == (0, 1)


def test_inline_html_data_and_no_namespace(tmp_path):
    path = tmp_path / "item.xml"
    path.write_text('<newsItem guid="g-2"><contentMeta><headline>Hi</headline></contentMeta>'
                    '<contentSet><inlineData contenttype="text/html">&lt;p&gt;One &amp;amp; '
                    "two.&lt;/p&gt;&lt;p&gt;Three&amp;nbsp;four.&lt;/p&gt;</inlineData>"
                    "</contentSet></newsItem>", "utf-8")
    assert detect_format(path).name == "newsml"
    (document,) = items(path)
    assert (document.title, document.text) == ("Hi", "One & two.\n\nThree\xa0four.")


def test_entity_declarations_are_refused(tmp_path):
    path = tmp_path / "evil.xml"
    path.write_text(f'<!DOCTYPE newsItem [<!ENTITY x "boom">]><newsItem xmlns="{G2}" '
                    'guid="g"><contentSet><inlineData>&x;</inlineData></contentSet>'
                    "</newsItem>", "utf-8")
    with pytest.raises(InputError, match="declares entities"):
        items(path)


def test_other_roots_are_refused_by_name(tmp_path):
    path = tmp_path / "concept.xml"
    path.write_text(f'<conceptItem xmlns="{G2}" guid="c"/>', "utf-8")
    with pytest.raises(InputError, match="found <conceptItem>"):
        items(path)
    empty = tmp_path / "empty.xml"
    empty.write_text(f'<newsMessage xmlns="{G2}"><header/></newsMessage>', "utf-8")
    with pytest.raises(InputError, match="holds no items"):
        items(empty)


def test_detection():
    assert detect_format(ITEM).name == "newsml" and detect_format(MESSAGE).name == "newsml"
