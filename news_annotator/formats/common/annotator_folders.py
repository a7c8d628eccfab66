"""Writers that put one folder of files per annotator (brat, WebAnno TSV): the folders'
names, and the manifest that keeps what the files themselves cannot hold."""

from __future__ import annotations

import json
import re
from contextlib import ExitStack
from pathlib import Path
from typing import IO

from news_annotator.model import Annotator


def annotator_folders(out: Path, chosen: list[Annotator | None]) -> dict[int | None, Path]:
    """`out` itself for one annotator (or none); else a subfolder each, named after the
    annotator, made safe for file systems and unique regardless of case."""
    if len(chosen) <= 1:
        return {(chosen[0].id if chosen and chosen[0] else None): out}
    folders: dict[int | None, Path] = {}
    taken: set[str] = set()
    for annotator in chosen:
        assert annotator is not None
        base = re.sub(r"[^\w.-]+", "_", annotator.name).strip("._") or "annotator"
        name, suffix = base, 2
        while name.lower() in taken:
            name, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(name.lower())
        folders[annotator.id] = out / name
    return folders


def open_manifest(stack: ExitStack, folder: Path, file_name: str, tag: str) -> IO[str]:
    """A manifest opened for streaming: the header, then the writer adds document entries
    and closes the list (`close_manifest`)."""
    handle = stack.enter_context((folder / file_name).open("w", encoding="utf-8"))
    handle.write(json.dumps({"format": tag, "version": 1})[:-1] + ', "documents": [')
    return handle
