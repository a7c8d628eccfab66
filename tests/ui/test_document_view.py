"""The document view driven as a user would: select text, click spans, hover, Tab."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QTextCursor
from PySide6.QtWidgets import QToolTip

from news_annotator.model import Relation, Span
from news_annotator.schema import default_schema
from news_annotator_ui.document_view import DocumentView
from news_annotator_ui.offsets import OffsetMap

FLAG_UA = "\U0001f1fa\U0001f1e6"
TEXT = ("Israeli Prime Minister Benjamin Netanyahu has said that Israel and Russia will "
        "cooperate.\n\n“We agreed to establish a joint team,” the Israeli prime minister "
        f"added {FLAG_UA}😊 in Kyiv 👨\u200d👩\u200d👧 today.\n")


def make_span(span_id, text, needle, label, layer="entity", *, nth=0, annotator=1,
              fragments=None):
    if fragments is None:
        start = -1
        for _ in range(nth + 1):
            start = text.index(needle, start + 1)
        fragments = ((start, start + len(needle)),)
    return Span(id=span_id, uid=f"s{span_id}", document_id=1, annotator_id=annotator,
                layer=layer, label=label, fragments=fragments)


@pytest.fixture
def schema():
    return default_schema()


@pytest.fixture
def view(qtbot):
    widget = DocumentView()
    widget.resize(820, 560)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def spans():
    return [
        make_span(1, TEXT, "Benjamin Netanyahu", "PERSON"),
        make_span(2, TEXT, "Netanyahu", "PERSON"),  # nested inside 1
        make_span(3, TEXT, "Israel", "GPE", nth=1),
        make_span(4, TEXT, "Kyiv", "GPE"),
        make_span(5, TEXT, "“We agreed to establish a joint team,”", "DIRECT", "quote"),
        make_span(6, TEXT, "added", "CUE", "quote"),
    ]


def point_of(view: DocumentView, cp: int) -> QPoint:
    """The viewport point in the middle of the character at code point `cp`."""
    offsets = OffsetMap(view.text())
    cursor = QTextCursor(view.document())
    cursor.setPosition(offsets.to_qt(cp))
    left = view.cursorRect(cursor)
    cursor.setPosition(offsets.to_qt(cp + 1))
    right = view.cursorRect(cursor)
    if right.top() != left.top():  # the character ends its line
        return QPoint(left.x() + 3, left.center().y())
    return QPoint((left.x() + right.x()) // 2, left.center().y())


def label_hue(schema, label):
    return QColor(next(lb.color for _, lb in schema.all_labels() if lb.name == label)).hsvHue()


def test_set_document_and_spans_at(view, spans, schema):
    view.set_document(TEXT, spans, [], schema)
    netanyahu = TEXT.index("Netanyahu")
    assert [s.id for s in view.spans_at(netanyahu)] == [2, 1]  # innermost first
    assert [s.id for s in view.spans_at(TEXT.index("Benjamin"))] == [1]
    assert view.spans_at(TEXT.index("cooperate")) == []
    assert view.text() == TEXT


def test_selection_across_emoji_gives_code_points(view, spans, schema):
    view.set_document(TEXT, spans, [], schema)
    start = TEXT.index(FLAG_UA)
    end = TEXT.index("Kyiv") + len("Kyiv")
    # Qt positions worked out by hand: the flag and 😊 are two UTF-16 units each.
    qt_start = start
    qt_end = end + 3
    cursor = QTextCursor(view.document())
    cursor.setPosition(qt_start)
    cursor.setPosition(qt_end, QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText().endswith("Kyiv")
    view.setTextCursor(cursor)
    assert view.selection_fragment() == (start, end)
    assert TEXT[start:end] == f"{FLAG_UA}😊 in Kyiv"


def test_selection_is_snapped_trimmed_and_optionally_word_snapped(view, spans, schema):
    view.set_document(TEXT, spans, [], schema)
    family = TEXT.index("👨")
    offsets = OffsetMap(TEXT)
    cursor = QTextCursor(view.document())
    cursor.setPosition(offsets.to_qt(family) + 2)  # after the man: inside the ZWJ family
    cursor.setPosition(offsets.to_qt(family + 4) + 1, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    start, end = view.selection_fragment()
    assert TEXT[start:end] == "👨\u200d👩\u200d👧"
    minister = TEXT.index("Minister")
    cursor.setPosition(offsets.to_qt(minister + 3) - 1)  # " Min|ister Benj"
    cursor.setPosition(offsets.to_qt(minister + 13), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    raw = view.selection_fragment()
    words = view.selection_fragment(snap_words=True)
    assert TEXT[raw[0]:raw[1]] == "nister Benj"
    assert TEXT[words[0]:words[1]] == "Minister Benjamin"
    between = TEXT.index(" has said")
    cursor.setPosition(between)
    cursor.setPosition(between + 1, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    assert view.selection_fragment() is None


def test_clicking_a_span_selects_the_innermost(view, qtbot, spans, schema):
    view.set_document(TEXT, spans, [], schema)
    point = point_of(view, TEXT.index("Netanyahu") + 3)
    with qtbot.waitSignal(view.span_selected) as selected, \
            qtbot.waitSignal(view.span_clicked) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert selected.args == [2]
    assert clicked.args[0] == 2
    assert view.selected_span_id() == 2
    with qtbot.waitSignal(view.span_selected) as selected:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=point_of(view, TEXT.index("Benjamin") + 2))
    assert selected.args == [1]


def test_clicking_plain_text_clears_the_selection(view, qtbot, spans, schema):
    view.set_document(TEXT, spans, [], schema)
    view.select_span(4)
    with qtbot.waitSignal(view.span_selected) as selected:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=point_of(view, TEXT.index("cooperate") + 2))
    assert selected.args == [None]
    assert view.selected_span_id() is None


def test_clicking_a_span_after_astral_characters(view, qtbot, spans, schema):
    view.set_document(TEXT, spans, [], schema)
    with qtbot.waitSignal(view.span_selected) as selected:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=point_of(view, TEXT.index("Kyiv") + 1))
    assert selected.args == [4]


def test_ctrl_click_reports_but_keeps_the_selection(view, qtbot, spans, schema):
    view.set_document(TEXT, spans, [], schema)
    view.select_span(5)
    with qtbot.waitSignal(view.span_clicked) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.ControlModifier,
                         pos=point_of(view, TEXT.index("Kyiv") + 1))
    assert clicked.args[0] == 4
    assert clicked.args[1] & Qt.KeyboardModifier.ControlModifier
    assert view.selected_span_id() == 5


def test_add_update_remove_repaint_only_touched_lines(view, qtbot, spans, schema):
    view.set_document(TEXT, spans, [], schema)
    view.grab()
    cached = view._cache.keys()
    assert len(cached) >= 3
    extra = make_span(7, TEXT, "Russia", "GPE")
    view.add_span(extra)
    assert [s.id for s in view.spans_at(TEXT.index("Russia"))] == [7]
    lost = cached - view._cache.keys()
    assert 1 <= len(lost) <= 2  # only the line(s) holding "Russia"
    view.update_span(make_span(7, TEXT, "Russia", "NORP"))
    assert view.spans_at(TEXT.index("Russia"))[0].label == "NORP"
    view.remove_span(7)
    assert view.spans_at(TEXT.index("Russia")) == []
    view.grab()


def test_removing_the_selected_span_clears_the_selection(view, qtbot, spans, schema):
    view.set_document(TEXT, spans, [], schema)
    view.select_span(3)
    with qtbot.waitSignal(view.span_selected) as selected:
        view.remove_span(3)
    assert selected.args == [None]


def test_hidden_layers_are_not_hit(view, qtbot, spans, schema):
    view.set_document(TEXT, spans, [], schema)
    view.set_visible_layers({"quote"})
    point = point_of(view, TEXT.index("Netanyahu") + 3)
    assert view.spans_at_point(point) == []
    assert view.spans_at(TEXT.index("Kyiv")) == []
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert view.selected_span_id() is None
    quote_point = point_of(view, TEXT.index("agreed"))
    assert [s.id for s in view.spans_at_point(quote_point)] == [5]
    view.set_visible_layers(None)
    assert [s.id for s in view.spans_at_point(point)] == [2, 1]


def test_muted_spans_are_shown_but_not_selectable(view, qtbot, spans, schema):
    other = make_span(50, TEXT, "Russia", "GPE", annotator=2)
    view.set_document(TEXT, spans, [], schema, muted_spans=[other])
    view.set_annotator_names({2: "Ada"})
    point = point_of(view, TEXT.index("Russia") + 2)
    assert view.spans_at_point(point) == []
    assert [s.id for s in view.spans_at_point(point, include_muted=True)] == [50]
    with qtbot.assertNotEmitted(view.span_selected):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert view.selected_span_id() is None
    view.select_span(50)
    assert view.selected_span_id() is None
    with qtbot.waitSignal(view.hovered) as hovered:
        qtbot.mouseMove(view.viewport(), point)
    assert hovered.args == [[50]]
    assert "Ada" in view.tooltip([other]) and "read-only" in view.tooltip([other])


def test_tooltip_lists_labels_under_the_mouse(view, qtbot, spans, schema):
    view.set_document(TEXT, spans, [], schema)
    point = point_of(view, TEXT.index("Netanyahu") + 3)
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    view.viewportEvent(event)
    text = QToolTip.text()
    assert "PERSON" in text and "entity" in text


def test_hit_test_band_and_margins(view, spans, schema):
    view.set_document(TEXT, spans, [], schema)
    point = point_of(view, TEXT.index("Kyiv") + 1)
    cursor_height = view.cursorRect().height()
    below = QPoint(point.x(), point.y() + cursor_height // 2 + 4)  # in the underline band
    assert [s.id for s in view.spans_at_point(below)] == [4]
    assert view.spans_at_point(QPoint(2, point.y())) == []  # in the left margin
    assert view.spans_at_point(QPoint(point.x(), view.viewport().height() - 2)) == []


def test_next_span_walks_in_reading_order_and_tab_calls_it(view, qtbot, spans, schema):
    view.set_document(TEXT, spans, [], schema)
    order = [view.next_span(1) for _ in range(7)]
    assert order == [1, 2, 3, 5, 6, 4, 1]
    assert view.next_span(-1) == 4
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.selected_span_id() == 1
    qtbot.keyClick(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_span_id() == 4


def test_select_span_scrolls_into_view(view, qtbot, schema):
    text = "\n".join(f"Paragraph {i} with words" for i in range(300)) + " Kyiv end"
    span = make_span(1, text, "Kyiv", "GPE")
    view.set_document(text, [span], [], schema)
    assert view.verticalScrollBar().value() == 0
    with qtbot.waitSignal(view.span_selected):
        view.select_span(1)
    assert view.verticalScrollBar().value() > 0
    assert [s.id for s in view.spans_at_point(point_of(view, text.index("Kyiv") + 1))] == [1]


def test_discontinuous_span_hits_fragments_not_the_gap(view, schema):
    quote = "“We agreed,” he said, “to act.”"
    first = (0, quote.index(",”") + 2)
    second = (quote.index("“to"), len(quote))
    span = make_span(1, quote, "", "DIRECT", "quote", fragments=(first, second))
    view.set_document(quote, [span], [], schema)
    assert [s.id for s in view.spans_at(1)] == [1]
    assert view.spans_at(quote.index("said")) == []
    assert [s.id for s in view.spans_at(quote.index("act"))] == [1]
    view.select_span(1)
    view.grab()


def test_crlf_text_keeps_offsets(view, schema):
    text = "First line\r\nSecond Kyiv line\r\nThird"
    span = make_span(1, text, "Kyiv", "GPE")
    view.set_document(text, [span], [], schema)
    assert [s.id for s in view.spans_at_point(point_of(view, text.index("Kyiv") + 1))] == [1]


def test_span_band_is_painted_in_the_label_color(view, schema):
    text = "Plain words before. Kyiv is the capital. Plain words after."
    kyiv = make_span(1, text, "Kyiv", "GPE")
    hue = label_hue(schema, "GPE")

    def label_pixels(spans):
        view.set_document(text, spans, [], schema)
        image = view.grab().toImage()
        ratio = image.devicePixelRatio()
        left = point_of(view, text.index("Kyiv"))
        right = point_of(view, text.index("Kyiv") + 3)
        count = 0
        for x in range(left.x(), right.x() + 1):
            for y in range(left.y() - 8, left.y() + 22):
                color = image.pixelColor(int(x * ratio), int(y * ratio))
                if color.hsvSaturation() > 60 and abs(color.hsvHue() - hue) <= 12:
                    count += 1
        return count

    assert label_pixels([]) == 0
    assert label_pixels([kyiv]) > 10


def test_relations_render_with_the_selected_span(view, spans, schema):
    relations = [Relation(1, "r1", 1, 1, "source", 5, 2), Relation(2, "r2", 1, 1, "cue", 5, 6)]
    view.set_document(TEXT, spans, relations, schema)
    view.select_span(5)
    assert not view.grab().isNull()
    view.set_relations(relations[:1])
    view.set_schema(schema)
    assert not view.grab().isNull()


def test_many_spans_and_empty_documents_render(view, qtbot, schema):
    rng = random.Random(7)
    words = ["alpha", "beta", "😊", "gamma", FLAG_UA, "delta"]
    text = " ".join(rng.choice(words) for _ in range(4000))
    starts = [i for i in range(len(text)) if i == 0 or text[i - 1] == " "]
    labels = [(layer.name, label.name) for layer, label in schema.all_labels()]
    spans = []
    for span_id in range(1, 5001):
        start = rng.choice(starts)
        end = min(len(text), start + rng.randint(2, 200))
        layer, label = rng.choice(labels)
        spans.append(Span(id=span_id, uid=str(span_id), document_id=1, annotator_id=1,
                          layer=layer, label=label, fragments=((start, end),)))
    view.set_document(text, spans, [], schema)
    assert not view.grab().isNull()
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 2)
    assert not view.grab().isNull()
    for _ in range(50):
        point = QPointF(rng.uniform(0, view.width()), rng.uniform(0, view.height()))
        for span in view.spans_at_point(point):
            assert span.id in range(1, 5001)
    view.set_document("", [], [], schema)
    assert not view.grab().isNull()
    assert view.spans_at_point(QPoint(10, 10)) == []
    assert view.next_span(1) is None
