"""Our own JSON (see reader.py)."""

from annotator.formats.native_json.reader import ProjectFile, read, read_project_file, write

__all__ = ["ProjectFile", "read", "read_project_file", "write"]
