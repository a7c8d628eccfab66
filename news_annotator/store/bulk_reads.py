"""SQL for whole-project reads in one ordered pass (agreement, review summaries).

Rows are streamed with `fetchmany` in document order, so memory stays at one batch and
the caller can group by document without extra queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from news_annotator.store.database import Database
from news_annotator.store.protocol import IdRange

BATCH = 2000

# A continuous span has fragments NULL here, so only discontinuous spans pay for JSON:
# in '[[s, e]]' the first ']' is the one before last; with more fragments it is earlier.
_SPAN_BOUNDS = ("SELECT document_id, annotator_id, layer, label, start, \"end\", "
                "CASE WHEN instr(fragments, ']') < length(fragments) - 1 THEN fragments END "
                "FROM spans")


def _stream(db: Database, sql: str, params: tuple = ()) -> Iterator[tuple]:
    cursor = db.conn.cursor()
    cursor.arraysize = BATCH
    cursor.execute(sql, params)
    while rows := cursor.fetchmany():
        yield from rows


def _id_list(ids: Iterable[int]) -> str:
    return ",".join(str(int(i)) for i in ids)


def _in_range(column: str, id_range: IdRange | None) -> tuple[str, tuple]:
    if id_range is None:
        return "", ()
    return f" AND {column} BETWEEN ? AND ?", (int(id_range[0]), int(id_range[1]))


class SqliteBulkReads:
    """The `BulkReads` of a project file."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def iter_span_bounds(self, annotator_ids: Iterable[int],
                         document_ids: Iterable[int] | None = None,
                         id_range: IdRange | None = None) -> Iterator[tuple]:
        """(document_id, annotator_id, layer, label, start, end, fragments_json_or_None) by
        document, annotator and start (the order of the index, so SQLite does not sort)."""
        sql = f"{_SPAN_BOUNDS} WHERE annotator_id IN ({_id_list(annotator_ids)})"
        if document_ids is not None:
            sql += f" AND document_id IN ({_id_list(document_ids)})"
        where, params = _in_range("document_id", id_range)
        return _stream(self._db, sql + where + " ORDER BY document_id, annotator_id, start",
                       params)

    def iter_raw_spans(self, annotator_ids: Iterable[int]) -> Iterator[tuple]:
        """The baseline the agreement benchmark compares with: the same rows, nothing else."""
        who = _id_list(annotator_ids)
        return _stream(self._db, f"SELECT document_id, annotator_id, layer, label, start, "
                       f"\"end\", fragments FROM spans WHERE annotator_id IN ({who}) "
                       f"ORDER BY document_id")

    def worked_on(self, annotator_ids: Iterable[int],
                  id_range: IdRange | None = None) -> dict[int, set[int]]:
        """document id -> annotators who marked it in progress or done."""
        found: dict[int, set[int]] = {}
        where, params = _in_range("document_id", id_range)
        for document_id, annotator_id in self._db.query(
                f"SELECT document_id, annotator_id FROM document_status WHERE status != 'new' "
                f"AND annotator_id IN ({_id_list(annotator_ids)}){where}", params):
            found.setdefault(document_id, set()).add(annotator_id)
        return found

    def iter_annotated_texts(self, annotator_ids: Iterable[int],
                             document_ids: Iterable[int] | None = None,
                             id_range: IdRange | None = None) -> Iterator[tuple[int, str]]:
        """(id, text) in id order of documents that one of the annotators has touched; the
        range goes into both subqueries too, so a worker does not scan every span."""
        who = _id_list(annotator_ids)
        where, params = _in_range("document_id", id_range)
        sql = (f"SELECT id, text FROM documents WHERE id IN ("
               f"SELECT document_id FROM document_status WHERE status != 'new' "
               f"AND annotator_id IN ({who}){where} UNION "
               f"SELECT document_id FROM spans WHERE annotator_id IN ({who}){where})")
        if document_ids is not None:
            sql += f" AND id IN ({_id_list(document_ids)})"
        return _stream(self._db, sql + " ORDER BY id", params * 2)

    def split_points(self, annotator_ids: Iterable[int], parts: int) -> list[int]:
        """Document ids that cut the documents the annotators marked (else all documents)
        into `parts` runs of about equal count: where to split work between processes.
        Reads the small status table (or the id index), never spans or texts."""
        who = _id_list(annotator_ids)
        source = (f"SELECT DISTINCT document_id AS id FROM document_status "
                  f"WHERE status != 'new' AND annotator_id IN ({who})")
        total = self._db.query(f"SELECT count(*) FROM ({source})").fetchone()[0]
        if total < parts:
            source = "SELECT id FROM documents"
            total = self._db.query("SELECT count(*) FROM documents").fetchone()[0]
        sql = f"SELECT id FROM ({source}) ORDER BY id LIMIT 1 OFFSET ?"
        points = [self._db.query(sql, (total * k // parts,)).fetchone() for k in range(1, parts)]
        return [row[0] for row in points if row is not None]

    def count_documents(self) -> int:
        return self._db.query("SELECT count(*) FROM documents").fetchone()[0]

    def document_labels(self, document_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
        """document id -> (uid, title) for a handful of documents (report tables)."""
        ids = _id_list(document_ids)
        if not ids:
            return {}
        return {r[0]: (r[1], r[2]) for r in self._db.query(
            f"SELECT id, uid, title FROM documents WHERE id IN ({ids})")}
