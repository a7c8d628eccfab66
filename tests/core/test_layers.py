"""The core never imports Qt: checked in a fresh interpreter, not by hope."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import news_annotator


def fresh_interpreter(script: str) -> list[str]:
    """The lines `script` prints in a new Python process (nothing imported before it)."""
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True).stdout.splitlines()


def test_core_imports_no_qt():
    modules = [m.name for m in pkgutil.walk_packages(news_annotator.__path__, "news_annotator.")]
    script = ("import importlib, sys\n"
              f"for name in {modules!r}:\n"
              "    try:\n"
              "        importlib.import_module(name)\n"
              "    except ImportError:\n"
              "        pass  # optional formats (e.g. spaCy) may be absent\n"
              "qt = ('PySide', 'PyQt', 'shiboken', 'news_annotator_ui')\n"
              "print(sorted(m for m in sys.modules if m.startswith(qt)))\n")
    assert len(modules) > 10
    assert fresh_interpreter(script) == ["[]"]


def test_cli_starts_without_pandas_yet_leaves_it_importable():
    """sqlite-utils would import pandas and numpy (half a second) when installed."""
    loaded, after = fresh_interpreter(
        "import sys\n"
        "import news_annotator.cli\n"
        "print(sorted(m for m in ('pandas', 'numpy') if m in sys.modules))\n"
        "try:\n"
        "    import pandas\n"
        "    print('importable')\n"
        "except ImportError:\n"
        "    print('not installed')\n")
    assert loaded == "[]"
    assert after in ("importable", "not installed")
    if after == "not installed":  # then the hiding must not have made it so
        assert subprocess.run([sys.executable, "-c", "import pandas"]).returncode != 0


def test_the_ui_reaches_the_database_only_through_the_project_facade():
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "news_annotator_ui"
    reaching = []
    for source in root.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("db", "conn"):
                reaching.append(f"{source.name}:{node.lineno}")
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "news_annotator.store"):
                reaching.append(f"{source.name}:{node.lineno} imports {node.module}")
    assert reaching == []
