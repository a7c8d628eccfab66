"""What more than one format needs: the records readers yield, field and JSON checks,
the tokenizer, XML character handling, safe zips, the interop rules, text checks,
file text, our documents as plain dicts, and news agencies' XML (safe parsing, markup as
readable paragraphs) that NITF and NewsML-G2 (which may carry NITF) share with ninjs.

Formats import from here and never from each other, so each format's package can be read
(and changed) on its own.
"""
