"""Fuzz our lossless readers, the agency formats' and WebAnno TSV's through the import
pipeline: random bytes, byte-mutated and structure-mutated exports and samples. The only
failure allowed is InputError, and a failed import leaves the project as it was."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from news_annotator.errors import InputError
from news_annotator.formats.common.records import ReadOptions
from news_annotator.importing import import_paths
from news_annotator.model import NewDocument
from news_annotator.project import Project
from tests.conftest import fuzz_examples
from tests.formats.native_helpers import FORMATS, SUFFIX, export, json_values, snapshot

# FUZZ_EXAMPLES=5000 for a deeper run than the default one (`make fuzz` runs 1,000).
FUZZ = settings(max_examples=fuzz_examples(int(os.environ.get("FUZZ_EXAMPLES", "150"))),
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_SEEDS: dict[str, bytes] = {}


def seed(fmt: str) -> bytes:
    """A small valid export with every kind of record, made once per format."""
    if fmt not in _SEEDS:
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            with Project.create(tmp / "seed.annotator") as project:
                with project.transaction():
                    project.documents.insert_many([
                        NewDocument("Alice said “we agreed” to Bob\x01.", "t", "d1",
                                    metadata={"k": [1, "v"]})])
                who = project.annotator("alice")
                doc = project.documents.ids()[0]
                person = project.add_span(doc, who.id, "PERSON", [(0, 5)], note="n")
                quote = project.add_span(doc, who.id, "DIRECT", [(11, 13), (14, 20)])
                project.add_relation("source", quote.id, person.id)
                project.set_status(doc, who.id, project.statuses.get(doc, who.id).DONE)
                path = tmp / f"seed{SUFFIX[fmt]}"
                export(project, fmt, path)
                _SEEDS[fmt] = path.read_bytes()
    return _SEEDS[fmt]


def import_only_fails_cleanly(fmt: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        path = tmp / f"input{SUFFIX[fmt]}"
        path.write_bytes(data)
        with Project.create(tmp / "target.annotator") as project:
            before = snapshot(project)
            try:
                import_paths(project, [path], format_name=fmt)
            except InputError:
                assert snapshot(project) == before


@st.composite
def byte_mutations(draw: st.DrawFn, data: bytes) -> bytes:
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        size = draw(st.integers(0, 20))
        kind = draw(st.sampled_from(["replace", "delete", "insert", "duplicate"]))
        if kind == "replace":
            data = data[:at] + draw(st.binary(min_size=size, max_size=size)) + data[at + size:]
        elif kind == "delete":
            data = data[:at] + data[at + size:]
        elif kind == "insert":
            data = data[:at] + draw(st.binary(max_size=size)) + data[at:]
        else:
            data = data[:at] + data[at:at + size] * 2 + data[at + size:]
    return data


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


@st.composite
def json_mutations(draw: st.DrawFn, record: dict) -> dict:
    """Replace or delete one node anywhere in a JSON document."""
    record = json.loads(json.dumps(record))
    path = draw(st.sampled_from(list(_paths(record))[1:]))
    holder = record
    for key in path[:-1]:
        holder = holder[key]
    if draw(st.booleans()) and isinstance(holder, dict):
        del holder[path[-1]]
    else:
        holder[path[-1]] = draw(json_values)
    return record


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes(fmt, data):
    import_only_fails_cleanly(fmt, data)


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(data=st.data())
def test_byte_mutated_exports(fmt, data):
    import_only_fails_cleanly(fmt, data.draw(byte_mutations(seed(fmt))))


@FUZZ
@given(data=st.data())
def test_structure_mutated_json(data):
    content = json.loads(seed("json"))
    mutated = data.draw(json_mutations(content))
    import_only_fails_cleanly("json", json.dumps(mutated, ensure_ascii=False).encode())


@FUZZ
@given(data=st.data())
def test_structure_mutated_jsonl(data):
    lines = seed("jsonl").decode("utf-8").splitlines()
    index = data.draw(st.integers(0, len(lines) - 1))
    lines[index] = json.dumps(data.draw(json_mutations(json.loads(lines[index]))))
    import_only_fails_cleanly("jsonl", "\n".join(lines).encode("utf-8"))


@FUZZ
@given(data=st.data())
def test_structure_mutated_xml(data):
    root = etree.fromstring(seed("xml"))
    elements = list(root.iter())
    target = data.draw(st.sampled_from(elements))
    action = data.draw(st.sampled_from(["drop", "attribute", "text", "child"]))
    values = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
                     max_size=12) | st.sampled_from(["-1", "0", "99999", "json", "base64",
                                                     "x y", "AAAA", "{}", "[]"])
    if action == "drop" and target.getparent() is not None:
        target.getparent().remove(target)
    elif action == "attribute":
        names = [*target.attrib, "start", "end", "encoding", "type", "base64-attributes"]
        target.set(data.draw(st.sampled_from(names)), data.draw(values))
    elif action == "text":
        target.text = data.draw(values)
    else:
        etree.SubElement(target, data.draw(st.sampled_from(
            ["span", "text", "fragment", "attribute", "document", "schema", "x"])))
    import_only_fails_cleanly("xml", etree.tostring(root, encoding="utf-8"))


@pytest.mark.parametrize("content", ["[" * 100_000 + "]" * 100_000, "[" + "7" * 5000 + "]"])
@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_too_deep_or_too_long_is_an_input_error(fmt, content, tmp_path):
    path = tmp_path / f"odd{SUFFIX[fmt]}"
    path.write_text(content, "utf-8")
    with Project.create(tmp_path / f"{fmt}.annotator") as project, pytest.raises(InputError):
        import_paths(project, [path], format_name=fmt)


def test_xml_offset_with_thousands_of_digits_is_an_input_error(tmp_path):
    path = tmp_path / "big.xml"
    path.write_bytes(seed("xml").replace(b'start="0"', b'start="' + b"9" * 5000 + b'"'))
    with Project.create(tmp_path / "t.annotator") as project, \
            pytest.raises(InputError, match="whole number"):
        import_paths(project, [path], format_name="xml")


# -- the agency formats and WebAnno TSV --------------------------------------------------

DATA = Path(__file__).parent / "data"
NEW_SEEDS = {"nitf": DATA / "nitf-3.3-latin1.xml", "newsml": DATA / "newsml-g2-message.xml",
             "ninjs": DATA / "ninjs-2.0.json"}
NEW_SUFFIX = {"nitf": ".xml", "newsml": ".xml", "ninjs": ".json", "webanno-tsv": ".tsv"}


def new_seed(fmt: str) -> bytes:
    """A sample item, or (WebAnno TSV) our export of a small project with every kind of
    annotation TSV holds: stacked, multi-token, discontinuous, relations, an emoji."""
    if fmt in NEW_SEEDS:
        return NEW_SEEDS[fmt].read_bytes()
    if fmt not in _SEEDS:
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            with Project.create(tmp / "seed.annotator") as project:
                with project.transaction():
                    project.documents.insert_many([NewDocument(
                        "Alice said “we agreed 😀” to Bob.\nBob left.", "t", "d1")])
                who = project.annotator("alice")
                doc = project.documents.ids()[0]
                person = project.add_span(doc, who.id, "PERSON", [(0, 5)])
                project.add_span(doc, who.id, "ORG", [(0, 5)])
                quote = project.add_span(doc, who.id, "DIRECT", [(11, 14), (15, 21)],
                                         attributes={"source_type": "named|*"})
                project.add_span(doc, who.id, "CLAIM", [(26, 40)])
                project.add_relation("source", quote.id, person.id)
                get_format_module("webanno-tsv").write(project, tmp / "out")
                _SEEDS[fmt] = (tmp / "out" / "01.tsv").read_bytes()
    return _SEEDS[fmt]


def get_format_module(name: str):
    from news_annotator.formats import get_format

    return get_format(name).module


def new_import_fails_cleanly(fmt: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        path = tmp / f"input{NEW_SUFFIX[fmt]}"
        path.write_bytes(data)
        with Project.create(tmp / "target.annotator") as project:
            before = snapshot(project)
            try:
                import_paths(project, [path], format_name=fmt,
                             options=ReadOptions(add_labels=True))
            except InputError:
                assert snapshot(project) == before


@pytest.mark.parametrize("fmt", sorted(NEW_SUFFIX))
@FUZZ
@given(data=st.binary(max_size=300))
def test_new_readers_random_bytes(fmt, data):
    new_import_fails_cleanly(fmt, data)


@pytest.mark.parametrize("fmt", sorted(NEW_SUFFIX))
@FUZZ
@given(data=st.data())
def test_new_readers_byte_mutated(fmt, data):
    new_import_fails_cleanly(fmt, data.draw(byte_mutations(new_seed(fmt))))


@pytest.mark.parametrize("fmt", ["nitf", "newsml"])
@FUZZ
@given(data=st.data())
def test_structure_mutated_agency_xml(fmt, data):
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    root = etree.fromstring(new_seed(fmt), parser)
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    target = data.draw(st.sampled_from(elements))
    action = data.draw(st.sampled_from(["drop", "attribute", "text", "child", "entity"]))
    values = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
                     max_size=12)
    if action == "drop" and target.getparent() is not None:
        target.getparent().remove(target)
    elif action == "attribute":
        names = [*target.attrib, "guid", "qcode", "contenttype", "norm", "class", "role"]
        target.set(data.draw(st.sampled_from(names)), data.draw(values))
    elif action == "text":
        target.text = data.draw(values)
    elif action == "entity":
        target.append(etree.Entity(data.draw(st.sampled_from(["nbsp", "eacute", "zzz"]))))
    else:
        etree.SubElement(target, data.draw(st.sampled_from(
            ["p", "br", "pre", "table", "inlineXML", "inlineData", "newsItem", "body.content",
             "hl1", "headline", "x"])))
    new_import_fails_cleanly(fmt, etree.tostring(root, encoding="utf-8"))


@FUZZ
@given(data=st.data())
def test_structure_mutated_ninjs(data):
    content = json.loads(new_seed("ninjs"))
    mutated = data.draw(json_mutations({"items": content})).get("items", [])
    new_import_fails_cleanly("ninjs", json.dumps(mutated, ensure_ascii=False).encode())


TSV_VALUES = ["_", "*", "1-1", "1-1.1", "0-0", "0-99999", "3-2", "PERSON[1]|ORG[1]",
              "*[7]", "x\\", "\\|", "1-1[3_4]", "1-9[0_0]", "a->1-1", "", "#Text=x", "\t"]


@FUZZ
@given(data=st.data())
def test_structure_mutated_webanno_tsv(data):
    lines = new_seed("webanno-tsv").decode("utf-8").split("\n")
    index = data.draw(st.integers(0, len(lines) - 1))
    action = data.draw(st.sampled_from(["drop", "duplicate", "field", "swap"]))
    if action == "drop":
        del lines[index]
    elif action == "duplicate":
        lines.insert(index, lines[index])
    elif action == "swap" and index + 1 < len(lines):
        lines[index], lines[index + 1] = lines[index + 1], lines[index]
    else:
        fields = lines[index].split("\t")
        at = data.draw(st.integers(0, len(fields) - 1))
        fields[at] = data.draw(st.sampled_from(TSV_VALUES) | st.text(max_size=6))
        lines[index] = "\t".join(fields)
    new_import_fails_cleanly("webanno-tsv", "\n".join(lines).encode("utf-8"))
