"""NITF 3.x items: headline, paragraphs, metadata, declared encodings, entities without the
DTD, XML safety, and detection beside our other XML formats (items written for these
tests after the IPTC specification's layout, in tests/formats/data)."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from news_annotator.errors import InputError
from news_annotator.formats import FORMATS, detect_format
from news_annotator.formats.common.interop import ReadWarning
from news_annotator.formats.common.records import ReadOptions
from news_annotator.formats.nitf import read
from news_annotator.importing import import_paths
from news_annotator.model import NewDocument

DATA = Path(__file__).parent / "data"
LATIN1 = DATA / "nitf-3.3-latin1.xml"
NYT = DATA / "nitf-3.5-nyt.xml"
ITEM = """<?xml version="1.0" encoding="UTF-8"?>
{doctype}<nitf><head><docdata><doc-id id-string="x-1"/></docdata></head>
<body><body.head><hedline><hl1>A headline</hl1></hedline></body.head>
<body.content><p>{body}</p></body.content></body></nitf>
"""


def documents(path: Path) -> list[NewDocument]:
    return [item for item in read(path, ReadOptions()) if isinstance(item, NewDocument)]


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a reader tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_latin1_item_gives_headline_paragraphs_and_metadata(no_network):
    (document,) = documents(LATIN1)
    assert document.title == "Harbour council approves ferry plan"
    paragraphs = document.text.split("\n\n")
    # the byline and dateline stay where the item puts them, before the content
    assert paragraphs[:3] == [
        "By José Álvarez, Bench Wire", "PORT ELSA, June 10",
        "The Harbour Council voted on Thursday to fund a ferry line to the islands, ending "
        "a debate that ran for three years."]
    assert paragraphs[3] == ("“We agreed to act,” said Renée Lefebvre, the council's chair, "
                             'calling the plan "fair & overdue".')
    assert "Costs" in paragraphs  # a subheading is a paragraph of its own
    assert "The line will cost €4.5\xa0million — half from the region.\nTickets go on sale " \
        "in May." in paragraphs  # &nbsp; kept as a no-break space, <br/> as a line break
    assert paragraphs[-1] == "Reporting by José Álvarez; editing by Mia Chen"
    assert "Vote passes" not in document.text and "backed a new ferry" not in document.text
    assert (document.uid, document.source, document.url, document.published) == (
        "BW-2005-0610-0042", "Bench Wire", "https://example.org/wire/bw-2005-0610-0042",
        "2005-06-10T14:30:00Z")
    meta = document.metadata
    assert meta["format"] == "NITF 3.3"
    assert meta["byline"] == "By José Álvarez, Bench Wire"
    assert meta["subheadline"] == "Vote passes 7–2 after a long night"
    assert meta["abstract"] == "The council backed a new ferry line."
    assert meta["subjects"] == [{"code": "11006000", "name": "government"},
                                {"code": "04015000", "name": "economy"}]
    assert meta["keywords"] == ["ferries", "harbour"]
    assert meta["people"] == ["Renée Lefebvre"] and meta["places"] == ["Port Elsa"]
    assert meta["release_date"] == "2005-06-10T15:00:00+02:00"
    assert meta["meta"] == {"desk": "Metro", "wordcount": "212"}


def test_unknown_named_entity_is_kept_as_written_with_a_warning(project):
    report = import_paths(project, [LATIN1])
    assert report.documents_added == 1
    assert [str(w) for w in report.warnings] == [
        f"{LATIN1}: named entity &unknownname; (1×) is not an XHTML entity; kept as written"]
    text = project.documents.get(project.documents.ids()[0]).text
    assert "&unknownname; stays as written." in text


def test_reimport_adds_nothing(project):
    import_paths(project, [LATIN1, NYT])
    again = import_paths(project, [LATIN1, NYT])
    assert (again.documents_read, again.documents_added) == (2, 0)


def test_namespaced_nyt_item_skips_the_repeated_lead_and_normalized_byline():
    (document,) = documents(NYT)
    assert document.title == "Mayor Opens Library in Old Mill"
    assert document.text == ("By GRACE OKAFOR\n\nThe mayor cut a ribbon on Wednesday at the old "
                             "textile mill, now a library.\n\n“Books belong where people "
                             "worked,” she said.")
    assert (document.uid, document.source, document.published) == (
        "1815718", "The New York Times", "2007-01-04T00:00:00")
    assert document.metadata["language"] == "en-US"
    assert {"name": "Libraries and Librarians", "type": "descriptor"} \
        in document.metadata["subjects"]


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE nitf SYSTEM "nitf-3-3.dtd">\n',
    '<!DOCTYPE nitf PUBLIC "-//IPTC//DTD NITF 3.3//EN" '
    '"http://www.nitf.org/site/nitf-documentation/nitf-3-3.dtd">\n',
    "",
])
def test_missing_dtd_is_never_fetched_and_entities_still_come_through(tmp_path, no_network,
                                                                      doctype):
    path = tmp_path / "item.xml"
    path.write_text(ITEM.format(doctype=doctype, body="Caf&eacute; &amp; &#233;&#x20AC; "
                                "&lt;b&gt; x&nbsp;y &hellip;"), "utf-8")
    (document,) = documents(path)
    assert document.text == "Café & é€ <b> x\xa0y …"


def test_entity_declarations_are_refused_and_never_resolved(tmp_path, no_network):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", "utf-8")
    path = tmp_path / "xxe.xml"
    path.write_text(ITEM.format(doctype=f'<!DOCTYPE nitf [<!ENTITY xxe SYSTEM '
                                f'"{secret.as_uri()}">]>\n', body="&xxe;"), "utf-8")
    with pytest.raises(InputError, match="declares entities") as caught:
        list(read(path, ReadOptions()))
    assert "TOP-SECRET" not in str(caught.value)


def test_billion_laughs_is_refused_quickly(tmp_path):
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    path = tmp_path / "bomb.xml"
    path.write_text(ITEM.format(doctype=f'<!DOCTYPE nitf [<!ENTITY lol0 "lol">{entities}]>\n',
                                body="&lol9;"), "utf-8")
    started = time.perf_counter()
    with pytest.raises(InputError):
        list(read(path, ReadOptions()))
    assert time.perf_counter() - started < 1.0


def test_bytes_that_disagree_with_the_declared_encoding_name_the_line(tmp_path):
    path = tmp_path / "item.xml"
    path.write_bytes(ITEM.format(doctype="", body="caf\xe9").encode("latin-1"))
    with pytest.raises(InputError, match="not well-formed") as caught:
        list(read(path, ReadOptions()))
    assert caught.value.line == 4


def test_item_without_body_text_is_a_skippable_error(tmp_path, project):
    path = tmp_path / "empty.xml"
    path.write_text(ITEM.format(doctype="", body=" "), "utf-8")
    with pytest.raises(InputError, match="no article text"):
        import_paths(project, [path])
    report = import_paths(project, [path], options=ReadOptions(skip_bad=True))
    assert (report.documents_added, len(report.skipped)) == (0, 1)


def test_items_are_detected_by_their_root_whatever_the_name(tmp_path):
    assert detect_format(LATIN1).name == "nitf" and detect_format(NYT).name == "nitf"
    copy = tmp_path / "story.nitf"
    copy.write_bytes(LATIN1.read_bytes())
    assert detect_format(copy).name == "nitf"
    other = tmp_path / "other.xml"
    other.write_text("<?xml version='1.0'?><!-- <nitf> --><html/>", "utf-8")
    assert detect_format(other).name == "xml"  # as before: ours by suffix


def test_a_folder_of_mixed_items_imports_each_in_its_format(tmp_path, project):
    folder = tmp_path / "wire"
    folder.mkdir()
    for name in ("nitf-3.3-latin1.xml", "newsml-g2-message.xml", "ninjs-2.0.json"):
        (folder / name).write_bytes((DATA / name).read_bytes())
    report = import_paths(project, [folder])
    assert report.documents_added == 4
    titles = {project.documents.get(i).title for i in project.documents.ids()}
    assert titles == {"Harbour council approves ferry plan", "Mañana abre el puente",
                      "Storm closes northern roads", "Fähre verbindet Kiel und Oslo"}
    assert any(isinstance(w, InputError) for w in report.warnings)


def existing_samples() -> list[Path]:
    """Files our other formats read: the demo corpus, the shared interop samples."""
    roots = [Path(__file__).resolve().parents[2] / "corpora", DATA.parents[2].parent
             / "shared" / "data" / "interop"]
    return [p for root in roots if root.is_dir() for p in sorted(root.rglob("*"))
            if p.is_file()]


NEW = {"nitf", "newsml", "ninjs", "webanno-tsv"}


@pytest.mark.parametrize("fmt", ["json", "jsonl", "xml", "doccano", "labelstudio", "xmi",
                                 "conll", "csv", "brat"])
def test_every_export_of_ours_still_detects_as_before(fmt, demo_project, tmp_path):
    from news_annotator.formats import get_format

    suffix = {"json": ".json", "jsonl": ".jsonl", "xml": ".xml", "doccano": ".jsonl",
              "labelstudio": ".json", "xmi": ".zip", "conll": ".conll", "csv": ".tsv",
              "brat": ""}[fmt]
    out = tmp_path / f"export{suffix}"
    get_format(fmt).module.write(demo_project, out)
    files = sorted(p for p in out.rglob("*") if p.is_file()) if out.is_dir() else [out]
    found = {detect_format(path).name for path in files if detect_format(path) is not None}
    assert not found & NEW
    if fmt in ("json", "jsonl", "xml", "conll"):
        assert found == {fmt}


def test_existing_samples_are_not_claimed_by_the_new_formats():
    samples = existing_samples()
    assert samples
    claimed = [p for p in samples if (spec := detect_format(p)) and spec.name in NEW]
    assert claimed == []
    assert {"nitf", "newsml", "ninjs", "webanno-tsv"} <= set(FORMATS)


def test_warnings_are_read_warnings():
    items = list(read(LATIN1, ReadOptions()))
    assert isinstance(items[0], ReadWarning) and isinstance(items[-1], NewDocument)
