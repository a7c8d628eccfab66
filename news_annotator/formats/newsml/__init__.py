"""IPTC NewsML-G2 items (Reuters, AFP, dpa, ANSA, STT), read only.

Recognised by the root element, `<newsItem>`, `<newsMessage>` or `<packageItem>` (in the
G2 namespace `http://iptc.org/std/nar/2006-10-01/` or none), whatever the file is
called. Every newsItem with inline text becomes a document; a newsMessage's items are
read in order:
- title: the `<contentMeta>` headline (the first without a role, else the main one),
  else the headline of an inline NITF;
- text: the first rendition in `<contentSet>` with text: `<inlineXML>` holding XHTML or
  NITF, or `<inlineData>` (plain text, or HTML by its contenttype), as paragraphs with
  one blank line between them (`common.news_markup`); bylines and datelines the body
  holds stay where they are;
- uid: the item's `guid`, so importing it again adds nothing; published:
  `<versionCreated>`; source: the `<provider>`;
- metadata: format (`NewsML-G2 2.29`), version, item class, first created, version
  created, content created, pub status, byline (`<by>`), dateline, creators, provider,
  language, slugline, description, located, urgency, genres, subjects (qcode and
  name), keywords, copyright holder.
A packageItem (references, no text) and a picture or video item without inline text
are skipped with a note; a text item whose text is not inline (`<remoteContent>`) is an
error naming it (skipped with --skip-bad). Parsing follows `common.news_xml`: the
declared encoding, no DTD, no entities, no network.
"""

from news_annotator.formats.newsml.reader import read, sniff

__all__ = ["read", "sniff"]
