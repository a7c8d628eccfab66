"""CoNLL-2003 style BIO: a token and its tag a line, the entity layer only.

Layout: ``token<TAB>tag`` a line, a blank line between sentences, a ``-DOCSTART-`` line
(then a blank line) before each document. On import the tag is the last column and the
token the first, so the four-column CoNLL-2003 files read too; columns are split on tabs
when a line has one, else on any whitespace.

Export cuts each document with the tokenizer of `common.tokens` (documented there):
words, numbers with separators, abbreviations, and every other character —
punctuation and curly quotes included — as its own token, with token boundaries forced
at entity edges so every entity maps onto whole tokens. Sentences end at line breaks and
after ``. ! ?`` when a new sentence follows. Only the ``entity`` layer is written; an
entity overlapping an earlier (or, at the same start, longer) one cannot be tagged and
is dropped, counted in the warnings; each part of a discontinuous entity becomes an
entity of its own.

Import rebuilds each document's text from its tokens, joined by single spaces within a
sentence and by line breaks between sentences: span offsets refer to this rebuilt text,
not to any original. Tags may be IOB2 (``B-`` starts every entity), IOB1 (``I-`` after
``O`` or another type starts an entity; ``B-`` only separates two adjacent entities of
one type) or BIOES (``E-``/``S-``); all are decoded by the same rules.
"""

from news_annotator.formats.conll.reader import decode, read
from news_annotator.formats.conll.writer import tag_text, write

__all__ = ["decode", "read", "tag_text", "write"]
