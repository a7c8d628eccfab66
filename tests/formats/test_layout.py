"""news_annotator/formats has one layout: a package per format with reader.py and/or writer.py,
shared helpers in common/, and no format importing another (only common)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from news_annotator.formats import FORMATS

FORMATS_DIR = Path(__file__).resolve().parents[2] / "news_annotator" / "formats"
SHARED = ("annotator_folders", "archive", "fields", "file_text", "interop", "json_fields",
          "native_documents", "news_markup", "news_xml", "records", "text_check", "tokens",
          "xml_chars")


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_format_is_a_package_with_its_reader_and_writer(name: str) -> None:
    spec = FORMATS[name]
    package = FORMATS_DIR / spec.module_name
    assert (package / "__init__.py").is_file()
    assert (package / "reader.py").is_file() == spec.can_read
    assert (package / "writer.py").is_file() == spec.can_write


def test_only_the_registry_sits_at_the_top() -> None:
    assert sorted(p.name for p in FORMATS_DIR.glob("*.py")) == ["__init__.py"]
    packages = {p.name for p in FORMATS_DIR.iterdir() if (p / "__init__.py").is_file()}
    assert packages == {spec.module_name for spec in FORMATS.values()} | {"common"}


def test_common_holds_the_shared_helpers() -> None:
    assert sorted(p.stem for p in (FORMATS_DIR / "common").glob("*.py")) == sorted(
        ("__init__", *SHARED))


def imported(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(FORMATS_DIR.glob("*/*.py")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_format_imports_only_common_and_itself(path: Path) -> None:
    own = path.parent.name
    allowed = {"common"} if own == "common" else {own, "common"}
    reached = {name.split(".")[2] for name in imported(path)
               if name.startswith("news_annotator.formats.")}
    assert reached <= allowed
    assert "news_annotator.formats" not in imported(path)  # the registry is for callers
