"""brat standoff: each document is a .txt with a .ann of the same name beside it (or, as
PolNeAR lays it out, `text/NAME.txt` with `attributions/NAME_ANNOTATOR.ann`, the annotator
taken from the name).

Reading keeps every line type brat writes (the lines are parsed in ann.py):
- T text-bound spans, discontinuous ones (`T1 Label 0 5;10 15`) as fragments. The offsets
  are the truth: a text field that differs only in whitespace, stops at a line break inside
  the span (or runs on over the next lines of the file) or joins the fragments otherwise is
  read with a warning; one that says something else is a mismatch that names where the two
  texts part.
- R relations (Arg1 → Arg2) and `*` equivalences (a chain of relations of that type).
- E events. PolNeAR-style attributions (`E1 Attribution:T4 Content:T3 Cue:T2 Source:T1`,
  also `Attribution-no-source`) become our quote frame: the content a DIRECT, INDIRECT or
  MIXED span (from the T's label when it is one of those, else from a `QuoteType`/`Type`
  attribute, else guessed from its quotation marks), the cue a CUE span, a PolNeAR
  `Source` span an OTHER entity, and `source`/`cue` relations from the quote; the trigger
  T is not kept (export rebuilds it on the cue). Any other event becomes its trigger span
  plus one relation per argument, named by the role (`Org-Arg2`), so unknown event types
  need --add-labels like any unknown label.
- A/M attributes onto span (or relation) attributes, binary ones as `true`; N
  normalizations into the span attribute `brat_normalizations`; # notes onto the span
  note (one line per # line; a relation's note goes to its attribute `note`).
brat labels are used as they are; the schema says which layer a label belongs to.
A line that cannot be used (bad offsets, a mismatched text field, a dangling reference)
is left out with what needs it, as a SkippedAnnotation before the document: the import
stops on it, or with --skip-bad keeps the document without it.

brat cannot carry document metadata: our export writes it to a `manifest.json` beside the
files (brat ignores it; this reader uses it). What brat cannot carry at all: values of
attributes that are lists or objects, `false` attributes (absent in brat), whitespace
inside attribute values and labels (written as `_`), span text snapshots, timestamps.
"""

from news_annotator.formats.brat.ann import NORMALIZATIONS
from news_annotator.formats.brat.reader import read, read_folder, text_for
from news_annotator.formats.brat.writer import write

__all__ = ["NORMALIZATIONS", "read", "read_folder", "text_for", "write"]
