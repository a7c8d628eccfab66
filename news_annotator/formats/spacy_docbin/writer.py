"""Writing a spaCy DocBin: a Doc per document, entities in doc.ents and every layer in
doc.spans; spaCy is imported when the export runs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from news_annotator.errors import InputError
from news_annotator.formats.common.tokens import choose_chunks, tokenize
from news_annotator.project import Project

ENTITY_LAYER = "entity"
Progress = Callable[[int], None]
log = logging.getLogger(__name__)


def _spacy() -> Any:
    try:
        import spacy
        from spacy.tokens import DocBin
    except ImportError:
        raise InputError("spacy", "needs spaCy: pip install spacy") from None
    return spacy, DocBin


def write(project: Project, out: Path, *, annotators: list[str] | None = None,
          document_ids: list[int] | None = None, progress: Progress | None = None,
          warnings: list[str] | None = None) -> int:
    """Write a DocBin; returns the number of documents."""
    spacy, doc_bin_class = _spacy()
    vocab = spacy.blank("xx").vocab
    wanted = None if annotators is None else {
        a.id for a in project.annotators.all() if a.name in annotators}
    doc_bin = doc_bin_class(store_user_data=True)
    dropped = 0
    count = 0
    for document in project.documents.iter_all(document_ids):
        spans = [s for s in project.spans.for_document(document.id)
                 if wanted is None or s.annotator_id in wanted]
        doc, lost = _doc(vocab, document.text, spans)
        doc.user_data["uid"] = document.uid
        doc.user_data["title"] = document.title
        doc_bin.add(doc)
        dropped += lost
        count += 1
        if progress:
            progress(count)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc_bin.to_disk(out)
    if dropped:
        message = (f"{dropped} overlapping entities left out of doc.ents (kept in "
                   f"doc.spans['{ENTITY_LAYER}'])")
        if warnings is None:
            log.warning("%s: %s", out, message)
        else:
            warnings.append(message)
    return count


def _doc(vocab: Any, text: str, spans: list[Any]) -> tuple[Any, int]:
    from spacy.tokens import Doc

    edges = [edge for s in spans for f in s.fragments for edge in f]
    words, spaces = _words(text, tokenize(text, edges))
    doc = Doc(vocab, words=words, spaces=spaces)
    entity_parts = [(s.label, a, b) for s in spans if s.layer == ENTITY_LAYER
                    for a, b in s.fragments]
    chunks, dropped = choose_chunks(entity_parts)
    doc.ents = [e for c in chunks
                if (e := doc.char_span(c.start, c.end, label=c.label,
                                       alignment_mode="expand")) is not None]
    groups: dict[str, list[Any]] = {}
    for span in spans:
        for start, end in span.fragments:
            found = doc.char_span(start, end, label=span.label, alignment_mode="expand")
            if found is not None:
                groups.setdefault(span.layer, []).append(found)
    for layer, members in groups.items():
        doc.spans[layer] = members
    return doc, dropped


def _words(text: str, tokens: list[Any]) -> tuple[list[str], list[bool]]:
    """spaCy words and trailing-space flags that rebuild `text` exactly."""
    words: list[str] = []
    spaces: list[bool] = []
    position = 0
    for token in [*tokens, None]:
        gap_end = token.start if token is not None else len(text)
        gap = text[position:gap_end]
        if gap:
            if words and gap.startswith(" "):
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
        if token is not None:
            words.append(text[token.start:token.end])
            spaces.append(False)
            position = token.end
    return words, spaces
