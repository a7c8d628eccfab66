"""A project file as a `Storage`: the SQLite database and its stores, put together."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from news_annotator.errors import ProjectError
from news_annotator.store.annotations import RelationStore, SpanStore
from news_annotator.store.bulk_reads import SqliteBulkReads
from news_annotator.store.database import Database
from news_annotator.store.documents import DocumentStore
from news_annotator.store.merging import SqliteMerging
from news_annotator.store.people import AnnotatorStore, StatusStore
from news_annotator.store.protocol import Access
from news_annotator.store.schema_store import SchemaStore
from news_annotator.store.stats import label_counts, project_stats
from news_annotator.store.suggestion_store import SuggestionStore

FILE_ACCESS = Access()  # a file holds no roles: whoever can write it writes anything


class SqliteStorage:
    """One open project file."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.documents = DocumentStore(database)
        self.spans = SpanStore(database)
        self.relations = RelationStore(database)
        self.annotators = AnnotatorStore(database)
        self.statuses = StatusStore(database)
        self.schema = SchemaStore(database)
        self.bulk = SqliteBulkReads(database)
        self.merging = SqliteMerging(database)
        self.suggestions = SuggestionStore(database)

    @classmethod
    def create(cls, path: Path, *, fill_before_sharing: bool = False) -> SqliteStorage:
        return cls(Database(path, create=True, fill_before_sharing=fill_before_sharing))

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> SqliteStorage:
        return cls(Database(path, read_only=read_only))

    @property
    def location(self) -> Path:
        return self.database.path

    @property
    def read_only(self) -> bool:
        return self.database.read_only

    @property
    def access(self) -> Access:
        return FILE_ACCESS

    @property
    def worker_processes_allowed(self) -> bool:
        return self.database.path.is_file()

    def transaction(self) -> AbstractContextManager[Any]:
        return self.database.transaction()

    def in_transaction(self) -> bool:
        return self.database.conn.in_transaction

    def close(self) -> None:
        self.database.close()

    def data_version(self) -> int:
        return self.database.data_version()

    def change_socket(self) -> int | None:
        return None  # SQLite has no notifications: `data_version` is polled

    def check_file(self) -> None:
        self.database.check_file()

    def grant(self, role: str, *, curator: bool = False) -> None:
        raise ProjectError(f"{self.location}: a project file has no roles; grant works on a "
                           "team project on a server (postgresql://...)")

    def backup_to(self, destination: Path) -> Path:
        return self.database.backup_to(destination)

    def save_copy(self, destination: Path) -> Path:
        return self.database.save_copy(destination)

    def format_version(self) -> int:
        return self.database.format_version()

    def get_meta(self, key: str, default: str = "") -> str:
        return self.database.get_meta(key, default)

    def stats(self) -> dict[str, Any]:
        return project_stats(self.database)

    def label_counts(self) -> dict[str, dict[str, int]]:
        return label_counts(self.database)
