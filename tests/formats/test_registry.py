"""The format registry describes its modules truly (help texts and detection trust it
without importing them)."""

from pathlib import Path

import pytest

from news_annotator.formats import FORMATS, available_formats, detect_format


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_registry_flags_match_the_module(name: str) -> None:
    spec = FORMATS[name]
    module = spec.module
    assert spec.can_read == hasattr(module, "read")
    assert spec.can_write == hasattr(module, "write")
    assert (spec.sniffs != ()) == hasattr(module, "sniff")


def test_help_lists_formats_without_importing_them() -> None:
    import subprocess
    import sys

    code = ("import sys; from news_annotator.formats import available_formats; "
            "names = available_formats(reading=True); "
            "loaded = [m for m in sys.modules if m.startswith('news_annotator.formats.')]; "
            "print(len(names), sorted(loaded))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split(" ", 1)
    assert int(out[0]) == len(available_formats(reading=True)) >= 10
    assert "xmi" not in out[1] and "native_xml" not in out[1]


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("a.jsonl", '{"text": "Hello", "entities": [[0, 5, "PERSON"]]}\n', "doccano"),
    ("a.jsonl", '{"text": "Hello", "title": "t"}\n', "jsonl"),
    ("a.json", '[{"data": {"text": "x"}, "annotations": [{"result": []}]}]', "labelstudio"),
    ("a.txt", "<?xml version='1.0'?><news-annotator/>", "xml"),
    ("a.txt", "An article.", "text"),
])
def test_detection_sniffs_content_by_suffix(tmp_path: Path, name: str, content: str,
                                            expected: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    spec = detect_format(path)
    assert spec is not None and spec.name == expected
