"""Where a team project lives: a PostgreSQL connection URI (libpq's syntax).

Everything that takes a project file also takes `postgresql://ROLE@HOST/DB` (or
`postgresql://alice@/team?host=/run/postgresql`). A `ServerAddress` stands where a
file's Path would: it opens the project again, names it in titles and messages (never
with its password), and suggests where to save files made from it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

SCHEMES = ("postgresql://", "postgres://")


def project_location(value: str) -> Path | ServerAddress:
    """A command-line project argument: a file's path, or a server's address."""
    return ServerAddress(value) if is_server_url(value) else Path(value)


def is_server_url(value: object) -> bool:
    """True for a `ServerAddress` or a string that is a PostgreSQL URI."""
    return isinstance(value, ServerAddress) or (
        isinstance(value, str) and value.strip().lower().startswith(SCHEMES))


class ServerAddress:
    """A PostgreSQL URI, in the places where a project file's Path goes (`url` opens it;
    `str()` is the address without its password)."""

    __slots__ = ("url",)

    def __init__(self, url: str | ServerAddress) -> None:
        self.url = url.url if isinstance(url, ServerAddress) else url.strip()
        if not is_server_url(self.url):
            raise ValueError("not a postgresql:// address")

    def _parts(self):  # type: ignore[no-untyped-def]
        return urlsplit(self.url)

    @property
    def role(self) -> str:
        """The role named in the address ("" when libpq picks it, e.g. the login name)."""
        parts = self._parts()
        found = unquote(parts.username or "")
        return found or parse_qs(parts.query).get("user", [""])[0]

    @property
    def database(self) -> str:
        parts = self._parts()
        found = unquote(parts.path.lstrip("/"))
        return found or parse_qs(parts.query).get("dbname", [""])[0] or self.role

    @property
    def display(self) -> str:
        """The address without its password, for titles and messages."""
        parts = self._parts()
        if parts.password is None:
            return self.url
        netloc = parts.netloc.rsplit("@", 1)[-1]
        user = parts.username or ""
        return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))

    # -- what Path-minded callers ask of a project's location ---------------------------

    @property
    def name(self) -> str:
        return f"{self.database} (server)"

    @property
    def stem(self) -> str:
        return self.database or "server"

    @property
    def suffix(self) -> str:
        return ""

    @property
    def parent(self) -> Path:
        """Files made from a server project (copies, exports) go to the home folder."""
        return Path.home()

    def with_name(self, name: str) -> Path:
        return self.parent / name

    def __str__(self) -> str:
        return self.display  # messages and settings never carry the password

    def __repr__(self) -> str:
        return f"ServerAddress({self.display!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ServerAddress) and other.url == self.url

    def __hash__(self) -> int:
        return hash(self.url)
