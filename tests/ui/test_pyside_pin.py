"""PySide6 6.12.0 aborts Python 3.11 after a few thousand Qt calls that return None;
the pin in pyproject.toml keeps us below it, and this test notices if it slips."""

from __future__ import annotations

from importlib.metadata import version

import PySide6
from PySide6.QtWidgets import QLabel


def _major_minor(text: str) -> tuple[int, int]:
    major, minor = text.split(".")[:2]
    return int(major), int(minor)


def test_pyside6_is_below_6_12():
    assert _major_minor(PySide6.__version__) < (6, 12), PySide6.__version__
    assert _major_minor(version("PySide6-Essentials")) < (6, 12)


def test_many_calls_returning_none_do_not_crash(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    for index in range(20_000):
        assert label.setToolTip(f"tip {index}") is None
    assert label.toolTip() == "tip 19999"
