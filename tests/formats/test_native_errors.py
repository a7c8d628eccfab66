"""Bad lossless files: a clear InputError naming the file and the place, and the project
exactly as it was (all-or-nothing, schema included)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from news_annotator.errors import InputError
from news_annotator.importing import import_paths
from news_annotator.model import NewDocument
from news_annotator.project import Project
from tests.formats.native_helpers import FORMATS, SUFFIX, export, snapshot

TEXT = "Alice met Bob in Paris. “We agreed,” she said."


def make_source(tmp_path: Path) -> Project:
    """Two documents (the second is the one we break), an extra label, a relation."""
    project = Project.create(tmp_path / "source.annotator")
    project.add_label("extra", "WHO")
    alice = project.annotator("alice")
    with project.transaction():
        project.documents.insert_many([NewDocument("First, harmless.", "one", "d1"),
                                       NewDocument(TEXT, "two", "d2")])
    first, second = project.documents.ids()
    project.add_span(first, alice.id, "WHO", [(0, 5)])
    person = project.add_span(second, alice.id, "PERSON", [(0, 5)])
    quote = project.add_span(second, alice.id, "DIRECT", [(24, 34), (35, 36)])
    project.add_relation("source", quote.id, person.id)
    return project


def mutate_json(doc: dict, how: str) -> None:
    span = doc["spans"][0]
    if how == "past-end":
        span["end"] = span["fragments"][0][1] = len(doc["text"]) + 3
    elif how == "wrong-text":
        span["text"] = "Zelda"
    elif how == "unknown-label":
        span["label"] = "NOPE"
    elif how == "dangling-relation":
        doc["relations"][0]["target"] = "no-such-span"


def mutate_xml(doc: etree._Element, how: str) -> None:
    span = doc.find("spans/span")
    if how == "past-end":
        span.set("end", str(len(TEXT) + 3))
    elif how == "wrong-text":
        span.find("text").text = "Zelda"
    elif how == "unknown-label":
        span.set("label", "NOPE")
    elif how == "dangling-relation":
        doc.find("relations/relation").set("target", "no-such-span")


def broken_file(source: Project, fmt: str, how: str, folder: Path) -> Path:
    path = folder / f"bad{SUFFIX[fmt]}"
    export(source, fmt, path)
    data = path.read_bytes()
    if how == "syntax":
        path.write_bytes(data[: len(data) - 40])
    elif fmt == "json":
        content = json.loads(data)
        mutate_json(content["documents"][1], how)
        path.write_text(json.dumps(content, ensure_ascii=False, indent=1), "utf-8")
    elif fmt == "jsonl":
        lines = data.decode("utf-8").split("\n")
        doc = json.loads(lines[2])
        mutate_json(doc, how)
        lines[2] = json.dumps(doc, ensure_ascii=False)
        path.write_text("\n".join(lines), "utf-8")
    else:
        tree = etree.fromstring(data)
        mutate_xml(tree.findall("documents/document")[1], how)
        path.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="utf-8"))
    return path


WANTED: dict[str, Callable[[str], bool]] = {
    "syntax": lambda m: "not valid JSON" in m or "not well-formed XML" in m,
    "past-end": lambda m: "past the end of the text" in m,
    "wrong-text": lambda m: "Zelda" in m and "text at its offsets" in m,
    "unknown-label": lambda m: "unknown label 'NOPE'" in m,
    "dangling-relation": lambda m: "missing span(s) no-such-span" in m,
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("how", list(WANTED))
@pytest.mark.parametrize("target", ["empty", "in use"])
def test_bad_file_is_named_with_its_place_and_imports_nothing(fmt, how, target, tmp_path):
    source = make_source(tmp_path)
    path = broken_file(source, fmt, how, tmp_path)
    with Project.create(tmp_path / "target.annotator") as project:
        if target == "in use":
            import_paths(project, [Path(__file__).parents[2] / "corpora" / "demo"])
            project.add_label("extra", "WHO")  # a project in use keeps its own schema
            doc = project.documents.ids()[0]
            project.add_span(doc, project.annotator("carol").id, "ORG", [(0, 3)])
        before = snapshot(project)
        with pytest.raises(InputError) as caught:
            import_paths(project, [path], format_name=fmt)
        message = str(caught.value)
        assert str(path) in message
        assert re.search(r":\d+|\((document|record) \d+\)", message), message
        assert WANTED[how](message), message
        assert snapshot(project) == before
    with Project.open(tmp_path / "target.annotator") as reopened:
        assert snapshot(reopened) == before
    source.close()


@pytest.mark.parametrize("fmt", ["jsonl", "xml"])
def test_skip_bad_keeps_the_good_documents(fmt, tmp_path):
    from news_annotator.formats.common.records import ReadOptions

    source = make_source(tmp_path)
    path = tmp_path / f"bad{SUFFIX[fmt]}"
    export(source, fmt, path)
    data = path.read_bytes()
    if fmt == "jsonl":
        lines = data.split(b"\n")
        lines[2] = b'{"text": "x", "spans": [{"label": 5}]}'
        path.write_bytes(b"\n".join(lines))
    else:
        path.write_bytes(data.replace(b'start="24"', b'start="twenty-four"'))
    with Project.create(tmp_path / "target.annotator") as project:
        report = import_paths(project, [path], format_name=fmt,
                              options=ReadOptions(skip_bad=True))
        assert report.documents_added == 1 and len(report.skipped) == 1
        assert re.search(r":\d+", str(report.skipped[0]))
    source.close()


def test_xml_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "new.xml"
    path.write_text('<?xml version="1.0"?><news-annotator version="9"><documents/>'
                    "</news-annotator>", "utf-8")
    with Project.create(tmp_path / "t.annotator") as project, \
            pytest.raises(InputError, match="newer version"):
        import_paths(project, [path])


def test_jsonl_lone_surrogate_is_refused_not_crashed(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"text": "bad \\ud800 here"}\n', "utf-8")
    with Project.create(tmp_path / "t.annotator") as project, \
            pytest.raises(InputError, match="lone surrogate"):
        import_paths(project, [path])
