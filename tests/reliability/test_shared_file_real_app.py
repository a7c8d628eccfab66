"""Issue 11's exact steps with the real app in its own process on a real X server
(Xvfb), keys and clicks sent with xdotool, and the real command line in a terminal's
stead. Skips, saying why, where Xvfb or xdotool is missing (.ci/run installs both)."""

from __future__ import annotations

import time

from tests.real_display import start_app, wait_for
from tests.reliability.shared_file import (
    ANNOTATOR,
    COLLEAGUE_SPANS,
    integrity,
    run_cli,
    shared_project,
    span_count,
)


def test_import_from_a_terminal_while_the_app_edits_leaves_a_whole_file(xvfb, tmp_path):
    path, brat, before = shared_project(tmp_path)
    log = tmp_path / "app.log"
    app = start_app(xvfb, path, "--annotator", ANNOTATOR, log=log)
    try:
        window = xvfb.find_window(app.pid)
        time.sleep(1.5)  # the first document, the backup and index threads
        run_cli("import", path, brat, "--format", "brat", "--annotator", ANNOTATOR)
        time.sleep(2.5)  # the window polls the file every second

        x, y, width, height = xvfb.window_geometry(window)
        xvfb.xdotool("mousemove", "--sync", x + width // 2, y + height // 3)
        xvfb.xdotool("click", 1)
        time.sleep(0.3)
        xvfb.key(window, "ctrl+shift+Right")  # select a word from where the click landed
        xvfb.key(window, "6")  # EVENT
        wait_for(lambda: span_count(path) == before + COLLEAGUE_SPANS + 1, 10,
                 "the app to save the new span")
        xvfb.key(window, "ctrl+shift+q")
        app.wait(timeout=20)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    assert app.returncode == 0, log.read_text()
    assert integrity(path) == "ok"
    assert span_count(path) == before + COLLEAGUE_SPANS + 1
