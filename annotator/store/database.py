"""Open, create and migrate the project's SQLite file; the one owner of its connection."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from types import ModuleType

from annotator import __version__
from annotator.errors import ProjectError


def _import_sqlite_utils() -> ModuleType:
    """sqlite-utils imports pandas and numpy when they are installed (half a second) only
    to map their value types to column types, which we never pass it. Hide them while it
    loads, so every command and the app start without them; they stay importable after."""
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        import sqlite_utils
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return sqlite_utils


sqlite_utils = _import_sqlite_utils()

APPLICATION_ID = 0x4E414E4E  # "NANN": marks a SQLite file as a News Annotator project
BUSY_TIMEOUT_MS = 5000


def migration_scripts() -> list[tuple[int, str]]:
    """(version, sql) for every migration shipped, in order."""
    folder = resources.files("annotator.store") / "migrations"
    scripts = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            scripts.append((int(entry.name.split("_", 1)[0]), entry.read_text("utf-8")))
    return sorted(scripts)


FORMAT_VERSION = migration_scripts()[-1][0]


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Database:
    """A project's sqlite-utils database with our pragmas, transactions and migrations."""

    def __init__(self, path: Path, *, create: bool = False, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if create and self.path.exists():
            raise ProjectError(f"{self.path}: already exists; choose another name")
        if not create and not self.path.is_file():
            raise ProjectError(f"{self.path}: no such project file")
        if not create:
            _check_is_project(self.path)
        try:
            if read_only:
                conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                       timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
            else:
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                       check_same_thread=False)
        except sqlite3.Error as error:
            raise ProjectError(f"{self.path}: cannot open ({error})") from error
        self.db = sqlite_utils.Database(conn, execute_plugins=False)
        stat = self.path.stat()
        self._identity = (stat.st_dev, stat.st_ino)
        self.conn = conn
        self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.db.execute("PRAGMA foreign_keys = ON")
        if create:
            self._create()
        elif not read_only:
            self._migrate()
        else:
            self._check_version()
        if not read_only:
            with self.db.ensure_autocommit_on():
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")

    # -- transactions -------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One all-or-nothing unit of work; nested calls become savepoints."""
        if self.read_only:
            raise ProjectError(f"{self.path}: opened read-only; changes are not saved")
        if self.conn.in_transaction:
            with self.db.atomic():  # a savepoint inside the open transaction
                yield self.conn
            return
        self.check_file()
        try:
            # IMMEDIATE takes the write lock up front, so a concurrent writer makes us wait
            # (busy_timeout) instead of failing half-way when a read turns into a write.
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise ProjectError(f"{self.path}: could not save ({error})") from error
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as error:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(error, sqlite3.OperationalError):
                raise ProjectError(f"{self.path}: could not save ({error})") from error
            raise

    def check_file(self) -> None:
        """Refuse to write when the file was deleted or replaced behind our back.

        On POSIX an open connection would go on writing into the unlinked file, and all of
        it would vanish at close; stopping here keeps the work reachable (`backup_to`).
        """
        try:
            now = self.path.stat()
        except OSError:
            raise ProjectError(f"{self.path}: the project file was deleted or moved while "
                               "open; save a copy to keep your work") from None
        if (now.st_dev, now.st_ino) != self._identity:
            raise ProjectError(f"{self.path}: the project file was replaced while open; "
                               "save a copy to keep your work")

    @contextmanager
    def bulk_mode(self) -> Iterator[None]:
        """Use the rollback journal for one large transaction when no one else has the file.

        WAL writes every page twice (log, then checkpoint), which makes a bulk import
        several times slower; a rollback journal is just as all-or-nothing. When another
        connection is open the switch is refused and the import simply runs in WAL.
        """
        switched = False
        if not self.read_only and not self.conn.in_transaction:
            try:
                with self.db.ensure_autocommit_on():
                    self.conn.execute("PRAGMA busy_timeout = 0")
                    mode = self.conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
                    switched = mode == "delete"
                    if switched:
                        self.conn.execute("PRAGMA synchronous = FULL")
            except sqlite3.OperationalError:
                switched = False
            finally:
                self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        try:
            yield
        finally:
            if switched:
                with self.db.ensure_autocommit_on():
                    self.conn.execute("PRAGMA journal_mode = WAL")
                    self.conn.execute("PRAGMA synchronous = NORMAL")

    def query(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def data_version(self) -> int:
        """A number that changes when another connection commits (never for our own).

        Cheap enough to poll: it lets a window notice edits made by another window or
        by the command line.
        """
        try:
            return self.conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error as error:
            raise ProjectError(f"{self.path}: cannot read ({error})") from error

    def set_busy_timeout(self, milliseconds: int) -> None:
        """How long a write waits for another writer's lock before giving up."""
        self.conn.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")

    def close(self) -> None:
        self.conn.close()

    # -- meta ----------------------------------------------------------------------

    def get_meta(self, key: str, default: str = "") -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    # -- creation and migration ----------------------------------------------------

    def _create(self) -> None:
        self.conn.execute("PRAGMA page_size = 16384")
        self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        with self.transaction():
            for version, sql in migration_scripts():
                self._run_script(sql)
                self.conn.execute(f"PRAGMA user_version = {version}")
            self.set_meta("created_with", f"news-annotator {__version__}")
            self.set_meta("created_at", utc_now())
            self.set_meta("fts_indexed_upto", "0")

    def format_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _check_version(self) -> int:
        version = self.format_version()
        if version > FORMAT_VERSION:
            raise ProjectError(
                f"{self.path}: project format version {version} is newer than this "
                f"program understands (version {FORMAT_VERSION}); update News Annotator")
        return version

    def _migrate(self) -> None:
        version = self._check_version()
        pending = [(v, sql) for v, sql in migration_scripts() if v > version]
        if not pending:
            return
        backup = self.path.with_name(f"{self.path.name}.v{version}.bak")
        self.backup_to(backup)
        with self.transaction():
            for target, sql in pending:
                self._run_script(sql)
                self.conn.execute(f"PRAGMA user_version = {target}")

    def _run_script(self, sql: str) -> None:
        for statement in _split_statements(sql):
            self.conn.execute(statement)

    def backup_to(self, destination: Path) -> Path:
        """Copy the live project with SQLite's online backup (safe while others write)."""
        destination = Path(destination)
        target = sqlite3.connect(destination)
        try:
            self.conn.backup(target)
        finally:
            target.close()
        return destination

    def save_copy(self, destination: Path) -> Path:
        """`backup_to` for users: all or nothing, failures (full disk, no permission) as
        a ProjectError. Works even after the file was deleted while open."""
        destination = Path(destination)
        partial = destination.with_name(destination.name + ".partial")
        try:
            self.backup_to(partial)
            partial.replace(destination)
        except (sqlite3.Error, OSError) as error:
            partial.unlink(missing_ok=True)
            raise ProjectError(f"{destination}: could not save a copy ({error})") from error
        return destination


def _split_statements(sql: str) -> list[str]:
    """Split a migration script into complete statements (executescript would commit)."""
    statements, current = [], ""
    for line in sql.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


def _check_is_project(path: Path) -> None:
    """Refuse a file that is not a SQLite database made by us, before SQLite touches it."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as error:
        raise ProjectError(f"{path}: cannot read ({error.strerror})") from error
    if not header.startswith(b"SQLite format 3\x00"):
        raise ProjectError(f"{path}: not a News Annotator project (not an SQLite file)")
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise ProjectError(f"{path}: not a News Annotator project (an SQLite file "
                           "made by another program)")

