"""Backups: one on demand, and a rolling set of daily copies kept for a few days.

Both use SQLite's online backup API, so they are consistent even while the app (or
another process) is writing to the project.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Protocol

from news_annotator.errors import ProjectError
from news_annotator.paths import user_data_dir
from news_annotator.project import Project
from news_annotator.server_address import ServerAddress, is_server_url

DEFAULT_KEEP_DAYS = 7


def backup_project(project_path: str | Path | ServerAddress,
                   destination: str | Path | None = None) -> Path:
    """Copy a project to `destination` (a file or a folder); returns the file written.
    A server project is pulled into a new project file (`merge FILE URL`)."""
    source = ServerAddress(project_path) if is_server_url(project_path) else Path(project_path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"{source.stem}-{stamp}{source.suffix or '.annotator'}"
    if destination is None:
        target = source.with_name(name)
    else:
        target = Path(destination)
        if target.is_dir():
            target = target / name
    if target.exists():
        raise ProjectError(f"{target}: already exists; choose another name")
    project = Project.open(source, read_only=True)
    try:
        project.backup_to(target)
    except (sqlite3.Error, OSError) as error:
        target.unlink(missing_ok=True)
        raise ProjectError(f"{target}: backup failed ({error})") from error
    finally:
        project.close()
    return target


def rolling_folder(project_path: Path) -> Path:
    """A folder of daily copies per project (two projects with one name do not mix)."""
    digest = hashlib.sha1(str(project_path.resolve()).encode()).hexdigest()[:8]
    return user_data_dir() / "backups" / f"{project_path.stem}-{digest}"


class Copyable(Protocol):
    """An open project (or its database): a path, and a consistent online copy."""

    @property
    def path(self) -> Path: ...

    def backup_to(self, destination: Path) -> Path: ...


def rolling_backup(database: Copyable, *, keep_days: int = DEFAULT_KEEP_DAYS,
                   folder: Path | None = None, today: date | None = None) -> Path | None:
    """Make today's copy if there is none yet, and drop copies older than `keep_days`.

    Returns the new copy, or None when today's already existed or keep_days is 0.
    """
    if keep_days <= 0:
        return None
    folder = folder or rolling_folder(database.path)
    folder.mkdir(parents=True, exist_ok=True)
    today = today or date.today()
    target = folder / f"{today.isoformat()}.annotator"
    made = None
    if not target.exists():
        partial = target.with_suffix(".partial")
        database.backup_to(partial)
        partial.replace(target)
        made = target
    oldest = today - timedelta(days=keep_days - 1)
    for old in folder.glob("*.annotator"):
        try:
            day = date.fromisoformat(old.stem)
        except ValueError:
            continue
        if day < oldest:
            old.unlink()
    return made
