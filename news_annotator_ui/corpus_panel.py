"""The corpus dock: a full-text filter box over the lazily loaded document list."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from news_annotator_ui.corpus_model import (
    DATE_COLUMN,
    SOURCE_COLUMN,
    SPANS_COLUMN,
    STATUS_COLUMN,
    TITLE_COLUMN,
    CorpusModel,
)

FILTER_DELAY_MS = 250


class CorpusPanel(QWidget):
    """Filter box, document list and a count line; emits the document the user picks."""

    document_activated = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("corpusPanel")
        self.filter_box = QLineEdit()
        self.filter_box.setObjectName("filterBox")
        self.filter_box.setPlaceholderText("Filter: words, \"a phrase\", prefix*…")
        self.filter_box.setClearButtonEnabled(True)
        # A table view with fixed row heights: unlike QTreeView it never walks every row
        # to lay them out, so 100,000 documents cost what the visible rows cost.
        self.view = QTableView()
        self.view.setObjectName("corpusList")
        rows = self.view.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.setSortingEnabled(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)
        self._timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._timer.timeout.connect(self._apply_filter)
        self.filter_box.textChanged.connect(lambda _text: self._timer.start())
        self.filter_box.returnPressed.connect(self._apply_filter)
        self.view.activated.connect(self._on_activated)
        self.view.clicked.connect(self._on_activated)
        self.model: CorpusModel | None = None
        self._kept: tuple[int, int] | None = None  # (row, document) selected before a reorder

    def set_model(self, model: CorpusModel | None) -> None:
        self.model = model
        self.view.setModel(model)
        if model is None:
            self.count_label.clear()
            return
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(STATUS_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        for column, width in ((STATUS_COLUMN, 24), (DATE_COLUMN, 80), (SOURCE_COLUMN, 76),
                              (SPANS_COLUMN, 50)):
            header.resizeSection(column, width)
        # Room for the label and a sort arrow: the counts need little, but "Spans" would be cut.
        header.resizeSection(SPANS_COLUMN, max(50, header.sectionSizeHint(SPANS_COLUMN)))
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        model.modelReset.connect(self._update_count)
        model.layoutAboutToBeChanged.connect(self._keep_selected)
        model.layoutChanged.connect(self._restore_selected)
        model.filter_failed.connect(self.count_label.setText)
        self._update_count()

    def show_document(self, document_id: int) -> None:
        """Select the document's row if it is loaded (never loads the whole list)."""
        if self.model is None:
            return
        row = self.model.locate(document_id)
        if row is None:
            self.view.clearSelection()
            return
        index = self.model.index(row, TITLE_COLUMN)
        self.view.selectionModel().blockSignals(True)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.view.selectionModel().blockSignals(False)
        self.view.scrollTo(index)

    def _keep_selected(self, *_args) -> None:
        """Note the selected document before the rows move (a sort; a span or a status
        that moves a document in a sort by them)."""
        self._kept = None
        current = self.view.selectionModel().currentIndex()
        if self.model is not None and current.isValid() and \
                self.view.selectionModel().isRowSelected(current.row()):
            document_id = self.model.cached_document_id(current.row())
            if document_id is not None:
                self._kept = (current.row(), document_id)

    def _restore_selected(self, *_args) -> None:
        """Select the noted document where it is now if that is near its old row (in the
        block read there, which the view shows anyway); else select nothing rather than
        whatever document took its row."""
        kept, self._kept = self._kept, None
        if kept is None or self.model is None or not self.model.rowCount():
            return
        row, document_id = kept
        self.model.document_id(min(row, self.model.rowCount() - 1))
        self.show_document(document_id)

    def _apply_filter(self) -> None:
        self._timer.stop()
        if self.model is not None:
            self.model.set_query(self.filter_box.text())

    def _update_count(self) -> None:
        if self.model is None:
            return
        count = self.model.rowCount()
        noun = "document" if count == 1 else "documents"
        suffix = " match" if self.model.query else ""
        self.count_label.setText(f"{count:,} {noun}{suffix}")

    def _on_activated(self, index: QModelIndex) -> None:
        if self.model is None or not index.isValid():
            return
        document_id = self.model.document_id(index.row())
        if document_id is not None:
            self.document_activated.emit(document_id)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._on_activated(current)
