"""JSON Lines: one article, or one annotated document, a line; streamed both ways.

Reading: a line that carries our own annotations (`text` and a `spans` list, as our
export writes) comes back annotated; a header line (`{"format": "news-annotator", ...}`)
brings the schema and annotators; any other object is a plain article.

Writing is our lossless JSONL: a header line, then one document a line exactly as our
JSON holds it (`common.native_documents`), so import into an empty project and
export again gives the same bytes (bar the export time).
"""

from news_annotator.formats.jsonl_corpus.reader import read
from news_annotator.formats.jsonl_corpus.writer import write

__all__ = ["read", "write"]
