"""CoNLL-2003 BIO: seqeval as the oracle for both directions, the spaCy sample, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seqeval.metrics.sequence_labeling import get_entities

from news_annotator.errors import InputError
from news_annotator.formats import conll
from news_annotator.formats.common.records import AnnotatedDocument, ReadOptions
from news_annotator.formats.common.tokens import choose_chunks
from news_annotator.importing import import_paths
from news_annotator.model import NewDocument
from news_annotator.project import Project
from tests.conftest import fuzz_examples

TEXT = ("Israeli Prime Minister Benjamin Netanyahu told The New York Times: “We agreed "
        "to act,” he said.\nMr. Putin’s aides in Moscow paid $2,500.50 on 12 May. Done! 😊")


def at(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def make_project(path: Path, texts: list[str]) -> Project:
    project = Project.create(path)
    with project.transaction():
        project.documents.insert_many([NewDocument(text=t, title=f"d{i}", uid=f"u{i}")
                                       for i, t in enumerate(texts)])
    return project


def parse_export(path: Path) -> list[list[list[tuple[str, str]]]]:
    """The written file read by hand: documents of sentences of (token, tag)."""
    documents: list[list[list[tuple[str, str]]]] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("-DOCSTART-"):
            documents.append([[]])
        elif not line:
            if documents[-1][-1]:
                documents[-1].append([])
        else:
            token, tag = line.split("\t")
            documents[-1][-1].append((token, tag))
    return [[s for s in doc if s] for doc in documents]


def locate(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    """Where each written token sits in the original text, found by plain search."""
    found, position = [], 0
    for token in tokens:
        start = text.index(token, position)
        assert not text[position:start].strip(), f"skipped text before {token!r}"
        found.append((start, start + len(token)))
        position = start + len(token)
    assert not text[position:].strip()
    return found


def test_export_tags_give_our_entities_by_seqeval(tmp_path):
    with make_project(tmp_path / "p.annotator", [TEXT]) as project:
        me = project.annotator("me").id
        doc_id = project.documents.ids()[0]
        for label, needle in [("PERSON", "Benjamin Netanyahu"), ("ORG", "The New York Times"),
                              ("GPE", "New York"),  # inside the ORG: dropped
                              ("NORP", "Israeli"), ("PERSON", "Putin"), ("GPE", "Moscow")]:
            project.add_span(doc_id, me, label, [at(TEXT, needle)])
        project.add_span(doc_id, me, "DIRECT", [at(TEXT, "We agreed to act,")])  # not entity
        warnings: list[str] = []
        assert conll.write(project, tmp_path / "out.conll", warnings=warnings) == 1
    assert warnings and warnings[0].startswith("1 overlapping entities dropped")
    [document] = parse_export(tmp_path / "out.conll")
    rows = [row for sentence in document for row in sentence]
    places = iter(locate(TEXT, [token for token, _ in rows]))
    # seqeval reads sentences as one sequence with an "O" between them: mirror that.
    offsets = [place for sentence in document
               for place in [*(next(places) for _ in sentence), None]]
    entities = {(label, TEXT[offsets[first][0]:offsets[last][1]])
                for label, first, last in get_entities([[tag for _, tag in s] for s in document])}
    assert entities == {("PERSON", "Benjamin Netanyahu"), ("ORG", "The New York Times"),
                        ("NORP", "Israeli"), ("PERSON", "Putin"), ("GPE", "Moscow")}
    tokens = [token for token, _ in rows]
    assert "“" in tokens and "”" in tokens and "$" in tokens and "2,500.50" in tokens
    assert "Putin" in tokens and "’s" not in tokens  # cut at the entity edge: "Putin" "’" "s"
    assert len(document) == 3  # "Mr." does not end a sentence; the line break does


def test_round_trip_keeps_entity_labels_and_tokens(tmp_path):
    texts = [TEXT, "Second article about Ángela Müller in Zürich."]
    with make_project(tmp_path / "p.annotator", texts) as project:
        me = project.annotator("me").id
        first, second = project.documents.ids()
        project.add_span(first, me, "PERSON", [at(TEXT, "Benjamin Netanyahu")])
        project.add_span(first, me, "GPE", [at(TEXT, "Moscow")])
        project.add_span(second, me, "PERSON", [at(texts[1], "Ángela Müller")])
        project.add_span(second, me, "GPE", [at(texts[1], "Zürich")])
        conll.write(project, tmp_path / "out.conll")
    with Project.create(tmp_path / "back.annotator") as back:
        report = import_paths(back, [tmp_path / "out.conll"])
        assert (report.documents_added, report.spans_added) == (2, 4)
        found = sorted((s.label, s.text) for d in back.documents.iter_all()
                       for s in back.spans.for_document(d.id))
        assert found == [("GPE", "Moscow"), ("GPE", "Zürich"), ("PERSON", "Benjamin Netanyahu"),
                         ("PERSON", "Ángela Müller")]
        texts_back = [d.text for d in back.documents.iter_all()]
        assert texts_back[1] == "Second article about Ángela Müller in Zürich ."


def test_spacy_sample_gives_its_entities(shared_data):
    path = shared_data / "interop" / "conll" / "spacy_ner-token-per-line.iob"
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line.strip()]
    expected = [(label, " ".join(tok for tok, _ in rows[first:last + 1]))
                for label, first, last in get_entities([tag for _, tag in rows])]
    assert len(expected) == sum(tag.startswith("B-") for _, tag in rows) == 7
    [document] = list(conll.read(path, ReadOptions()))
    text = document.document.text
    found = [(s.label, text[slice(*s.fragments[0])]) for s in document.spans]
    assert found == expected
    assert ("DATE", "earlier this week") in found and ("NORP", "American") in found
    assert "“ I can tell you" in text  # curly quotes are tokens of their own


def read_text(tmp_path: Path, content: str) -> list:
    path = tmp_path / "in.conll"
    path.write_text(content, encoding="utf-8")
    return list(conll.read(path, ReadOptions()))


@pytest.mark.parametrize("tags", [
    ["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-LOC"],   # IOB1
    ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC"],   # IOB2
    ["I-PER", "I-LOC", "B-LOC", "I-PER", "O", "B-X"],     # type changes mid-way
])
def test_iob1_and_iob2_decode_like_seqeval(tmp_path, tags):
    tokens = [f"w{i}" for i in range(len(tags))]
    lines = "".join(f"{t} {g}\n" for t, g in zip(tokens, tags, strict=True))
    [document] = read_text(tmp_path, lines)
    text = document.document.text
    found = [(s.label, text[slice(*s.fragments[0])]) for s in document.spans]
    assert found == [(label, " ".join(tokens[a:b + 1])) for label, a, b in get_entities(tags)]


def test_bioes_tags_decode(tmp_path):
    [document] = read_text(tmp_path, "a S-PER\nb B-ORG\nc E-ORG\nd S-ORG\ne O\n")
    text = document.document.text
    assert [(s.label, text[slice(*s.fragments[0])]) for s in document.spans] == [
        ("PER", "a"), ("ORG", "b c"), ("ORG", "d")]


def test_four_columns_documents_and_sentences(tmp_path):
    content = ("-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\n"
               "German JJ B-NP B-MISC\n\n-DOCSTART- -X- -X- O\n\nPeter NNP B-NP B-PER\n")
    first, second = read_text(tmp_path, content)
    assert first.document.text == "EU rejects\nGerman"
    assert [(s.label, s.fragments) for s in first.spans] == [("ORG", ((0, 2),)),
                                                              ("MISC", ((11, 17),))]
    assert second.document.text == "Peter" and second.where.endswith("(document 2)")


@pytest.mark.parametrize(("content", "line", "reason"), [
    ("a O\nb\n", 2, "expected a token and a tag"),
    ("a O\nb X-PER\n", 2, "expected a tag"),
    ("a O\nb B-\n", 2, "expected a tag"),
])
def test_bad_lines_name_the_line(tmp_path, content, line, reason):
    [error] = read_text(tmp_path, content)
    assert isinstance(error, InputError)
    assert error.line == line and reason in error.reason and error.path.endswith("in.conll")


def test_bad_document_is_skippable_and_otherwise_imports_nothing(tmp_path):
    path = tmp_path / "in.iob"
    path.write_text("-DOCSTART- O\n\nAna B-PER\n\n-DOCSTART- O\n\nBad line here\n"
                    "-DOCSTART- O\n\nOslo B-GPE\n", encoding="utf-8")
    with Project.create(tmp_path / "p.annotator") as project:
        with pytest.raises(InputError) as caught:
            import_paths(project, [path], options=ReadOptions(add_labels=True))
        assert caught.value.line == 7 and caught.value.record == "document 2"
        assert project.documents.count() == 0
        report = import_paths(project, [path], options=ReadOptions(add_labels=True,
                                                                   skip_bad=True))
        assert (report.documents_added, report.spans_added, len(report.skipped)) == (2, 2, 1)


def test_invalid_utf8_is_an_input_error(tmp_path):
    path = tmp_path / "in.conll"
    path.write_bytes(b"a O\n\xff\xfe B-PER\n")
    with pytest.raises(InputError, match="UTF-8"):
        list(conll.read(path, ReadOptions()))


# -- fuzz ----------------------------------------------------------------------------------

TAGS = st.sampled_from(["O", "B-A", "I-A", "B-B", "I-B"])


@settings(max_examples=fuzz_examples(200), deadline=None)
@given(st.lists(st.lists(TAGS, min_size=1, max_size=8), min_size=1, max_size=4))
def test_decode_agrees_with_seqeval(sentences):
    rows = [[(f"t{i}", tag) for i, tag in enumerate(sentence)] for sentence in sentences]
    text, spans = conll.decode(rows)
    flat = []  # seqeval joins sentences with an "O" between them
    for sentence in rows:
        flat.extend([*sentence, ("", "O")])
    pieces = [f"{label}:{' '.join(t for t, _ in flat[a:b + 1])}"
              for label, a, b in get_entities(sentences)]
    assert [f"{label}:{text[a:b]}" for label, a, b in spans] == pieces


@settings(max_examples=fuzz_examples(200), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("ab \t\n-OBIES_X😊\r")) | st.characters(),
               max_size=120))
def test_fuzz_reader_only_input_errors(tmp_path, content):
    path = tmp_path / "fuzz.conll"
    path.write_text(content, encoding="utf-8", errors="surrogatepass")
    try:
        for item in conll.read(path, ReadOptions()):
            assert isinstance(item, (AnnotatedDocument, InputError))
            if isinstance(item, AnnotatedDocument):
                for span in item.spans:
                    start, end = span.fragments[0]
                    assert 0 <= start < end <= len(item.document.text)
    except InputError:
        pass


@settings(max_examples=fuzz_examples(100), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80), st.lists(st.tuples(st.integers(0, 80), st.integers(1, 20)),
                                      max_size=4))
def test_fuzz_export_entities_match_seqeval(tmp_path, text, raw_spans):
    """Whatever the text and entities, the tags seqeval reads are the entities we kept."""
    parts = [("E", a, min(a + n, len(text))) for a, n in raw_spans if a < len(text)]
    parts = [p for p in parts if text[p[1]:p[2]].strip()]
    chunks, _ = choose_chunks(parts)
    rows = conll.tag_text(text, chunks)
    tags = [[tag for _, tag in sentence] for sentence in rows]
    tokens = [token for sentence in rows for token in [*(t for t, _ in sentence), ""]]
    got = [" ".join(tokens[a:b + 1]) for _, a, b in get_entities(tags)]
    want = [" ".join(text[c.start:c.end].split()) for c in chunks]
    assert [g.replace(" ", "") for g in got] == [w.replace(" ", "") for w in want]
