"""Label Studio JSON (see reader.py)."""

from annotator.formats.labelstudio.reader import labeling_config, read, sniff, write

__all__ = ["labeling_config", "read", "sniff", "write"]
