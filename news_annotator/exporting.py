"""Export a project to a file or folder, all or nothing: the one export path of the CLI and
the app.

A file is written under a temporary name beside the target, flushed to disk and renamed
over it; a folder (brat, XMI) is built beside the target and swapped in. A failed,
cancelled or killed export leaves the previous target exactly as it was. A killed export
cannot tidy up after itself: the next export to the same target removes what it left.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from news_annotator.errors import AnnotatorError, InputError
from news_annotator.formats import FormatSpec, get_format
from news_annotator.project import Project

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, so leftovers are never swept
    fcntl = None  # type: ignore[assignment]

# The names a folder export writes: an earlier export may be replaced, but a folder
# holding anything else is refused rather than swept away.
FOLDER_FORMATS: dict[str, tuple[str, ...]] = {
    "brat": ("*.txt", "*.ann", "annotation.conf", "visual.conf", "manifest.json"),
    "xmi": ("*.xmi", "TypeSystem.xml"),
    "webanno-tsv": ("*.tsv", "manifest.json"),
}
WARNING_FORMATS = frozenset({"conll", "spacy", "xmi", "webanno-tsv"})  # take `warnings`
STAGING = ".partial"  # marks a temporary export: `.NAME.RANDOM.partial[SUFFIX]`

Progress = Callable[[int, int], None]  # documents written, documents to write


class ExportCancelled(AnnotatorError):
    """The export was cancelled; the target is as it was."""


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What to export and where; None means everyone, every layer, every document."""

    project_path: Path
    out: Path
    format_name: str = "json"
    annotators: tuple[str, ...] | None = None
    layers: tuple[str, ...] | None = None
    document_ids: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class ExportResult:
    documents: int
    warnings: tuple[str, ...] = ()


def writes_folder(format_name: str, out: Path | None = None) -> bool:
    """True when the format writes a folder of files (rather than one file) to `out`."""
    if format_name == "xmi" and out is not None and out.suffix.lower() == ".zip":
        return False
    return format_name in FOLDER_FORMATS


def check_target(out: Path, format_name: str) -> None:
    """Raise InputError when `out` cannot take this format's export (before any work)."""
    folder = writes_folder(format_name, out)
    if not out.parent.is_dir():
        raise InputError(out, f"the folder {out.parent} does not exist")
    if folder and out.exists() and not out.is_dir():
        raise InputError(out, f"is a file; {format_name} writes a folder")
    if not folder and out.is_dir():
        raise InputError(out, f"is a folder; {format_name} writes a file")
    if folder and out.is_dir():
        foreign = _foreign_file(out, FOLDER_FORMATS[format_name])
        if foreign is not None:
            raise InputError(out, f"holds files an export does not write ({foreign}); "
                             "choose a new or empty folder")


def export_project(request: ExportRequest, *, progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Export on the calling thread, on a read-only connection of its own.

    `progress` hears (done, total) after each document; `cancelled` is asked as often and
    stops the export with ExportCancelled when it returns True.
    """
    spec = get_format(request.format_name)
    if not (spec.can_write and hasattr(spec.module, "write")):
        raise InputError(spec.name, "this format can be imported but not exported")
    out = request.out.resolve() if request.out.is_symlink() else request.out
    check_target(out, spec.name)
    _sweep(out)
    with Project.open(request.project_path, read_only=True) as project:
        project.limit_layers(request.layers)
        total = (len(request.document_ids) if request.document_ids is not None
                 else project.documents.count())

        def tick(done: int) -> None:
            if cancelled is not None and cancelled():
                raise ExportCancelled(f"{request.out}: export cancelled; nothing was changed")
            if progress is not None:
                progress(done, total)

        tick(0)
        try:
            with _staged(out, folder=writes_folder(spec.name, out)) as staging:
                return _write(spec, project, staging, request, tick)
        except OSError as error:
            raise InputError(out, f"cannot write ({error.strerror or error})") from error


def _write(spec: FormatSpec, project: Project, target: Path, request: ExportRequest,
           tick: Callable[[int], None]) -> ExportResult:
    """The one call of a format's writer."""
    warnings: list[str] = []
    extra = {"warnings": warnings} if spec.name in WARNING_FORMATS else {}
    count = spec.module.write(
        project, target, progress=tick,
        annotators=None if request.annotators is None else list(request.annotators),
        document_ids=None if request.document_ids is None else list(request.document_ids),
        **extra)
    return ExportResult(count, tuple(warnings))


# -- staging and swapping -------------------------------------------------------------


@contextmanager
def _staged(out: Path, *, folder: bool) -> Iterator[Path]:
    """A new temporary file or folder beside `out`, moved over `out` when the block ends
    without error and removed when it does not."""
    staging, lock = _create_staging(out, folder=folder)
    try:
        yield staging
        _keep_mode(out, staging)
        if folder:
            _fsync_tree(staging)
        else:
            _fsync(staging)
        if folder and out.exists():
            _swap_folders(staging, out)
        else:
            os.replace(staging, out)
        _fsync(out.parent)
    except BaseException:
        _remove(staging)
        raise
    finally:
        if lock is not None:
            os.close(lock)


def _create_staging(out: Path, *, folder: bool) -> tuple[Path, int | None]:
    """Make the staging file or folder and lock it before it takes the name a sweep looks
    for, so a sweep never mistakes a live export for a dead one."""
    while True:
        token = secrets.token_hex(4)
        fresh = out.with_name(f".{out.name}.{token}.new")
        try:
            if folder:
                os.mkdir(fresh)
            else:
                os.close(os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            break
        except FileExistsError:
            continue
        except OSError as error:
            raise InputError(out, f"cannot write ({error.strerror})") from error
    lock = _lock(fresh)
    staging = out.with_name(f".{out.name}.{token}{STAGING}{out.suffix}")
    os.rename(fresh, staging)
    return staging, lock


def _lock(path: Path) -> int | None:
    """An open descriptor holding an exclusive lock on `path`; None where locks are absent."""
    if fcntl is None:
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _sweep(out: Path) -> None:
    """Remove what exports to `out` that were killed left behind (nobody holds their lock)."""
    if fcntl is None:
        return
    prefix, suffix = f".{out.name}.", f"{STAGING}{out.suffix}"
    try:
        entries = [e for e in os.scandir(out.parent)
                   if e.name.startswith(prefix) and e.name.endswith(suffix)]
    except OSError:
        return
    for entry in entries:
        try:
            fd = os.open(entry.path, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a live export's
        finally:
            os.close(fd)
        _remove(Path(entry.path))


def _swap_folders(staging: Path, out: Path) -> None:
    """Put `staging` where `out` is, in one step where the OS can exchange two names."""
    if _exchange(staging, out):
        _remove(staging)  # now the old folder
        return
    old = out.with_name(f".{out.name}.{secrets.token_hex(4)}.old")
    os.rename(out, old)  # killed right here, the previous export waits under this name
    try:
        os.rename(staging, out)
    except BaseException:
        os.rename(old, out)
        raise
    _remove(old)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two names atomically (Linux renameat2 RENAME_EXCHANGE); False when unsupported."""
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError, TypeError):  # no such call, or not Linux
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _foreign_file(folder: Path, patterns: tuple[str, ...]) -> str | None:
    """The first file under `folder` that none of `patterns` names, if any."""
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or (not path.is_dir() and not any(
                fnmatch.fnmatchcase(path.name, pattern) for pattern in patterns)):
            return str(path.relative_to(folder))
    return None


def _keep_mode(out: Path, staging: Path) -> None:
    """Give a replacement the permissions of what it replaces."""
    try:
        os.chmod(staging, out.stat().st_mode & 0o7777)
    except OSError:
        pass


def _fsync(path: Path) -> None:
    if path.is_dir() and os.name != "posix":
        return  # Windows cannot open a folder to flush it
    fd = os.open(path, os.O_RDONLY if path.is_dir() else os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        _fsync(path)
    _fsync(folder)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
