"""annotator-gui on a bare machine: no display, or Qt's xcb plugin missing system
libraries, ends in a message with the install command and exit 1, never Qt's abort."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from news_annotator_ui import preflight

BARE_DEBIAN = ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
GUI = Path(sys.executable).with_name("annotator-gui")
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's loader")


def real_plugin() -> Path:
    spec = importlib.util.find_spec("PySide6")
    assert spec is not None and spec.submodule_search_locations
    plugin = Path(spec.submodule_search_locations[0], "Qt", "plugins", "platforms",
                  "libqxcb.so")
    if not plugin.is_file():
        pytest.skip(f"{plugin} is absent (not a PySide6 wheel on Linux)")
    return plugin


def bare_environment(**extra: str) -> dict[str, str]:
    """This process's environment without a display or a chosen Qt platform."""
    removed = {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE",
               "XDG_RUNTIME_DIR", "QT_PLUGIN_PATH", "QT_QPA_PLATFORM_PLUGIN_PATH"}
    return {key: value for key, value in os.environ.items() if key not in removed} | extra


def no_core_dump() -> None:
    import resource  # POSIX only, like the tests that use it

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


# -- the packages to install ------------------------------------------------------------

def test_a_bare_debian_gets_the_exact_apt_command():
    assert preflight.install_commands(BARE_DEBIAN, "debian") == [
        "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"]


def test_fedora_gets_dnf_package_names_and_capabilities_for_the_rest():
    assert preflight.install_commands(BARE_DEBIAN + ["libxcb-render.so.0", "libfoo.so.3"],
                                      "fedora") == [
        "sudo dnf install xcb-util-cursor xcb-util-wm xcb-util-keysyms libxcb "
        "'libfoo.so.3()(64bit)'"]


@pytest.mark.parametrize(("soname", "package"), [
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),  # a name ending in a digit: a dash
    ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libX11.so.6", "libx11-6"),
    ("libGL.so.1", "libgl1"),
    ("libEGL.so.1", "libegl1"),
    ("libdbus-1.so.3", "libdbus-1-3"),
    ("libglib-2.0.so.0", "libglib2.0-0"),
    ("libz.so.1", "zlib1g"),
])
def test_debian_package_names(soname, package):
    assert preflight.debian_package(soname) == package


def test_an_unknown_system_gets_both_commands_and_one_package_per_library():
    lines = preflight.install_commands(["libglib-2.0.so.0", "libgthread-2.0.so.0"], "")
    assert lines == ["Debian/Ubuntu: sudo apt install libglib2.0-0",
                     "Fedora:        sudo dnf install glib2"]


@pytest.mark.parametrize(("text", "family"), [
    ('ID=debian\nVERSION_ID="12"\n', "debian"),
    ('ID=linuxmint\nID_LIKE="ubuntu debian"\n', "debian"),
    ('ID="rocky"\nID_LIKE="rhel centos fedora"\n', "fedora"),
    ("ID=arch\n", ""),
])
def test_distribution_from_os_release(tmp_path, text, family):
    (tmp_path / "os-release").write_text(text, "utf-8")
    assert preflight.read_distribution(tmp_path / "os-release") == family


def test_the_message_names_the_libraries_then_the_command():
    message = preflight.missing_libraries_message(BARE_DEBIAN, "debian")
    assert message.splitlines() == [
        "annotator-gui cannot start: Qt's xcb platform plugin needs system libraries that "
        "are not installed:",
        "  libxcb-cursor.so.0, libxcb-icccm.so.4, libxcb-keysyms.so.1",
        "Install them, then start annotator-gui again:",
        "  sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"]


def test_qts_own_libraries_missing_mean_reinstalling_pyside6():
    message = preflight.missing_libraries_message(["libQt6XcbQpa.so.6"], "debian")
    assert "PySide6 is incomplete" in message and "--force-reinstall PySide6-Essentials" in message


# -- which platform Qt will try ----------------------------------------------------------

@pytest.fixture
def libraries(monkeypatch):
    """The xcb plugin's missing libraries, as a test sets them (none by default)."""
    missing: list[str] = []
    monkeypatch.setattr(preflight, "missing_xcb_libraries", lambda _environ: missing)
    monkeypatch.setattr(preflight, "read_distribution", lambda: "debian")
    return missing


@pytest.mark.parametrize("environ", [
    {"QT_QPA_PLATFORM": "offscreen"},
    {"QT_QPA_PLATFORM": "minimal"},
    {"QT_QPA_PLATFORM": "vnc:size=800x600"},
    {"QT_QPA_PLATFORM": "xcb;offscreen"},  # Qt falls back to offscreen
    {"WAYLAND_DISPLAY": "wayland-0"},  # Qt prefers Wayland: xcb's libraries are not loaded
    {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-1", "DISPLAY": ":0"},
])
def test_no_check_where_qt_needs_no_x_server(libraries, environ):
    libraries.extend(BARE_DEBIAN)
    assert preflight.problem(environ, platform="linux") is None


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_no_check_on_macos_and_windows(libraries, platform):
    assert preflight.problem({}, platform=platform) is None


@pytest.mark.parametrize(("environ", "says"), [
    ({}, "(DISPLAY is not set)."),
    ({"XDG_SESSION_TYPE": "wayland"}, "(WAYLAND_DISPLAY and DISPLAY are not set)."),
    ({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"},
     "(WAYLAND_DISPLAY is not set for QT_QPA_PLATFORM=wayland)."),
    ({"QT_QPA_PLATFORM": "xcb"}, "(DISPLAY is not set for QT_QPA_PLATFORM=xcb)."),
])
def test_no_display(libraries, environ, says):
    message = preflight.problem(environ, platform="linux")
    assert message is not None and message.startswith("annotator-gui cannot start: there is "
                                                      "no display to open a window on " + says)
    assert "annotator-gui --screenshot window.png" in message


def test_wayland_counts_its_default_socket(libraries, tmp_path):
    (tmp_path / "wayland-0").touch()
    environ = {"QT_QPA_PLATFORM": "wayland", "XDG_RUNTIME_DIR": str(tmp_path)}
    assert preflight.problem(environ, platform="linux") is None


def test_an_x_display_with_missing_libraries_asks_for_them(libraries):
    assert preflight.problem({"DISPLAY": ":0"}, platform="linux") is None
    libraries.extend(BARE_DEBIAN)
    message = preflight.problem({"DISPLAY": ":0"}, platform="linux")
    assert message == preflight.missing_libraries_message(BARE_DEBIAN, "debian")


def test_no_display_and_missing_libraries_are_said_together(libraries):
    libraries.extend(BARE_DEBIAN)
    message = preflight.problem({}, platform="linux")
    assert message is not None and "no display" in message
    assert message.endswith("sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1")


# -- resolving the plugin's libraries as the loader does --------------------------------

@linux_only
def test_the_resolver_finds_what_ldd_finds():
    if shutil.which("ldd") is None:
        pytest.skip("no ldd to compare with")
    plugin = real_plugin()
    cache = preflight.read_ld_cache()
    assert cache is not None
    ours = preflight.resolve_tree(plugin, {}, cache)
    listed = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True,
                            check=True, env=bare_environment()).stdout
    theirs = {name: where.split(" (")[0] for name, _, where in
              (line.strip().partition(" => ") for line in listed.splitlines()) if where}
    assert set(theirs) <= set(ours)
    for name, where in theirs.items():
        if where == "not found":
            assert ours[name] is None, name
        else:
            assert ours[name] is not None and ours[name].resolve() == Path(where).resolve(), name


@linux_only
def test_a_loader_cache_without_the_xcb_libraries_reports_them():
    cache = preflight.read_ld_cache()
    assert cache is not None and cache.get("libxcb-cursor.so.0"), "CI installs the xcb libs"
    bare = {name: paths for name, paths in cache.items() if name not in BARE_DEBIAN}
    assert preflight.missing_libraries(real_plugin(), {}, cache) == []
    assert sorted(preflight.missing_libraries(real_plugin(), {}, bare)) == BARE_DEBIAN


def test_files_that_are_not_shared_objects_resolve_to_nothing(tmp_path):
    (tmp_path / "empty.so").touch()
    (tmp_path / "text.so").write_text("not an ELF file", "utf-8")
    assert preflight.read_shared_object(tmp_path / "empty.so") is None
    assert preflight.read_shared_object(tmp_path / "text.so") is None
    assert preflight.read_shared_object(tmp_path / "absent.so") is None
    assert preflight.missing_libraries(tmp_path / "text.so", {}, {}) == []  # unsure: silent
    assert preflight.read_ld_cache(tmp_path / "text.so") is None


# -- the real program --------------------------------------------------------------------

def run_gui(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    if not GUI.is_file():
        pytest.skip(f"{GUI} is not installed (pip install -e .)")
    return subprocess.run([str(GUI), *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=120, preexec_fn=no_core_dump)


@linux_only
def test_annotator_gui_without_a_display_says_so_and_exits_1(tmp_path):
    done = run_gui(env=bare_environment(), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("annotator-gui cannot start: there is no display")
    assert "Aborted" not in done.stderr and "qt.qpa" not in done.stderr
    shot = run_gui("--screenshot", str(tmp_path / "window.png"), env=bare_environment(),
                   cwd=tmp_path)  # needs no display: no check
    assert shot.returncode == 0, shot.stderr
    assert (tmp_path / "window.png").stat().st_size > 0


def plugin_missing_a_library(root: Path) -> Path:
    """A copy of Qt's xcb plugin that needs libxcb-cursor.so.7, which no system has, laid
    out as QT_PLUGIN_PATH wants it; its Qt libraries are PySide6's own."""
    plugin = real_plugin()
    data = plugin.read_bytes()
    needed = b"\0libxcb-cursor.so.0\0"
    if data.count(needed) != 1:
        pytest.skip("this PySide6's xcb plugin does not name libxcb-cursor.so.0 once")
    (root / "Qt" / "plugins" / "platforms").mkdir(parents=True)
    (root / "Qt" / "lib").symlink_to(plugin.parents[2] / "lib")  # its RUNPATH: $ORIGIN/../../lib
    (root / "Qt" / "plugins" / "platforms" / "libqxcb.so").write_bytes(
        data.replace(needed, b"\0libxcb-cursor.so.7\0"))
    return root / "Qt" / "plugins"


@linux_only
def test_annotator_gui_with_a_library_missing_names_it_instead_of_aborting(tmp_path):
    plugins = plugin_missing_a_library(tmp_path)
    env = bare_environment(DISPLAY=":97", QT_PLUGIN_PATH=str(plugins))
    qt_alone = subprocess.run(  # what the user saw before: Qt's abort
        [sys.executable, "-c", "from PySide6.QtWidgets import QApplication; QApplication([])"],
        env=env | {"QT_DEBUG_PLUGINS": "1"}, cwd=tmp_path, capture_output=True, text=True,
        timeout=120, preexec_fn=no_core_dump)
    assert qt_alone.returncode == -6 and "libxcb-cursor.so.7" in qt_alone.stderr
    done = run_gui(env=env, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("annotator-gui cannot start: Qt's xcb platform plugin")
    assert "\n  libxcb-cursor.so.7\n" in done.stderr
    assert "sudo apt install libxcb-cursor7" in done.stderr \
        or "sudo dnf install 'libxcb-cursor.so.7()(64bit)'" in done.stderr
