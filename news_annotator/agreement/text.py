"""The agreement report as readable tables (the `annotator agree` output)."""

from __future__ import annotations

from typing import Any


def _num(value: float | None, width: int = 7) -> str:
    return f"{'—' if value is None else f'{value:.3f}':>{width}}"


def format_report(report: dict[str, Any]) -> str:
    lines = [f"annotators: {', '.join(report['annotators']) or '(none)'}   "
             f"documents compared: {report['documents_compared']:,}"]
    for layer, data in report["layers"].items():
        lines += ["", f"== {layer} ==",
                  f"  Fleiss' kappa {_num(data['fleiss_kappa'])}   "
                  f"Krippendorff's alpha {_num(data['krippendorff_alpha'])}   "
                  f"alpha_u {_num(data['alpha_u'])}   (tokens / characters)"]
        for pair in data["pairs"]:
            kappa = _num(pair["cohen_kappa"], 0)
            lines += ["", f"  {pair['a']} vs {pair['b']}: {pair['documents']:,} documents, "
                          f"{pair['tokens']:,} tokens, Cohen's kappa {kappa}",
                      f"    {'label':<14}{'A':>7}{'B':>7}  {'exact P':>7}{'R':>7}{'F1':>7}"
                      f"  {'overlap P':>9}{'R':>7}{'F1':>7}{'alpha_u':>9}"]
            rows = list(pair["labels"].items()) + [("(all)", {
                "a_spans": sum(v["a_spans"] for v in pair["labels"].values()),
                "b_spans": sum(v["b_spans"] for v in pair["labels"].values()),
                "exact": pair["exact"], "overlap": pair["overlap"]})]
            for label, row in rows:
                alpha = data["labels"].get(label, {}).get("alpha_u") if label != "(all)" \
                    else data["alpha_u"]
                exact, overlap = row["exact"], row["overlap"]
                lines.append(f"    {label:<14}{row['a_spans']:>7,}{row['b_spans']:>7,}  "
                             f"{_num(exact['precision'])}{_num(exact['recall'])}"
                             f"{_num(exact['f1'])}  {_num(overlap['precision'], 9)}"
                             f"{_num(overlap['recall'])}{_num(overlap['f1'])}{_num(alpha, 9)}")
    ranked = report["documents_by_disagreement"]
    if ranked:
        lines += ["", "documents with most disagreement (1 - mean pairwise exact F1)"]
        for doc in ranked:
            lines.append(f"  {doc['disagreement']:.3f} {doc['differences']:>5} differences  "
                         f"#{doc['document_id']} {doc['title'][:60]}")
    if report["notes"]:
        lines += ["", "notes:"] + [f"  {note}" for note in report["notes"]]
    return "\n".join(lines)
