"""doccano JSONL: sequence labeling and relation extraction, one document a line.

Reading accepts both of doccano's span shapes, in any of the fields doccano uses:
`label`/`labels`/`column_label` as `[[start, end, "LABEL"], …]` (sequence labeling) and
`entities` as objects with `id`, `start_offset`, `end_offset`, `label` (relation
extraction), with `relations` (`from_id`, `to_id`, `type`). The text is in `text` (or
`data`/`column_data`, or the field `--field text=…` names). String labels (text
classification) go to the document metadata under `labels`. A file that is one
pretty-printed JSON object (or a list, or several objects in a row) is read too, as
doccano's relation export sometimes is. Offsets are code points, as doccano stores them.

Writing gives the relation-extraction form, one line per document and annotator, with our
`uid` (and title, url, source, published, metadata, annotator) as extra columns, which
doccano keeps as metadata and which our reader uses to dedupe on re-import.

What doccano cannot carry: span attributes and notes, relation attributes, layers (the
schema tells them apart again by label), and discontinuous spans (each fragment becomes
an entity of its own; relations attach to the first fragment).
"""

from news_annotator.formats.doccano.reader import read, sniff
from news_annotator.formats.doccano.writer import write

__all__ = ["read", "sniff", "write"]
