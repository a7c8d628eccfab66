"""SQL for project statistics: counts by layer, label, annotator and status.

One reading for both backends: the SQL is standard but for the length of the texts (a
server keeps it in a column) and the order of names (`collate`: PostgreSQL sorts by
locale unless told "C", which is how SQLite compares text).
"""

from __future__ import annotations

from typing import Any, Protocol


class Queryable(Protocol):
    """A project file's Database or a server's ServerDatabase."""

    def query(self, sql: str, params: Any = ...) -> Any: ...


def project_stats(db: Queryable, *, characters: str = "length(text)",
                  collate: str = "") -> dict[str, Any]:
    """Counts a researcher asks for first; cheap even on large projects."""
    def scalar(sql: str) -> int:
        return int(db.query(sql).fetchone()[0])

    def grouped(sql: str) -> dict[str, int]:
        return {str(key): count for key, count in db.query(sql)}

    by_annotator: dict[str, dict[str, int]] = {}
    for name, spans, relations in db.query(
            "SELECT a.name, (SELECT COUNT(*) FROM spans s WHERE s.annotator_id = a.id), "
            "(SELECT COUNT(*) FROM relations r WHERE r.annotator_id = a.id) "
            "FROM annotators a ORDER BY a.id"):
        by_annotator[name] = {"spans": spans, "relations": relations}
    for name, status, count in db.query(
            "SELECT a.name, st.status, COUNT(*) FROM document_status st "
            "JOIN annotators a ON a.id = st.annotator_id GROUP BY a.name, st.status "
            f"ORDER BY a.name{collate}, st.status{collate}"):
        by_annotator.setdefault(name, {"spans": 0, "relations": 0})[status] = count
    return {
        "documents": scalar("SELECT COUNT(*) FROM documents"),
        "characters": scalar(f"SELECT COALESCE(SUM({characters}), 0) FROM documents"),
        "spans": scalar("SELECT COUNT(*) FROM spans"),
        "relations": scalar("SELECT COUNT(*) FROM relations"),
        "annotators": scalar("SELECT COUNT(*) FROM annotators"),
        "by_layer": grouped("SELECT layer, COUNT(*) FROM spans GROUP BY layer "
                            f"ORDER BY layer{collate}"),
        "by_label": label_counts(db, collate=collate),
        "by_relation_type": grouped("SELECT type, COUNT(*) FROM relations GROUP BY type "
                                    f"ORDER BY type{collate}"),
        "by_annotator": by_annotator,
        "by_status": grouped("SELECT status, COUNT(*) FROM document_status GROUP BY status "
                             f"ORDER BY status{collate}"),
    }


def label_counts(db: Queryable, *, collate: str = "") -> dict[str, dict[str, int]]:
    """Spans per layer and label (without the text scan of the full statistics)."""
    counts: dict[str, dict[str, int]] = {}
    for layer, label, count in db.query(
            "SELECT layer, label, COUNT(*) FROM spans GROUP BY layer, label "
            f"ORDER BY layer{collate}, label{collate}"):
        counts.setdefault(layer, {})[label] = count
    return counts
