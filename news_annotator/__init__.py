"""News Annotator core: the project file, formats, agreement and the CLI (no Qt)."""

__version__ = "0.1.0"
