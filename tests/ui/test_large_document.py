"""A 50 MB article opens without freezing the window, and keys stay cheap in it."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QApplication

from news_annotator.model import NewDocument
from news_annotator.project import Project
from news_annotator_ui.annotation_controller import step_edge
from tests.ui.window_fixtures import ANNOTATOR, TRICKY_TEXT, open_window

PARAGRAPH = ("Zoë said “we agreed to act before 2030” in Zürich 😊 on Monday, the ministry "
             "added. " * 12 + "\n\n")
SIZE = 50_000_000


def big_text() -> str:
    return PARAGRAPH * (SIZE // len(PARAGRAPH))


def test_a_50_mb_article_returns_to_the_event_loop_quickly(qtbot, tmp_path):
    path = tmp_path / "big.annotator"
    text = big_text()
    with Project.create(path) as project, project.transaction():
        project.documents.insert_many([NewDocument(text=TRICKY_TEXT, title="small", uid="s"),
                                       NewDocument(text=text, title="huge", uid="h")])
    window = open_window(qtbot, tmp_path, path)
    big_id = window.corpus_model.document_id(1)
    started = time.perf_counter()
    window.open_document(big_id)
    opened = time.perf_counter() - started
    started = time.perf_counter()
    QApplication.processEvents()  # the first paint: layout is lazy, only what is in view
    window.view.viewport().repaint()
    first_paint = time.perf_counter() - started
    print(f"\n50 MB article: open {opened:.2f} s, next event-loop turn + paint "
          f"{first_paint * 1000:.0f} ms")
    assert len(window.view.text()) == len(text)
    # Before formatting moved into one edit block this took over ten minutes (quadratic).
    assert opened < 8.0
    assert first_paint < 1.0
    with Project.open(path) as other:  # a span near the end still lands in the view
        me = other.annotator(ANNOTATOR)
        start = len(text) - 40
        other.add_span(big_id, me.id, "OTHER", [(start, start + 5)])
    window.reliability.watcher.poll()
    assert [s.start for s in window.view.spans_at(start + 1)] == [start]
    window.close()


def test_word_steps_look_only_near_the_cursor():
    text = big_text()
    middle = len(text) // 2
    started = time.perf_counter()
    for direction in (1, -1):
        for edge in ("start", "end"):
            step_edge(text, middle, direction, by_word=True, edge=edge)
    assert time.perf_counter() - started < 0.05
