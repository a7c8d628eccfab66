"""What more than one format needs: the records readers yield, field and JSON checks,
the tokenizer, XML character handling, safe zips, the interop rules, text checks,
file text, and our documents as plain dicts.

Formats import from here and never from each other, so each format's package can be read
(and changed) on its own.
"""
