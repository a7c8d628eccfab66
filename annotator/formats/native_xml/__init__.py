"""Our standoff XML: the whole project, lossless, streamed both ways.

Layout (XSD: resources/xml/news-annotator.xsd; prose: docs/formats.md)::

    <news-annotator version="1" created-with="..." exported-at="...">
      <schema>{the label schema as JSON}</schema>
      <annotators><annotator name="alice"/></annotators>
      <documents>
        <document uid="..." added-at="...">
          <title/> <source/> <url/> <published/> <metadata>{JSON object}</metadata>
          <text xml:space="preserve">verbatim article text</text>
          <spans>
            <span uid annotator layer label start end created-at updated-at>
              <fragment start end/>...   (only for discontinuous spans)
              <text>covered text</text>
              <attribute name="...">value</attribute> (type="json" for non-strings)
              <note>...</note>
            </span>
          </spans>
          <relations><relation uid annotator type source target>...</relation></relations>
          <statuses><status annotator status updated-at/></statuses>
        </document>
      </documents>
    </news-annotator>

Offsets are code points into the document's text, end exclusive. Characters XML 1.0
cannot hold are kept by base64-encoding the value that holds them (see `xml_chars`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.errors import InputError
from annotator.formats.common.records import AnnotatedDocument, ProjectHeader, ReadOptions
from annotator.formats.native_xml.reader import ROOT, read_xml
from annotator.formats.native_xml.writer import write

__all__ = ["read", "sniff", "write"]


def read(path: Path, options: ReadOptions) -> Iterator[AnnotatedDocument | ProjectHeader
                                                         | InputError]:
    return read_xml(path)


def sniff(path: Path) -> bool:
    """True for a file whose first element is ours (reads at most 1 KB; never raises)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError:
        return False
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return head.startswith((b"<?xml", b"<" + ROOT.encode())) and b"<" + ROOT.encode() in head
