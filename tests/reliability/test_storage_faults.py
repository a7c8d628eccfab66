"""Storage faults: old and new formats, backups, a vanished file, a full disk, two writers."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest

from news_annotator.backup import backup_project, rolling_backup
from news_annotator.errors import ProjectError
from news_annotator.model import NewDocument
from news_annotator.project import Project
from news_annotator.store.database import FORMAT_VERSION

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_old_version_migrates_after_a_backup(tmp_path):
    path = tmp_path / "old.annotator"
    shutil.copy(FIXTURES / "project-v1.annotator", path)
    with Project.open(path) as project:
        assert project.db.format_version() == FORMAT_VERSION > 1
        span = project.spans.for_document(project.documents.id_for_uid("old-1"))[0]
        assert span.text == "Anna Dvořák"
        indexes = {r[0] for r in project.db.query("SELECT name FROM sqlite_master "
                                                  "WHERE type = 'index'")}
        assert "documents_published" not in indexes  # version 2 made it; 3 makes it lazily
    backup = tmp_path / "old.annotator.v1.bak"
    assert backup.exists()
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


def test_backup_while_another_connection_writes(tmp_path):
    path = tmp_path / "live.annotator"
    writer = Project.create(path)
    stop = threading.Event()

    def keep_writing() -> None:
        other = Project.open(path)
        i = 0
        while not stop.is_set():
            with other.transaction():
                other.documents.insert_many([NewDocument(text=f"story {i}")])
            i += 1
        other.close()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        copies = [backup_project(path, tmp_path / f"copy{i}.annotator") for i in range(5)]
    finally:
        stop.set()
        thread.join()
    writer.close()
    for copy in copies:
        with Project.open(copy) as project:
            assert project.db.query("PRAGMA integrity_check").fetchone()[0] == "ok"
    with pytest.raises(ProjectError, match="already exists"):
        backup_project(path, copies[0])


def test_rolling_backups_keep_the_last_days(tmp_path):
    with Project.create(tmp_path / "p.annotator") as project:
        folder = tmp_path / "backups"
        start = date(2026, 11, 1)
        for day in range(10):
            rolling_backup(project.db, keep_days=3, folder=folder,
                           today=start + timedelta(days=day))
        assert rolling_backup(project.db, keep_days=3, folder=folder,
                              today=start + timedelta(days=9)) is None  # once a day
        kept = sorted(p.stem for p in folder.glob("*.annotator"))
        assert kept == ["2026-11-08", "2026-11-09", "2026-11-10"]


def test_deleted_file_is_noticed_and_work_can_still_be_saved(tmp_path):
    path = tmp_path / "p.annotator"
    project = Project.create(path)
    me = project.annotator("me")
    path.unlink()
    with pytest.raises(ProjectError, match="deleted or moved while open"):
        project.annotator("someone else")
    rescued = project.db.backup_to(tmp_path / "rescued.annotator")
    project.close()
    with Project.open(rescued) as again:
        assert again.annotators.find("me") == me


def test_full_disk_is_a_clear_error_and_loses_nothing(tmp_path):
    path = tmp_path / "p.annotator"
    with Project.create(path) as project:
        with project.transaction():
            project.documents.insert_many([NewDocument(text="kept")])
        pages = project.db.query("PRAGMA page_count").fetchone()[0]
        project.db.query(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(ProjectError, match="could not save.*full"), project.transaction():
            project.documents.insert_many(NewDocument(text="x" * 100_000 + str(i))
                                          for i in range(50))
        assert project.documents.count() == 1
    with Project.open(path) as again:
        assert again.documents.count() == 1


def test_two_writers_on_one_file_neither_fails(tmp_path):
    path = tmp_path / "shared.annotator"
    with Project.create(path) as project, project.transaction():
        project.documents.insert_many([NewDocument(text="A shared article " * 20)])
    errors: list[BaseException] = []

    def annotate(name: str) -> None:
        try:
            with Project.open(path) as mine:
                me = mine.annotator(name)
                doc = mine.documents.ids()[0]
                for i in range(150):
                    mine.add_span(doc, me.id, "PERSON", [(i % 50, i % 50 + 5)])
        except BaseException as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)

    threads = [threading.Thread(target=annotate, args=(f"annotator-{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Project.open(path) as project:
        assert project.spans.count() == 450
