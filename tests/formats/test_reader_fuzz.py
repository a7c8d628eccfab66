"""Fuzz our lossless readers through the import pipeline: random bytes, byte-mutated and
structure-mutated exports. The only failure allowed is InputError, and a failed import
leaves the project as it was."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from annotator.errors import InputError
from annotator.importing import import_paths
from annotator.model import NewDocument
from annotator.project import Project
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
