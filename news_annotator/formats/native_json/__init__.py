"""Our own JSON: the whole project (schema, annotators, documents, spans, relations,
statuses), lossless. The writer streams one document at a time.

The document dicts it holds are `common.native_documents`, shared with our JSONL and XML.
"""

from news_annotator.formats.native_json.reader import ProjectFile, read, read_project_file
from news_annotator.formats.native_json.writer import write

__all__ = ["ProjectFile", "read", "read_project_file", "write"]
