"""UIMA CAS XMI: round trips, dkpro-cassis as the oracle, INCEpTION-style input, bad input."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from cassis import load_cas_from_xmi, load_typesystem
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from news_annotator.errors import InputError
from news_annotator.formats import detect_format, xmi
from news_annotator.formats.common.records import AnnotatedDocument, ReadOptions
from news_annotator.importing import import_paths
from news_annotator.model import NewDocument
from news_annotator.project import Project
from tests.conftest import fuzz_examples

NE = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
# Non-BMP characters before and inside annotations: UTF-16 and code points differ.
TEXT = ("𝔸 report 😊: Ana Lima said “we’ll fix it 🛠 by 2025,” and the 𝒳 Agency claimed "
        "costs fell 12%.\nSecond line ✅ in Zürich.")


def utf16(text: str, index: int) -> int:
    """An independent UTF-16 offset: how many code units precede code point `index`."""
    return len(text[:index].encode("utf-16-le")) // 2


def at(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def annotated_project(path: Path, text: str = TEXT) -> Project:
    """A project with one document holding entity, quote and claim spans and relations."""
    project = Project.create(path)
    with project.transaction():
        project.documents.insert_many([NewDocument(text=text, title="Report", uid="doc-1",
                                                   url="https://example.org/r")])
    doc_id = project.documents.ids()[0]
    me = project.annotator("me").id
    person = project.add_span(doc_id, me, "PERSON", [at(text, "Ana Lima")])
    org = project.add_span(doc_id, me, "ORG", [at(text, "𝒳 Agency")])
    project.add_span(doc_id, me, "GPE", [at(text, "Zürich")])
    quote = project.add_span(doc_id, me, "DIRECT", [at(text, "we’ll fix it 🛠 by 2025,")],
                             attributes={"source_type": "named"})
    cue = project.add_span(doc_id, me, "CUE", [at(text, "said")])
    claim = project.add_span(doc_id, me, "CLAIM", [at(text, "costs fell 12%")],
                             attributes={"check_worthy": "yes", "type": "statistic"})
    project.add_relation("source", quote.id, person.id)
    project.add_relation("cue", quote.id, cue.id)
    project.add_relation("claimant", claim.id, org.id)
    return project


def span_keys(project: Project) -> set[tuple]:
    found = set()
    for document in project.documents.iter_all():
        for s in project.spans.for_document(document.id):
            found.add((document.text, s.layer, s.label, s.fragments, s.text,
                       tuple(sorted(s.attributes.items()))))
    return found


def relation_keys(project: Project) -> set[tuple]:
    found = set()
    for document in project.documents.iter_all():
        spans = {s.id: (s.label, s.fragments) for s in project.spans.for_document(document.id)}
        for r in project.relations.for_document(document.id):
            found.add((r.type, spans[r.source_id], spans[r.target_id]))
    return found


def read_all(path: Path, options: ReadOptions | None = None) -> list:
    return list(xmi.read(path, options or ReadOptions()))


# -- writing, checked by dkpro-cassis --------------------------------------------------


def test_written_xmi_loads_in_cassis_with_utf16_offsets(tmp_path):
    with annotated_project(tmp_path / "p.annotator") as project:
        assert xmi.write(project, tmp_path / "out") == 1
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["01.xmi", "TypeSystem.xml"]
    with pytest.warns(UserWarning, match="type_"):  # cassis renames the `type` feature
        typesystem = load_typesystem((tmp_path / "out" / "TypeSystem.xml").read_bytes().decode())
    cas = load_cas_from_xmi((tmp_path / "out" / "01.xmi").read_bytes().decode(),
                            typesystem=typesystem)
    assert cas.sofa_string == TEXT
    entities = {(fs.value, fs.get_covered_text()) for fs in cas.select(NE)}
    assert entities == {("PERSON", "Ana Lima"), ("ORG", "𝒳 Agency"), ("GPE", "Zürich")}
    quotes = cas.select("webanno.custom.Quote")
    assert {(fs.label, fs.get_covered_text()) for fs in quotes} == {
        ("DIRECT", "we’ll fix it 🛠 by 2025,"), ("CUE", "said")}
    claim = cas.select("webanno.custom.Claim")[0]
    assert (claim.label, claim.check_worthy, claim.type_) == ("CLAIM", "yes", "statistic")
    relations = {(r.type_, r.Governor.get_covered_text(), r.Dependent.get_covered_text())
                 for r in cas.select("webanno.custom.Relation")}
    assert relations == {("source", "we’ll fix it 🛠 by 2025,", "Ana Lima"),
                         ("cue", "we’ll fix it 🛠 by 2025,", "said"),
                         ("claimant", "costs fell 12%", "𝒳 Agency")}
    # In the file itself offsets count UTF-16 units (computed here independently).
    root = etree.parse(str(tmp_path / "out" / "01.xmi")).getroot()
    ner_ns = "{http:///de/tudarmstadt/ukp/dkpro/core/api/ner/type.ecore}NamedEntity"
    written = {e.get("value"): (int(e.get("begin")), int(e.get("end"))) for e in root.iter(ner_ns)}
    start, end = at(TEXT, "𝒳 Agency")
    assert written["ORG"] == (utf16(TEXT, start), utf16(TEXT, end))
    assert written["ORG"] != (start, end)


def test_round_trip_keeps_spans_labels_attributes_relations(tmp_path):
    with annotated_project(tmp_path / "p.annotator") as source:
        xmi.write(source, tmp_path / "out")
        expected_spans, expected_relations = span_keys(source), relation_keys(source)
        uid = next(iter(source.documents.iter_all())).uid
    with Project.create(tmp_path / "back.annotator") as back:
        report = import_paths(back, [tmp_path / "out"], format_name="xmi")
        assert report.documents_added == 1
        assert span_keys(back) == expected_spans
        assert relation_keys(back) == expected_relations
        document = next(iter(back.documents.iter_all()))
        assert (document.uid, document.title, document.url) == (uid, "Report",
                                                                  "https://example.org/r")


def test_zip_export_round_trips_and_is_detected(tmp_path):
    with annotated_project(tmp_path / "p.annotator") as source:
        xmi.write(source, tmp_path / "export.zip")
        expected = span_keys(source)
    with zipfile.ZipFile(tmp_path / "export.zip") as archive:
        assert sorted(archive.namelist()) == ["01.xmi", "TypeSystem.xml"]
    assert detect_format(tmp_path / "export.zip").name == "xmi"
    with Project.create(tmp_path / "back.annotator") as back:
        import_paths(back, [tmp_path / "export.zip"])
        assert span_keys(back) == expected


def test_folder_import_without_format_skips_the_type_system(tmp_path):
    with annotated_project(tmp_path / "p.annotator") as source:
        xmi.write(source, tmp_path / "out")
    with Project.create(tmp_path / "back.annotator") as back:
        report = import_paths(back, [tmp_path / "out"])
        assert (report.documents_added, report.spans_added, report.relations_added) == (1, 6, 3)


def test_control_characters_become_replacement_characters(tmp_path):
    text = "Bell\x07 and Ana Lima\x0b here."
    warnings: list[str] = []
    with annotated_project_simple(tmp_path / "p.annotator", text) as project:
        project.add_span(project.documents.ids()[0], project.annotator("me").id, "PERSON",
                         [at(text, "Ana Lima")])
        xmi.write(project, tmp_path / "out", warnings=warnings)
    assert any("U+FFFD" in w for w in warnings)
    [document] = read_all(tmp_path / "out" / "01.xmi")
    assert document.document.text == "Bell\ufffd and Ana Lima\ufffd here."
    person = next(s for s in document.spans if s.label == "PERSON")
    assert document.document.text[slice(*person.fragments[0])] == "Ana Lima"


def annotated_project_simple(path: Path, text: str) -> Project:
    project = Project.create(path)
    with project.transaction():
        project.documents.insert_many([NewDocument(text=text, title="t", uid="u")])
    return project


def test_discontinuous_spans_are_split_with_a_warning(tmp_path):
    text = "“We agreed,” he said, “to act.”"
    with annotated_project_simple(tmp_path / "p.annotator", text) as project:
        me = project.annotator("me").id
        doc_id = project.documents.ids()[0]
        project.add_span(doc_id, me, "DIRECT", [at(text, "We agreed,"), at(text, "to act.")])
        warnings: list[str] = []
        xmi.write(project, tmp_path / "out", warnings=warnings)
    assert any("discontinuous" in w for w in warnings)
    [document] = read_all(tmp_path / "out" / "01.xmi")
    assert sorted(s.fragments for s in document.spans) == [
        (at(text, "We agreed,"),), (at(text, "to act."),)]


# -- reading what others wrote -----------------------------------------------------------

TYPESYSTEM = """<?xml version="1.0" encoding="UTF-8"?>
<typeSystemDescription xmlns="http://uima.apache.org/resourceSpecifier"><types>
 <typeDescription><name>de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity</name>
  <supertypeName>uima.tcas.Annotation</supertypeName><features>
  <featureDescription><name>value</name><rangeTypeName>uima.cas.String</rangeTypeName>
  </featureDescription><featureDescription><name>identifier</name>
  <rangeTypeName>uima.cas.String</rangeTypeName></featureDescription></features>
 </typeDescription>
 <typeDescription><name>de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token</name>
  <supertypeName>uima.tcas.Annotation</supertypeName></typeDescription>
 <typeDescription><name>de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.Dependency</name>
  <supertypeName>uima.tcas.Annotation</supertypeName><features>
  <featureDescription><name>Governor</name>
  <rangeTypeName>de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token</rangeTypeName>
  </featureDescription><featureDescription><name>Dependent</name>
  <rangeTypeName>de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token</rangeTypeName>
  </featureDescription></features></typeDescription>
 <typeDescription><name>webanno.custom.Speech</name>
  <supertypeName>uima.tcas.Annotation</supertypeName><features>
  <featureDescription><name>kind</name><rangeTypeName>uima.cas.String</rangeTypeName>
  </featureDescription><featureDescription><name>verified</name>
  <rangeTypeName>uima.cas.Boolean</rangeTypeName></featureDescription></features>
 </typeDescription>
 <typeDescription><name>webanno.custom.SpokenBy</name>
  <supertypeName>uima.tcas.Annotation</supertypeName><features>
  <featureDescription><name>Governor</name><rangeTypeName>uima.tcas.Annotation</rangeTypeName>
  </featureDescription><featureDescription><name>Dependent</name>
  <rangeTypeName>uima.tcas.Annotation</rangeTypeName></featureDescription></features>
 </typeDescription>
</types></typeSystemDescription>
"""

# 😊 is two UTF-16 units: "Ana" is at code points 2..5 but UTF-16 units 3..6.
SOFA = "😊 Ana said hi"


def inception_xmi(begin: str = "3", end: str = "6") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore"
 xmlns:type="http:///de/tudarmstadt/ukp/dkpro/core/api/ner/type.ecore"
 xmlns:type2="http:///de/tudarmstadt/ukp/dkpro/core/api/segmentation/type.ecore"
 xmlns:dependency="http:///de/tudarmstadt/ukp/dkpro/core/api/syntax/type/dependency.ecore"
 xmlns:custom="http:///webanno/custom.ecore" xmi:version="2.0">
 <cas:NULL xmi:id="0"/>
 <type2:Token xmi:id="10" sofa="1" begin="3" end="6"/>
 <type2:Token xmi:id="11" sofa="1" begin="7" end="11"/>
 <dependency:Dependency xmi:id="12" sofa="1" begin="3" end="6" Governor="11" Dependent="10"/>
 <type:NamedEntity xmi:id="20" sofa="1" begin="{begin}" end="{end}" value="PERSON"/>
 <custom:Speech xmi:id="21" sofa="1" begin="7" end="14" kind="DIRECT" verified="true"/>
 <custom:SpokenBy xmi:id="22" sofa="1" begin="3" end="6" Governor="21" Dependent="20"/>
 <cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text" sofaString="{SOFA}"/>
 <cas:View sofa="1" members="10 11 12 20 21 22"/>
</xmi:XMI>
"""


def write_pair(folder: Path, xmi_text: str, name: str = "doc.xmi") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "TypeSystem.xml").write_text(TYPESYSTEM, encoding="utf-8")
    (folder / name).write_text(xmi_text, encoding="utf-8")
    return folder / name


def test_inception_style_xmi_maps_layers_and_converts_offsets(tmp_path):
    [document] = read_all(write_pair(tmp_path, inception_xmi()))
    assert isinstance(document, AnnotatedDocument)
    text = document.document.text
    assert text == SOFA
    spans = {s.uid: s for s in document.spans}
    assert sorted((s.layer, s.label, text[slice(*s.fragments[0])], tuple(s.attributes.items()))
                  for s in spans.values()) == [
        ("entity", "PERSON", "Ana", ()), ("speech", "DIRECT", "said hi", (("verified", True),))]
    [relation] = document.relations  # the token dependency arc is left out
    assert relation.type == "spokenby"
    assert (spans[relation.source].label, spans[relation.target].label) == ("DIRECT", "PERSON")


def test_zip_export_of_inception_is_read(tmp_path):
    archive_path = tmp_path / "export.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.writestr("TypeSystem.xml", TYPESYSTEM)
        archive.writestr("news.txt.xmi", inception_xmi())
    [document] = read_all(archive_path)
    assert document.document.text == SOFA and len(document.spans) == 2


def test_small_cas_sample_gives_text_and_no_spans(shared_data, tmp_path):
    folder = shared_data / "interop" / "xmi"
    documents = read_all(folder / "small_cas.xmi")  # small_typesystem.xml is chosen
    assert len(documents) == 1
    assert documents[0].document.text == "Joe waited for the train . The train was late ."
    assert documents[0].spans == [] and documents[0].relations == []
    shutil.copy(folder / "small_cas.xmi", tmp_path / "small_cas.xmi")
    shutil.copy(folder / "small_typesystem.xml", tmp_path / "TypeSystem.xml")
    with Project.create(tmp_path / "p.annotator") as project:
        report = import_paths(project, [tmp_path / "small_cas.xmi"])
        assert (report.documents_added, report.spans_added) == (1, 0)
        [stored] = list(project.documents.iter_all())
        assert stored.text == "Joe waited for the train . The train was late ."


# -- bad input ---------------------------------------------------------------------------


def test_broken_xml_names_file_and_line(tmp_path):
    path = write_pair(tmp_path, inception_xmi().replace("<cas:View", "<cas:View <"))
    with pytest.raises(InputError) as caught:
        read_all(path)
    assert caught.value.path == str(path) and caught.value.line == 15
    assert "not well-formed" in caught.value.reason


def test_missing_type_system_is_an_input_error(tmp_path):
    path = tmp_path / "doc.xmi"
    path.write_text(inception_xmi(), encoding="utf-8")
    with pytest.raises(InputError, match="no type system beside it"):
        read_all(path)


def test_type_missing_from_type_system_is_an_input_error(tmp_path):
    path = write_pair(tmp_path, inception_xmi())
    (tmp_path / "TypeSystem.xml").write_text(TYPESYSTEM.replace("webanno.custom.Speech",
                                                                "webanno.custom.Other"))
    with pytest.raises(InputError, match="not a CAS XMI this type system can read"):
        read_all(path)


@pytest.mark.parametrize(("begin", "end"), [
    ("1", "6"),   # 1 falls between the two UTF-16 units of 😊
    ("3", "99"),  # past the end of the text
    ("6", "3"),   # backwards
    ("3", "3"),   # empty
])
def test_bad_offsets_are_a_document_error(tmp_path, begin, end):
    path = write_pair(tmp_path, inception_xmi(begin, end))
    [error] = read_all(path)
    assert isinstance(error, InputError) and error.path == str(path)


def test_bad_document_imports_nothing(tmp_path):
    folder = tmp_path / "in"
    write_pair(folder, inception_xmi(), "a.xmi")
    write_pair(folder, inception_xmi("3", "99"), "b.xmi")
    with Project.create(tmp_path / "p.annotator") as project:
        with pytest.raises(InputError, match="offset 99 .* is not a position in the text"):
            import_paths(project, [folder], options=ReadOptions(add_labels=True))
        assert project.documents.count() == 0
        report = import_paths(project, [folder],
                              options=ReadOptions(add_labels=True, skip_bad=True))
        assert report.documents_added == 1 and len(report.skipped) == 1


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    doctype = (f'<!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">'
               '<!ENTITY net SYSTEM "http://192.0.2.1/x">]>\n')
    text = inception_xmi().replace('?>\n', '?>\n' + doctype, 1).replace(
        '<cas:NULL xmi:id="0"/>', '<cas:NULL xmi:id="0">&e;&net;</cas:NULL>')
    with pytest.raises(InputError, match="DOCTYPE") as caught:
        read_all(write_pair(tmp_path, text))
    assert "TOP SECRET" not in str(caught.value)


def test_zip_with_path_traversal_is_refused(tmp_path):
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("TypeSystem.xml", TYPESYSTEM)
        archive.writestr("../../escape.xmi", inception_xmi())
    with pytest.raises(InputError, match="unsafe member name"):
        read_all(path)


def test_zip_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("TypeSystem.xml", TYPESYSTEM)
        archive.writestr("big.xmi", b"\0" * (8 * 1024 * 1024))
    with pytest.raises(InputError, match="zip bomb"):
        read_all(path)


def test_broken_member_of_a_zip_is_skippable(tmp_path):
    path = tmp_path / "mixed.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("TypeSystem.xml", TYPESYSTEM)
        archive.writestr("a.xmi", inception_xmi())
        archive.writestr("b.xmi", "<xmi:XMI")
    items = read_all(path)
    assert isinstance(items[0], AnnotatedDocument)
    assert isinstance(items[1], InputError) and items[1].record == "b.xmi"


def test_sniff_never_raises(tmp_path):
    (tmp_path / "x.zip").write_bytes(b"PK\x03\x04garbage")
    (tmp_path / "TypeSystem.xml").write_bytes(b"\xff\xfe")
    assert not xmi.sniff(tmp_path / "x.zip")
    assert not xmi.sniff(tmp_path / "TypeSystem.xml")
    assert not xmi.sniff(tmp_path / "missing.zip")


# -- fuzz --------------------------------------------------------------------------------


def _consume(path: Path) -> None:
    try:
        for item in xmi.read(path, ReadOptions()):
            assert isinstance(item, (AnnotatedDocument, InputError))
    except InputError:
        pass


@settings(max_examples=fuzz_examples(150), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(0, len(inception_xmi())), junk=st.text(max_size=20),
       begin=st.integers(-3, 30), end=st.integers(-3, 30))
def test_fuzz_mangled_xmi_only_input_errors(tmp_path, cut, junk, begin, end):
    text = inception_xmi(str(begin), str(end))
    _consume(write_pair(tmp_path, text[:cut] + junk + text[cut:]))


@settings(max_examples=fuzz_examples(100), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_fuzz_random_bytes_only_input_errors(tmp_path, data):
    (tmp_path / "TypeSystem.xml").write_text(TYPESYSTEM)
    (tmp_path / "doc.xmi").write_bytes(data)
    _consume(tmp_path / "doc.xmi")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("TypeSystem.xml", TYPESYSTEM)
        archive.writestr("doc.xmi", data)
    (tmp_path / "doc.zip").write_bytes(buffer.getvalue()[: max(10, len(data))])
    _consume(tmp_path / "doc.zip")


def test_real_inception_type_system_reads_named_entities(shared_data, tmp_path):
    shutil.copy(shared_data / "interop" / "xmi" / "inception_typesystem.xml",
                tmp_path / "TypeSystem.xml")
    content = inception_xmi().replace(
        '<custom:Speech xmi:id="21" sofa="1" begin="7" end="14" kind="DIRECT" '
        'verified="true"/>\n', "").replace(
        '<custom:SpokenBy xmi:id="22" sofa="1" begin="3" end="6" Governor="21" '
        'Dependent="20"/>\n', "").replace('members="10 11 12 20 21 22"', 'members="10 11 12 20"')
    (tmp_path / "doc.xmi").write_text(content, encoding="utf-8")
    [document] = read_all(tmp_path / "doc.xmi")
    assert [(s.label, document.document.text[slice(*s.fragments[0])]) for s in document.spans] \
        == [("PERSON", "Ana")]
    assert document.relations == []


def test_user_layer_with_odd_names_and_boolean_attribute_round_trips(tmp_path):
    from dataclasses import replace

    from news_annotator.schema import AttributeDef, Label, Layer, default_schema

    schema = default_schema()
    layer = Layer("my layer!", (Label("X 1", "#000000"),),
                  (AttributeDef("is ok?", "boolean"), AttributeDef("2nd", "text")))
    schema = replace(schema, layers=(*schema.layers, layer))
    text = "Plain text 😊 with a span."
    with Project.create(tmp_path / "p.annotator", schema) as project:
        with project.transaction():
            project.documents.insert_many([NewDocument(text=text, uid="u")])
        project.add_span(project.documents.ids()[0], project.annotator("me").id, "X 1",
                         [at(text, "a span")], layer="my layer!",
                         attributes={"is ok?": True, "2nd": "free text"})
        xmi.write(project, tmp_path / "out")
        expected = span_keys(project)
    with Project.create(tmp_path / "back.annotator", schema) as back:
        import_paths(back, [tmp_path / "out"])
        assert span_keys(back) == expected
