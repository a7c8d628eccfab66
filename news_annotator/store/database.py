"""Open, create and migrate the project's SQLite file; the one owner of its connection."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from types import ModuleType

from news_annotator import __version__
from news_annotator.errors import ProjectError


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
    folder = resources.files("news_annotator.store") / "migrations"
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

    def __init__(self, path: Path, *, create: bool = False, read_only: bool = False,
                 fill_before_sharing: bool = False) -> None:
        """Open (or `create`) the project at `path`.

        `fill_before_sharing` (with `create`): keep SQLite's rollback journal until
        `close`, for a command that makes a file and fills it in one go (`import
        --create`); WAL writes every page twice. Nothing ever switches a file *out of* WAL:
        that is only safe when no one else holds the file, which no one can promise.
        """
        self.path = Path(path)
        self.read_only = read_only
        self._wal_at_close = create and fill_before_sharing
        if create and self.path.exists():
            raise ProjectError(f"{self.path}: already exists; choose another name")
        if not create and not self.path.is_file():
            raise ProjectError(f"{self.path}: no such project file")
        if read_only:
            recover_hot_journal(self.path)
        try:
            if read_only:
                conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                       timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
            else:
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                       check_same_thread=False)
        except sqlite3.Error as error:
            raise ProjectError(f"{self.path}: cannot open ({error})") from error
        self.conn = conn
        try:
            if not create:
                _check_is_project(conn, self.path)
            self.db = sqlite_utils.Database(conn, execute_plugins=False)
            stat = self.path.stat()
            self._identity = (stat.st_dev, stat.st_ino)
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.db.execute("PRAGMA foreign_keys = ON")
            if create:
                self._create()
            elif not read_only:
                self._migrate()
            else:
                self._check_version()
            if not read_only and not self._wal_at_close:
                self._use_wal()
        except BaseException:
            conn.close()
            raise

    def _use_wal(self) -> None:
        """Switch into WAL (idempotent, and safe while others hold the file)."""
        try:
            with self.db.ensure_autocommit_on():
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.OperationalError as error:
            raise ProjectError(f"{self.path}: cannot open for writing ({error}); another "
                               "program may be importing into it, try again when it is done"
                               ) from error

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
        try:
            if self._wal_at_close:
                self._wal_at_close = False
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                self._use_wal()  # if another program holds it now, its own open does this
        except ProjectError:
            pass
        finally:
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


def _check_is_project(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that is not a SQLite database made by us, before using it.

    The header is read through SQLite, never with open()/close() of our own: on POSIX,
    closing any descriptor of a file drops every lock this process holds on it, so a
    second open in a process (a window's worker, a backup) would silently release the
    first connection's locks, and another program could then checkpoint away or switch
    the journal under it (issue 11: that corrupted projects).
    """
    try:
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    except sqlite3.DatabaseError as error:
        if "not a database" in str(error):
            raise ProjectError(f"{path}: not a News Annotator project (not an SQLite file)"
                               ) from None
        raise ProjectError(f"{path}: cannot read ({error})") from error
    if pages == 0:
        raise ProjectError(f"{path}: not a News Annotator project (an empty file)")
    if application_id != APPLICATION_ID:
        raise ProjectError(f"{path}: not a News Annotator project (an SQLite file "
                           "made by another program)")


def recover_hot_journal(path: Path) -> None:
    """Roll back what a killed writer left in a rollback journal, before a read-only open.

    A read-only connection cannot do it ("attempt to write a readonly database"); a
    read-write connection does it on its first read, under SQLite's own locks. Only
    files made by `import --create` ever have such a journal (everything else is WAL).
    """
    journal = path.with_name(path.name + "-journal")
    if not journal.exists() or journal.stat().st_size == 0:
        return
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise ProjectError(
            f"{path}: an interrupted import left {journal.name} beside it, and the "
            "file cannot be written here to roll it back; open it once where it can be "
            "written (or copy both files to a writable folder)")
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute("PRAGMA schema_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise ProjectError(f"{path}: cannot roll back an interrupted import ({error})"
                           ) from error
