"""A real X server (Xvfb) and a real pointer/keyboard (xdotool) for tests that drive the
app as a person does, in its own process, through the window system.

Tests use the `xvfb` fixture from tests/conftest.py; it skips with the reason when
Xvfb or xdotool is missing (CI installs both: .ci/run).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parent.parent


def missing_tools() -> str:
    """Why real-display tests cannot run here ('' when they can)."""
    absent = [tool for tool in ("Xvfb", "xdotool") if shutil.which(tool) is None]
    if absent:
        return (f"{' and '.join(absent)} not installed (Debian: apt-get install xvfb "
                "xdotool; .ci/run does it)")
    return ""


class Display:
    """One Xvfb server; `env` runs programs on it; `xdotool` acts on it."""

    def __init__(self, number: int, process: subprocess.Popen) -> None:
        self.number = number
        self.process = process
        self.env = {**os.environ, "DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb"}

    def xdotool(self, *args: str | int, check: bool = True) -> str:
        done = subprocess.run(["xdotool", *map(str, args)], env=self.env, text=True,
                              capture_output=True, timeout=20)
        if check and done.returncode != 0:
            raise RuntimeError(f"xdotool {' '.join(map(str, args))}: {done.stderr.strip()}")
        return done.stdout.strip()

    def find_window(self, pid: int, timeout: float = 30.0) -> str:
        """The id of the first visible window of process `pid` (waits for it)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.xdotool("search", "--onlyvisible", "--pid", pid, check=False)
            if found:
                return found.splitlines()[0]
            time.sleep(0.2)
        raise TimeoutError(f"no window of process {pid} appeared within {timeout:.0f} s")

    def window_geometry(self, window: str) -> tuple[int, int, int, int]:
        """(x, y, width, height) of a window on the screen."""
        values = dict(line.split("=", 1) for line in
                      self.xdotool("getwindowgeometry", "--shell", window).splitlines())
        return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])

    def screenshot(self, target: Path) -> QImage:
        """The whole screen as a person sees it (grabbed by a Qt program on the display)."""
        from PySide6.QtGui import QImage

        grab = ("import sys; from PySide6.QtGui import QGuiApplication; "
                "app = QGuiApplication([]); "
                "sys.exit(not app.primaryScreen().grabWindow(0).save(sys.argv[1]))")
        subprocess.run([sys.executable, "-c", grab, str(target)], env=self.env, check=True,
                       timeout=30, capture_output=True)
        return QImage(str(target))

    def key(self, window: str, *keys: str) -> None:
        self.xdotool("windowactivate", "--sync", window, check=False)
        for key in keys:
            self.xdotool("key", "--clearmodifiers", key)
            time.sleep(0.15)

    def drag(self, start: tuple[int, int], end: tuple[int, int]) -> None:
        """Press at `start`, move in steps, release at `end` (screen pixels)."""
        self.xdotool("mousemove", "--sync", *start)
        time.sleep(0.1)
        self.xdotool("mousedown", 1)
        for step in range(1, 6):
            x = start[0] + (end[0] - start[0]) * step // 5
            y = start[1] + (end[1] - start[1]) * step // 5
            self.xdotool("mousemove", "--sync", x, y)
            time.sleep(0.05)
        self.xdotool("mouseup", 1)
        time.sleep(0.2)


@contextmanager
def start_display() -> Iterator[Display]:
    """Start Xvfb on a free display number; stop it afterwards."""
    for number in range(90, 190):
        if Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists():
            continue
        process = subprocess.Popen(
            ["Xvfb", f":{number}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and process.poll() is None:
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                break
            time.sleep(0.05)
        if process.poll() is not None:
            continue  # lost a race for that number; try the next
        display = Display(number, process)
        try:
            yield display
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
        return
    raise RuntimeError("no free X display number between :90 and :189")


def start_app(display: Display, *args: str | Path, log: Path,
              env: dict[str, str] | None = None) -> subprocess.Popen:
    """`annotator-gui ARGS` as its own process on the display, output into `log`; `env`
    adds variables (say, its own XDG_CONFIG_HOME for a window laid out as on first run)."""
    handle = log.open("w")
    return subprocess.Popen([sys.executable, "-m", "news_annotator_ui.app", *map(str, args)],
                            cwd=ROOT,
                            env={**display.env, **(env or {})}, stdout=handle,
                            stderr=subprocess.STDOUT)


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> object:
    """Poll `condition` until it returns something true; fail naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
