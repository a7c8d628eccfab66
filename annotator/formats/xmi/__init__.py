"""UIMA CAS XMI (see reader.py)."""

from annotator.formats.xmi.reader import read, read_folder, sniff, write

__all__ = ["read", "read_folder", "sniff", "write"]
