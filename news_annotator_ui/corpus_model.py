"""The document list as a table model: a row count plus a small cache of row blocks.

Only the blocks the view asks for are read (`project.documents.page`), so a project of
100,000 documents costs a COUNT and one page to show, not 100,000 rows.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from news_annotator.changes import Change, ChangeKind
from news_annotator.model import DocumentSummary, Status
from news_annotator.project import Project

BLOCK_SIZE = 200
MAX_BLOCKS = 40
COLUMNS = ("", "Title", "Date", "Source", "Spans")
STATUS_COLUMN, TITLE_COLUMN, DATE_COLUMN, SOURCE_COLUMN, SPANS_COLUMN = range(5)
SORT_KEYS = {STATUS_COLUMN: "status", TITLE_COLUMN: "title", DATE_COLUMN: "published",
             SOURCE_COLUMN: "source", SPANS_COLUMN: "spans"}
# Changes that can move a document when the list is sorted by what it shows of the
# annotator's work (a first span takes a new document into progress).
MOVING_CHANGES = {"spans": {ChangeKind.SPAN_ADDED, ChangeKind.SPAN_DELETED},
                  "status": {ChangeKind.SPAN_ADDED, ChangeKind.STATUS}}
STATUS_TEXT = {Status.NEW: "new", Status.IN_PROGRESS: "in progress", Status.DONE: "done"}
DocumentIdRole = Qt.ItemDataRole.UserRole + 1
_ROW_FLAGS = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
              | Qt.ItemFlag.ItemNeverHasChildren)

AnyIndex = QModelIndex | QPersistentModelIndex


class CorpusModel(QAbstractTableModel):
    """Documents of a project, filtered by a full-text query, for one annotator."""

    filter_failed = Signal(str)

    def __init__(self, project: Project, annotator_id: int | None, parent=None) -> None:
        super().__init__(parent)
        self._project = project
        self._annotator_id = annotator_id
        self._query = ""
        self._sort_key = "id"
        self._descending = False
        self._count = 0
        self._blocks: OrderedDict[int, list[DocumentSummary]] = OrderedDict()
        self.rows_fetched = 0  # total rows read from the store, for tests and benchmarks
        self._count = self._read_count()
        project.subscribe(self._on_change)

    def detach(self) -> None:
        """Stop listening to the project (before it closes)."""
        self._project.unsubscribe(self._on_change)

    # -- Qt model API -------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == STATUS_COLUMN:
                return "Your status: ○ new, ◐ in progress, ● done"
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        row = self.summary(index.row())
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TITLE_COLUMN:
                return row.title or f"Document {row.id}"
            if column == DATE_COLUMN:
                return row.published[:10]
            if column == SOURCE_COLUMN:
                return row.source
            if column == SPANS_COLUMN:
                return str(row.span_count) if row.span_count else ""
        elif role == Qt.ItemDataRole.DecorationRole and column == STATUS_COLUMN:
            return status_icon(row.status)
        elif role == Qt.ItemDataRole.DecorationRole and column == TITLE_COLUMN and row.curated:
            return curated_icon()
        elif role == Qt.ItemDataRole.ToolTipRole:
            if column == STATUS_COLUMN:
                return STATUS_TEXT[row.status]
            if column == TITLE_COLUMN:
                return row.title + ("\n★ curated into gold" if row.curated else "")
        elif role == Qt.ItemDataRole.TextAlignmentRole and column == SPANS_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == DocumentIdRole:
            return int(row.id)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _ROW_FLAGS

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column, "id")
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._sort_key, self._descending):
            return
        self._reorder(key, descending)

    def _reorder(self, key: str, descending: bool) -> None:
        """Rows in a new order (the same rows): every cached block is stale."""
        self.layoutAboutToBeChanged.emit()
        self._sort_key, self._descending = key, descending
        self._blocks.clear()
        self.layoutChanged.emit()

    # -- queries ----------------------------------------------------------------------

    @property
    def query(self) -> str:
        return self._query

    def set_query(self, query: str) -> None:
        """Show only documents matching a full-text query ('' shows all)."""
        query = query.strip()
        if query == self._query:
            return
        previous = self._query
        self.beginResetModel()
        self._query = query
        self._blocks.clear()
        try:
            self._count = self._read_count()
        except Exception as error:  # noqa: BLE001 - FTS syntax errors come from the driver
            self._query = previous
            self._count = self._read_count()
            self.endResetModel()
            self.filter_failed.emit(f"cannot search for {query!r}: {error}")
            return
        self.endResetModel()

    def set_annotator(self, annotator_id: int | None) -> None:
        self.beginResetModel()
        self._annotator_id = annotator_id
        self._blocks.clear()
        self.endResetModel()

    def summary(self, row: int) -> DocumentSummary | None:
        """The list row `row`, reading its block from the store when not cached."""
        number = row // BLOCK_SIZE
        block = self._blocks.get(number)
        if block is None:
            block = self._project.documents.page(
                number * BLOCK_SIZE, BLOCK_SIZE, annotator_id=self._annotator_id,
                query=self._query, sort=self._sort_key, descending=self._descending)
            self.rows_fetched += len(block)
            self._blocks[number] = block
            while len(self._blocks) > MAX_BLOCKS:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(number)
        offset = row - number * BLOCK_SIZE
        return block[offset] if offset < len(block) else None

    def document_id(self, row: int) -> int | None:
        found = self.summary(row) if 0 <= row < self._count else None
        return int(found.id) if found else None

    def cached_row_of(self, document_id: int) -> int | None:
        """The row of a document if its block is cached (no query otherwise)."""
        for number, block in self._blocks.items():
            for offset, item in enumerate(block):
                if item.id == document_id:
                    return number * BLOCK_SIZE + offset
        return None

    def locate(self, document_id: int) -> int | None:
        """The row of a document: from the cache, or (in id order, unfiltered) by its rank."""
        row = self.cached_row_of(document_id)
        if row is None and self._sort_key == "id" and not self._query:
            rank = self._project.documents.position(document_id)
            row = self._count - rank if self._descending else rank - 1
            if self.document_id(row) != document_id:
                return None
        return row

    def cached_document_id(self, row: int) -> int | None:
        """The document on a row if its block is cached (no query otherwise)."""
        block = self._blocks.get(row // BLOCK_SIZE)
        offset = row % BLOCK_SIZE
        return int(block[offset].id) if block is not None and offset < len(block) else None

    def cached_rows(self) -> int:
        return sum(len(block) for block in self._blocks.values())

    def _read_count(self) -> int:
        return self._project.documents.count(query=self._query)

    def refresh(self) -> None:
        """Read rows again (another program changed the file), keeping the selection
        when the number of documents did not change."""
        count = self._read_count()
        if count != self._count:
            self._on_change(Change(ChangeKind.DOCUMENTS))
            return
        self._blocks.clear()
        if count:
            self.dataChanged.emit(self.index(0, 0), self.index(count - 1, len(COLUMNS) - 1))

    # -- project changes ----------------------------------------------------------------

    def _on_change(self, change: Change) -> None:
        if change.kind is ChangeKind.OUTSIDE:
            self.refresh()
            return
        if change.kind is ChangeKind.DOCUMENTS:
            self.beginResetModel()
            self._blocks.clear()
            self._count = self._read_count()
            self.endResetModel()
            return
        if change.document_id is None:
            return
        mine = change.annotator_id in (None, self._annotator_id)
        if change.kind in MOVING_CHANGES.get(self._sort_key, ()) and (
                mine or self._annotator_id is None):
            # The document may move to another row, shifting every row between.
            self._reorder(self._sort_key, self._descending)
            return
        # Another annotator's status matters too: gold finishing a document stars it.
        if self._annotator_id is not None and not mine and change.kind is not ChangeKind.STATUS:
            return
        row = self.cached_row_of(change.document_id)
        if row is None:
            return
        self._blocks.pop(row // BLOCK_SIZE, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))


_ICONS: dict[Status, QIcon] = {}
_CURATED: list[QIcon] = []


def curated_icon() -> QIcon:
    """A gold star: the document's gold version is finished."""
    if not _CURATED:
        size = 14
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor("#b8860b"))
        painter.setFont(QFont(painter.font().family(), 10))
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, "★")
        painter.end()
        _CURATED.append(QIcon(pixmap))
    return _CURATED[0]


def status_icon(status: Status) -> QIcon:
    """A small circle: hollow for new, half for in progress, filled for done."""
    if status not in _ICONS:
        size = 14
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = {Status.NEW: QColor("#9aa3ad"), Status.IN_PROGRESS: QColor("#e8a33d"),
                 Status.DONE: QColor("#3a9d5d")}[status]
        painter.setPen(color)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(2, 2, size - 5, size - 5)
        painter.setBrush(color)
        if status is Status.DONE:
            painter.drawEllipse(2, 2, size - 5, size - 5)
        elif status is Status.IN_PROGRESS:
            painter.drawPie(2, 2, size - 5, size - 5, 90 * 16, 180 * 16)
        painter.end()
        _ICONS[status] = QIcon(pixmap)
    return _ICONS[status]
