"""WebAnno TSV 3.3 both ways: INCEpTION's documented examples (transcribed from its user
guide), our round trip, UTF-16 offsets, escaping, what cannot be held, broken files."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from news_annotator.errors import InputError
from news_annotator.formats import detect_format, get_format
from news_annotator.formats.common.interop import ReadWarning, SkippedAnnotation
from news_annotator.formats.common.records import AnnotatedDocument, ReadOptions
from news_annotator.formats.webanno_tsv import read
from news_annotator.formats.webanno_tsv.syntax import escape_value, unescape_value
from news_annotator.importing import import_paths
from news_annotator.model import NewDocument
from news_annotator.project import Project

ADD = ReadOptions(add_labels=True)
NE = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
POS = "de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS"
DEPENDENCY = "de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.Dependency"


def tsv(tmp_path: Path, header: list[str], body: str, name: str = "doc.tsv") -> Path:
    path = tmp_path / name
    path.write_text("#FORMAT=WebAnno TSV 3.3\n" + "".join(h + "\n" for h in header) + "\n\n"
                    + body.lstrip("\n"), "utf-8")
    return path


def read_one(path: Path) -> tuple[AnnotatedDocument, list]:
    items = list(read(path, ADD))
    documents = [item for item in items if isinstance(item, AnnotatedDocument)]
    assert len(documents) == 1, items
    return documents[0], [item for item in items if not isinstance(item, AnnotatedDocument)]


def covered(document: AnnotatedDocument) -> list[tuple[str, str, str]]:
    text = document.document.text
    return [(s.layer, s.label, " … ".join(text[a:b] for a, b in s.fragments))
            for s in document.spans]


# -- INCEpTION's documented examples ------------------------------------------------------


def test_emoji_counts_two_utf16_units(tmp_path):
    path = tsv(tmp_path, ["#T_SP=webanno.custom.Emoji"], """
#Text=I like it 😊 .
1-1\t0-1\tI\t_\t
1-2\t2-6\tlike\t_\t
1-3\t7-9\tit\t_\t
1-4\t10-12\t😊\t*\t
1-5\t13-14\t.\t_\t
""")
    document, notices = read_one(path)
    assert document.document.text == "I like it 😊 ."
    assert covered(document) == [("emoji", "EMOJI", "😊")]
    assert document.spans[0].fragments == ((10, 11),)
    assert notices == []


def test_multi_token_and_stacked_spans(tmp_path):
    path = tsv(tmp_path, [f"#T_SP={POS}|PosValue", f"#T_SP={NE}|value"], """
#Text=Ms. Haag plays Elianti .
1-1\t0-3\tMs.\tNNP\tPER[1]|PERpart[2]\t
1-2\t4-8\tHaag\tNNP\tPER[1]\t
1-3\t9-14\tplays\tVBD\t_\t
1-4\t15-22\tElianti\tNNP\tORG\t
1-5\t23-24\t.\t.\t_\t
""")
    document, notices = read_one(path)
    assert covered(document) == [("entity", "PER", "Ms. Haag"), ("entity", "PERpart", "Ms."),
                                 ("entity", "ORG", "Elianti")]
    (warning,) = notices
    assert isinstance(warning, ReadWarning)
    assert f"layer {POS} (5 annotations) is not read" in str(warning.problem)


def test_relations_with_disambiguation_ids(tmp_path):
    path = tsv(tmp_path, [f"#T_SP={NE}|value",
                          f"#T_RL=webanno.custom.Relation|value|BT_{NE}"], """
#Text=This is a test .
1-1\t0-4\tThis\t*\t_\t_\t
1-2\t5-7\tis\t_\t_\t_\t
1-3\t8-9\ta\t_\t_\t_\t
1-4\t10-14\ttest\t_\t_\t_\t
1-5\t15-16\t.\t*[1]|*[2]\t*\t1-1[0_1]\t
""")
    document, _ = read_one(path)
    spans = {s.uid: s for s in document.spans}
    assert [(s.label, s.fragments) for s in document.spans] == [
        ("OTHER", ((0, 4),)), ("OTHER", ((15, 16),)), ("OTHER", ((15, 16),))]
    (relation,) = document.relations
    assert relation.type == "relation"
    assert spans[relation.source].fragments == ((0, 4),)
    assert spans[relation.target] is document.spans[1]  # [0_1]: the target's id is 1


def test_dependency_relations_on_pos_are_left_out_with_warnings(tmp_path):
    path = tsv(tmp_path, [f"#T_SP={POS}|PosValue",
                          f"#T_RL={DEPENDENCY}|DependencyType|BT_{POS}"], """
#Text=Ms. Haag plays Elianti .
1-1\t0-3\tMs.\tNNP\tSUBJ\t1-3\t
1-2\t4-8\tHaag\tNNP\tSBJ\t1-3\t
1-3\t9-14\tplays\tVBD\tP|ROOT\t1-5|1-3\t
1-4\t15-22\tElianti\tNNP\tOBJ\t1-3\t
1-5\t23-24\t.\t.\t_\t_\t
""")
    document, notices = read_one(path)
    assert (document.spans, document.relations) == ([], [])
    assert {str(n.problem).split(": ", 1)[1].split(" (")[0] for n in notices} == {
        f"layer {DEPENDENCY}", f"layer {POS}"}


def test_chains_become_spans_and_relations(tmp_path):
    chain = "de.tudarmstadt.ukp.dkpro.core.api.coref.type.CoreferenceLink"
    path = tsv(tmp_path, [f"#T_CH={chain}|referenceType|referenceRelation"], """
#Text=He shot himself with his revolver .
1-1\t0-2\tHe\tpr[1]\tcoref->1-1\t
1-2\t3-7\tshot\t_\t_\t
1-3\t8-15\thimself\tpr[1]\tcoref->1-2\t
1-4\t16-20\twith\t_\t_\t
1-5\t21-24\this\tpr[1]\t*->1-3\t
1-6\t25-33\trevolver\t_\t_\t
1-7\t33-34\t.\t_\t_\t
""")
    document, _ = read_one(path)
    assert covered(document) == [("coreference", "pr", "He"), ("coreference", "pr", "himself"),
                                 ("coreference", "pr", "his")]
    words = {s.uid: covered(document)[i][2] for i, s in enumerate(document.spans)}
    assert [(r.type, words[r.source], words[r.target]) for r in document.relations] == [
        ("coref", "He", "himself"), ("coref", "himself", "his")]


def test_slot_features_are_left_out_by_name_and_spans_kept(tmp_path):
    path = tsv(tmp_path, [
        "#T_SP=webanno.custom.Frame|FE|ROLE_webanno.custom.Frame:Roles_webanno.custom."
        "FrameRolesLink|webanno.custom.Lu", "#T_SP=webanno.custom.Lu|luvalue"], """
#Text=Bob auctioned the clock to John .
1-1\t0-3\tBob\t_\t_\t_\tbob\t
1-2\t4-13\tauctioned\ttransaction\tseller;goods;buyer\t1-1;1-3[4];1-6\t_\t
1-3\t14-17\tthe\t_\t_\t_\tclock[4]\t
1-4\t18-23\tclock\t_\t_\t_\tclock[4]\t
1-5\t24-26\tto\t_\t_\t_\t_\t
1-6\t27-31\tJohn\t_\t_\t_\tjohn\t
1-7\t31-32\t.\t_\t_\t_\t_\t
""")
    document, notices = read_one(path)
    assert covered(document) == [("lu", "bob", "Bob"), ("frame", "transaction", "auctioned"),
                                 ("lu", "clock", "the clock"), ("lu", "john", "John")]
    (warning,) = notices
    assert "slot feature 'Roles' of webanno.custom.Frame: 3 links left out" \
        in str(warning.problem)


def test_sub_tokens_and_sentence_ids(tmp_path):
    path = tsv(tmp_path, ["#T_SP=webanno.custom.Morph|label"], """
#Sentence.id=s1
#Text=He plays .
1-1\t0-2\tHe\t_\t
1-2\t3-8\tplays\t_\t
1-2.1\t3-7\tplay\tSTEM\t
1-2.2\t7-8\ts\tSUFFIX\t
1-3\t9-10\t.\t_\t
""")
    document, _ = read_one(path)
    assert covered(document) == [("morph", "STEM", "play"), ("morph", "SUFFIX", "s")]


def test_sentences_over_several_lines_and_between_sentences(tmp_path):
    path = tsv(tmp_path, ["#T_SP=webanno.custom.Span|label"], """
#Text=Bell , based in
#Text=Los Angeles .
1-1\t0-4\tBell\t_\t
1-2\t5-6\t,\t_\t
1-3\t7-12\tbased\t_\t
1-4\t13-15\tin\t_\t
1-5\t16-19\tLos\tCITY[1]\t
1-6\t20-27\tAngeles\tCITY[1]\t
1-7\t28-29\t.\t_\t

#Text=It grew \\\\ fast\\tthen .
2-1\t32-34\tIt\tWHOLE[2]\t
2-2\t35-39\tgrew\tWHOLE[2]\t
2-3\t40-41\t\\\tWHOLE[2]\t
2-4\t42-46\tfast\tWHOLE[2]\t
2-5\t47-51\tthen\tWHOLE[2]\t
2-6\t52-53\t.\t_\t
""")
    document, _ = read_one(path)
    # the line feed ends a #Text line; the gap before sentence 2 is filled with spaces
    assert document.document.text == "Bell , based in\nLos Angeles .\n  It grew \\ fast\tthen ."
    assert covered(document) == [("span", "CITY", "Los Angeles"),
                                 ("span", "WHOLE", "It grew \\ fast\tthen")]


def test_cross_sentence_span_and_escaped_values(tmp_path):
    raw = "a|b_c [x] -> y; z* \\ end\ttab"
    path = tsv(tmp_path, ["#T_SP=webanno.custom.Quote|label|note"], f"""
#Text=One .
1-1\t0-3\tOne\tQ[1]\t{escape_value(raw)}[1]\t
1-2\t4-5\t.\tQ[1]\t{escape_value(raw)}[1]\t

#Text=Two .
2-1\t6-9\tTwo\tQ[1]\t{escape_value(raw)}[1]\t
2-2\t10-11\t.\t\\*\t*\t
""")
    document, _ = read_one(path)
    assert covered(document) == [("quote", "Q", "One .\nTwo"), ("quote", "*", ".")]
    assert document.spans[0].attributes == {"note": raw}
    assert document.spans[1].attributes == {}  # `*` alone is a null value


def test_zero_length_annotation_is_refused_by_name(tmp_path, project):
    path = tsv(tmp_path, [f"#T_SP={NE}|value"], """
#Text=Go home .
1-1\t0-2\tGo\tPER\t
1-2\t3-7\thome\t_\t
1-2.1\t7-7\t\tGAP\t
1-3\t8-9\t.\t_\t
""")
    with pytest.raises(InputError, match=f"{NE} 'GAP' at line 8: a zero-length annotation "
                                          r"\(at offset 7\) cannot be kept"):
        import_paths(project, [path], options=ADD)
    assert project.documents.count() == 0
    report = import_paths(project, [path], options=ReadOptions(add_labels=True, skip_bad=True))
    assert (report.spans_added, len(report.skipped_annotations)) == (1, 1)


def test_offset_inside_a_surrogate_pair_is_refused(tmp_path):
    path = tsv(tmp_path, ["#T_SP=webanno.custom.X|label"], """
#Text=😊 ok
1-1\t0-1\t?\tHALF\t
1-2\t3-5\tok\t_\t
""")
    items = list(read(path, ADD))
    skipped = [i for i in items if isinstance(i, SkippedAnnotation)]
    assert len(skipped) == 1 and "split a character" in str(skipped[0].problem)


@pytest.mark.parametrize(("body", "line", "message"), [
    ("1-1\t0-3\tOne\t_\t\n", 5, "expected a sentence"),
    ("#Text=One\n1-1\t0-9\tOne\t_\t\n", 6, "outside the sentence"),
    ("#Text=One\n1-1\tx-3\tOne\t_\t\n", 6, "bad token id or offsets"),
    ("#Text=One\n1-1\t0-3\tOne\n", 6, "expected 1 annotation columns"),
    ("#Text=One\n1-1\t0-3\tOne\tA|B[1]\tjunk\t\n", 6, "expected 1 annotation columns"),
    ("#Text=One two\n1-1\t0-3\tOne\t_\t\n1-1\t4-7\ttwo\t_\t\n", 7, "used twice"),
    ("#Text=One two\n1-1\t0-3\tOne\t_\t\n\n#Text=x\n2-1\t2-3\tx\t_\t\n", 9,
     "inside the text of the one before"),
    ("#Text=One\n", 5, "has no tokens"),
])
def test_broken_files_name_their_line(tmp_path, body, line, message):
    path = tsv(tmp_path, ["#T_SP=webanno.custom.X|label"], body)
    (error,) = list(read(path, ADD))
    assert isinstance(error, InputError) and message in str(error) and error.line == line


def test_bad_first_line_and_detection(tmp_path):
    path = tmp_path / "a.tsv"
    path.write_text("#FORMAT=WebAnno TSV 2\n", "utf-8")
    assert detect_format(path).name == "webanno-tsv"
    (error,) = list(read(path, ADD))
    assert "expected '#FORMAT=WebAnno TSV 3.3'" in str(error) and error.line == 1
    plain = tmp_path / "b.tsv"
    plain.write_text("text\ttitle\nHello\tT\n", "utf-8")
    assert detect_format(plain).name == "csv"


def test_relation_to_a_missing_annotation_is_skipped_by_name(tmp_path):
    path = tsv(tmp_path, ["#T_SP=webanno.custom.X|label",
                          "#T_RL=webanno.custom.Relation|type|BT_webanno.custom.X"], """
#Text=a b
1-1\t0-1\ta\tA\t_\t_\t
1-2\t2-3\tb\tB\tlink\t1-1[9_0]\t
""")
    items = list(read(path, ADD))
    (skipped,) = [i for i in items if isinstance(i, SkippedAnnotation)]
    assert "relation 'link' (webanno.custom.Relation) at line 8 points to no" \
        in str(skipped.problem)


# -- our export -------------------------------------------------------------------------

TEXT = ("Alice said “we agreed,” she added, “to act 😊.”\nBob  left. \n\n Paris, 2024.\n"
        "Tabs\there | and_a*star\r\nend")


def annotated(path: Path) -> Project:
    project = Project.create(path)
    project.add_label("extra", "Odd|Label_*")
    with project.transaction():
        project.documents.insert_many([NewDocument(TEXT, "A title", "doc-1", "Wire",
                                                   "https://example.org", "2024-01-02",
                                                   {"section": "city", "n": [1, 2]}),
                                       NewDocument("Second one.", "Two", "doc-2")])
    doc = project.documents.ids()[0]
    alice = project.annotator("alice")

    def at(needle: str, length: int | None = None) -> tuple[int, int]:
        start = TEXT.index(needle)
        return start, start + (len(needle) if length is None else length)

    person = project.add_span(doc, alice.id, "PERSON", [at("Alice")])
    quote = project.add_span(doc, alice.id, "DIRECT", [at("“we agreed,”"), at("“to act 😊.”")],
                             attributes={"source_type": "named"})
    cue = project.add_span(doc, alice.id, "CUE", [at("said")])
    project.add_span(doc, alice.id, "PERSON", [at("Bob")])
    project.add_span(doc, alice.id, "ORG", [at("Bob")])  # stacked on the same token
    claim_start = TEXT.index("  left") + 1  # starts in whitespace, ends inside "2024"
    project.add_span(doc, alice.id, "CLAIM", [(claim_start, TEXT.index("2024") + 2)],
                     attributes={"check_worthy": "yes", "type": "a|b_c*\\d;e->f"})
    project.add_span(doc, alice.id, "Odd|Label_*", [(TEXT.index("Tabs"),
                                                     TEXT.index("and_") + 3)])
    project.add_span(doc, alice.id, "GPE", [at("Paris")])
    project.add_relation("source", quote.id, person.id)
    project.add_relation("cue", quote.id, cue.id)
    return project


def spans_and_relations(project: Project) -> tuple[set, set]:
    spans, relations = set(), set()
    for doc in project.documents.ids():
        by_id = {}
        for s in project.spans.for_document(doc):
            by_id[s.id] = (s.uid, s.layer, s.label, s.fragments, s.text,
                           json.dumps(s.attributes, sort_keys=True))
            spans.add(by_id[s.id])
        relations |= {(r.uid, r.type, by_id[r.source_id], by_id[r.target_id])
                      for r in project.relations.for_document(doc)}
    return spans, relations


def test_round_trip_keeps_everything_tsv_can_hold(tmp_path):
    original = annotated(tmp_path / "a.annotator")
    warnings: list[str] = []
    get_format("webanno-tsv").module.write(original, tmp_path / "out", warnings=warnings)
    assert warnings == ["1 discontinuous spans written as one annotation per part (relations "
                        "attach to the first part; our manifest joins them again on import)"]
    with Project.create(tmp_path / "b.annotator") as copy:
        report = import_paths(copy, [tmp_path / "out"], options=ADD)
        assert (report.documents_added, report.warnings, report.skipped_annotations) == (
            2, [], [])
        for left, right in zip(original.documents.iter_all(), copy.documents.iter_all(),
                               strict=True):
            assert (left.uid, left.title, left.text, left.source, left.url, left.published,
                    left.metadata) == (right.uid, right.title, right.text, right.source,
                                       right.url, right.published, right.metadata)
        assert spans_and_relations(copy) == spans_and_relations(original)
        assert import_paths(copy, [tmp_path / "out"]).spans_added == 0
    original.close()


def test_export_is_shaped_as_inception_writes_it(tmp_path):
    with annotated(tmp_path / "a.annotator") as project:
        get_format("webanno-tsv").module.write(project, tmp_path / "out")
    lines = (tmp_path / "out" / "01.tsv").read_text("utf-8").split("\n")
    assert lines[:6] == [
        "#FORMAT=WebAnno TSV 3.3", f"#T_SP={NE}|value",
        "#T_SP=webanno.custom.Quote|label|source_type",
        "#T_SP=webanno.custom.Claim|label|check_worthy|type2",
        "#T_SP=webanno.custom.Extra|label",
        "#T_RL=webanno.custom.Relation|type|BT_webanno.custom.Quote"]
    assert lines[6:9] == ["", "", "#Text=Alice said “we agreed,” she added, “to act 😊.”"]
    tokens = [line for line in lines if line[:1].isdigit()]
    assert all(line.endswith("\t") for line in tokens)
    emoji = next(line for line in tokens if "\t😊\t" in line)
    assert emoji.split("\t")[1] == "43-45"  # UTF-16 units
    bob = next(line for line in tokens if "\tBob\t" in line)
    assert bob.split("\t")[3] == "ORG[4]|PERSON[5]"  # stacked, each with its id
    alice = next(line for line in tokens if "\tAlice\t" in line).split("\t")
    assert alice[-3:-1] == ["source", "1-3[2_1]"]  # the quote (id 2) -> Alice (id 1)
    assert "a\\|b\\_c\\*\\\\d\\;e\\->f[" in "\n".join(lines)
    assert "#Text=Tabs\\there | and_a*star\\r" in lines
    assert "\tOdd\\|Label\\_\\*[" in "\n".join(lines)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    assert manifest["types"]["webanno.custom.Extra"]["layer"] == "extra"


def test_several_annotators_get_a_folder_each(tmp_path):
    with annotated(tmp_path / "a.annotator") as project:
        bob = project.annotator("bob")
        project.add_span(project.documents.ids()[1], bob.id, "ORG", [(0, 6)])
        get_format("webanno-tsv").module.write(project, tmp_path / "out")
        with Project.create(tmp_path / "b.annotator") as copy:
            import_paths(copy, [tmp_path / "out"], options=ADD)
            assert [a.name for a in copy.annotators.all()] == ["alice", "bob"]
            assert spans_and_relations(copy) == spans_and_relations(project)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["alice", "bob"]


def test_cli_style_export_through_the_export_pipeline(tmp_path, demo_project):
    from news_annotator.exporting import ExportRequest, export_project

    result = export_project(ExportRequest(demo_project.path, tmp_path / "tsv", "webanno-tsv"))
    assert result.documents == demo_project.documents.count()
    assert sorted(p.suffix for p in (tmp_path / "tsv").iterdir())[-1] == ".tsv"


texts = st.lists(st.one_of(st.sampled_from(["a", "é", "😊", " ", "\n", "\t", "|", "_", "\\",
                                            ".", "Word", "\r", "\x07", "👨\u200d👩"]),
                           st.characters(codec="utf-8")), min_size=1, max_size=30).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, data=st.data())
def test_round_trip_of_random_texts_and_spans(text, data):
    cuts = data.draw(st.lists(st.tuples(st.integers(0, len(text) - 1),
                                        st.integers(1, len(text))), max_size=5))
    spans = sorted({(a, b) for a, b in cuts if a < b})
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        with Project.create(tmp / "a.annotator") as project:
            with project.transaction():
                project.documents.insert_many([NewDocument(text, "t", "d")])
            doc = project.documents.ids()[0]
            who = project.annotator("ann")
            project.add_relation_type("link")
            made = [project.add_span(doc, who.id, data.draw(st.sampled_from(
                ["PERSON", "ORG", "DIRECT", "CLAIM"])), [span]) for span in spans]
            if len(made) >= 2:
                project.add_relation("link", made[-1].id, made[0].id)
            get_format("webanno-tsv").module.write(project, tmp / "out")
            for manifest in (True, False):
                if not manifest:
                    (tmp / "out" / "manifest.json").unlink()
                with Project.create(tmp / f"copy-{manifest}.annotator") as copy:
                    import_paths(copy, [tmp / "out" / "01.tsv"], options=ADD)
                    stored = copy.documents.get(copy.documents.ids()[0])
                    assert stored.text == text
                    got = sorted((s.label, s.fragments) for s in copy.spans.for_document(
                        stored.id))
                    assert got == sorted((s.label, s.fragments) for s in made)
                    assert len(copy.relations.for_document(stored.id)) == (len(made) >= 2)


@given(st.text())
def test_value_escaping_round_trips(value):
    assert unescape_value(escape_value(value)) == value
