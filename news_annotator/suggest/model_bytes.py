"""A layer model's bytes: one CRFsuite model, or several packed into one blob.

The project file keeps one blob per layer (`suggestion_models.data`). A layer whose
relations link labels of its own (a quote's CUE) has a main model and a model of its
own for each such target; they travel together, named, behind a short header. A blob
without the header is a single CRFsuite model (what projects stored before), read as
the main model.
"""

from __future__ import annotations

import io
import json
import shutil
import struct
from collections.abc import Iterable
from pathlib import Path

MAGIC = b"NEWS-ANNOTATOR-MODELS\n"
MAIN = ""  # the name of the main model among the parts


def pack(parts: dict[str, bytes]) -> bytes:
    """One blob of named CRFsuite models (a lone main model stays as it is)."""
    if set(parts) == {MAIN}:
        return parts[MAIN]
    sizes = [(name, len(blob)) for name, blob in parts.items()]
    return b"".join([_header(sizes), *parts.values()])


def pack_files(paths: dict[str, Path]) -> bytes:
    """`pack` of model files: each is read straight into the one blob, never into bytes
    of its own beside it (training ends at its peak: the parts and a joined copy of them
    were 27 MB of a 1,000-article training's 288 MiB)."""
    if set(paths) == {MAIN}:
        return paths[MAIN].read_bytes()
    blob = io.BytesIO()
    blob.write(_header([(name, path.stat().st_size) for name, path in paths.items()]))
    for path in paths.values():
        with open(path, "rb") as part:
            shutil.copyfileobj(part, blob)
    return blob.getvalue()  # the buffer itself, not a copy


def _header(sizes: Iterable[tuple[str, int]]) -> bytes:
    header = json.dumps([[name, size] for name, size in sizes]).encode()
    return MAGIC + struct.pack("<I", len(header)) + header


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
