"""ninjs, IPTC's JSON for news items (1.x: `headline`, `body_html`; 2.x: `headlines`,
`bodies`), read only.

Recognised by content: a .json file whose first object has a `uri` and a headline, a
body or a version date (our own JSON, Label Studio's and doccano's never do). A file
may hold one item, a list of items, or items one after another. Each item with a body
becomes a document:
- title: `headline` (1.x), the `main` headline of `headlines` (2.x);
- text: `body_html` (else `body_text`) in 1.x, the `main` body of `bodies` in 2.x (HTML
  by its contenttype, else plain text), as paragraphs with one blank line between them
  (`common.news_markup`); a byline or dateline the body holds stays where it is;
- uid: the item's `uri`, so importing it again adds nothing; published:
  `versioncreated` (else `firstcreated`, `contentcreated`); source: the first
  `infosources` name, else `copyrightholder`;
- metadata: format (`ninjs 1.3`), type, version, first/version/content created,
  embargoed, pub status, urgency, byline (`byline`/`by`), located, language, slugline,
  description, copyright holder, subjects (code, else uri, and name), genres, keywords,
  people, organisations, places.
An item without a body is skipped: with a note when its type is not text (a picture),
else as an error naming it (skipped with --skip-bad).
"""

from news_annotator.formats.ninjs.reader import read, sniff

__all__ = ["read", "sniff"]
