"""The agreement report (a dict from news_annotator.agreement) as table rows and chart series.

Pure functions, no widgets: each returns what one table or the chart shows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor

from news_annotator_ui.review.bar_chart import Series

EXACT_COLOR, OVERLAP_COLOR = "#3d7cc9", "#9cc3ea"
OVERVIEW_HEADERS = ("Layer", "Pair", "Docs", "F1 exact", "F1 overlap", "Cohen κ",
                    "Fleiss κ", "Krippendorff α", "αu")
LABEL_HEADERS = ("Label", "A spans", "B spans", "Precision", "Recall", "F1 exact",
                 "F1 overlap", "αu")
DOCUMENT_HEADERS = ("Document", "Disagreement", "Differences")
HEADER_TIPS = {
    "F1 exact": "Spans with the same label and the same bounds",
    "F1 overlap": "Spans with the same label that overlap",
    "Cohen κ": "Token-level kappa for this pair (O = outside any span)",
    "Fleiss κ": "Token-level kappa over every selected annotator",
    "Krippendorff α": "Token-level alpha (nominal), missing values allowed",
    "αu": "Krippendorff's unitizing alpha: agreement on where spans begin and end",
}


def detail_keys(report: dict[str, Any]) -> list[tuple[str, int, str]]:
    """(layer, pair index, 'layer · a / b') for every pair of every layer."""
    return [(layer, i, f"{layer} · {pair['a']} / {pair['b']}")
            for layer, figures in report.get("layers", {}).items()
            for i, pair in enumerate(figures["pairs"])]


def overview_rows(report: dict[str, Any]) -> list[tuple]:
    rows = []
    for layer, figures in report.get("layers", {}).items():
        for pair in figures["pairs"]:
            rows.append((layer, f"{pair['a']} / {pair['b']}", pair["documents"],
                         pair["exact"]["f1"], pair["overlap"]["f1"], pair["cohen_kappa"],
                         figures["fleiss_kappa"], figures["krippendorff_alpha"],
                         figures["alpha_u"]))
    return rows


def _pair(report: dict[str, Any], layer: str, index: int) -> dict[str, Any] | None:
    pairs = report.get("layers", {}).get(layer, {}).get("pairs", [])
    return pairs[index] if 0 <= index < len(pairs) else None


def label_rows(report: dict[str, Any], layer: str, index: int) -> list[tuple]:
    pair = _pair(report, layer, index)
    if pair is None:
        return []
    alphas = report["layers"][layer].get("labels", {})
    return [(label, c["a_spans"], c["b_spans"], c["exact"]["precision"], c["exact"]["recall"],
             c["exact"]["f1"], c["overlap"]["f1"], alphas.get(label, {}).get("alpha_u"))
            for label, c in pair["labels"].items()]


def label_series(report: dict[str, Any], layer: str, index: int
                 ) -> tuple[list[str], list[Series]]:
    pair = _pair(report, layer, index)
    if pair is None or not pair["labels"]:
        return [], []
    labels = list(pair["labels"])
    return labels, [
        Series("F1 exact", EXACT_COLOR, tuple(pair["labels"][x]["exact"]["f1"] for x in labels)),
        Series("F1 overlap", OVERLAP_COLOR,
               tuple(pair["labels"][x]["overlap"]["f1"] for x in labels)),
    ]


def confusion_table(report: dict[str, Any], layer: str, index: int
                    ) -> tuple[list[str], list[tuple], list[list[QColor | None]]]:
    """Headers (B's labels), rows (A's label, counts…) and cell shades: green on the
    diagonal, red off it, deeper for larger shares of the row."""
    pair = _pair(report, layer, index)
    if pair is None or not pair["confusion"]["labels"]:
        return [], [], []
    labels, matrix = pair["confusion"]["labels"], pair["confusion"]["matrix"]
    headers = [f"{pair['a']} ↓ / {pair['b']} →"] + labels
    rows, shades = [], []
    for a, counts in zip(labels, matrix, strict=True):
        total = sum(counts) or 1
        rows.append((a, *counts))
        shade: list[QColor | None] = [None]
        for b, count in zip(labels, counts, strict=True):
            if not count:
                shade.append(None)
                continue
            share = count / total
            color = QColor("#59a14f" if a == b else "#e15759")
            color.setAlphaF(0.12 + 0.55 * share)
            shade.append(color)
        shades.append(shade)
    return headers, rows, shades


def document_rows(report: dict[str, Any]) -> tuple[list[tuple], list[int]]:
    ranked = report.get("documents_by_disagreement", [])
    rows = [(entry["title"] or f"Document {entry['document_id']}", entry["disagreement"],
             entry["differences"]) for entry in ranked]
    return rows, [entry["document_id"] for entry in ranked]
