"""Dialogs of the desktop app: annotator name, import progress, schema editor, shortcuts."""
