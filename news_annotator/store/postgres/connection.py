"""Connect to a team project on PostgreSQL: migrations, transactions, errors, changes.

The project lives in the schema `annotator` of a database (one project per database).
Every statement runs through `ServerDatabase`: it owns the psycopg connection, nests
transactions as savepoints, turns the server's refusals into `ProjectError`s a user can
act on, and hears other connections' commits through LISTEN/NOTIFY.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import Any

import psycopg
from psycopg import errors, sql
from psycopg.pq import TransactionStatus

from news_annotator import __version__
from news_annotator.errors import ProjectError
from news_annotator.server_address import ServerAddress
from news_annotator.store.database import utc_now

SCHEMA = "annotator"
CHANNEL = "annotator_changes"
BATCH = 2000  # rows per fetch of a streamed read


def migration_scripts() -> list[tuple[int, str]]:
    """(version, sql) for every server migration shipped, in order."""
    folder = resources.files("news_annotator.store.postgres") / "migrations"
    return sorted((int(entry.name.split("_", 1)[0]), entry.read_text("utf-8"))
                  for entry in folder.iterdir() if entry.name.endswith(".sql"))


SERVER_FORMAT_VERSION = migration_scripts()[-1][0]


class ServerDatabase:
    """One connection to a server project (plus, on demand, one that listens)."""

    def __init__(self, address: ServerAddress, *, create: bool = False,
                 read_only: bool = False) -> None:
        self.address = address
        self.read_only = read_only
        self._listener: psycopg.Connection | None = None
        self._seen = 0
        self.migrated = False  # an older schema was brought up to date on opening
        try:
            self.conn = psycopg.connect(address.url, autocommit=True,
                                        application_name="news-annotator")
        except psycopg.Error as error:
            raise ProjectError(f"{address}: cannot connect ({_first_line(error)})") from None
        try:
            self.conn.execute(sql.SQL("SET search_path = {}").format(sql.Identifier(SCHEMA)))
            if create:
                self._create()
            else:
                self._open()
        except BaseException:
            self.conn.close()
            raise

    # -- statements ------------------------------------------------------------------

    def query(self, statement: Any, params: Any = None) -> psycopg.Cursor:
        """Run one statement; the server's refusals come back as ProjectError."""
        try:
            return self.conn.execute(statement, params)
        except psycopg.Error as error:
            raise self.explain(error) from None

    def stream(self, statement: Any, params: Any = None) -> Iterator[tuple]:
        """Rows of a large read in batches, held by the server, not here."""
        try:
            with self.conn.cursor(name=f"stream_{id(object())}", withhold=True) as cursor:
                cursor.itersize = BATCH
                cursor.execute(statement, params)
                while rows := cursor.fetchmany(BATCH):
                    yield from rows
        except psycopg.Error as error:
            raise self.explain(error) from None

    def explain(self, error: psycopg.Error) -> ProjectError:
        """A server error as a message that says what was refused and what to do."""
        role = self.conn.info.user if not self.conn.closed else "?"
        if isinstance(error, errors.InsufficientPrivilege):
            return ProjectError(
                f"{self.address}: the server refused this: connected as {role!r} "
                f"({_first_line(error)}). A role reads the project once its owner has run "
                "`annotator grant` for it, and writes only its own work; a curator also "
                "writes gold, documents and the schema")
        if isinstance(error, psycopg.OperationalError):
            return ProjectError(f"{self.address}: lost the connection to the server "
                                f"({_first_line(error)}); nothing unsaved was written")
        return ProjectError(f"{self.address}: {_first_line(error)}")

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection]:
        """One all-or-nothing unit of work; nested calls become savepoints."""
        if self.read_only:
            raise ProjectError(f"{self.address}: opened read-only; changes are not saved")
        try:
            with self.conn.transaction():
                yield self.conn
        except psycopg.Error as error:
            raise self.explain(error) from None

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that all see one moment of the project (a consistent copy), even while
        others write; read-only."""
        try:
            with self.conn.transaction():
                self.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                yield
        except psycopg.Error as error:
            raise self.explain(error) from None

    def in_transaction(self) -> bool:
        return self.conn.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        for conn in (self._listener, self.conn):
            if conn is not None and not conn.closed:
                conn.close()

    # -- meta --------------------------------------------------------------------------

    def get_meta(self, key: str, default: str = "") -> str:
        row = self.query("SELECT value FROM meta WHERE key = %s", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.query("INSERT INTO meta(key, value) VALUES (%s, %s) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    def format_version(self) -> int:
        return int(self.get_meta("format_version", "0"))

    # -- other connections' commits -----------------------------------------------------

    def _listening(self) -> psycopg.Connection:
        if self._listener is None:
            try:
                self._listener = psycopg.connect(self.address.url, autocommit=True,
                                                 application_name="news-annotator-listen")
                self._listener.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))
            except psycopg.Error as error:
                raise ProjectError(f"{self.address}: cannot listen for changes "
                                   f"({_first_line(error)})") from None
        return self._listener

    def data_version(self) -> int:
        """Counts other connections' commits announced since we started listening."""
        listener = self._listening()
        own = self.conn.info.backend_pid
        try:
            for notice in listener.notifies(timeout=0):
                if notice.pid != own:
                    self._seen += 1
        except psycopg.Error as error:
            raise ProjectError(f"{self.address}: lost the connection to the server "
                               f"({_first_line(error)})") from None
        return self._seen

    def change_socket(self) -> int:
        return self._listening().fileno()

    # -- creation and migration --------------------------------------------------------

    def _schema_exists(self) -> bool:
        return self.conn.execute("SELECT EXISTS (SELECT 1 FROM pg_namespace "
                                 "WHERE nspname = %s)", (SCHEMA,)).fetchone()[0]

    def _create(self) -> None:
        if self._schema_exists():
            raise ProjectError(f"{self.address}: this database already holds a project "
                               f"(schema {SCHEMA!r}); open it instead")
        try:
            with self.conn.transaction():
                self.conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(SCHEMA)))
                self.conn.execute(sql.SQL("REVOKE ALL ON SCHEMA {} FROM PUBLIC").format(
                    sql.Identifier(SCHEMA)))
                for version, script in migration_scripts():
                    self.conn.execute(script)
                    self.set_meta("format_version", str(version))
                self.set_meta("created_with", f"news-annotator {__version__}")
                self.set_meta("created_at", utc_now())
        except errors.InsufficientPrivilege as error:
            raise ProjectError(f"{self.address}: cannot create the project here "
                               f"({_first_line(error)}); the role needs CREATE on the "
                               "database (GRANT CREATE ON DATABASE ... TO ...)") from None
        except psycopg.Error as error:
            raise self.explain(error) from None

    def _open(self) -> None:
        if not self._schema_exists():
            raise ProjectError(f"{self.address}: no News Annotator project in this database; "
                               "create one with `annotator init URL`")
        role, readable = self.conn.execute(
            "SELECT current_user::text, has_schema_privilege(%s, 'USAGE')", (SCHEMA,)
        ).fetchone()
        if not readable:
            raise ProjectError(f"{self.address}: connected as {role!r}, which may not read this "
                               f"project: its owner lets it with `annotator grant URL {role}`")
        try:
            version = self.format_version()
        except ProjectError as error:
            raise ProjectError(f"cannot read the project: {error}") from None
        if version > SERVER_FORMAT_VERSION:
            raise ProjectError(
                f"{self.address}: the server project's schema is version {version}, newer "
                f"than this program understands (version {SERVER_FORMAT_VERSION}); update "
                "News Annotator")
        if version < SERVER_FORMAT_VERSION:
            self._migrate(version)

    def _migrate(self, version: int) -> None:
        """Bring an older server schema up to date, in one transaction (owner only)."""
        if self.read_only:
            raise ProjectError(f"{self.address}: the server project is at version {version}; "
                               f"this program needs {SERVER_FORMAT_VERSION}: open it once "
                               "for writing as its owner to upgrade it")
        try:
            with self.conn.transaction():
                self.conn.execute("LOCK TABLE meta IN EXCLUSIVE MODE")
                version = self.format_version()  # another program may have just done it
                for target, script in migration_scripts():
                    if target > version:
                        self.conn.execute(script)
                        self.set_meta("format_version", str(target))
            self.migrated = True
        except errors.InsufficientPrivilege:
            raise ProjectError(
                f"{self.address}: the server project is at version {version}; this program "
                f"needs {SERVER_FORMAT_VERSION}: its owner must open it once to upgrade it"
            ) from None


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
