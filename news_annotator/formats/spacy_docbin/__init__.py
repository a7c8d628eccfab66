"""spaCy DocBin export (``.spacy``), for training spaCy pipelines; needs spaCy installed.

Each document becomes a ``Doc`` whose text equals ours exactly: tokens come from the
tokenizer of `common.tokens` (cut at entity edges), with whitespace between
tokens kept as spaCy's trailing spaces or whitespace tokens. The ``entity`` layer goes
to ``doc.ents`` (no overlaps there: the earliest, then longest, entity wins, as in the
CoNLL export); every layer, entities included, also goes to ``doc.spans[layer]`` where
overlaps are allowed. Attributes, notes and relations are not carried. A DocBin is held
in memory until it is saved: that is how spaCy writes it.
"""

from news_annotator.formats.spacy_docbin.writer import write

__all__ = ["write"]
