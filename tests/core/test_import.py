"""Corpus import: formats, stable uids, verbatim text, and all-or-nothing on bad input."""

from __future__ import annotations

import json
import shutil

import pytest

from news_annotator.errors import InputError
from news_annotator.formats.common.records import ReadOptions
from news_annotator.importing import import_paths
from tests.conftest import DEMO_CORPUS

ODD_TEXT = "Ayşe Yılmaz: “Ça va 😊” — 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and 👨‍👩‍👧 ‘quoted’\nline two\n"


def snapshot(project):
    """Everything an import could touch, to prove a failed import changed nothing."""
    db = project.db
    return [db.query(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("documents", "spans", "relations", "annotators", "document_status")]


def test_demo_corpus_imports_once(project):
    report = import_paths(project, [DEMO_CORPUS])
    assert report.documents_added == project.documents.count() >= 20
    again = import_paths(project, [DEMO_CORPUS])
    assert again.documents_added == 0
    assert again.duplicates == report.documents_read
    assert project.documents.count() == report.documents_added


def test_text_file_title_and_verbatim_text(project, tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(("\n\n  Headline here  \n\n" + ODD_TEXT).encode("utf-8"))
    import_paths(project, [path])
    doc = project.documents.get(project.documents.ids()[0])
    assert doc.title == "Headline here"
    assert doc.text == "\n\n  Headline here  \n\n" + ODD_TEXT
    assert doc.text.encode("utf-8") == path.read_bytes()


def test_crlf_line_endings_become_newlines(project, tmp_path):
    path = tmp_path / "dos.txt"
    path.write_bytes(b"Title\r\n\r\nBody\r\n")
    import_paths(project, [path])
    assert project.documents.get(project.documents.ids()[0]).text == "Title\n\nBody\n"


def test_real_article_survives_byte_for_byte(project, shared_data):
    path = shared_data / "articles" / "rferl-israel-russia-syria.txt"
    import_paths(project, [path])
    doc = project.documents.get(project.documents.ids()[0])
    assert doc.text.encode("utf-8") == path.read_bytes().replace(b"\r\n", b"\n")
    assert "“We agreed" in doc.text and "Shi’ite" in doc.text


def test_jsonl_fields_metadata_and_mapping(project, tmp_path):
    path = tmp_path / "feed.jsonl"
    rows = [{"guid": "a-1", "headline": "One", "body": ODD_TEXT, "link": "https://x/1",
             "date": "2026-01-02", "section": "World"},
            {"guid": "a-2", "headline": "Two", "body": "Second story.", "lang": "en"}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    options = ReadOptions(field_map={"text": "body", "id": "guid"})
    import_paths(project, [path], options=options)
    first = project.documents.get(project.documents.id_for_uid("a-1"))
    assert first.text == ODD_TEXT
    assert (first.title, first.url, first.published) == ("One", "https://x/1", "2026-01-02")
    assert first.metadata == {"section": "World"}
    assert project.documents.get(project.documents.id_for_uid("a-2")).metadata == {"lang": "en"}


def test_csv_with_mapping_and_multiline_cells(project, tmp_path):
    path = tmp_path / "corpus.csv"
    path.write_text('id,title,content,author\n7,"A, title","Para one.\n\nPara “two”.",Lefèvre\n',
                    encoding="utf-8")
    import_paths(project, [path])
    doc = project.documents.get(project.documents.id_for_uid("7"))
    assert doc.text == "Para one.\n\nPara “two”."
    assert doc.title == "A, title"
    assert doc.metadata == {"author": "Lefèvre"}


def test_html_page_main_text_and_metadata(project, tmp_path):
    paragraphs = "".join(
        f"<p>Paragraph {i}: the council said that spending rose by {i} per cent, "
        f"according to figures released on Tuesday by the finance office.</p>"
        for i in range(8))
    html = f"""<html><head><title>Harbour budget passes | The Courier</title>
    <meta property="og:title" content="Harbour budget passes">
    <meta name="author" content="Søren Ødegård">
    <meta property="article:published_time" content="2026-03-04">
    <link rel="canonical" href="https://example.org/news/harbour-budget"></head>
    <body><nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
    <article><h1>Harbour budget passes</h1>{paragraphs}</article>
    <footer>Subscribe to our newsletter. © The Courier</footer></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    import_paths(project, [path])
    doc = project.documents.get(project.documents.ids()[0])
    assert doc.title == "Harbour budget passes"
    assert "Paragraph 7: the council said" in doc.text
    assert "Subscribe to our newsletter" not in doc.text
    assert doc.published == "2026-03-04"
    assert doc.url == "https://example.org/news/harbour-budget"
    assert doc.metadata["author"] == "Søren Ødegård"


def test_folder_import_reads_every_known_file(project, tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(DEMO_CORPUS, folder)
    (folder / "notes.xyz").write_text("ignored")
    report = import_paths(project, [folder])
    assert report.documents_added == project.documents.count() >= 20


@pytest.mark.parametrize("name, content, message, line", [
    ("bad.txt", b"ok line\n\xff\xfe broken\n", "not valid UTF-8", 2),
    ("bad.jsonl", b'{"text": "fine"}\n{"text": broken}\n', "not valid JSON", 2),
    ("bad2.jsonl", b'{"text": "fine"}\n[1, 2]\n', "expected a JSON object", 2),
    ("notext.jsonl", b'{"text": "fine"}\n{"headline": "x"}\n', "no text", 2),
    ("notext.csv", b"title,summary\nA,B\n", "no text column", 1),
    ("empty.txt", b"", "empty file", None),
    ("empty.jsonl", b"\n\n", "empty file", None),
])
def test_bad_input_names_file_line_and_changes_nothing(project, tmp_path, name, content,
                                                      message, line):
    good = tmp_path / "good.txt"
    good.write_text("A good article.\n")
    bad = tmp_path / name
    bad.write_bytes(content)
    before = snapshot(project)
    with pytest.raises(InputError, match=message) as caught:
        import_paths(project, [good, bad])
    assert caught.value.path == str(bad)
    assert caught.value.line == line
    assert str(bad) in str(caught.value)
    assert snapshot(project) == before


def test_skip_bad_imports_good_records_and_reports_bad_ones(project, tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"text": "one"}\n{oops\n{"text": "three"}\n')
    report = import_paths(project, [path], options=ReadOptions(skip_bad=True))
    assert report.documents_added == 2
    assert [(e.line, e.reason.split(" (")[0]) for e in report.skipped] == [(2, "not valid JSON")]


def test_missing_path_and_empty_folder(project, tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        import_paths(project, [tmp_path / "nope"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no articles found"):
        import_paths(project, [tmp_path / "empty"])
    unknown = tmp_path / "data.bin"
    unknown.write_bytes(b"\x00")
    with pytest.raises(InputError, match="cannot tell the format"):
        import_paths(project, [unknown])


def test_progress_reports_bytes_within_a_large_file(project, tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text("".join(f'{{"text": "article {i} {"word " * 50}"}}\n' for i in range(5000)))
    seen = []
    import_paths(project, [path], progress=seen.append)
    positions = [p.bytes_done for p in seen]
    assert positions == sorted(positions)
    assert len(set(positions)) > 4  # moved within the one file, not only at its end
    assert seen[-1].bytes_done == seen[-1].bytes_total == path.stat().st_size
