"""Annotating through the real widgets: keys and clicks in, the project file checked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from news_annotator.model import Status
from news_annotator.project import Project
from tests.ui.window_fixtures import (
    ANNOTATOR,
    TRICKY_TEXT,
    click_span_at,
    make_project_file,
    open_window,
    select_substring,
    select_text,
    stored_relations,
    stored_spans,
)


@pytest.fixture
def project_path(tmp_path):
    return make_project_file(tmp_path / "work.annotator")


@pytest.fixture
def window(qtbot, tmp_path, project_path):
    window = open_window(qtbot, tmp_path, project_path)
    assert window.view.text() == TRICKY_TEXT
    yield window
    window.close()


def key(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window, key, modifier)


def test_label_key_creates_span_on_accented_and_emoji_text(qtbot, window, project_path):
    for needle, label_key, label in (("Zoë Ångström-Łukasiewicz", Qt.Key.Key_1, "PERSON"),
                                     ("Søren Ødegård", Qt.Key.Key_1, "PERSON"),
                                     ("Zürich", Qt.Key.Key_3, "GPE"),
                                     ("👩‍👩‍👧 waved 🇫🇷", Qt.Key.Key_7, "OTHER")):
        start, end = select_substring(window.view, needle)
        shown = window.view.textCursor().selectedText()
        key(qtbot, window, label_key)
        span = window.session.span(window.view.selected_span_id())
        assert span is not None and span.label == label
        assert span.text == shown == needle
        assert span.fragments == ((start, end),)
    saved = stored_spans(project_path)
    assert [(s.label, s.text) for s in saved] == [
        ("PERSON", "Zoë Ångström-Łukasiewicz"), ("PERSON", "Søren Ødegård"),
        ("GPE", "Zürich"), ("OTHER", "👩‍👩‍👧 waved 🇫🇷")]
    assert all(TRICKY_TEXT[s.start:s.end] == s.text for s in saved)
    assert window.spans_label.text() == "4 spans"
    assert window.saved_label.text() == "saved ✓"


def test_relabel_resize_delete_undo_redo(qtbot, window, project_path):
    start, end = select_substring(window.view, "Søren")
    key(qtbot, window, Qt.Key.Key_2)  # ORG, wrongly
    span_id = window.view.selected_span_id()
    key(qtbot, window, Qt.Key.Key_1)  # no text selected: relabel as PERSON
    assert [s.label for s in stored_spans(project_path)] == ["PERSON"]

    # grow the end over " Ødegård" one word at a time, then one character back and forth
    key(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.AltModifier)
    assert stored_spans(project_path)[0].text == "Søren Ødegård"
    key(qtbot, window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert stored_spans(project_path)[0].text == "Søren Ødegår"
    key(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    key(qtbot, window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier
        | Qt.KeyboardModifier.ShiftModifier)
    assert stored_spans(project_path)[0].text == " Søren Ødegård"
    key(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier
        | Qt.KeyboardModifier.ShiftModifier)
    assert stored_spans(project_path)[0].fragments == ((start, end + len(" Ødegård")),)

    assert window.undo_action.text().replace("&", "") == "Undo resize span"
    key(qtbot, window, Qt.Key.Key_Delete)
    assert stored_spans(project_path) == []
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    restored = stored_spans(project_path)
    assert [(s.id, s.text) for s in restored] == [(span_id, "Søren Ødegård")]
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.ShiftModifier)
    assert stored_spans(project_path) == []
    for _ in range(20):  # undo everything: nothing left, nothing broken
        window.undo_action.trigger()
    assert stored_spans(project_path) == []
    assert window.stack.index() == 0


def test_span_edges_step_over_whole_emoji(qtbot, window, project_path):
    start, end = select_substring(window.view, "Families")
    key(qtbot, window, Qt.Key.Key_7)
    key(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # the space
    key(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # the whole family
    assert stored_spans(project_path)[0].text == "Families 👩‍👩‍👧"
    key(qtbot, window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert stored_spans(project_path)[0].text == "Families "


def test_relation_by_key_and_click(qtbot, window, project_path):
    select_substring(window.view, "“We agreed,”")
    key(qtbot, window, Qt.Key.Key_Q)
    quote_id = window.view.selected_span_id()
    person_start, _ = select_substring(window.view, "Søren Ødegård")
    key(qtbot, window, Qt.Key.Key_1)
    person_id = window.view.selected_span_id()
    said_start, _ = select_substring(window.view, "said")
    key(qtbot, window, Qt.Key.Key_C)

    window.view.select_span(person_id)
    key(qtbot, window, Qt.Key.Key_S)  # a PERSON cannot be a quote's source end
    assert "starts at" in window.statusBar().currentMessage()
    assert window.controller.pending_relation is None

    window.view.select_span(quote_id)
    key(qtbot, window, Qt.Key.Key_S)
    assert "Pick target" in window.statusBar().currentMessage()
    assert "Esc cancels" in window.statusBar().currentMessage()
    click_span_at(qtbot, window.view, person_start + 2)
    qtbot.waitUntil(lambda: window.view.selected_span_id() == quote_id)
    key(qtbot, window, Qt.Key.Key_V)
    click_span_at(qtbot, window.view, said_start + 1)
    relations = stored_relations(project_path)
    assert [(r.type, r.source_id, r.target_id) for r in relations] == [
        ("source", quote_id, person_id), ("cue", quote_id, relations[1].target_id)]
    qtbot.waitUntil(lambda: window.view.selected_span_id() == quote_id)

    key(qtbot, window, Qt.Key.Key_A)  # claimant starts at a CLAIM, not a quote
    assert "CLAIM" in window.statusBar().currentMessage()
    key(qtbot, window, Qt.Key.Key_S)
    key(qtbot, window, Qt.Key.Key_Escape)
    assert window.controller.pending_relation is None

    # the panel lists both relations with delete buttons; deleting one is undoable
    from PySide6.QtWidgets import QToolButton
    buttons = window.span_panel.findChildren(QToolButton, "deleteRelation")
    assert len([b for b in buttons if b.isVisible()]) == 2
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    assert len(stored_relations(project_path)) == 1
    window.undo_action.trigger()
    assert len(stored_relations(project_path)) == 2


def test_attribute_and_note_through_the_panel(qtbot, window, project_path):
    select_substring(window.view, "“to act before 2030.”")
    key(qtbot, window, Qt.Key.Key_K)  # CLAIM: check_worthy defaults to unsure
    assert stored_spans(project_path)[0].attributes == {"check_worthy": "unsure"}
    combo = window.span_panel.attribute_widgets["check_worthy"]
    combo.setCurrentIndex(combo.findText("yes"))
    combo.activated.emit(combo.currentIndex())
    kind = window.span_panel.attribute_widgets["type"]
    kind.setCurrentIndex(kind.findText("prediction"))
    kind.activated.emit(kind.currentIndex())
    assert stored_spans(project_path)[0].attributes == {"check_worthy": "yes",
                                                        "type": "prediction"}
    note = window.span_panel.note
    note.setFocus()
    qtbot.keyClicks(note, "Check the 2030 targetx")
    qtbot.keyClick(note, Qt.Key.Key_Backspace)  # typing keys go to the editor, not shortcuts
    assert len(stored_spans(project_path)) == 1
    window.view.setFocus()  # focus out saves the note at once
    qtbot.waitUntil(lambda: stored_spans(project_path)[0].note == "Check the 2030 target")
    window.undo_action.trigger()
    assert stored_spans(project_path)[0].note == ""
    assert note.toPlainText() == ""


def test_snap_to_words_grows_a_partial_selection(qtbot, window, project_path):
    window.menu_actions["snap_words"].setChecked(True)
    start = TRICKY_TEXT.index("Ødegård")
    select_text(window.view, start + 2, start + 4)
    key(qtbot, window, Qt.Key.Key_1)
    assert stored_spans(project_path)[0].text == "Ødegård"


def test_second_fragment_makes_one_discontinuous_quote(qtbot, window, project_path):
    first = select_substring(window.view, "“We agreed,”")
    key(qtbot, window, Qt.Key.Key_Q)
    second = select_substring(window.view, "“to act before 2030.”")
    key(qtbot, window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    spans = stored_spans(project_path)
    assert len(spans) == 1
    assert spans[0].fragments == (first, second)
    assert spans[0].text == "“We agreed,” … “to act before 2030.”"
    window.undo_action.trigger()
    assert stored_spans(project_path)[0].fragments == (first,)


def test_mark_done_walk_documents_and_reopen(qtbot, tmp_path, window, project_path):
    select_text(window.view, 0, 3)
    key(qtbot, window, Qt.Key.Key_1)
    first_document = window.session.document_id
    key(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    with Project.open(project_path, read_only=True) as project:
        me = project.annotators.find(ANNOTATOR)
        assert project.statuses.get(first_document, me.id) is Status.DONE
    assert window.menu_actions["toggle_done"].isChecked()
    key(qtbot, window, Qt.Key.Key_PageDown)
    assert window.session.document_id != first_document
    assert window.document_label.text() == "doc 2 / 2"
    key(qtbot, window, Qt.Key.Key_PageUp)
    assert window.session.document_id == first_document
    key(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # back to in progress
    with Project.open(project_path, read_only=True) as project:
        assert project.statuses.get(first_document, me.id) is Status.IN_PROGRESS
    window.undo_action.trigger()
    window.close()

    reopened = open_window(qtbot, tmp_path, project_path)
    assert reopened.session.document_id == first_document  # the last document comes back
    assert [s.text for s in reopened.session.spans.values()] == ["Zoë"]
    assert reopened.menu_actions["toggle_done"].isChecked()
    reopened.close()


def test_tab_walks_spans_and_layers_hide(qtbot, window):
    for needle, label_key in (("Zürich", Qt.Key.Key_3), ("“We agreed,”", Qt.Key.Key_Q)):
        select_substring(window.view, needle)
        key(qtbot, window, label_key)
    window.view.select_span(None)
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)
    assert window.session.span(window.view.selected_span_id()).label == "GPE"
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)
    assert window.session.span(window.view.selected_span_id()).label == "DIRECT"
    assert window.span_panel.label_chip.text().startswith("DIRECT")
    window.schema_actions.layers["quote"].setChecked(False)
    assert window.view.spans_at(window.view.text().index("agreed")) == []
    window.schema_actions.layers["quote"].setChecked(True)
    assert len(window.view.spans_at(window.view.text().index("agreed"))) == 1


def test_other_annotators_spans_show_muted(qtbot, tmp_path, project_path):
    with Project.open(project_path) as project:
        other = project.annotator("someone else")
        project.add_span(1, other.id, "GPE", [(TRICKY_TEXT.index("Zürich"),
                                               TRICKY_TEXT.index("Zürich") + 6)])
    window = open_window(qtbot, tmp_path, project_path)
    assert window.session.spans == {}
    window.menu_actions["show_others"].setChecked(True)
    position = TRICKY_TEXT.index("Zürich") + 1
    assert [s.label for s in window.view.spans_at(position, include_muted=True)] == ["GPE"]
    assert window.view.spans_at(position) == []  # muted spans are not editable
    window.close()
