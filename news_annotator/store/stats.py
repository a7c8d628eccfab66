"""SQL for project statistics: counts by layer, label, annotator and status."""

from __future__ import annotations

from typing import Any

from news_annotator.store.database import Database


def project_stats(db: Database) -> dict[str, Any]:
    """Counts a researcher asks for first; cheap even on large projects."""
    def scalar(sql: str) -> int:
        return db.query(sql).fetchone()[0]

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
            "JOIN annotators a ON a.id = st.annotator_id GROUP BY a.name, st.status"):
        by_annotator.setdefault(name, {"spans": 0, "relations": 0})[status] = count
    return {
        "documents": scalar("SELECT COUNT(*) FROM documents"),
        "characters": scalar("SELECT COALESCE(SUM(length(text)), 0) FROM documents"),
        "spans": scalar("SELECT COUNT(*) FROM spans"),
        "relations": scalar("SELECT COUNT(*) FROM relations"),
        "annotators": scalar("SELECT COUNT(*) FROM annotators"),
        "by_layer": grouped("SELECT layer, COUNT(*) FROM spans GROUP BY layer ORDER BY layer"),
        "by_label": label_counts(db),
        "by_relation_type": grouped("SELECT type, COUNT(*) FROM relations GROUP BY type "
                                    "ORDER BY type"),
        "by_annotator": by_annotator,
        "by_status": grouped("SELECT status, COUNT(*) FROM document_status GROUP BY status "
                             "ORDER BY status"),
    }


def label_counts(db: Database) -> dict[str, dict[str, int]]:
    """Spans per layer and label (without the text scan of the full statistics)."""
    counts: dict[str, dict[str, int]] = {}
    for layer, label, count in db.query(
            "SELECT layer, label, COUNT(*) FROM spans GROUP BY layer, label ORDER BY layer, label"):
        counts.setdefault(layer, {})[label] = count
    return counts
