"""A throw-away PostgreSQL server for the tests: initdb in a temporary directory, a Unix
socket there and nowhere else (no TCP), stopped and deleted at the end of the session.

The tests never assume a running server. initdb refuses root, so as root the server runs
as the `postgres` user (Debian's package makes it). Where no PostgreSQL binaries are
installed, `find_binaries` says why and the tests that need a server skip.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

SEARCH = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/usr/pgsql-*/bin",
          "/opt/homebrew/opt/postgresql@*/bin", "/usr/local/opt/postgresql@*/bin")
OWNER = "lead"  # the role that runs `annotator init` in the tests: not a superuser
ANNOTATORS = ("alice", "bob", "carol", "dave", "erin", "frank")


def find_binaries() -> tuple[Path | None, str]:
    """(folder holding initdb and pg_ctl, "") or (None, why the server tests skip)."""
    candidates = []
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for pattern in SEARCH:
        candidates += sorted((Path(p) for p in glob.glob(pattern)),
                             key=lambda p: _version_key(p), reverse=True)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            if os.geteuid() == 0 and not _has_user("postgres"):
                return None, ("PostgreSQL is installed but there is no `postgres` user to run "
                              "it as (initdb refuses root)")
            return folder, ""
    return None, ("no PostgreSQL server binaries (initdb, pg_ctl) found: install PostgreSQL "
                  "(Debian: apt-get install postgresql) to run the team-server tests")


def _utf8_locale() -> list[str]:
    """initdb's locale options: C.UTF-8 with the C collation where the system has it."""
    try:
        found = subprocess.run(["locale", "-a"], capture_output=True, text=True,
                               timeout=10).stdout.split()
    except (OSError, subprocess.SubprocessError):
        found = []
    for name in ("C.UTF-8", "C.utf8", "en_US.UTF-8", "en_US.utf8"):
        if name in found:
            return [f"--lc-ctype={name}", "--lc-collate=C", "--lc-messages=C"]
    return ["--no-locale"]


def _version_key(path: Path) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in path.parent.name.split("."))


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


class ScratchServer:
    """One running server; `url()` names a database as a role.

    Tests trade durability for speed (no fsync); `durable=True` keeps PostgreSQL's own
    defaults (benchmarks), and `tcp_port` also listens on 127.0.0.1 (loopback only).
    """

    def __init__(self, binaries: Path, *, durable: bool = False,
                 tcp_port: int | None = None) -> None:
        self.binaries = binaries
        self.folder = Path(tempfile.mkdtemp(prefix="annotator-pg-"))
        self.data = self.folder / "data"
        self.as_root = os.geteuid() == 0
        self._databases = itertools.count(1)
        if self.as_root:
            postgres = pwd.getpwnam("postgres")
            os.chown(self.folder, postgres.pw_uid, postgres.pw_gid)
        # A UTF-8 character type, as production servers have: search splits words at
        # typographic punctuation (’) only then, as a project file's index does.
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "--no-sync", "-E", "UTF8", *_utf8_locale())
        self.tcp_port = tcp_port
        listen = "127.0.0.1" if tcp_port else ""
        options = f"-c listen_addresses='{listen}' -k {self.folder} -c max_connections=60"
        if tcp_port:
            options += f" -p {tcp_port}"
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-w",
                  "-o", options, "start")
        self.admin("postgres", "postgres", [
            f"CREATE ROLE {OWNER} LOGIN",
            *[f"CREATE ROLE {name} LOGIN" for name in ANNOTATORS],
        ])

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.binaries / program), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.folder, timeout=120)

    def url(self, database: str, role: str = OWNER, *, tcp: bool = False) -> str:
        if tcp:
            return f"postgresql://{role}@127.0.0.1:{self.tcp_port}/{database}"
        port = f"&port={self.tcp_port}" if self.tcp_port else ""
        return f"postgresql://{role}@/{database}?host={self.folder}{port}"

    def admin(self, database: str, role: str, statements: list[str]) -> None:
        import psycopg

        with psycopg.connect(self.url(database, role), autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def new_database(self) -> str:
        """An empty database owned by the test owner role."""
        name = f"project_{next(self._databases)}"
        self.admin("postgres", "postgres", [f"CREATE DATABASE {name} OWNER {OWNER}"])
        return name

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
