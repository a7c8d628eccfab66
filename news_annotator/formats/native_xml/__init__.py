"""Our standoff XML: the whole project, lossless, streamed both ways.

Layout, version 2 (XSD: resources/xml/news-annotator.xsd; prose: docs/formats.md)::

    <news-annotator version="2" created-with="..." exported-at="...">
      <schema name="news">                       (schema_elements.py)
        <layer name description><label name color key description/>...
          <attribute-definition name kind description><value/>...<default/>
            <applies-to/>...</attribute-definition></layer>
        <relation-type name key color description><source-label/>...<target-label/>...
      </schema>
      <annotators><annotator name="alice"/></annotators>
      <documents>
        <document uid="..." added-at="...">
          <title/> <source/> <url/> <published/>
          <metadata><string key="section">city</string>...</metadata>   (values.py)
          <text xml:space="preserve">verbatim article text</text>
          <spans>
            <span uid annotator layer label start end created-at updated-at>
              <fragment start end/>...   (only for discontinuous spans)
              <text>covered text</text>
              <attribute name="...">value</attribute> (type="number" etc. otherwise)
              <note>...</note>
            </span>
          </spans>
          <relations><relation uid annotator type source target>...</relation></relations>
          <statuses><status annotator status updated-at/></statuses>
        </document>
      </documents>
    </news-annotator>

No JSON inside: metadata and non-string values use XPath 3.1's json-to-xml vocabulary
(see `values`). Version 1 files (the schema, metadata and `type="json"` values as JSON
text) are still read. Offsets are code points into the document's text, end exclusive.
Characters XML 1.0 cannot hold are kept by base64-encoding the value that holds them
(see `common.xml_chars`).
"""

from news_annotator.formats.native_xml.reader import read, sniff
from news_annotator.formats.native_xml.writer import write

__all__ = ["read", "sniff", "write"]
