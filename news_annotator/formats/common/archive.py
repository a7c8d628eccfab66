"""Reading members of a zip file we did not make, safely: no bombs, no path tricks.

Members are read into memory, never extracted, and only after their names and sizes
pass: relative paths without ``..``, a bounded count, bounded sizes, a bounded
compression ratio, and no more bytes than the header declared.
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

from news_annotator.errors import InputError

MAX_MEMBERS = 100_000
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, checked for members past RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024


def is_zip(path: Path) -> bool:
    """True when `path` looks like a zip file; never raises."""
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


class SafeZip:
    """A zip file opened for reading, its members checked before anything is read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._zip = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as error:
            raise InputError(path, f"not a readable zip file ({error})") from error
        try:
            self.members = self._check(self._zip.infolist())
        except InputError:
            self._zip.close()
            raise

    def _check(self, infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
        if len(infos) > MAX_MEMBERS:
            raise InputError(self.path, f"zip holds {len(infos):,} members; at most "
                             f"{MAX_MEMBERS:,} are read")
        members: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if (not name or "\x00" in name or name.startswith(("/", "\\"))
                    or (len(name) > 1 and name[1] == ":") or ".." in parts):
                raise InputError(self.path, f"unsafe member name {name[:80]!r} (absolute "
                                 "or leaving the archive)")
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                raise InputError(self.path, f"member {name!r} is encrypted")
            if info.file_size > MAX_MEMBER_BYTES:
                raise InputError(self.path, f"member {name!r} unpacks to {info.file_size:,} "
                                 f"bytes; the limit is {MAX_MEMBER_BYTES:,}")
            if info.file_size > RATIO_FLOOR and \
                    info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise InputError(self.path, f"member {name!r} is compressed more than "
                                 f"{MAX_RATIO}:1 (a zip bomb?)")
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise InputError(self.path, f"zip unpacks to more than {MAX_TOTAL_BYTES:,} "
                                 "bytes")
            members[name] = info
        return members

    def read(self, name: str) -> bytes:
        """A member's bytes, refusing more than its header declared."""
        info = self.members[name]
        try:
            with self._zip.open(info) as handle:
                data = handle.read(info.file_size + 1)
        except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError,
                NotImplementedError) as error:
            raise InputError(self.path, f"cannot read member {name!r} ({error})") from error
        except Exception as error:  # decompressors raise their own types (zlib.error, ...)
            raise InputError(self.path, f"cannot read member {name!r} "
                             f"({type(error).__name__}: {error})") from error
        if len(data) > info.file_size:
            raise InputError(self.path, f"member {name!r} is longer than its header says")
        return data

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
