"""WebAnno TSV 3.3, INCEpTION's tab-separated format, read and written
(`--format webanno-tsv`).

Reading (a .tsv file, or a folder of them): the text is rebuilt from the `#Text=` lines
as INCEpTION rebuilds it (the line feed the format adds after the last sentence is not
the document's); offsets in UTF-16 code units are converted exactly to our code points
(an emoji counts two units there, one here). Span layers (multi-token, cross-sentence
and stacked annotations, disambiguation ids, escaped feature values), relation layers
(ends resolved through `BT_` and `[S_T]` ids) and chain layers (links as spans, a
relation from each link to the next) are read; `layers.py` says into which of our
layers. What our model cannot hold is never dropped silently: a zero-length annotation
is left out with its layer and offset named (the import stops on it unless bad records
are skipped); slot features and DKPro's token-level layers (POS, lemmas, dependencies)
are left out with a warning naming them. A file that breaks the format is an error
naming its line.

Writing: a folder with NN.tsv per document (a subfolder per annotator when several are
exported) and a manifest.json (uids, title, metadata, layer and attribute names, split
spans) our reader uses and INCEpTION ignores. A discontinuous span is written as one
annotation per part, relations attached to the first (the manifest joins the parts
again on import); notes, timestamps and statuses are not written.
"""

from news_annotator.formats.webanno_tsv.reader import read, read_folder, sniff
from news_annotator.formats.webanno_tsv.writer import write

__all__ = ["read", "read_folder", "sniff", "write"]
