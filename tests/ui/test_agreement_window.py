"""The agreement window computes on a worker thread, fills its tables, paints its chart,
and opens a ranked document in the review window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from news_annotator_ui.review.agreement_figures import EXACT_COLOR, OVERLAP_COLOR
from news_annotator_ui.review.bar_chart import BarChart, Series
from tests.ui.review_fixtures import seed_corpus, seed_glacier
from tests.ui.window_fixtures import open_window


def open_agreement(qtbot, tmp_path, demo_project):
    seed_corpus(demo_project)
    document_id, *_ = seed_glacier(demo_project)
    window = open_window(qtbot, tmp_path, demo_project.path)
    dialog = window.review_menu.open_agreement()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: bool(dialog.report), timeout=20000)
    return window, dialog, document_id


def color_pixels(widget, color: str) -> int:
    image = widget.grab().toImage()
    target = QColor(color).rgb()
    return sum(1 for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
               if image.pixel(x, y) == target)


def test_agreement_tables_chart_and_ranked_documents(qtbot, tmp_path, demo_project):
    window, dialog, glacier = open_agreement(qtbot, tmp_path, demo_project)
    report = dialog.report
    assert report["annotators"] == ["alice", "bob"] and report["documents_compared"] >= 10
    assert dialog.overview.rowCount() == len(report["layers"])  # one pair per layer
    assert dialog.detail_box.currentText() == "entity · alice / bob"
    labels = list(report["layers"]["entity"]["pairs"][0]["labels"])
    shown = [dialog.labels.row_values(r)[0] for r in range(dialog.labels.rowCount())]
    assert shown == labels and {"PERSON", "ORG", "GPE"} <= set(shown)
    assert dialog.chart.categories == labels
    assert color_pixels(dialog.chart, EXACT_COLOR) > 50
    assert color_pixels(dialog.chart, OVERLAP_COLOR) > 50
    confusion = dialog.confusion
    assert confusion.rowCount() == len(report["layers"]["entity"]["pairs"][0]["confusion"]
                                       ["labels"])
    dialog.detail_box.setCurrentIndex(1)  # quote · alice / bob
    assert dialog.chart.categories == list(report["layers"]["quote"]["pairs"][0]["labels"])

    ranked = [dialog.documents.payload(r) for r in range(dialog.documents.rowCount())]
    assert glacier in ranked
    view = dialog.documents_view
    index = dialog.documents.index(ranked.index(glacier), 0)
    view.scrollTo(index)
    point = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)  # as a user's
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                      pos=point)
    review = window.review_menu.review
    assert review is not None and review.isVisible()
    assert review.document_id == glacier == window.session.document_id
    assert review.model.rowCount() == 4


def test_a_new_choice_recomputes_without_blocking(qtbot, tmp_path, demo_project):
    window, dialog, _ = open_agreement(qtbot, tmp_path, demo_project)
    with qtbot.waitSignal(dialog.computed, timeout=20000) as signal:
        dialog.layer_box.setCurrentText("quote")
        assert dialog.busy.isVisible() or dialog.is_running() or signal.signal_triggered
    assert list(dialog.report["layers"]) == ["quote"]
    assert not dialog.busy.isVisible()
    dialog.set_annotators(["alice"])
    assert "at least two" in dialog.status.text()


def test_bar_chart_paints_bars_in_their_colours(qtbot):
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.resize(400, 240)
    chart.set_data(["A", "B"], [Series("x", "#ff0000", (0.5, None)),
                                Series("y", "#0000ff", (1.0, 0.25))])
    assert color_pixels(chart, "#ff0000") > 100 and color_pixels(chart, "#0000ff") > 100
    assert len(chart.bar_rects()) == 4
    chart.clear("nothing")
    assert color_pixels(chart, "#ff0000") == 0
