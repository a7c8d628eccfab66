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
cannot hold are kept by base64-encoding the value that holds them (see `common.xml_chars`).
"""

from annotator.formats.native_xml.reader import read, sniff
from annotator.formats.native_xml.writer import write

__all__ = ["read", "sniff", "write"]
