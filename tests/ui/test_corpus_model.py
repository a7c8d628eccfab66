"""The corpus list model: Qt's model checks, lazy loading, filtering, sorting, refresh."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QPoint, Qt

from news_annotator.model import NewDocument, Status
from news_annotator.project import Project
from news_annotator_ui.corpus_model import (
    BLOCK_SIZE,
    SPANS_COLUMN,
    STATUS_COLUMN,
    TITLE_COLUMN,
    CorpusModel,
)
from news_annotator_ui.settings import Settings

LARGE = 100_000


@pytest.fixture(scope="module")
def large_project_path(tmp_path_factory):
    """100,000 short articles, built in one transaction (a few seconds)."""
    path = tmp_path_factory.mktemp("large") / "large.annotator"
    words = ("council budget harbour ministry glacier court tenants marathon river "
             "inflation election drought vaccine railway strike summit").split()
    with Project.create(path) as project, project.transaction():
        project.documents.insert_many(
            NewDocument(text=f"Article {i}: the {words[i % len(words)]} story. " * 4,
                        title=f"{words[(i * 7) % len(words)].title()} report {i:06d}",
                        uid=f"large-{i}", source=f"Wire {i % 13}",
                        published=f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}")
            for i in range(LARGE))
    return path


def test_demo_project_model_passes_qt_checks(qapp, qtmodeltester, demo_project):
    me = demo_project.annotator("tester")
    model = CorpusModel(demo_project, me.id)
    qtmodeltester.check(model)
    assert model.rowCount() == demo_project.documents.count() > 10
    model.sort(TITLE_COLUMN, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    titles = [model.index(r, TITLE_COLUMN).data() for r in range(model.rowCount())]
    assert titles == sorted(titles, key=str.lower, reverse=True)
    model.set_query("glacier")
    qtmodeltester.check(model)
    assert 0 < model.rowCount() < demo_project.documents.count()


def test_model_follows_span_and_status_changes(qtbot, demo_project):
    me = demo_project.annotator("tester")
    model = CorpusModel(demo_project, me.id)
    first = model.document_id(0)
    doc = demo_project.documents.get(first)
    with qtbot.waitSignal(model.dataChanged):
        demo_project.add_span(first, me.id, "PERSON", [(0, 5)])
    assert model.index(0, SPANS_COLUMN).data() == "1"
    with qtbot.waitSignal(model.dataChanged):
        demo_project.set_status(first, me.id, Status.DONE)
    assert model.index(0, STATUS_COLUMN).data(Qt.ItemDataRole.ToolTipRole) == "done"
    assert doc is not None


def test_bad_query_reports_instead_of_raising(qtbot, demo_project):
    model = CorpusModel(demo_project, None)
    total = model.rowCount()
    with qtbot.waitSignal(model.filter_failed):
        model.set_query('"unbalanced')
    assert model.rowCount() == total


def test_large_project_model_is_lazy(qapp, qtmodeltester, large_project_path):
    with Project.open(large_project_path) as project:
        model = CorpusModel(project, None)
        assert model.rowCount() == LARGE
        model.index(LARGE - 1, TITLE_COLUMN).data()
        model.index(0, TITLE_COLUMN).data()
        assert model.rows_fetched <= 2 * BLOCK_SIZE  # two blocks, not 100,000 rows
        model.sort(TITLE_COLUMN)
        assert model.index(0, TITLE_COLUMN).data().startswith("Budget report")
        model.set_query("glacier")
        assert 0 < model.rowCount() < LARGE
        model.set_query("")
        qtmodeltester.check(model)  # touches every row the checks ask for, still lazily
        assert model.cached_rows() <= 40 * BLOCK_SIZE


def test_open_large_project_and_show_first_document_fast(qtbot, tmp_path, large_project_path):
    from PySide6.QtCore import QSettings

    from news_annotator_ui.main_window import MainWindow

    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    started = time.perf_counter()
    window = MainWindow(settings, annotator_name="tester")
    qtbot.addWidget(window)
    window.open_path(large_project_path)
    window.show()
    qtbot.waitExposed(window)
    elapsed = time.perf_counter() - started
    assert window.view.text().startswith("Article 0:")
    assert window.document_label.text() == "doc 1 / 100,000"
    assert window.corpus_model.rows_fetched < 1_000
    assert elapsed < 3.0, f"opening 100,000 documents took {elapsed:.2f} s"
    print(f"open 100k project + first document: {elapsed * 1000:.0f} ms")
    window.close()


def test_curated_documents_show_a_gold_star(qtbot, demo_project):
    from news_annotator.model import GOLD_ANNOTATOR

    model = CorpusModel(demo_project, demo_project.annotator("me").id)
    first = model.index(0, TITLE_COLUMN)
    assert model.data(first, Qt.ItemDataRole.DecorationRole) is None
    gold = demo_project.annotator(GOLD_ANNOTATOR)
    demo_project.set_status(demo_project.documents.ids()[0], gold.id, Status.DONE)
    assert model.data(model.index(0, TITLE_COLUMN), Qt.ItemDataRole.DecorationRole) is not None
    assert "curated" in model.data(model.index(0, TITLE_COLUMN), Qt.ItemDataRole.ToolTipRole)


def click_header(qtbot, panel, column: int) -> None:
    """Click a column header of the real list view, as a user sorts it."""
    header = panel.view.horizontalHeader()
    middle = QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) // 2,
                    header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=middle)


def listed_ids(model) -> list[int]:
    return [model.document_id(row) for row in range(model.rowCount())]


@pytest.fixture
def corpus_panel(qtbot, demo_project):
    """The corpus dock over the demo project (30 documents) for annotator 'me'."""
    from news_annotator_ui.corpus_panel import CorpusPanel

    panel = CorpusPanel()
    qtbot.addWidget(panel)
    model = CorpusModel(demo_project, demo_project.annotator("me").id)
    panel.set_model(model)
    panel.resize(420, 600)
    panel.show()
    qtbot.waitExposed(panel)
    yield panel
    model.detach()


def test_clicking_the_spans_header_sorts_by_span_count(qtbot, demo_project, corpus_panel):
    me, other = demo_project.annotator("me").id, demo_project.annotator("other").id
    ids = demo_project.documents.ids()
    for document_id, spans in ((ids[3], 3), (ids[1], 2), (ids[5], 1), (ids[0], 1)):
        for k in range(spans):
            demo_project.add_span(document_id, me, "PERSON", [(k, k + 1)])
    for k in range(5):  # another annotator's spans are not counted in my list
        demo_project.add_span(ids[7], other, "PERSON", [(k, k + 1)])
    unannotated = [i for i in ids if i not in (ids[0], ids[1], ids[3], ids[5])]
    model, header = corpus_panel.model, corpus_panel.view.horizontalHeader()

    click_header(qtbot, corpus_panel, SPANS_COLUMN)
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == \
        (SPANS_COLUMN, Qt.SortOrder.AscendingOrder)
    # Unannotated first, in id order; ties (ids[0] and ids[5]) in id order too (and in
    # reverse id order when the sort is reversed: a column's index serves both ways).
    assert listed_ids(model) == unannotated + [ids[0], ids[5], ids[1], ids[3]]
    click_header(qtbot, corpus_panel, SPANS_COLUMN)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert listed_ids(model) == [ids[3], ids[1], ids[5], ids[0]] + unannotated[::-1]
    assert [model.index(row, SPANS_COLUMN).data() for row in range(5)] == \
        ["3", "2", "1", "1", ""]


def test_clicking_the_status_header_sorts_in_order_of_work(qtbot, demo_project,
                                                           corpus_panel):
    me = demo_project.annotator("me").id
    ids = demo_project.documents.ids()
    demo_project.set_status(ids[2], me, Status.DONE)
    demo_project.set_status(ids[9], me, Status.DONE)
    demo_project.set_status(ids[4], me, Status.IN_PROGRESS)
    demo_project.set_status(ids[0], me, Status.NEW)  # an explicit 'new' is new like none
    demo_project.set_status(ids[6], demo_project.annotator("other").id, Status.DONE)
    model = corpus_panel.model

    click_header(qtbot, corpus_panel, STATUS_COLUMN)
    fresh = [i for i in ids if i not in (ids[2], ids[4], ids[9])]
    assert listed_ids(model) == fresh + [ids[4], ids[2], ids[9]]
    click_header(qtbot, corpus_panel, STATUS_COLUMN)
    assert listed_ids(model) == [ids[9], ids[2], ids[4]] + fresh[::-1]
    assert [model.index(row, STATUS_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
            for row in range(4)] == ["done", "done", "in progress", "new"]
    with qtbot.waitSignal(model.layoutChanged):  # finishing a document moves it up
        demo_project.set_status(fresh[-1], me, Status.DONE)
    assert listed_ids(model)[:4] == [fresh[-1], ids[9], ids[2], ids[4]]


def test_annotating_moves_the_document_in_a_spans_sort(qtbot, demo_project, corpus_panel):
    """A span changes the sort key: the list is read again (no row shown twice or lost)
    and the selection stays on the document, not on whichever took its row."""
    me = demo_project.annotator("me").id
    ids = demo_project.documents.ids()
    demo_project.add_span(ids[0], me, "PERSON", [(0, 5)])
    demo_project.add_span(ids[0], me, "PERSON", [(6, 9)])
    model = corpus_panel.model
    model.sort(SPANS_COLUMN, Qt.SortOrder.DescendingOrder)
    assert listed_ids(model)[:3] == [ids[0], ids[-1], ids[-2]]
    corpus_panel.show_document(ids[4])
    assert corpus_panel.view.currentIndex().row() == len(ids) - 4

    with qtbot.waitSignal(model.layoutChanged):
        demo_project.add_span(ids[4], me, "PERSON", [(0, 5)])
    assert listed_ids(model) == [ids[0], ids[4]] + [i for i in ids[::-1]
                                                    if i not in (ids[0], ids[4])]
    selected = corpus_panel.view.selectionModel().selectedRows()
    assert [model.document_id(index.row()) for index in selected] == [ids[4]]
    with qtbot.waitSignal(model.layoutChanged):  # undoing it moves it back
        demo_project.delete_span(demo_project.spans.for_document(ids[4], me)[0].id)
    assert listed_ids(model) == ids[:1] + [i for i in ids[::-1] if i != ids[0]]
    assert [model.document_id(index.row()) for index in
            corpus_panel.view.selectionModel().selectedRows()] == [ids[4]]
