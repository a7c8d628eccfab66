"""Before the QApplication exists: will Qt find a display and load its platform plugin?

Qt aborts the whole process (a core dump, exit 134) when no platform plugin starts: no
display at all, or the xcb plugin's system libraries missing (libxcb-cursor0 since Qt 6.5,
libxcb-icccm4 and libxcb-keysyms1 on a bare Debian). `problem` finds both first and
returns a message with the command that installs what is missing; it needs no Qt, no
`ldd`: the plugin's ELF dependencies are resolved the way the dynamic loader does, through
RPATH/RUNPATH, LD_LIBRARY_PATH, /etc/ld.so.cache and the default folders. When in doubt
(an unreadable file or cache, a platform we do not know) it says nothing and lets Qt try.
"""

from __future__ import annotations

import importlib.util
import mmap
import os
import struct
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

LD_CACHE = Path("/etc/ld.so.cache")
OS_RELEASE = Path("/etc/os-release")
DISPLAY_VARIABLES = {"xcb": "DISPLAY", "wayland": "WAYLAND_DISPLAY"}
# Qt's own libraries: missing means a broken PySide6, not a missing system package.
BUNDLED_PREFIXES = ("libQt6", "libicu", "libpyside6", "libshiboken6")
# Where Debian's naming rule (libfoo.so.1 -> libfoo1, libfoo2.so.3 -> libfoo2-3) misses.
DEBIAN_PACKAGES = {
    "libglib-2.0.so.0": "libglib2.0-0", "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0", "libz.so.1": "zlib1g", "libgcc_s.so.1": "libgcc-s1",
    "libGLdispatch.so.0": "libglvnd0", "libbrotlidec.so.1": "libbrotli1",
    "libbrotlicommon.so.1": "libbrotli1",
    **dict.fromkeys(("libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1",
                     "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"), "libc6"),
}
FEDORA_PACKAGES = {
    "libxcb-cursor.so.0": "xcb-util-cursor", "libxcb-icccm.so.4": "xcb-util-wm",
    "libxcb-keysyms.so.1": "xcb-util-keysyms", "libxcb-image.so.0": "xcb-util-image",
    "libxcb-render-util.so.0": "xcb-util-renderutil", "libxcb-util.so.1": "xcb-util",
    "libxkbcommon.so.0": "libxkbcommon", "libxkbcommon-x11.so.0": "libxkbcommon-x11",
    "libX11.so.6": "libX11", "libX11-xcb.so.1": "libX11-xcb", "libGL.so.1": "libglvnd-glx",
    "libEGL.so.1": "libglvnd-egl", "libOpenGL.so.0": "libglvnd-opengl",
    "libfontconfig.so.1": "fontconfig", "libfreetype.so.6": "freetype",
    "libdbus-1.so.3": "dbus-libs", "libglib-2.0.so.0": "glib2", "libgthread-2.0.so.0": "glib2",
    "libGLdispatch.so.0": "libglvnd", "libGLX.so.0": "libglvnd-glx", "libXau.so.6": "libXau",
    "libXdmcp.so.6": "libXdmcp", "libpng16.so.16": "libpng", "libexpat.so.1": "expat",
    **{f"libxcb{part}.so.{major}": "libxcb" for part, major in (
        ("", 1), ("-randr", 0), ("-shm", 0), ("-sync", 1), ("-xfixes", 0), ("-render", 0),
        ("-shape", 0), ("-xkb", 1), ("-glx", 0), ("-xinerama", 0), ("-xinput", 0))},
}


def problem(environ: Mapping[str, str] = os.environ, *,
            platform: str = sys.platform) -> str | None:
    """What to print instead of starting Qt, or None when Qt should be able to start."""
    if not platform.startswith("linux"):
        return None  # macOS and Windows bring their own platform plugin and display
    platforms = requested_platforms(environ)
    if any(name not in DISPLAY_VARIABLES for name in platforms):
        return None  # offscreen, minimal, vnc, eglfs...: no display server needed
    usable = [name for name in platforms if has_display(name, environ)]
    reasons = []
    if not usable:  # a bare machine may lack both: say both at once
        reasons.append(no_display_message(platforms, environ.get("QT_QPA_PLATFORM", "")))
    loads_xcb = usable[0] == "xcb" if usable else "xcb" in platforms
    if loads_xcb and (missing := missing_xcb_libraries(environ)):
        reasons.append(missing_libraries_message(missing, read_distribution()))
    return "\n\n".join(reasons) or None


def requested_platforms(environ: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt will try, in order (QT_QPA_PLATFORM, else by session)."""
    requested = environ.get("QT_QPA_PLATFORM", "")
    if requested:
        names = [entry.split(":")[0].strip() for entry in requested.split(";")]
        return ["wayland" if name.startswith("wayland") else name for name in names if name]
    if environ.get("WAYLAND_DISPLAY") or environ.get("XDG_SESSION_TYPE") == "wayland":
        return ["wayland", "xcb"]
    return ["xcb"]


def has_display(platform: str, environ: Mapping[str, str]) -> bool:
    """Whether the platform has a server to talk to (Wayland's default socket counts)."""
    if environ.get(DISPLAY_VARIABLES[platform]):
        return True
    runtime = environ.get("XDG_RUNTIME_DIR")
    return platform == "wayland" and bool(runtime) and Path(runtime, "wayland-0").exists()


def no_display_message(platforms: list[str], requested: str) -> str:
    variables = list(dict.fromkeys(DISPLAY_VARIABLES[name] for name in platforms))
    unset = " and ".join(variables) + (" is" if len(variables) == 1 else " are") + " not set"
    if requested:
        unset += f" for QT_QPA_PLATFORM={requested}"
    return (f"annotator-gui cannot start: there is no display to open a window on ({unset}).\n"
            "Run it inside a desktop session, or over SSH with X forwarding (ssh -X).\n"
            "Without a display, render the window to a PNG instead:\n"
            "  annotator-gui --screenshot window.png [PROJECT]")


def missing_xcb_libraries(environ: Mapping[str, str],
                          ld_cache: dict[str, list[str]] | None = None) -> list[str]:
    """Sonames the xcb plugin Qt will load needs but this machine lacks ([] if unsure)."""
    cache = read_ld_cache() if ld_cache is None else ld_cache
    if cache is None:
        return []
    preferred = [Path(folder) / "libqxcb.so"
                 for folder in environ.get("QT_QPA_PLATFORM_PLUGIN_PATH", "").split(os.pathsep)
                 if folder]
    folders = [Path(entry) / "platforms"
               for entry in environ.get("QT_PLUGIN_PATH", "").split(os.pathsep) if entry]
    pyside = importlib.util.find_spec("PySide6")
    if pyside and pyside.submodule_search_locations:
        folders.append(Path(pyside.submodule_search_locations[0], "Qt", "plugins", "platforms"))
    plugins = [path for path in preferred if path.is_file()]
    plugins += [folder / "libqxcb.so" for folder in folders
                if (folder / "libqxcb.so").is_file()][:1]  # the first one found is loaded
    missing: list[str] = []
    for plugin in plugins:
        missing = missing_libraries(plugin, environ, cache)
        if not missing:  # Qt falls back from QT_QPA_PLATFORM_PLUGIN_PATH to the rest
            return []
    return missing


@dataclass(frozen=True, slots=True)
class SharedObject:
    """What the loader needs from an ELF file to load its dependencies."""

    needed: tuple[str, ...]
    folders: tuple[str, ...]  # DT_RPATH, or DT_RUNPATH after LD_LIBRARY_PATH
    runpath: bool
    kind: tuple[int, int, int]  # (class, byte order, machine): a dependency must match


def read_shared_object(path: Path) -> SharedObject | None:
    """The dependencies of an ELF file, or None when it is not one we can read."""
    try:
        with open(path, "rb") as file, mmap.mmap(file.fileno(), 0,
                                                  access=mmap.ACCESS_READ) as data:
            return _parse_elf(data, str(path.parent))
    except (OSError, ValueError, struct.error):
        return None


def _parse_elf(data: mmap.mmap, origin: str) -> SharedObject | None:
    if data[:4] != b"\x7fELF" or data[4] not in (1, 2) or data[5] not in (1, 2):
        return None
    wide, order = data[4] == 2, "<" if data[5] == 1 else ">"
    machine = struct.unpack_from(order + "H", data, 18)[0]
    if wide:  # Elf64_Phdr: type, flags, offset, vaddr, paddr, filesz; Elf64_Dyn: tag, val
        phoff, = struct.unpack_from(order + "Q", data, 32)
        entry_size, count = struct.unpack_from(order + "HH", data, 54)
        header, fields, dyn = order + "IIQQQQ", (0, 2, 3, 5), order + "qQ"
    else:  # Elf32_Phdr: type, offset, vaddr, paddr, filesz
        phoff, = struct.unpack_from(order + "I", data, 28)
        entry_size, count = struct.unpack_from(order + "HH", data, 42)
        header, fields, dyn = order + "IIIII", (0, 1, 2, 4), order + "iI"
    loads, dynamic = [], None
    for index in range(count):
        values = struct.unpack_from(header, data, phoff + index * entry_size)
        kind, offset, address, size = (values[i] for i in fields)
        if kind == 1:  # PT_LOAD
            loads.append((address, offset, size))
        elif kind == 2:  # PT_DYNAMIC
            dynamic = (offset, size)
    if dynamic is None:
        return None
    tags: dict[int, list[int]] = {}
    step = struct.calcsize(dyn)
    for position in range(dynamic[0], dynamic[0] + dynamic[1] - step + 1, step):
        tag, value = struct.unpack_from(dyn, data, position)
        if tag == 0:  # DT_NULL
            break
        tags.setdefault(tag, []).append(value)
    strtab = next((address - start + offset for start, offset, size in loads
                   for address in tags.get(5, []) if start <= address < start + size), None)
    if strtab is None:
        return None

    def text(at: int) -> str:
        return data[strtab + at:data.find(b"\0", strtab + at)].decode("utf-8", "replace")

    runpath = 29 in tags  # DT_RUNPATH wins over DT_RPATH (15)
    folders = [folder.replace("${ORIGIN}", origin).replace("$ORIGIN", origin)
               for at in tags.get(29 if runpath else 15, []) for folder in text(at).split(":")]
    return SharedObject(tuple(text(at) for at in tags.get(1, [])),
                        tuple(folder for folder in folders if folder), runpath,
                        (data[4], data[5], machine))


def missing_libraries(plugin: Path, environ: Mapping[str, str],
                      ld_cache: dict[str, list[str]]) -> list[str]:
    """Every soname in the plugin's dependency tree that no search folder holds."""
    return [name for name, found in resolve_tree(plugin, environ, ld_cache).items()
            if found is None]


def resolve_tree(plugin: Path, environ: Mapping[str, str],
                 ld_cache: dict[str, list[str]]) -> dict[str, Path | None]:
    """Each soname the plugin loads, directly or not, with the file the loader would pick."""
    root = read_shared_object(plugin)
    if root is None:
        return {}
    found: dict[str, Path | None] = {}
    queue = [root]
    while queue:
        parent = queue.pop(0)
        for name in parent.needed:
            if name in found:
                continue  # a loaded soname satisfies every later request for it
            found[name] = None
            for candidate in search_order(name, parent, environ, ld_cache):
                loaded = read_shared_object(candidate)
                if loaded is not None and loaded.kind == root.kind:  # else: keep looking
                    found[name] = candidate
                    queue.append(loaded)
                    break
    return found


def search_order(name: str, parent: SharedObject, environ: Mapping[str, str],
                 ld_cache: dict[str, list[str]]) -> list[Path]:
    """Where glibc looks for a dependency of `parent` (ld.so(8))."""
    if "/" in name:
        return [Path(name)]
    rpath, runpath = ([], parent.folders) if parent.runpath else (parent.folders, [])
    library_path = [folder for folder in environ.get("LD_LIBRARY_PATH", "").split(":") if folder]
    defaults = (["/lib64", "/usr/lib64"] if parent.kind[0] == 2 else []) + ["/lib", "/usr/lib"]
    return ([Path(folder, name) for folder in [*rpath, *library_path, *runpath]]
            + [Path(path) for path in ld_cache.get(name, [])]
            + [Path(folder, name) for folder in defaults])


def read_ld_cache(path: Path = LD_CACHE) -> dict[str, list[str]] | None:
    """Soname -> paths from the loader's cache (glibc's format 1.1), None if unreadable."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    start = data.find(b"glibc-ld.so.cache1.1")
    if start < 0:
        return None
    try:
        count, = struct.unpack_from("=I", data, start + 20)

        def text(at: int) -> str:
            return data[start + at:data.index(b"\0", start + at)].decode("utf-8", "replace")

        cache: dict[str, list[str]] = {}
        for index in range(count):  # 24-byte entries after a 48-byte header
            _flags, key, value = struct.unpack_from("=iII", data, start + 48 + 24 * index)
            cache.setdefault(text(key), []).append(text(value))
    except (struct.error, ValueError):
        return None
    return cache


def read_distribution(path: Path = OS_RELEASE) -> str:
    """'debian', 'fedora' or '' from /etc/os-release (ID, then ID_LIKE)."""
    try:
        pairs = dict(line.split("=", 1) for line in path.read_text("utf-8").splitlines()
                     if "=" in line)
    except (OSError, UnicodeDecodeError):
        return ""
    ids = " ".join(pairs.get(key, "").strip("\"'") for key in ("ID", "ID_LIKE")).split()
    for family, members in (("debian", {"debian", "ubuntu"}),
                            ("fedora", {"fedora", "rhel", "centos"})):
        if members & set(ids):
            return family
    return ""


def debian_package(soname: str) -> str:
    """Debian's package for a shared library (libfoo.so.1 -> libfoo1, libx11.so.6 -> libx11-6)."""
    if soname in DEBIAN_PACKAGES:
        return DEBIAN_PACKAGES[soname]
    name, _, version = soname.partition(".so.")
    name = name.lower()
    return f"{name}{'-' if name[-1:].isdigit() else ''}{version.split('.')[0]}"


def fedora_package(soname: str) -> str:
    """Fedora's package, or the soname as dnf's capability (dnf installs what provides it)."""
    return FEDORA_PACKAGES.get(soname) or f"'{soname}()(64bit)'"


def install_commands(missing: list[str], distribution: str) -> list[str]:
    """The command(s) that install every missing library: this system's, or both."""
    makers: dict[str, tuple[str, Callable[[str], str]]] = {
        "debian": ("Debian/Ubuntu", lambda names: "sudo apt install " + names),
        "fedora": ("Fedora", lambda names: "sudo dnf install " + names)}
    packages = {"debian": debian_package, "fedora": fedora_package}
    chosen = [distribution] if distribution in makers else list(makers)
    lines = []
    for family in chosen:
        label, command = makers[family]
        line = command(" ".join(dict.fromkeys(map(packages[family], missing))))
        lines.append(line if len(chosen) == 1 else f"{label + ':':15}{line}")
    return lines


def missing_libraries_message(missing: list[str], distribution: str) -> str:
    bundled = [name for name in missing if name.startswith(BUNDLED_PREFIXES)]
    if bundled:
        return ("annotator-gui cannot start: PySide6 is incomplete (missing "
                f"{', '.join(bundled)}). Reinstall it:\n"
                "  python -m pip install --force-reinstall PySide6-Essentials")
    return ("annotator-gui cannot start: Qt's xcb platform plugin needs system libraries "
            f"that are not installed:\n  {', '.join(missing)}\n"
            "Install them, then start annotator-gui again:\n  "
            + "\n  ".join(install_commands(missing, distribution)))
