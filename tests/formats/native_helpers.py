"""Shared by the lossless-format tests: random projects, exports, and the two oracles
(xmlschema for our XSD, jsonschema for our JSON Schema)."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import xmlschema
from hypothesis import strategies as st

from news_annotator.formats import get_format
from news_annotator.model import NewDocument, Status
from news_annotator.project import Project
from tests.conftest import ROOT

FORMATS = ("json", "jsonl", "xml")
SUFFIX = {"json": ".json", "jsonl": ".jsonl", "xml": ".xml"}
# Characters that have broken exporters before: XML-illegal controls, CR, NUL, the two
# non-characters, astral letters, ZWJ emoji sequences, combining marks, RTL text.
SPECIAL = ("\x00", "\x01", "\x07", "\x1f", "\x7f", "\x85", "\r", "\r\n", "\t", "\ufffe",
           "\uffff", "\U0001d518", "😀", "👨\u200d👩\u200d👧", "🇵🇱", "e\u0301", "\u05e9\u05dc",
           "]]>", "&amp;", "<x/>", "\u2028", '"', "\\")
EXTRA_LABELS = ("SPEAKER\x07", "Zitat😀", "e\u0301x", "A<&>\"'")

texts = st.lists(st.one_of(st.characters(codec="utf-8"), st.sampled_from(SPECIAL)),
                 max_size=40).map("".join)
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**53, 2**53),
                         st.floats(allow_nan=False, allow_infinity=False), texts)
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(texts, inner, max_size=3)), max_leaves=6)
names = texts.map(str.strip).filter(bool)


@dataclass
class SpanPlan:
    annotator: int
    label: str
    fragments: list[tuple[int, int]]
    attributes: dict[str, Any] | None
    note: str


@dataclass
class DocumentPlan:
    uid: str
    text: str
    title: str
    source: str
    url: str
    published: str
    metadata: dict[str, Any]
    spans: list[SpanPlan] = field(default_factory=list)
    relations: list[tuple[int, int]] = field(default_factory=list)
    statuses: dict[int, Status] = field(default_factory=dict)


@dataclass
class ProjectPlan:
    annotators: list[str]
    extra_labels: list[str]
    documents: list[DocumentPlan]


@st.composite
def fragments_in(draw: st.DrawFn, length: int) -> list[tuple[int, int]]:
    parts = draw(st.integers(1, min(3, length // 2)))
    cuts = sorted(draw(st.sets(st.integers(0, length), min_size=2 * parts, max_size=2 * parts)))
    return list(zip(cuts[::2], cuts[1::2], strict=True))


@st.composite
def project_plans(draw: st.DrawFn) -> ProjectPlan:
    annotators = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    extra = draw(st.lists(st.sampled_from(EXTRA_LABELS), unique=True, max_size=2))
    labels = ["PERSON", "ORG", "DIRECT", "CUE", "CLAIM", *extra]
    documents = []
    for index in range(draw(st.integers(1, 3))):
        text = draw(texts)
        doc = DocumentPlan(f"doc-{index}" + draw(st.sampled_from(("", "\x01", "😀", " é"))),
                           text, draw(texts), draw(texts), draw(texts), draw(texts),
                           draw(st.dictionaries(texts, json_values, max_size=3)))
        if len(text) >= 2:
            for _ in range(draw(st.integers(0, 5))):
                doc.spans.append(SpanPlan(
                    draw(st.integers(0, len(annotators) - 1)), draw(st.sampled_from(labels)),
                    draw(fragments_in(len(text))),
                    draw(st.none() | st.dictionaries(texts, json_values, max_size=3)),
                    draw(texts)))
        pairs = [(a, b) for a, sa in enumerate(doc.spans) for b, sb in enumerate(doc.spans)
                 if a != b and sa.annotator == sb.annotator]
        if pairs:
            doc.relations = draw(st.lists(st.sampled_from(pairs), max_size=3, unique=True))
        doc.statuses = draw(st.dictionaries(st.integers(0, len(annotators) - 1),
                                            st.sampled_from(list(Status)), max_size=2))
        documents.append(doc)
    return ProjectPlan(annotators, extra, documents)


def build(plan: ProjectPlan, path: Path) -> Project:
    """A project holding the plan, made through the same API the app edits with."""
    project = Project.create(path)
    for label in plan.extra_labels:
        project.add_label("extra", label)
    project.add_relation_type("link")
    people = [project.annotator(name).id for name in plan.annotators]
    with project.transaction():
        project.documents.insert_many(NewDocument(
            d.text, d.title, d.uid, d.source, d.url, d.published, d.metadata)
            for d in plan.documents)
    for doc, document_id in zip(plan.documents, project.documents.ids(), strict=True):
        spans = [project.add_span(document_id, people[s.annotator], s.label, s.fragments,
                                  attributes=s.attributes, note=s.note) for s in doc.spans]
        for source, target in doc.relations:
            project.add_relation("link", spans[source].id, spans[target].id,
                                 attributes={"weight": source, "why": doc.text[:3]})
        for who, status in doc.statuses.items():
            project.set_status(document_id, people[who], status)
    return project


def export(project: Project, fmt: str, path: Path) -> bytes:
    """Export and return the bytes with the export's own timestamps blanked."""
    get_format(fmt).module.write(project, path)
    return normalized(path.read_bytes())


def normalized(data: bytes) -> bytes:
    data = re.sub(rb'"project": \{[^}]*\}', b'"project": {}', data, count=1)
    return re.sub(rb' exported-at="[^"]*"', b"", data, count=1)


def snapshot(project: Project) -> list:
    """Every row an import could touch, plus the schema: equal means nothing changed."""
    tables = ("documents", "spans", "relations", "annotators", "document_status", "labels",
              "layers", "relation_types")
    rows = [project.db.query(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables]
    return [*rows, project.schema]


@functools.cache
def xml_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(ROOT / "resources" / "xml" / "news-annotator.xsd"))


@functools.cache
def json_validators() -> dict[str, jsonschema.Draft202012Validator]:
    schema = json.loads((ROOT / "resources" / "json" / "project.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    part = {name: jsonschema.Draft202012Validator({"$defs": schema["$defs"],
                                                   "$ref": f"#/$defs/{name}"})
            for name in ("header", "document")}
    return {"project": jsonschema.Draft202012Validator(schema), **part}


def validate(fmt: str, path: Path) -> None:
    """Check an export against our published schema for its format (raises if invalid)."""
    if fmt == "xml":
        xml_schema().validate(str(path))
    elif fmt == "json":
        json_validators()["project"].validate(json.loads(path.read_bytes()))
    else:
        lines = path.read_bytes().decode("utf-8").split("\n")
        assert lines[-1] == ""
        json_validators()["header"].validate(json.loads(lines[0]))
        for line in lines[1:-1]:
            json_validators()["document"].validate(json.loads(line))
