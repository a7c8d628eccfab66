"""Two annotators' spans on demo documents, with every kind of difference, for the
review tests and the review screenshots."""

from __future__ import annotations

import re

from news_annotator.project import Project

# (label, text, occurrence) per annotator on the glacier article (document 3 of the demo).
GLACIER = "glacier lost nearly a tenth"
ALICE = [
    ("GPE", "ZURICH", 0),                                        # agreed
    ("PERSON", "Lukas Frei", 0),                                 # only alice
    ("GPE", "Graubünden", 0),                                    # agreed
    ("ORG", "Institute for Alpine Cryosphere Research", 0),      # label differs
    ("PERSON", "Dr. Anna-Lena Hürlimann", 0),                    # boundaries differ
    ("DIRECT", "“We expected losses, but not at this speed,”", 0),  # agreed
    ("CUE", "said", 0),                                          # agreed
    ("PERSON", "Søren Ødegård", 0),                              # agreed
    ("ORG", "University of Bergen", 0),                          # agreed
]
BOB = [
    ("GPE", "ZURICH", 0),
    ("GPE", "Graubünden", 0),
    ("LOC", "Institute for Alpine Cryosphere Research", 0),
    ("PERSON", "Anna-Lena Hürlimann", 0),
    ("DIRECT", "“We expected losses, but not at this speed,”", 0),
    ("CUE", "said", 0),
    ("PERSON", "Søren Ødegård", 0),
    ("ORG", "University of Bergen", 0),
    ("LOC", "Alps", 0),                                          # only bob
]


def find_document(project: Project, needle: str) -> int:
    for document_id in project.documents.ids():
        document = project.documents.get(document_id)
        if document is not None and needle in document.text:
            return document_id
    raise LookupError(needle)


def add_by_text(project: Project, document_id: int, annotator_id: int, label: str,
                needle: str, occurrence: int = 0):
    text = project.documents.get(document_id).text
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return project.add_span(document_id, annotator_id, label, [(start, start + len(needle))])


def seed_glacier(project: Project) -> tuple[int, int, int]:
    """Alice's and Bob's spans on the glacier article; returns (document, alice, bob)."""
    document_id = find_document(project, GLACIER)
    alice, bob = project.annotator("alice").id, project.annotator("bob").id
    for who, rows in ((alice, ALICE), (bob, BOB)):
        for label, needle, occurrence in rows:
            add_by_text(project, document_id, who, label, needle, occurrence)
    return document_id, alice, bob


NAME = re.compile(r"\b[A-ZÀ-Þ][\w’'-]+(?: (?:of |for |de )?[A-ZÀ-Þ][\w’'-]+)+")
QUOTE = re.compile(r"“[^”]{12,}”")


def seed_corpus(project: Project, documents: int = 12) -> None:
    """Deterministic, imperfect agreement on the first documents (for the agreement
    window): alice and bob mark names and quotes, bob skips, shifts and relabels some."""
    alice, bob = project.annotator("alice").id, project.annotator("bob").id
    labels = ("PERSON", "ORG", "GPE", "PERSON", "NORP", "ORG", "EVENT")
    for n, document_id in enumerate(project.documents.ids()[:documents]):
        text = project.documents.get(document_id).text
        if GLACIER in text:
            continue  # seed_glacier's own
        found = [(m.start(), m.end(), labels[(m.start() + n) % len(labels)])
                 for m in NAME.finditer(text)][:14]
        found += [(m.start(), m.end(), "DIRECT") for m in QUOTE.finditer(text)][:4]
        for k, (start, end, label) in enumerate(found):
            project.add_span(document_id, alice, label, [(start, end)])
            roll = (k * 7 + n * 3) % 11
            if roll == 0 and n % 3:
                continue  # bob missed it
            if roll == 1:
                label = "MIXED" if label == "DIRECT" else "OTHER"
            if roll == 2 and end - start > 6:
                end -= text[start:end][::-1].index(" ") + 1 if " " in text[start:end] else 0
            project.add_span(document_id, bob, label, [(start, end)])
