"""Code point <-> UTF-16 conversion and grapheme/word snapping, checked against oracles."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QTextBoundaryFinder

from news_annotator_ui.offsets import (
    OffsetMap,
    grapheme_boundaries,
    is_grapheme_boundary,
    snap_selection,
)

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # ZWJ family
FLAG_UA = "\U0001f1fa\U0001f1e6"
THUMBS_TONE = "\U0001f44d\U0001f3fd"
TRICKY = [
    "a\U0001f60ab\nc",
    f"Kyiv {FLAG_UA} {FLAG_UA}{FLAG_UA} and Poland \U0001f1f5\U0001f1f1.",
    f"family {FAMILY}! done",
    "cafe\u0301 na\u0131\u0308ve Zo\u0308e",  # combining acute and diaeresis
    "\U00020000\U0002a6d6 rare CJK \u4e2d\u6587 \U0001f44d",
    f"{THUMBS_TONE} ok 1\ufe0f\u20e3 \u2764\ufe0f",
    "line\r\nbreak \u0e01\u0e33 \u0915\u094d\u0937",
]
PIECES = ["a", "Z", " ", "\n", "\r\n", "\u00e9", "e\u0301", "\u4e2d", "\U00020000",
          "\U0001f60a", FLAG_UA, "\U0001f1f5", FAMILY, THUMBS_TONE, "\u2764\ufe0f", "\u200d",
          "1\ufe0f\u20e3", "\u0301", "'", "-"]


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def qt_grapheme_boundaries(text: str) -> list[int]:
    """Qt's own grapheme segmentation, in code points: the independent oracle."""
    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Grapheme, text)
    offsets = OffsetMap(text)
    found = {0}
    while (position := finder.toNextBoundary()) >= 0:
        found.add(offsets.from_qt(position))
    return sorted(found)


@pytest.mark.parametrize("text", TRICKY)
def test_to_qt_matches_utf16_and_round_trips(text):
    offsets = OffsetMap(text)
    for cp in range(len(text) + 1):
        assert offsets.to_qt(cp) == utf16_length(text[:cp])
        assert offsets.from_qt(offsets.to_qt(cp)) == cp
    assert offsets.qt_length == utf16_length(text)


def test_from_qt_inside_a_surrogate_pair_gives_the_character_start():
    offsets = OffsetMap("a\U0001f60ab")
    assert [offsets.from_qt(u) for u in range(5)] == [0, 1, 1, 2, 3]


def test_qt_counts_the_same_units_as_we_do(qapp):
    from PySide6.QtGui import QTextDocument

    for text in TRICKY:
        document = QTextDocument()
        document.setPlainText(text.replace("\r\n", " \n"))
        assert document.characterCount() - 1 == OffsetMap(text).qt_length


@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
@settings(max_examples=300, deadline=None)
def test_round_trip_property(text):
    offsets = OffsetMap(text)
    for cp in range(len(text) + 1):
        assert offsets.to_qt(cp) == utf16_length(text[:cp])
        assert offsets.from_qt(offsets.to_qt(cp)) == cp


@pytest.mark.parametrize("text", TRICKY)
def test_grapheme_boundaries_agree_with_qt(text):
    assert grapheme_boundaries(text) == qt_grapheme_boundaries(text)


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def qt_splits_this_flag(text: str) -> bool:
    """Qt 6.11 breaks a flag that directly follows an emoji ('\U0001f60a|\U0001f1fa|\U0001f1e6'),
    against UAX #29 GB12/13; we keep such flags whole, so Qt is no oracle there."""
    return any(_is_regional_indicator(text[i]) and ord(text[i - 1]) >= 0x1F000
               and not _is_regional_indicator(text[i - 1]) for i in range(1, len(text)))


@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
@settings(max_examples=500, deadline=None)
def test_grapheme_boundaries_agree_with_qt_property(text):
    if qt_splits_this_flag(text):
        return
    assert grapheme_boundaries(text) == qt_grapheme_boundaries(text)


def test_a_flag_after_an_emoji_stays_whole():
    text = f"\U0001f60a{FLAG_UA}"
    assert grapheme_boundaries(text) == [0, 1, 3]


def test_whole_clusters_have_no_inner_boundary():
    for cluster in (FAMILY, FLAG_UA, THUMBS_TONE, "e\u0301", "1\ufe0f\u20e3", "\r\n"):
        text = f"x{cluster}y"
        inner = range(2, 1 + len(cluster))
        assert not any(is_grapheme_boundary(text, i) for i in inner), cluster


@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30).map("".join),
       st.integers(0, 60), st.integers(0, 60), st.booleans())
@settings(max_examples=400, deadline=None)
def test_snapping_never_splits_a_grapheme(text, a, b, words):
    a, b = min(a, len(text)), min(b, len(text))
    snapped = snap_selection(text, a, b, words=words)
    core = text[min(a, b):max(a, b)].strip()
    if snapped is None:
        assert core == ""
        return
    start, end = snapped
    boundaries = set(grapheme_boundaries(text))
    assert start in boundaries and end in boundaries
    if not qt_splits_this_flag(text):
        oracle = set(qt_grapheme_boundaries(text))
        assert start in oracle and end in oracle
    assert 0 <= start < end <= len(text)
    assert core in text[start:end]  # never loses what the user selected (bar whitespace)


def test_snap_trims_whitespace_and_rejects_blank():
    text = "  Benjamin Netanyahu  said "
    assert snap_selection(text, 0, 22) == (2, 20)
    assert snap_selection(text, 0, 2) is None
    assert snap_selection(text, 20, 22) is None


def test_snap_to_words_grows_partial_words_only():
    text = "Prime Minister Benjamin Netanyahu's visit"
    start = text.index("jamin")
    end = text.index("anyahu") + 2
    assert snap_selection(text, start, end) == (start, end)
    words = snap_selection(text, start, end, words=True)
    assert text[words[0]:words[1]] == "Benjamin Netanyahu"
    whole = text.index("Minister")
    assert snap_selection(text, whole, whole + 8, words=True) == (whole, whole + 8)


def test_snap_to_words_keeps_accents_and_emoji_whole():
    text = f"Zo\u0308e {FLAG_UA} Dąbrowska"
    start = snap_selection(text, 1, 2, words=True)
    assert text[start[0]:start[1]] == "Zo\u0308e"
    flag = text.index(FLAG_UA)
    assert snap_selection(text, flag + 1, flag + 2) == (flag, flag + 2)
