"""Open a large project in the main window and show its first document.

Targets (DESIGN.md): under 1 s, and memory that does not grow with the corpus: each size
is opened in a fresh child process, which reports the time and the RSS the window added.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

CHILD = r"""
import json, os, resource, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from news_annotator_ui.main_window import MainWindow
from news_annotator_ui.settings import Settings

def rss_mb():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6

app = QApplication([])
settings = Settings(QSettings(sys.argv[2], QSettings.Format.IniFormat))
before = rss_mb()
started = time.perf_counter()
window = MainWindow(settings, annotator_name="bench")
window.open_path(sys.argv[1])
window.show()
app.processEvents()
window.grab()
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "rss_added_mb": rss_mb() - before,
                  "rows_fetched": window.corpus_model.rows_fetched}))
window.close()  # waits for the window's background threads (backup, search index)
"""


def build(path: Path, count: int) -> Path:
    if path.exists():
        return path
    import random

    from generate import article

    from news_annotator.model import NewDocument
    from news_annotator.project import Project

    rng = random.Random(5)
    with Project.create(path) as project, project.transaction():
        project.documents.insert_many(
            NewDocument(text=a["text"], title=a["title"], uid=a["id"], url=a["url"],
                        published=a["published"], source=a["source"])
            for a in (article(rng, i) for i in range(count)))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    for size in (int(s) for s in args.sizes.split(",")):
        project = build(out / f"open-{size}.annotator", size)
        env = {**os.environ, "XDG_DATA_HOME": str(out / "xdg-data")}  # backups land here
        result = subprocess.run([sys.executable, "-c", CHILD, str(project),
                                 str(out / "bench-settings.ini")],
                                capture_output=True, text=True, check=True, env=env)
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        print(f"{size:>7,} documents: first document shown in {figures['seconds'] * 1000:.0f} ms "
              f"(target < 1,000 ms); window added {figures['rss_added_mb']:.1f} MB RSS; "
              f"{figures['rows_fetched']} list rows read")


if __name__ == "__main__":
    main()
