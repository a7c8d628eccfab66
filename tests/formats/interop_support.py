"""A project rich enough to round-trip (quotes as frames, discontinuous spans, attributes,
notes, two annotators, non-BMP text) and a comparable snapshot of what a project holds."""

from __future__ import annotations

import json
from pathlib import Path

from news_annotator.errors import InputError
from news_annotator.formats.common.interop import ReadWarning, SkippedAnnotation
from news_annotator.formats.common.records import AnnotatedDocument, ReadOptions
from news_annotator.model import NewDocument
from news_annotator.project import Project

NEWS = ("Israeli Prime Minister Benjamin Netanyahu 🇮🇱 has said that Israel and Russia will "
        "cooperate.\n“We agreed to establish a joint team,” the prime minister added, “and to "
        "act.”\nThe ministry said unemployment fell to 4.2% in 2023.\n")
OTHER = "Zoë Ørsted 𝔘𝔫𝔦 of the Øresund Institute spoke.\n"
PLAIN = "An article nobody has annotated yet.\n"


def at(text: str, piece: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return start, start + len(piece)


def build(project: Project) -> None:
    """Fill an empty news-schema project with the round-trip corpus."""
    with project.transaction():
        project.documents.insert_many([
            NewDocument(text=NEWS, uid="news-1", title="Netanyahu: Israel, Russia to cooperate",
                        url="https://example.org/1", source="Example Times",
                        published="2024-05-01", metadata={"section": "world"}),
            NewDocument(text=OTHER, uid="news-2", title="Øresund", metadata={"n": 2}),
            NewDocument(text=PLAIN, uid="news-3", title="Plain")])
    news, other, _ = project.documents.ids()
    alice, bob = project.annotator("alice").id, project.annotator("bob").id
    add = project.add_span
    person = add(news, alice, "PERSON", [at(NEWS, "Benjamin Netanyahu")])
    add(news, alice, "GPE", [at(NEWS, "Israel", 1)], attributes={})
    add(news, alice, "GPE", [at(NEWS, "Russia")], attributes={})
    quote = add(news, alice, "DIRECT", [at(NEWS, "“We agreed to establish a joint team,”"),
                                        at(NEWS, "“and to act.”")],
                attributes={"source_type": "named"}, note="speaker?\nsecond line")
    added = add(news, alice, "CUE", [at(NEWS, "added")])
    indirect = add(news, alice, "INDIRECT", [at(NEWS, "Israel and Russia will cooperate")],
                   attributes={"source_type": "named"})
    said = add(news, alice, "CUE", [at(NEWS, "said")])
    ministry = add(news, alice, "ORG", [at(NEWS, "The ministry")], note="which one?")
    claim = add(news, alice, "CLAIM", [at(NEWS, "unemployment fell to 4.2% in 2023")],
                attributes={"check_worthy": "yes", "type": "statistic"})
    project.add_relation("source", quote.id, person.id)
    project.add_relation("cue", quote.id, added.id)
    project.add_relation("source", indirect.id, person.id)
    project.add_relation("cue", indirect.id, said.id)
    project.add_relation("claimant", claim.id, ministry.id)
    add(other, alice, "PERSON", [at(OTHER, "Zoë Ørsted")])
    add(other, alice, "ORG", [at(OTHER, "Øresund Institute")])
    add(news, bob, "PERSON", [at(NEWS, "Benjamin Netanyahu")])
    add(news, bob, "GPE", [at(NEWS, "Russia")], attributes={})


def snapshot(project: Project) -> dict[str, dict[str, set]]:
    """Per document uid: its fields, spans and relations, free of row ids."""
    names = {a.id: a.name for a in project.annotators.all()}
    result = {}
    for doc in project.documents.iter_all():
        spans = project.spans.for_document(doc.id)
        key = {s.id: (s.label, s.fragments) for s in spans}
        result[doc.uid] = {
            "document": {(doc.title, doc.text, doc.url, doc.source, doc.published,
                          json.dumps(doc.metadata, sort_keys=True))},
            "spans": {(names[s.annotator_id], s.layer, s.label, s.fragments,
                       json.dumps(s.attributes, sort_keys=True), s.note) for s in spans},
            "relations": {(names[r.annotator_id], r.type, key[r.source_id], key[r.target_id])
                          for r in project.relations.for_document(doc.id)},
        }
    return result


def split_fragments(shot: dict[str, dict[str, set]], *, keep_extras: bool) -> dict:
    """What a format without discontinuous spans keeps: a span per fragment, attributes
    and note (when kept at all) on the first, relations from the first."""
    result = {}
    for uid, part in shot.items():
        spans = set()
        for annotator, layer, label, fragments, attributes, note in part["spans"]:
            for index, fragment in enumerate(fragments):
                extras = (attributes, note) if keep_extras and index == 0 else ("{}", "")
                spans.add((annotator, layer, label, (fragment,), *extras))
        relations = {(a, kind, (sl, sf[:1]), (tl, tf[:1]))
                     for a, kind, (sl, sf), (tl, tf) in part["relations"]}
        result[uid] = {"document": part["document"], "spans": spans, "relations": relations}
    return result


def read_all(module, path: Path, options: ReadOptions | None = None) -> list:
    """Everything a reader yields, with a raised InputError as the last item."""
    items = []
    try:
        for item in module.read(path, options or ReadOptions()):
            assert isinstance(item, AnnotatedDocument | InputError | ReadWarning
                              | SkippedAnnotation), type(item)
            items.append(item)
    except InputError as error:
        items.append(error)
    return items


def check_yielded(items: list) -> None:
    """Documents a fuzzed reader yields are ones the import pipeline can store."""
    for item in items:
        if not isinstance(item, AnnotatedDocument):
            continue
        text = item.document.text
        uids = set()
        for span in item.spans:
            assert span.fragments and all(0 <= s < e <= len(text) for s, e in span.fragments)
            assert list(span.fragments) == sorted(span.fragments)
            assert span.label.strip() and span.label == span.label.strip()
            uids.add(span.uid)
        for relation in item.relations:
            assert relation.source in uids and relation.target in uids
            assert relation.type.strip()
