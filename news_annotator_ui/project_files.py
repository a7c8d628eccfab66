"""Where a project file lives: the path given, or one made next to a corpus (or a team
project's server address, `postgresql://...`, opened as it is).

`annotator-gui corpora/demo` should just work: a corpus folder or file gets a project
file beside it (`corpora/demo.annotator`) when that folder is writable, else one in the
user's data folder; an existing one is reused so a second start opens instantly.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from news_annotator.errors import ProjectError
from news_annotator.project import Project
from news_annotator.server_address import ServerAddress, is_server_url

PROJECT_SUFFIX = ".annotator"


def is_project_file(path: Path) -> bool:
    """True for a project file (by suffix, or by trying to open it read-only)."""
    if not path.is_file():
        return False
    if path.suffix == PROJECT_SUFFIX:
        return True
    try:
        Project.open(path, read_only=True).close()
    except ProjectError:
        return False
    except Exception:  # noqa: BLE001 - anything unreadable as a project is a corpus file
        return False
    return True


def unwritable_reason(path: Path | ServerAddress) -> str | None:
    """Why a project file cannot be edited in place, or None when it can (a server says
    for itself what a role may write).

    SQLite writes beside the file too (its WAL and shared-memory files), so the folder
    must be writable as well.
    """
    if isinstance(path, ServerAddress):
        return None
    if not os.access(path, os.W_OK):
        return "you do not have permission to change this file"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return f"its folder {path.parent} cannot be written to"
    return None


def project_path_for_corpus(corpus: Path) -> Path:
    """The project file that belongs to a corpus folder or file."""
    corpus = corpus.resolve()
    beside = corpus.with_name(corpus.name + PROJECT_SUFFIX)
    if beside.exists() or os.access(corpus.parent, os.W_OK):
        return beside
    data = Path(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.AppDataLocation) or Path.home() / ".news-annotator")
    data.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(str(corpus).encode("utf-8")).hexdigest()[:10]
    return data / f"{corpus.name}-{digest}{PROJECT_SUFFIX}"


def resolve(path: str | Path | ServerAddress) -> tuple[Path | ServerAddress, Path | None]:
    """(project file or server address, corpus to import or None) for what the user asked
    to open."""
    if is_server_url(path):
        return ServerAddress(path), None  # type: ignore[arg-type]
    path = Path(path).expanduser()
    if is_project_file(path):
        return path.resolve(), None
    if not path.exists():
        if path.suffix == PROJECT_SUFFIX:
            raise ProjectError(f"{path}: no such project file")
        raise ProjectError(f"{path}: no such file or folder")
    project = project_path_for_corpus(path)
    return project, (None if project.exists() else path.resolve())
