"""Where the app keeps its own files (backups, projects made from corpora), per platform."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR = "news-annotator"


def user_data_dir() -> Path:
    """The per-user data folder: XDG on Linux, the platform's usual place elsewhere."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_DIR
