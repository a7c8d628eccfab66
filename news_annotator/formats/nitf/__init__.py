"""NITF 3.x news items (AP, EFE, NTB, the New York Times Annotated Corpus), read only.

Recognised by the root element `<nitf>`, in no namespace or IPTC's
(`http://iptc.org/std/NITF/2006-10-18/`), whatever the file is called. One item, one
document:
- title: the `<hl1>` headline(s) of `<body.head>`, else the `<head>`'s `<title>`;
- text: the bylines and datelines of `<body.head>` where the item puts them, then every
  paragraph of `<body.content>` (and taglines of `<body.end>`), markup removed, one
  blank line between paragraphs (see `common.news_markup`); a New York Times
  `lead_paragraph` block that repeats the `full_text` is left out;
- uid: `<doc-id id-string>`, so importing the item again adds nothing; published:
  `<date.issue norm>` (else `<pubdata date.publication>`, `<date.release>`), written as
  extended ISO 8601; source: `<pubdata name>`, else the copyright holder; url:
  `<pubdata ex-ref>` when it is a web address;
- metadata: format (`NITF 3.3`), byline, dateline, subheadline, abstract, language,
  subjects (`tobject.subject` codes and names, NYT classifiers), keywords, people,
  organisations and places of `<identified-content>`, urgency, copyright holder,
  section, release date and the `<meta>` name/content pairs.
The declared encoding is honoured; a DOCTYPE naming the NITF DTD is read without loading
it, so XHTML named entities (`&nbsp;`, `&eacute;`) are given their characters by name
(`common.news_markup`); other names are kept as written, with a warning.
"""

from news_annotator.formats.nitf.reader import read, sniff

__all__ = ["read", "sniff"]
