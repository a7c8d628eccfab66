"""Our XML: the XML 1.0 character policy, safe parsing (XXE, entity bombs), sniffing, and
the version 2 shape (every value an element) beside the version 1 one (JSON inside)."""

from __future__ import annotations

import base64
import time
from pathlib import Path

import pytest
from lxml import etree

from news_annotator.errors import InputError
from news_annotator.formats import detect_format, native_xml
from news_annotator.formats.native_xml.reader import read_xml
from news_annotator.importing import import_paths
from news_annotator.model import NewDocument
from news_annotator.project import Project
from tests.formats.native_helpers import export, snapshot, validate

AWKWARD = "bell\x07 nul\x00 cr\r crlf\r\n nonchar\ufffe\uffff tab\t 😀 e\u0301"


def awkward_project(tmp_path) -> Project:
    project = Project.create(tmp_path / "awkward.annotator")
    project.add_label("extra", "LA\x01BEL")
    who = project.annotator("ann\x1bie")
    with project.transaction():
        project.documents.insert_many([NewDocument(AWKWARD, "title\x02", "uid\x03"),
                                       NewDocument("plain text, nothing odd", "plain", "p")])
    doc = project.documents.ids()[0]
    project.add_span(doc, who.id, "LA\x01BEL", [(0, 5), (11, 14)], note="note\x04",
                     attributes={"k\x05": "v\x06", "n": 3})
    return project


def test_control_characters_travel_as_flagged_base64(tmp_path):
    project = awkward_project(tmp_path)
    path = tmp_path / "out.xml"
    export(project, "xml", path)
    validate("xml", path)
    root = etree.parse(str(path)).getroot()  # well-formed XML 1.0 for any parser
    first, second = root.findall("documents/document")
    text = first.find("text")
    assert text.get("encoding") == "base64"
    assert base64.b64decode(text.text).decode("utf-8") == AWKWARD
    assert first.get("base64-attributes") == "uid"
    span = first.find("spans/span")
    assert set(span.get("base64-attributes").split()) == {"annotator", "label"}
    assert base64.b64decode(span.get("label")).decode() == "LA\x01BEL"
    assert span.find("note").get("encoding") == "base64"
    # only what needs it is encoded: plain documents stay readable
    assert second.find("text").text == "plain text, nothing odd"
    assert second.find("text").get("encoding") is None
    assert b"cr&#13;" not in path.read_bytes()  # the awkward text is inside base64
    with Project.create(tmp_path / "copy.annotator") as copy:
        import_paths(copy, [path])
        doc = copy.documents.get(copy.documents.id_for_uid("uid\x03"))
        assert doc.text == AWKWARD and doc.title == "title\x02"
        span = copy.spans.for_document(doc.id)[0]
        assert (span.label, span.note, span.attributes) == ("LA\x01BEL", "note\x04",
                                                            {"k\x05": "v\x06", "n": 3})
        assert copy.annotators.all()[0].name == "ann\x1bie"
    project.close()


def test_carriage_returns_survive_without_base64(tmp_path):
    with Project.create(tmp_path / "cr.annotator") as project:
        with project.transaction():
            project.documents.insert_many([NewDocument("a\rb\r\nc\n", "t\rt", "cr")])
        export(project, "xml", tmp_path / "cr.xml")
        assert b"a&#13;b&#13;\nc" in (tmp_path / "cr.xml").read_bytes()
        with Project.create(tmp_path / "copy.annotator") as copy:
            import_paths(copy, [tmp_path / "cr.xml"])
            doc = copy.documents.get(copy.documents.ids()[0])
            assert (doc.text, doc.title) == ("a\rb\r\nc\n", "t\rt")


def test_base64_that_is_not_utf8_is_an_input_error(tmp_path):
    path = tmp_path / "bad.xml"
    junk = base64.b64encode(b"\xff\xfe").decode()
    path.write_text(f'<news-annotator version="1"><documents><document uid="x">'
                    f'<text xml:space="preserve" encoding="base64">{junk}</text>'
                    f"</document></documents></news-annotator>", "utf-8")
    errors = [item for item in read_xml(path) if isinstance(item, InputError)]
    assert len(errors) == 1 and "not base64 of UTF-8" in str(errors[0])
    assert errors[0].line == 1


def test_external_entity_is_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", "utf-8")
    path = tmp_path / "xxe.xml"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE news-annotator [\n'
                    f'<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
                    '<news-annotator version="1"><documents><document uid="x">'
                    '<title>&xxe;</title><text xml:space="preserve">&xxe;</text>'
                    "</document></documents></news-annotator>", "utf-8")
    with Project.create(tmp_path / "t.annotator") as project:
        before = snapshot(project)
        with pytest.raises(InputError, match="DOCTYPE"):
            import_paths(project, [path])
        assert snapshot(project) == before
        assert "TOP-SECRET" not in repr(snapshot(project))


def test_external_dtd_is_never_loaded(tmp_path):
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY leak "LEAKED">', "utf-8")
    path = tmp_path / "dtd.xml"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE news-annotator SYSTEM "{dtd.as_uri()}">'
                    '<news-annotator version="1"><documents/></news-annotator>', "utf-8")
    with pytest.raises(InputError, match="DOCTYPE"):
        list(read_xml(path))


def test_billion_laughs_is_refused_quickly(tmp_path):
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    path = tmp_path / "bomb.xml"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE news-annotator [<!ENTITY lol0 "lol">'
                    f"{entities}]>\n<news-annotator version=\"1\"><documents><document "
                    'uid="x"><text xml:space="preserve">&lol9;</text></document></documents>'
                    "</news-annotator>", "utf-8")
    started = time.perf_counter()
    with Project.create(tmp_path / "t.annotator") as project, pytest.raises(InputError):
        import_paths(project, [path])
    assert time.perf_counter() - started < 1.0


def test_undeclared_entity_is_a_syntax_error(tmp_path):
    path = tmp_path / "ent.xml"
    path.write_text('<news-annotator version="1"><documents><document uid="x">'
                    '<text xml:space="preserve">&nope;</text></document></documents>'
                    "</news-annotator>", "utf-8")
    with pytest.raises(InputError, match="not well-formed"):
        list(read_xml(path))


def test_sniff_knows_our_xml_and_nothing_else(tmp_path, demo_project):
    ours = tmp_path / "ours.data"
    export(demo_project, "xml", ours)
    other = tmp_path / "other.xml"
    other.write_text('<?xml version="1.0"?><html><body/></html>', "utf-8")
    assert native_xml.sniff(ours) and not native_xml.sniff(other)
    assert not native_xml.sniff(tmp_path / "missing.xml")
    assert detect_format(ours).name == "xml"
    with pytest.raises(InputError, match="expected our XML"):
        list(read_xml(other))


# -- version 2: everything as elements, version 1 still read ------------------------------

V1_SAMPLE = Path(__file__).parent / "data" / "native-v1.xml"


def test_schema_and_metadata_are_elements_xpath_can_read(tmp_path):
    with Project.create(tmp_path / "p.annotator") as project:
        import_paths(project, [V1_SAMPLE])
        path = tmp_path / "v2.xml"
        export(project, "xml", path)
    validate("xml", path)
    root = etree.parse(str(path)).getroot()
    assert root.get("version") == "2"
    assert not root.find("schema").text or not root.find("schema").text.strip()
    assert root.xpath("string(schema/layer[@name='quote']/label[@name='DIRECT']/@color)") \
        == "#e15759"
    definition = root.find("schema/layer[@name='quote']/attribute-definition")
    assert definition.get("kind") == "choice"
    assert [v.text for v in definition.findall("value")][:2] == ["named", "unnamed"]
    assert definition.findtext("default") == "named"
    assert [a.text for a in definition.findall("applies-to")] == ["DIRECT", "INDIRECT", "MIXED"]
    assert root.xpath("schema/relation-type[@name='source']/target-label/text()")[0] == "PERSON"
    document = root.find("documents/document")
    assert document.xpath("string(metadata/string[@key='section'])") == "world"
    assert document.xpath("number(metadata/number[@key='words'])") == 412
    assert document.xpath("metadata/array[@key='subjects']/map/string[@key='code']/text()") \
        == ["11000000"]
    assert document.find("metadata/null[@key='editor']") is not None
    span = document.find("spans/span[@label='PERSON']")
    assert span.find("attribute[@name='confidence']").get("type") == "number"
    assert span.xpath("attribute[@name='tags']/string/text()") == ["a"]
    assert b'type="json"' not in path.read_bytes()
    # no JSON anywhere: no element's text starts like a JSON object or list
    assert not [e for e in root.iter() if (e.text or "").lstrip().startswith(("{", "["))]


def test_version_1_files_read_the_same_as_their_version_2_export(tmp_path):
    with Project.create(tmp_path / "old.annotator") as old:
        import_paths(old, [V1_SAMPLE])
        from_v1 = export(old, "json", tmp_path / "from-v1.json")
        export(old, "xml", tmp_path / "v2.xml")
        doc = old.documents.get(old.documents.ids()[0])
        assert doc.metadata["subjects"][1] == {"code": "11000000", "name": "politics"}
        assert doc.metadata["ke\x01y"] == "va\x02lue"
        person = next(s for s in old.spans.for_document(doc.id) if s.label == "PERSON")
        assert person.attributes == {"checked": True, "confidence": 0.8, "kind": "named",
                                     "nothing": None, "tags": ["a", 1]}
        assert old.schema.layer("extra").labels[0].name == "SPEAKER\x07"
    with Project.create(tmp_path / "new.annotator") as new:
        import_paths(new, [tmp_path / "v2.xml"])
        assert export(new, "json", tmp_path / "from-v2.json") == from_v1


@pytest.mark.parametrize(("fragment", "message"), [
    ('<metadata><string>no key</string></metadata>', "needs a 'key'"),
    ('<metadata><string key="a">1</string><number key="a">2</number></metadata>', "twice"),
    ('<metadata><number key="n">twelve</number></metadata>', "not a number"),
    ('<metadata><boolean key="b">yes</boolean></metadata>', "true or false"),
    ('<metadata><null key="z">x</null></metadata>', "must be empty"),
    ('<metadata><map key="m">loose text</map></metadata>', "holds text"),
    ('<metadata><list key="l"/></metadata>', "unexpected element <list>"),
    ('<metadata>["not", "an object"]</metadata>', "JSON object"),
])
def test_bad_values_name_what_is_wrong(tmp_path, fragment, message):
    path = tmp_path / "bad.xml"
    path.write_text(f'<news-annotator version="2"><documents><document uid="x">{fragment}'
                    '<text xml:space="preserve">t</text></document></documents>'
                    "</news-annotator>", "utf-8")
    errors = [item for item in read_xml(path) if isinstance(item, InputError)]
    assert len(errors) == 1 and message in str(errors[0])


def test_bad_schema_elements_are_refused_with_their_line(tmp_path):
    path = tmp_path / "bad.xml"
    path.write_text('<news-annotator version="2">\n<schema name="s">\n'
                    '<layer name="l"><label name="A" color="red"/></layer>\n</schema>\n'
                    "<documents/></news-annotator>", "utf-8")
    with pytest.raises(InputError, match="color") as caught:
        list(read_xml(path))
    assert caught.value.line == 2


def test_typed_attribute_values_round_trip_every_kind(tmp_path):
    values = {"s": "text", "i": 7, "f": -0.5, "big": 2**60, "t": True, "n": None,
              "l": [1, "two", [3], {"k": False}], "m": {"nested": {"deep": [None]}},
              "empty_list": [], "empty_map": {}, "e": ""}
    with Project.create(tmp_path / "p.annotator") as project:
        with project.transaction():
            project.documents.insert_many([NewDocument("Some text here.", "t", "d",
                                                       metadata=values)])
        doc = project.documents.ids()[0]
        who = project.annotator("ann")
        project.add_span(doc, who.id, "PERSON", [(0, 4)], attributes=values)
        first = export(project, "xml", tmp_path / "a.xml")
        validate("xml", tmp_path / "a.xml")
    with Project.create(tmp_path / "copy.annotator") as copy:
        import_paths(copy, [tmp_path / "a.xml"])
        stored = copy.documents.get(copy.documents.ids()[0])
        assert stored.metadata == values
        assert copy.spans.for_document(stored.id)[0].attributes == values
        assert export(copy, "xml", tmp_path / "b.xml") == first
