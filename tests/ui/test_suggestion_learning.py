"""Learning and quality from the window: Learn now (a child process, with progress and
Cancel), learning again by itself after new work, and Review › Suggestion quality."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from news_annotator.project import Project
from tests.ui.test_suggestions import settle, switch_on
from tests.ui.window_fixtures import ANNOTATOR, make_project_file, open_window

TEXTS = tuple(f"Minister {name} visited {place} on {day}. {name} met officials in {place}."
              for name, place, day in (("Ana Lima", "Porto", "Monday"),
                                       ("Jon Berg", "Oslo", "Tuesday"),
                                       ("Eva Kral", "Brno", "Friday"),
                                       ("Ivo Sousa", "Braga", "Sunday")))


@pytest.fixture
def project_path(tmp_path):
    path = make_project_file(tmp_path / "learn.annotator", TEXTS)
    with Project.open(path) as project:  # the first two documents annotated already
        me = project.annotator(ANNOTATOR).id
        for document_id in sorted(project.documents.ids())[:2]:
            text = project.documents.text(document_id)
            name = text.split(" visited")[0].removeprefix("Minister ")
            place = text.split("visited ")[1].split(" on")[0]
            for needle, label in ((name, "PERSON"), (place, "GPE")):
                start = text.index(needle)
                project.add_span(document_id, me, label, [(start, start + len(needle))])
    return path


@pytest.fixture
def window(qtbot, tmp_path, project_path):
    switch_on(tmp_path, project_path, layers=["entity"])
    window = open_window(qtbot, tmp_path, project_path)
    settle(qtbot, window)
    yield window
    window.close()


def models(path) -> list[str]:
    with Project.open(path, read_only=True) as project:
        return project.suggestions.model_layers()


def test_learn_now_shows_progress_and_the_model_suggests(qtbot, window, project_path):
    part = window.suggestions
    window.open_document(window.corpus_model.document_id(3))
    settle(qtbot, window)
    assert [s.label for s in window.view.suggestions_in_order()] == []
    with qtbot.waitSignal(part.learner.finished, timeout=60000) as done:
        window.menu_actions["learn_now"].trigger()
        assert part.learner.dialog is not None and part.learner.dialog.isVisible()
        assert part.status.text() == "learning…"
    assert done.args[0] is True and done.args[1].startswith("Learned entity from 4 spans")
    assert part.learner.dialog is None
    assert models(project_path) == ["entity"]
    settle(qtbot, window)
    qtbot.waitUntil(lambda: {s.label for s in window.view.suggestions_in_order()}
                    >= {"PERSON", "GPE"}, timeout=5000)


def test_cancel_stops_learning_and_keeps_no_half_model(qtbot, window, project_path):
    part = window.suggestions
    with qtbot.waitSignal(part.learner.finished, timeout=60000) as done:
        window.menu_actions["learn_now"].trigger()
        button = part.learner.dialog.findChild(QPushButton)
        assert button.text() == "Cancel"
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert done.args == [False, "Learning cancelled"]
    assert models(project_path) == []
    assert not part.learner.running()


def test_new_work_is_learned_by_itself(qtbot, window, project_path):
    part = window.suggestions
    part.config = part.config.__class__(True, part.config.learn_from, ("entity",), 2)
    part.learn_timer.setInterval(50)  # instead of waiting for the user to pause
    document_id = window.corpus_model.document_id(2)
    window.open_document(document_id)
    text = window.view.text()
    with qtbot.waitSignal(part.learner.finished, timeout=60000) as done:
        for needle, label in (("Eva Kral", "PERSON"), ("Brno", "GPE")):
            start = text.index(needle)
            window.project.add_span(document_id, window.session.annotator_id, label,
                                    [(start, start + len(needle))])
    assert done.args[0] is True and "from 6 spans" in done.args[1]
    assert models(project_path) == ["entity"]


def test_quality_shows_precision_and_recall_per_label(qtbot, window):
    dialog = window.suggestions.show_quality()
    qtbot.waitUntil(lambda: dialog.run is not None, timeout=20000)
    rows = {dialog.labels.row_values(r)[0]: dialog.labels.row_values(r)
            for r in range(dialog.labels.rowCount())}
    # rules and the gazetteer only: names labelled in one document only do not count
    assert rows["entity / PERSON"][4:6] == (0, 2)  # suggested, accepted
    assert "2 documents" in dialog.status.text()
    dialog.close()
