"""The core never imports Qt: checked in a fresh interpreter, not by hope."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import annotator


def test_core_imports_no_qt():
    modules = [m.name for m in pkgutil.walk_packages(annotator.__path__, "annotator.")]
    script = ("import importlib, sys\n"
              f"for name in {modules!r}:\n"
              "    try:\n"
              "        importlib.import_module(name)\n"
              "    except ImportError:\n"
              "        pass  # optional formats (e.g. spaCy) may be absent\n"
              "qt = ('PySide', 'PyQt', 'shiboken', 'ui')\n"
              "print(sorted(m for m in sys.modules if m.startswith(qt)))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert len(modules) > 10
    assert result.stdout.strip() == "[]"
