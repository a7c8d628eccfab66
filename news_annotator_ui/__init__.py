"""The PySide6 desktop app; it edits projects only through `annotator`."""
