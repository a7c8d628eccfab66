"""Installed from a wheel (pip install ., pipx), outside the repository, the app still finds
its schema, XSD, JSON Schema and style sheet: they ship as the news_annotator.resources package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from tests.conftest import DEMO_CORPUS, ROOT

SOURCES = ("pyproject.toml", "README.md", "news_annotator", "news_annotator_ui", "resources")
SHIPPED = ("style.qss", "schemas/news.json", "json/project.schema.json", "xml/news-annotator.xsd")


def run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=env, text=True,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def build_wheel(tmp_path: Path) -> Path:
    """A wheel built from a copy of the sources (no stale build/ folder, no network)."""
    setuptools = int(metadata.version("setuptools").split(".")[0])
    if setuptools < 77:
        pytest.skip(f"setuptools {setuptools} < 77 (pip install -e '.[test]' upgrades it)")
    source = tmp_path / "source"
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
        "--disable-pip-version-check", "--quiet", "--wheel-dir", tmp_path / "dist", source,
        cwd=tmp_path)
    (wheel,) = (tmp_path / "dist").glob("news_annotator-*.whl")
    return wheel


def fresh_venv(tmp_path: Path, wheel: Path) -> Path:
    """A new venv with the wheel and no repository on its path; the dependencies come from
    this interpreter's site-packages through a .pth file (offline, and seconds not minutes)."""
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
        "--disable-pip-version-check", "--quiet", wheel, cwd=tmp_path)
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                    cwd=tmp_path).strip())
    ours = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (site / "dependencies.pth").write_text("\n".join(ours) + "\n", "utf-8")
    return python.parent


def test_the_wheel_carries_the_resources_and_runs_outside_the_repository(tmp_path):
    wheel = build_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"news_annotator/resources/{name}" for name in SHIPPED} <= names
    assert not any(name.startswith(("resources/", "tests/")) for name in names)

    scripts = fresh_venv(tmp_path, wheel)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    where = run(scripts / "python", "-c",
                "import news_annotator, news_annotator_ui, importlib.resources as r\n"
                "print(news_annotator.__file__, news_annotator_ui.__file__, sep='\\n')\n"
                "print(r.files('news_annotator.resources') / 'xml' / 'news-annotator.xsd')\n"
                "from news_annotator_ui.app import load_style_sheet\n"
                "print(len(load_style_sheet()))",
                cwd=work, env=env).splitlines()
    assert all(Path(line).is_relative_to(tmp_path / "venv") for line in where[:3]), where
    assert int(where[3]) == len((ROOT / "resources" / "style.qss").read_text("utf-8")) > 0

    run(scripts / "annotator", "init", "study.annotator", cwd=work, env=env)
    run(scripts / "annotator", "import", "study.annotator", DEMO_CORPUS, cwd=work, env=env)
    run(scripts / "annotator", "export", "study.annotator", "--format", "xml",
        "--out", "study.xml", cwd=work, env=env)
    xmlschema = pytest.importorskip("xmlschema")
    xmlschema.XMLSchema(where[2]).validate(str(work / "study.xml"))

    shown = run(scripts / "annotator-gui", "--screenshot", "x.png", "study.annotator",
                cwd=work, env=env | {"QT_QPA_PLATFORM": "offscreen"})
    assert (work / "x.png").stat().st_size > 10_000
    assert "no style sheet" not in shown  # the app says so when it cannot read style.qss


def test_every_python_folder_is_a_listed_package():
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    folders = {".".join(folder.relative_to(ROOT).parts)
               for top in ("news_annotator", "news_annotator_ui")
               for folder in [ROOT / top, *(ROOT / top).rglob("*")]
               if folder.is_dir() and any(folder.glob("*.py"))}
    unlisted = folders - listed
    assert not unlisted, f"add {sorted(unlisted)} to [tool.setuptools] packages in pyproject.toml"
    assert listed - folders == {"news_annotator.resources"}
    assert config["package-dir"] == {"news_annotator.resources": "resources"}
