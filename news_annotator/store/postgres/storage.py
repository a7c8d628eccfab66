"""A team project on a PostgreSQL server as a `Storage` (psycopg 3, no ORM)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from news_annotator.errors import ProjectError
from news_annotator.server_address import ServerAddress
from news_annotator.store.copying import copy_project
from news_annotator.store.postgres import access as roles
from news_annotator.store.postgres.annotations import ServerRelationStore, ServerSpanStore
from news_annotator.store.postgres.connection import ServerDatabase
from news_annotator.store.postgres.documents import ServerDocumentStore
from news_annotator.store.postgres.people import (
    ServerAnnotatorStore,
    ServerSchemaStore,
    ServerStatusStore,
)
from news_annotator.store.postgres.reads import (
    ServerBulkReads,
    ServerMerging,
    label_counts,
    project_stats,
)
from news_annotator.store.postgres.suggestions import ServerSuggestionStore
from news_annotator.store.protocol import Access
from news_annotator.store.sqlite_storage import SqliteStorage


class PostgresStorage:
    """One connection's view of a server project."""

    def __init__(self, database: ServerDatabase) -> None:
        self.server = database
        self._access = roles.read_access(database)
        if database.migrated:  # new tables: every member's grants again
            roles.grant_again(database, self._access)
        self.documents = ServerDocumentStore(database, may_index=lambda: self._access.owner,
                                             may_add=lambda: self._access.curator)
        self.spans = ServerSpanStore(database)
        self.relations = ServerRelationStore(database)
        self.annotators = ServerAnnotatorStore(database, lambda: self._access)
        self.statuses = ServerStatusStore(database)
        self.schema = ServerSchemaStore(database)
        self.bulk = ServerBulkReads(database)
        self.merging = ServerMerging(database)
        self.suggestions = ServerSuggestionStore(database)

    @classmethod
    def create(cls, address: ServerAddress) -> PostgresStorage:
        return cls._made(ServerDatabase(address, create=True))

    @classmethod
    def open(cls, address: ServerAddress, *, read_only: bool = False) -> PostgresStorage:
        return cls._made(ServerDatabase(address, read_only=read_only))

    @classmethod
    def _made(cls, database: ServerDatabase) -> PostgresStorage:
        try:
            return cls(database)
        except BaseException:
            database.close()
            raise

    @property
    def location(self) -> ServerAddress:
        return self.server.address

    @property
    def read_only(self) -> bool:
        return self.server.read_only

    @property
    def access(self) -> Access:
        return self._access

    @property
    def worker_processes_allowed(self) -> bool:
        return False  # the server does the reading; one process is enough

    def transaction(self) -> AbstractContextManager[Any]:
        return self.server.transaction()

    def in_transaction(self) -> bool:
        return self.server.in_transaction()

    def close(self) -> None:
        self.server.close()

    def data_version(self) -> int:
        return self.server.data_version()

    def change_socket(self) -> int | None:
        return self.server.change_socket()

    def check_file(self) -> None:
        """A server project has no file to lose; a lost connection shows on use."""

    def grant(self, role: str, *, curator: bool = False) -> None:
        roles.grant(self.server, self._access, role, curator=curator)

    def backup_to(self, destination: Path) -> Path:
        """A new project file holding everything on the server, as it is at one moment
        (one repeatable-read snapshot)."""
        destination = Path(destination)
        target = SqliteStorage.create(destination, fill_before_sharing=True)
        try:
            with self.server.snapshot():
                copy_project(self, target)
        except BaseException:
            target.close()
            destination.unlink(missing_ok=True)
            raise
        target.close()
        return destination

    def save_copy(self, destination: Path) -> Path:
        destination = Path(destination)
        if destination.exists():
            raise ProjectError(f"{destination}: already exists; choose another name")
        return self.backup_to(destination)

    def format_version(self) -> int:
        return self.server.format_version()

    def get_meta(self, key: str, default: str = "") -> str:
        return self.server.get_meta(key, default)

    def stats(self) -> dict[str, Any]:
        return project_stats(self.server)

    def label_counts(self) -> dict[str, dict[str, int]]:
        return label_counts(self.server)
