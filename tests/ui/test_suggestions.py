"""Suggestions in the real window: drawn dashed, walked and answered with keys, undone,
offered at every occurrence, proposed off the UI thread, remembered when rejected, and
never exported or compared as anyone's work."""

from __future__ import annotations

import json
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QToolButton

from news_annotator.project import Project
from news_annotator_ui.suggestion_config import SHOW_SUGGESTIONS, SUGGESTION_PROJECTS
from tests.ui.window_fixtures import (
    ANNOTATOR,
    click_span_at,
    make_project_file,
    open_window,
    select_substring,
    temporary_settings,
)

QUOTES = ("“We agreed,” Ana Lima said, “to act before winter.” Officials said that the "
          "council would meet on Monday.")
REPEATS = ("NATO met in Brussels. The NATO Council said nothing. NATOs are no word, "
           "nato is no name, and NATO is.")
PLAIN = "The river rose by two metres overnight in the lower town."


@pytest.fixture
def project_path(tmp_path):
    return make_project_file(tmp_path / "work.annotator", (QUOTES, REPEATS, PLAIN))


def switch_on(tmp_path, project_path, **config) -> None:
    """Turn suggestions on for the project in the settings the window will read."""
    settings = temporary_settings(tmp_path)
    settings.set(SUGGESTION_PROJECTS, {str(project_path.resolve()): {"enabled": True,
                                                                     **config}})
    settings.sync()


@pytest.fixture
def window(qtbot, tmp_path, project_path):
    switch_on(tmp_path, project_path)
    window = open_window(qtbot, tmp_path, project_path)
    settle(qtbot, window)
    yield window
    window.close()


def settle(qtbot, window) -> None:
    """Wait until the worker has answered for the open document."""
    part = window.suggestions
    qtbot.waitUntil(lambda: part.worker is not None and not part.worker.busy()
                    and part.last_latency is not None, timeout=5000)


def key(qtbot, window, which, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window, which, modifier)


def shown(window) -> list[tuple[str, str]]:
    return [(s.label, s.text) for s in window.view.suggestions_in_order()]


def stored(path, name: str) -> list[tuple[str, str]]:
    with Project.open(path, read_only=True) as project:
        who = project.annotators.find(name)
        if who is None:
            return []
        return sorted((s.label, s.text) for s in project.spans.iter_all([who.id]))


def current(window) -> tuple[str, str] | None:
    span = window.suggestions.keys.current()
    return (span.label, span.text) if span is not None else None


def test_a_document_opens_with_its_suggestions_drawn_dashed(qtbot, window):
    assert shown(window) == [("DIRECT", "“We agreed,” … “to act before winter.”"),
                             ("PERSON", "Ana Lima"), ("CUE", "said"), ("PERSON", "Officials"),
                             ("CUE", "said"),
                             ("INDIRECT", "that the council would meet on Monday")]
    assert window.session.spans == {}  # nobody's work yet
    assert window.suggestions.status.text() == "6 suggestions"
    # drawn: a dashed outline in the label's colour, no fill inside, no underline lane
    view = window.view
    span = view.suggestions_in_order()[1]  # Ana Lima
    block = view.document().findBlock(view.offsets().to_qt(span.start))
    line = block.layout().lineAt(0)
    image, _x = view._line_layer(block, 0, line, 1.0)
    x_of = line.cursorToX(view.offsets().to_qt(span.start))[0] - line.x() + 4
    x_to = line.cursorToX(view.offsets().to_qt(span.end))[0] - line.x() + 4
    outline = [image.pixelColor(int(x), 1) for x in range(int(x_of) + 4, int(x_to) - 4)]
    inside = image.pixelColor(int((x_of + x_to) / 2), int(line.height() / 2))
    band = image.pixelColor(int((x_of + x_to) / 2), int(line.height()) + 2)
    person = QColor(window.project.schema.layer("entity").label("PERSON").color)
    assert any(c.alpha() > 100 and abs(c.hue() - person.hue()) < 20 for c in outline)
    assert min(c.alpha() for c in outline) < 60  # dashes have gaps
    assert inside.alpha() == 0 and band.alpha() == 0


def test_opening_returns_at_once_and_suggestions_follow_from_the_worker(qtbot, window):
    repeats = window.corpus_model.document_id(1)
    began = time.perf_counter()
    window.open_document(repeats)
    opened = time.perf_counter() - began
    assert window.suggestions.worker.busy()  # proposing happens on the worker thread
    assert window.view.suggestions_in_order() == []  # not yet
    with qtbot.waitSignal(window.suggestions.shown, timeout=3000):
        pass
    latency = window.suggestions.shown_at - began
    print(f"opening took {opened * 1e3:.1f} ms; suggestions shown "
          f"{latency * 1e3:.1f} ms after the open began")
    assert ("ORG", "NATO") not in shown(window)  # no gazetteer entry yet, no model
    assert latency < 1.0  # the target is 200 ms; generous for a loaded test machine


def test_walk_accept_reject_and_undo_redo_each(qtbot, window, project_path):
    key(qtbot, window, Qt.Key.Key_N)
    assert current(window) == ("DIRECT", "“We agreed,” … “to act before winter.”")
    key(qtbot, window, Qt.Key.Key_N)
    key(qtbot, window, Qt.Key.Key_P)
    assert current(window)[0] == "DIRECT"
    key(qtbot, window, Qt.Key.Key_Return)  # the quote, with its cue and source
    assert stored(project_path, ANNOTATOR) == [
        ("CUE", "said"), ("DIRECT", "“We agreed,” … “to act before winter.”"),
        ("PERSON", "Ana Lima")]
    assert [r.type for r in window.session.relations] == ["cue", "source"] or \
        sorted(r.type for r in window.session.relations) == ["cue", "source"]
    assert current(window) == ("PERSON", "Officials")  # on to the next one
    key(qtbot, window, Qt.Key.Key_X)
    assert ("PERSON", "Officials") not in shown(window)
    assert len(window.project.suggestions.rejected()) == 1
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo reject
    assert ("PERSON", "Officials") in shown(window)
    assert window.project.suggestions.rejected() == set()
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo accept
    assert stored(project_path, ANNOTATOR) == []
    assert len(shown(window)) == 6
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.ShiftModifier)  # redo accept
    assert len(stored(project_path, ANNOTATOR)) == 3 and len(shown(window)) == 3
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.ShiftModifier)  # redo reject
    assert ("PERSON", "Officials") not in shown(window)
    assert len(window.project.suggestions.rejected()) == 1


def test_a_part_is_accepted_alone_and_all_of_a_label_at_once(qtbot, window, project_path):
    key(qtbot, window, Qt.Key.Key_N)
    key(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert stored(project_path, ANNOTATOR) == [("DIRECT", "“We agreed,” … “to act before "
                                                          "winter.”")]
    assert window.session.relations == []
    view = window.view
    view.select_suggestion(next(s.id for s in view.suggestions_in_order() if s.label == "CUE"))
    key(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert [label for label, _ in stored(project_path, ANNOTATOR)].count("CUE") == 2
    assert "CUE" not in [label for label, _ in shown(window)]
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [label for label, _ in shown(window)].count("CUE") == 2
    assert [label for label, _ in stored(project_path, ANNOTATOR)] == ["DIRECT"]
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.ShiftModifier)
    assert [label for label, _ in stored(project_path, ANNOTATOR)].count("CUE") == 2


def test_labelling_a_span_offers_its_other_occurrences(qtbot, window, project_path):
    window.open_document(window.corpus_model.document_id(1))
    settle(qtbot, window)
    select_substring(window.view, "NATO Council")
    key(qtbot, window, Qt.Key.Key_2)  # ORG
    select_substring(window.view, "NATO")
    with qtbot.waitSignal(window.suggestions.shown, timeout=3000):
        key(qtbot, window, Qt.Key.Key_2)
    # whole words, case-aware, never inside the longer ORG span
    text = window.view.text()
    offered = [(s.label, s.start) for s in window.view.suggestions_in_order()]
    assert offered == [("ORG", text.rindex("NATO"))]
    window.view.setFocus()
    key(qtbot, window, Qt.Key.Key_N)
    key(qtbot, window, Qt.Key.Key_Return)
    assert stored(project_path, ANNOTATOR) == [("ORG", "NATO"), ("ORG", "NATO"),
                                               ("ORG", "NATO Council")]
    assert window.suggestions.status.text() == "0 suggestions"


def test_a_rejected_suggestion_stays_rejected_after_reopening(qtbot, tmp_path, window,
                                                              project_path):
    key(qtbot, window, Qt.Key.Key_N)
    key(qtbot, window, Qt.Key.Key_N)
    assert current(window) == ("PERSON", "Ana Lima")
    key(qtbot, window, Qt.Key.Key_X)
    window.close()
    again = open_window(qtbot, tmp_path, project_path)
    settle(qtbot, again)
    assert ("PERSON", "Ana Lima") not in shown(again)
    assert len(shown(again)) == 5
    again.close()


def test_export_writes_accepted_work_only(qtbot, window, tmp_path):
    key(qtbot, window, Qt.Key.Key_N)
    key(qtbot, window, Qt.Key.Key_N)
    key(qtbot, window, Qt.Key.Key_Return)  # Ana Lima, on her own
    dialog = window.files.export_dialog()
    items = {dialog.annotator_list.item(r).text(): dialog.annotator_list.item(r).checkState()
             for r in range(dialog.annotator_list.count())}
    assert items == {ANNOTATOR: Qt.CheckState.Checked,
                     "suggestions": Qt.CheckState.Unchecked}
    out = tmp_path / "out.json"
    dialog.set_output(out)
    assert dialog.start(), dialog.error
    qtbot.waitUntil(lambda: dialog.result_count is not None or bool(dialog.error),
                    timeout=10000)
    dialog.wait()
    assert not dialog.error
    exported = json.loads(out.read_text("utf-8"))
    spans = [(s["annotator"], s["label"], s["text"]) for d in exported["documents"]
             for s in d["spans"]]
    assert spans == [(ANNOTATOR, "PERSON", "Ana Lima")]
    assert "suggestions" not in json.dumps(exported["annotators"])


def test_agreement_leaves_suggestions_out_unless_asked(qtbot, window, project_path):
    from news_annotator_ui.review.agreement_window import compute_report

    key(qtbot, window, Qt.Key.Key_N)
    key(qtbot, window, Qt.Key.Key_Return)
    report = compute_report(project_path, None, None)
    assert "suggestions" not in report["annotators"]
    asked = compute_report(project_path, None, [ANNOTATOR, "suggestions"])
    assert asked["annotators"] == [ANNOTATOR, "suggestions"]


def test_enter_belongs_to_the_document(qtbot, window, project_path):
    key(qtbot, window, Qt.Key.Key_N)
    window.corpus_panel.filter_box.setFocus()
    qtbot.keyClick(window.corpus_panel.filter_box, Qt.Key.Key_Return)
    assert stored(project_path, ANNOTATOR) == []
    window.view.setFocus()
    key(qtbot, window, Qt.Key.Key_Return)
    assert len(stored(project_path, ANNOTATOR)) == 3


def test_hiding_suggestions_is_remembered(qtbot, tmp_path, window, project_path):
    window.menu_actions["show_suggestions"].setChecked(False)
    assert shown(window) == []
    assert temporary_settings(tmp_path).get(SHOW_SUGGESTIONS) is False
    key(qtbot, window, Qt.Key.Key_N)
    assert current(window) is None
    window.menu_actions["show_suggestions"].setChecked(True)
    settle(qtbot, window)
    assert len(shown(window)) == 6


def test_a_project_without_suggestions_gets_none_until_asked(qtbot, tmp_path, project_path):
    window = open_window(qtbot, tmp_path, project_path)
    assert not window.menu_actions["suggest_enabled"].isChecked()
    assert window.suggestions.status.text() == "suggestions off"
    assert stored(project_path, "suggestions") == []
    with qtbot.waitSignal(window.suggestions.shown, timeout=3000):
        window.menu_actions["suggest_enabled"].setChecked(True)
    assert len(shown(window)) == 6
    window.close()


def test_help_lists_the_suggestion_keys(window):
    rows = dict(dict(window.shortcut_sections())["Suggestions"])
    assert rows["N"] == "Next suggestion" and rows["X"] == "Reject suggestion"
    assert rows["Enter"] == "Accept suggestion"
    assert rows["Shift+Enter"] == "Accept all of this label"


def test_a_click_on_a_suggestion_makes_it_current(qtbot, window):
    text = window.view.text()
    click_span_at(qtbot, window.view, text.index("Ana Lima") + 2)
    assert current(window) == ("PERSON", "Ana Lima")
    assert window.view.selected_span_id() is None
    click_span_at(qtbot, window.view, text.index("before") + 1)  # inside the quote
    assert current(window)[0] == "DIRECT"


def test_suggestions_never_show_among_other_annotators_work(qtbot, window):
    window.menu_actions["show_others"].setChecked(True)
    assert window.session.muted == []
    position = window.view.text().index("Ana Lima")
    assert window.view.spans_at(position, include_muted=True) == []
    assert [s.label for s in window.view.spans_at(position, include_suggested=True)] == [
        "PERSON"]
    assert len(shown(window)) == 6


def test_the_span_panel_shows_the_current_suggestion_and_its_frame(qtbot, window):
    """Deciding on a suggestion: its label, text and the cue and source it comes with are
    in the span panel (read-only), with the keys; the user's own span comes back after."""
    panel = window.span_panel
    key(qtbot, window, Qt.Key.Key_N)
    assert current(window)[0] == "DIRECT"
    assert panel.title.text() == "Suggestion" and panel.details.isVisible()
    assert panel.label_chip.text().startswith("DIRECT")
    assert panel.span_text.text() == "“We agreed,” … “to act before winter.”"
    rows = [panel.relations_box.itemAt(i).widget().findChild(QLabel).text()
            for i in range(panel.relations_box.count())]
    assert any("cue →" in row and "said" in row for row in rows), rows
    assert any("source →" in row and "Ana Lima" in row for row in rows), rows
    assert "Enter accepts it with its cue, source" in panel.hint.text()
    assert not panel.note.isVisible() and not panel.form_host.isVisible()
    deletes = [b for b in panel.findChildren(QToolButton)
               if b.objectName() == "deleteRelation" and b.isVisible()]
    assert deletes == []  # nothing to delete: it is nobody's work yet
    key(qtbot, window, Qt.Key.Key_Return)  # accepted: the next one is current
    assert panel.title.text() == "Suggestion" and current(window) == ("PERSON", "Officials")
    text = window.view.text()
    click_span_at(qtbot, window.view, text.index("agreed") + 1)  # the user's span now
    assert current(window) is None
    assert panel.title.text() == "Selected span" and panel.note.isVisible()
    assert panel.span_text.text() == "“We agreed,” … “to act before winter.”"


def test_the_span_panel_keeps_the_current_suggestion_through_undo(qtbot, window):
    """Seen by hand: after a reject was undone the status bar named the current
    suggestion while the panel had gone back to "Select text…"."""
    panel = window.span_panel
    key(qtbot, window, Qt.Key.Key_N)
    key(qtbot, window, Qt.Key.Key_Return)  # accepted: the next one is current
    key(qtbot, window, Qt.Key.Key_X)  # rejected: the one after it is current
    now = current(window)
    assert now is not None and panel.title.text() == "Suggestion"
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo reject
    assert current(window) == now
    assert panel.title.text() == "Suggestion" and panel.span_text.text() == now[1]
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo accept
    assert current(window) == now
    assert panel.title.text() == "Suggestion" and panel.span_text.text() == now[1]
