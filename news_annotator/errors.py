"""The error types the core raises on purpose; anything else escaping is a bug."""

from __future__ import annotations

from pathlib import Path


class AnnotatorError(Exception):
    """Base of every error we raise deliberately, with a message fit for a user."""


class InputError(AnnotatorError):
    """A file that cannot be read as asked: names the file, the place, and the reason."""

    def __init__(self, path: str | Path, reason: str, *, line: int | None = None,
                 record: str | None = None) -> None:
        self.path = str(path)
        self.reason = reason
        self.line = line
        self.record = record
        where = self.path
        if line is not None:
            where += f":{line}"
        if record is not None:
            where += f" (record {record})"
        super().__init__(f"{where}: {reason}")


class ProjectError(AnnotatorError):
    """A project file that cannot be opened or changed as asked."""


class SchemaError(AnnotatorError):
    """A label schema that is malformed or conflicts with what a project holds."""
