"""A layer model's bytes: one CRFsuite model, or several packed into one blob.

The project file keeps one blob per layer (`suggestion_models.data`). A layer whose
relations link labels of its own (a quote's CUE) has a main model and a model of its
own for each such target; they travel together, named, behind a short header. A blob
without the header is a single CRFsuite model (what projects stored before), read as
the main model.
"""

from __future__ import annotations

import json
import struct

MAGIC = b"NEWS-ANNOTATOR-MODELS\n"
MAIN = ""  # the name of the main model among the parts


def pack(parts: dict[str, bytes]) -> bytes:
    """One blob of named CRFsuite models (a lone main model stays as it is)."""
    if set(parts) == {MAIN}:
        return parts[MAIN]
    header = json.dumps([[name, len(blob)] for name, blob in parts.items()]).encode()
    # one join: the blob is made once (the models are megabytes; training is at its peak)
    return b"".join([MAGIC, struct.pack("<I", len(header)), header, *parts.values()])


def unpack(data: bytes) -> dict[str, bytes]:
    """The named models of a blob written by `pack` (or by an older version)."""
    if not data.startswith(MAGIC):
        return {MAIN: data}
    start = len(MAGIC) + 4
    (size,) = struct.unpack_from("<I", data, len(MAGIC))
    position = start + size
    parts: dict[str, bytes] = {}
    for name, length in json.loads(data[start:position]):
        parts[name] = data[position:position + length]
        position += length
    if MAIN not in parts or position != len(data):
        raise ValueError("a layer model's bytes are damaged: its parts do not add up")
    return parts
