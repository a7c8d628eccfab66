"""The review window: keys curate gold through the undo stack; the list drives the views."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from news_annotator.model import Status
from news_annotator.project import Project
from news_annotator.review.compare import DifferenceKind
from tests.ui.review_fixtures import seed_glacier
from tests.ui.window_fixtures import open_window

CTRL = Qt.KeyboardModifier.ControlModifier


def gold_spans(path) -> list[tuple[str, str]]:
    with Project.open(path, read_only=True) as project:
        gold = project.annotators.find("gold")
        if gold is None:
            return []
        return sorted((s.label, s.text) for s in project.spans.iter_all()
                      if s.annotator_id == gold.id)


def gold_status(path, document_id: int) -> Status:
    with Project.open(path, read_only=True) as project:
        gold = project.annotators.find("gold")
        return project.statuses.get(document_id, gold.id) if gold else Status.NEW


def open_review(qtbot, tmp_path, demo_project):
    document_id, alice, bob = seed_glacier(demo_project)
    window = open_window(qtbot, tmp_path, demo_project.path, document_id=document_id)
    qtbot.keyClick(window.view, Qt.Key.Key_R, CTRL)
    review = window.review_menu.review
    assert review is not None
    qtbot.waitExposed(review)
    review.activateWindow()
    qtbot.waitUntil(review.isActiveWindow)
    return window, review, document_id, alice, bob


def press(qtbot, review, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(review.table, key, modifier)


def test_review_defaults_and_lists_each_kind(qtbot, tmp_path, demo_project):
    window, review, document_id, alice, bob = open_review(qtbot, tmp_path, demo_project)
    assert review.document_id == document_id
    assert review.annotator_ids == [alice, bob]  # the two with most spans
    kinds = [d.kind for d in review.model.differences()]
    assert kinds == [DifferenceKind.ONLY_IN, DifferenceKind.LABEL, DifferenceKind.BOUNDARIES,
                     DifferenceKind.ONLY_IN]
    assert review.model.data(review.model.index(0, 0)) == "only in A"
    assert review.model.data(review.model.index(3, 0)) == "only in B"
    review.toolbar.agreed_box.setChecked(True)
    assert sum(d.kind is DifferenceKind.SAME for d in review.model.differences()) == 6


def test_selecting_a_difference_selects_it_in_every_view(qtbot, tmp_path, demo_project):
    window, review, *_ = open_review(qtbot, tmp_path, demo_project)
    press(qtbot, review, Qt.Key.Key_N)
    press(qtbot, review, Qt.Key.Key_N)
    difference = review.current_difference()
    assert difference.kind is DifferenceKind.BOUNDARIES
    for owner, column in zip(review.columns.owners[:2], review.columns.columns, strict=False):
        span = difference.spans_of(owner)[0]
        assert column.view.selected_span_id() == span.id
        assert span.text.endswith("Anna-Lena Hürlimann")
    press(qtbot, review, Qt.Key.Key_P)
    assert review.current_difference().kind is DifferenceKind.LABEL
    views = [c.view for c in review.columns.columns]
    views[0].verticalScrollBar().setValue(views[0].verticalScrollBar().maximum() // 2)
    tops = [v.cursorForPosition(QPoint(v.viewport().width() // 2, 4)).position() for v in views]
    assert tops[0] > 0 and max(tops) - min(tops) < 80  # the same line at the top of each


def test_keys_curate_gold_saved_at_once_and_undo(qtbot, tmp_path, demo_project):
    window, review, document_id, *_ = open_review(qtbot, tmp_path, demo_project)
    path = demo_project.path
    press(qtbot, review, Qt.Key.Key_A)  # only in A: Lukas Frei
    assert gold_spans(path) == [("PERSON", "Lukas Frei")]
    assert review.current_row() == 1  # moved on to the next difference
    press(qtbot, review, Qt.Key.Key_B)  # label differs: bob's LOC
    press(qtbot, review, Qt.Key.Key_2)  # boundaries: both versions
    press(qtbot, review, Qt.Key.Key_X)  # only in B (Alps): rejected
    after_keys = [("LOC", "Institute for Alpine Cryosphere Research"),
                  ("PERSON", "Anna-Lena Hürlimann"), ("PERSON", "Dr. Anna-Lena Hürlimann"),
                  ("PERSON", "Lukas Frei")]
    assert gold_spans(path) == after_keys
    assert review.model.data(review.model.index(3, review.model.columnCount() - 1)) == "✗ none"
    press(qtbot, review, Qt.Key.Key_G)  # the six agreed spans
    assert len(gold_spans(path)) == 10
    assert ("GPE", "ZURICH") in gold_spans(path)
    assert gold_status(path, document_id) is Status.IN_PROGRESS
    press(qtbot, review, Qt.Key.Key_Return, CTRL)
    assert gold_status(path, document_id) is Status.DONE
    assert "done" in review.gold_label.text()

    press(qtbot, review, Qt.Key.Key_Z, CTRL)  # finish
    assert gold_status(path, document_id) is Status.IN_PROGRESS
    press(qtbot, review, Qt.Key.Key_Z, CTRL)  # accept agreed
    assert gold_spans(path) == after_keys
    press(qtbot, review, Qt.Key.Key_Z, CTRL)  # reject (nothing was in gold)
    press(qtbot, review, Qt.Key.Key_Z, CTRL)  # both
    assert ("PERSON", "Anna-Lena Hürlimann") not in gold_spans(path)
    qtbot.waitUntil(lambda: review.model.gold(2).empty)  # the list follows (coalesced)
    press(qtbot, review, Qt.Key.Key_Y, CTRL)  # redo: both again
    assert len(gold_spans(path)) == 4
    qtbot.waitUntil(lambda: review.model.gold(2).accepted == tuple(review.annotator_ids))
    gold_column = review.columns.column_of(None)
    assert len(gold_column.view.spans_at(review.model.difference(2).start + 5)) >= 1


def test_gold_column_and_main_window_share_the_undo_stack(qtbot, tmp_path, demo_project):
    window, review, *_ = open_review(qtbot, tmp_path, demo_project)
    press(qtbot, review, Qt.Key.Key_A)
    assert review.model.data(review.model.index(0, review.model.columnCount() - 1)) == "✓ A"
    assert window.stack.count() == 1 and review.stack is window.stack
    window.stack.undo()
    qtbot.waitUntil(lambda: review.model.gold(0).empty)
    assert gold_spans(demo_project.path) == []


def test_review_window_closes_with_the_project(qtbot, tmp_path, demo_project):
    window, review, *_ = open_review(qtbot, tmp_path, demo_project)
    window.close_project()
    qtbot.waitUntil(lambda: window.review_menu.review is None)
