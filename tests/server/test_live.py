"""Live: an open team project hears others' commits through LISTEN/NOTIFY, and the app
shows their new work within about two seconds."""

from __future__ import annotations

import time


def test_others_commits_are_heard_and_ours_are_not(team):
    with team.open("alice") as mine, team.open("bob") as theirs:
        seen = mine.data_version()
        document = mine.documents.ids()[0]
        me = mine.annotator("alice")
        mine.add_span(document, me.id, "GPE", [(0, 8)])
        time.sleep(0.2)
        assert mine.data_version() == seen  # our own commit is not news
        bob = theirs.annotator("bob")
        started = time.monotonic()
        theirs.add_span(document, bob.id, "GPE", [(0, 8)])
        while mine.data_version() == seen and time.monotonic() - started < 2:
            time.sleep(0.01)
        assert mine.data_version() > seen
        assert mine.change_socket() is not None


def test_the_window_shows_another_annotators_new_span_within_two_seconds(team, qtbot,
                                                                       tmp_path):
    from news_annotator_ui.main_window import MainWindow
    from tests.ui.window_fixtures import temporary_settings

    window = MainWindow(temporary_settings(tmp_path), annotator_name="someone")
    qtbot.addWidget(window)
    assert window.open_path(team.url("alice"))
    assert window.project.own_annotator == "alice"
    assert "alice" in window.annotator_label.text()
    assert window.reliability.watcher.notifier is not None  # woken by the server
    window.session.set_show_others(True)
    document = window.session.document_id
    with team.open("bob") as theirs:
        bob = theirs.annotator("bob")
        started = time.monotonic()
        span = theirs.add_span(document, bob.id, "ORG", [(0, 8)], uid="bob-live")
    qtbot.waitUntil(lambda: span.id in {s.id for s in window.session.muted}, timeout=2000)
    assert time.monotonic() - started < 2
    window.close()
