"""Label Studio JSON: a list of tasks (`data.text`) with `annotations[].result[]`.

Reading takes a task list, a single task object, or several objects in a row:
- `labels` results (value start/end/text/labels) become spans, one per label; the offsets
  are the truth and `text` a copy: one that differs only in whitespace is read with a
  warning, one that says something else leaves that region out (with the relations and
  per-region results that need it), naming where the two texts part (offsets counted in
  UTF-16 units, as older Label Studio versions wrote them next to emoji, are converted
  when that makes them match);
- `relation` results (from_id, to_id, labels, direction) become relations, one per label
  (`related` when unlabelled; `left` swaps the ends);
- per-region results (choices, textarea, rating, … whose `id` is a region's id) become
  attributes of that region's spans, named by `from_name`; the region's `meta.text` is the
  span note; the same results without a region go to the document metadata;
- the annotator is `completed_by` (its email, or `labelstudio-user-N` for a bare user id)
  or `created_username`; predictions are read too, as annotator `model:<model_version>`;
  cancelled annotations are skipped.
Region types other than text `labels` (images, HTML) cannot be imported: an error says so.

Writing gives the same shape: a task per document with `data` (text, uid, title, url,
source, published), `meta` (our metadata) and one annotation per annotator, whose
`created_username` names the annotator (Label Studio credits imported annotations to the
importing user). Results use from_name "label", to_name "text": the labeling config needs
`<Text name="text" value="$text"/>`, `<Labels name="label" toName="text">` and
`<Relations>`; see docs/interop.md.

What Label Studio cannot carry: discontinuous spans (one region per fragment, attributes,
note and relations on the first), attribute values other than strings (numbers and
true/false come back as strings; lists and objects are dropped), relation attributes, layers.
"""

from news_annotator.formats.labelstudio.reader import read, sniff
from news_annotator.formats.labelstudio.writer import labeling_config, write

__all__ = ["labeling_config", "read", "sniff", "write"]
