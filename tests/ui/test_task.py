"""The worker-thread helper: results arrive on the caller's thread, and `wait` returns as
soon as the task is done, even before the caller's event loop has run."""

from __future__ import annotations

import time

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject

from news_annotator.errors import ProjectError
from news_annotator_ui.task import Task


def test_wait_returns_when_the_task_ends_without_the_event_loop(qtbot):
    parent = QObject()
    task = Task(lambda: 42, parent)
    results = []
    task.finished.connect(results.append)
    task.start()
    started = time.monotonic()
    assert task.wait(10_000)
    assert time.monotonic() - started < 5  # not the full timeout
    qtbot.waitUntil(lambda: results == [42], timeout=2000)


def test_a_failure_arrives_as_its_message(qtbot):
    parent = QObject()

    def broken():
        raise ProjectError("disk on fire")

    task = Task(broken, parent)
    messages = []
    task.failed.connect(messages.append)
    task.start()
    assert task.wait(10_000)
    qtbot.waitUntil(lambda: messages == ["disk on fire"], timeout=2000)


def test_the_worker_is_not_destroyed_on_its_own_thread(qtbot):
    """Destroyed on its thread (deleteLater once the thread ended), the worker held Qt's
    connection lock while PySide waited for the interpreter, which the UI thread held
    while it waited for that lock: the suggestion tests hung once in a full run, and
    300 quick tasks beside a UI thread making labels hung within seconds. It now lives
    until its Task goes, on the thread that made it."""
    parent = QObject()
    task = Task(lambda: 42, parent)
    results = []
    task.finished.connect(results.append)
    task.start()
    assert task.wait(10_000)
    qtbot.waitUntil(lambda: results == [42], timeout=2000)
    for _ in range(3):  # whatever the ended thread or this loop still had to deliver
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert shiboken6.isValid(task.worker)
