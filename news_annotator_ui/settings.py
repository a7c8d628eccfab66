"""User preferences, each declared once with its type and default, apart from window state.

Preferences (annotator name, recent projects, ...) live under "preferences/"; the window's
geometry and dock layout live under "window/" so that resetting one never loses the other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from news_annotator.server_address import ServerAddress, is_server_url

ORGANIZATION = "news-annotator"
APPLICATION = "News Annotator"
MAX_RECENT = 10

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Setting(Generic[T]):
    """One declared preference: key, type and default."""

    key: str
    kind: type
    default: T
    description: str = ""


ANNOTATOR_NAME = Setting("annotator_name", str, "", "Your name, stamped on every span")
RECENT_PROJECTS = Setting("recent_projects", list, [], "Most recently opened first")
LAST_PROJECT = Setting("last_project", str, "", "Reopened at start when no path is given")
LAST_DOCUMENTS = Setting("last_documents", dict, {}, "Project path -> last document id")
SNAP_TO_WORDS = Setting("snap_to_words", bool, False, "Grow selections to whole words")
SHOW_OTHERS = Setting("show_other_annotators", bool, False, "Show others' spans, muted")
BACKUP_KEEP_DAYS = Setting("backup_keep_days", int, 7,
                           "Daily copies of an opened project kept this many days; 0: none")

DECLARED = (ANNOTATOR_NAME, RECENT_PROJECTS, LAST_PROJECT, LAST_DOCUMENTS, SNAP_TO_WORDS,
            SHOW_OTHERS, BACKUP_KEEP_DAYS)


def qsettings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                     ORGANIZATION, APPLICATION)


class Settings:
    """Typed access to the preferences; lists and maps are stored as JSON text."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store or qsettings()

    def get(self, setting: Setting[T]) -> T:
        raw = self._store.value("preferences/" + setting.key)
        if raw is None:
            return _copy(setting.default)
        try:
            if setting.kind is bool:
                return (raw if isinstance(raw, bool) else str(raw).lower() == "true")  # type: ignore[return-value]
            if setting.kind in (list, dict):
                value = json.loads(raw) if isinstance(raw, str) else raw
                return value if isinstance(value, setting.kind) else _copy(setting.default)
            return setting.kind(raw)
        except (TypeError, ValueError):
            return _copy(setting.default)

    def set(self, setting: Setting[T], value: T) -> None:
        if setting.kind in (list, dict):
            value = json.dumps(value, ensure_ascii=False)  # type: ignore[assignment]
        self._store.setValue("preferences/" + setting.key, value)

    def sync(self) -> None:
        self._store.sync()

    # -- helpers over the declared settings -----------------------------------------

    def add_recent_project(self, path: str | Path | ServerAddress) -> None:
        path = _key(path)
        recent = [p for p in self.get(RECENT_PROJECTS) if p != path]
        self.set(RECENT_PROJECTS, [path, *recent][:MAX_RECENT])
        self.set(LAST_PROJECT, path)

    def last_document(self, project_path: str | Path | ServerAddress) -> int | None:
        found = self.get(LAST_DOCUMENTS).get(_key(project_path))
        return int(found) if isinstance(found, int) else None

    def set_last_document(self, project_path: str | Path | ServerAddress,
                          document_id: int) -> None:
        documents = self.get(LAST_DOCUMENTS)
        documents[_key(project_path)] = int(document_id)
        self.set(LAST_DOCUMENTS, documents)

    # -- window state, kept apart from preferences -----------------------------------

    def window_state(self, name: str) -> QByteArray | None:
        value = self._store.value("window/" + name)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_window_state(self, name: str, value: QByteArray) -> None:
        self._store.setValue("window/" + name, value)


def _key(path: str | Path | ServerAddress) -> str:
    """How a project is remembered: a file by its absolute path, a server by its address
    (without a password)."""
    if is_server_url(path):
        return str(ServerAddress(path))  # type: ignore[arg-type]
    return str(Path(path).resolve())  # type: ignore[arg-type]


def _copy(value: Any) -> Any:
    return json.loads(json.dumps(value)) if isinstance(value, (list, dict)) else value
