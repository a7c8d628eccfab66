"""How good the suggestions are: precision, recall and F1 against accepted work.

Two views, both over the documents the reference annotators have annotated:
- per label: exact matches of (layer, label, fragments), and overlap matches (a span
  counts when one of the same label overlaps it);
- quote frames, scored like Citron (BBC R&D) and /shared/tools/quote_eval.py: content
  token-overlap and exact F1; cue and source exact F1, sources counting only when a
  quote's `source` relation points at them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from news_annotator.model import Fragment
from news_annotator.project import Project
from news_annotator.suggest.proposals import Proposals
from news_annotator.suggest.work import Work, in_layers, reference_work, work_of

TOKEN = re.compile(r"\w+|[^\w\s]")  # the scorer's tokens (quote_eval.py)


@dataclass
class Score:
    """Counts behind a precision/recall/F1 (matched predictions may differ from matched
    references when matching is not one to one, as with overlap)."""

    matched_predicted: int = 0
    predicted: int = 0
    matched_reference: int = 0
    reference: int = 0

    @property
    def precision(self) -> float:
        return self.matched_predicted / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched_reference / self.reference if self.reference else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.matched_predicted += other.matched_predicted
        self.predicted += other.predicted
        self.matched_reference += other.matched_reference
        self.reference += other.reference

    def as_dict(self) -> dict[str, float | int]:
        return {"p": round(self.precision, 4), "r": round(self.recall, 4),
                "f1": round(self.f1, 4), "predicted": self.predicted,
                "reference": self.reference}


@dataclass(frozen=True, slots=True)
class QuoteRoles:
    """Which layer, label and relations make a quote frame."""

    layer: str = "quote"
    cue_label: str = "CUE"
    cue_relation: str = "cue"
    source_relation: str = "source"


@dataclass
class QualityReport:
    documents: int
    labels: dict[tuple[str, str], Score]
    labels_overlap: dict[tuple[str, str], Score]
    quotes: dict[str, Score]

    def lines(self) -> list[str]:
        out = [f"quality against accepted work in {self.documents:,} documents"]
        if self.labels:
            out.append(f"  {'layer/label':<24}{'P':>7}{'R':>7}{'F1':>7}{'pred':>8}{'ref':>8}"
                       f"{'overlap F1':>12}")
        for key in sorted(self.labels):
            score, overlap = self.labels[key], self.labels_overlap[key]
            out.append(f"  {key[0] + '/' + key[1]:<24}{score.precision:>7.3f}"
                       f"{score.recall:>7.3f}{score.f1:>7.3f}{score.predicted:>8,}"
                       f"{score.reference:>8,}{overlap.f1:>12.3f}")
        if any(score.reference or score.predicted for score in self.quotes.values()):
            out.append("  quote frames (Citron): "
                       + ", ".join(f"{name} P {s.precision:.3f} R {s.recall:.3f} "
                                   f"F1 {s.f1:.3f}" for name, s in self.quotes.items()))
        return out

    def as_dict(self) -> dict:
        return {"documents": self.documents,
                "labels": {f"{k[0]}/{k[1]}": v.as_dict() for k, v in self.labels.items()},
                "labels_overlap": {f"{k[0]}/{k[1]}": v.as_dict()
                                   for k, v in self.labels_overlap.items()},
                "quotes": {k: v.as_dict() for k, v in self.quotes.items()}}


def label_scores(pairs: Iterable[tuple[Work, Work]]
                 ) -> tuple[dict[tuple[str, str], Score], dict[tuple[str, str], Score]]:
    """Exact and overlap scores per (layer, label) over (reference, predicted) pairs."""
    exact: dict[tuple[str, str], Score] = defaultdict(Score)
    overlap: dict[tuple[str, str], Score] = defaultdict(Score)
    for reference, predicted in pairs:
        ref = _by_label(reference)
        pred = _by_label(predicted)
        for key in set(ref) | set(pred):
            gold_spans, guessed = ref.get(key, []), pred.get(key, [])
            hits = len(set(gold_spans) & set(guessed))
            exact[key].add(Score(hits, len(guessed), hits, len(gold_spans)))
            overlap[key].add(Score(sum(any(_touch(p, g) for g in gold_spans) for p in guessed),
                                   len(guessed),
                                   sum(any(_touch(p, g) for p in guessed) for g in gold_spans),
                                   len(gold_spans)))
    return dict(exact), dict(overlap)


def quote_scores(triples: Iterable[tuple[str, Work, Work]], roles: QuoteRoles | None = None
                 ) -> tuple[int, dict[str, Score]]:
    """Citron's quote scores over (text, reference, predicted) triples; documents whose
    reference has no quote content or cue are not scored. Returns (documents, scores)."""
    roles = roles or QuoteRoles()
    scores = {name: Score() for name in ("content_overlap", "content", "cue", "source")}
    documents = 0
    for text, reference, predicted in triples:
        g_contents, g_cues, g_sources = frames(reference, roles)
        if not g_contents and not g_cues:
            continue
        documents += 1
        p_contents, p_cues, p_sources = frames(predicted, roles)
        gold_tokens, pred_tokens = _tokens(text, g_contents), _tokens(text, p_contents)
        shared = len(gold_tokens & pred_tokens)
        scores["content_overlap"].add(Score(shared, len(pred_tokens), shared, len(gold_tokens)))
        for name, gold, guess in (("content", g_contents, p_contents), ("cue", g_cues, p_cues),
                                  ("source", g_sources, p_sources)):
            hits = len(gold & guess)
            scores[name].add(Score(hits, len(guess), hits, len(gold)))
    return documents, scores


def frames(work: Work, roles: QuoteRoles) -> tuple[set, set, set]:
    """Content fragment sets, cue ranges and source ranges of one annotator's frames."""
    contents: dict[object, tuple[Fragment, ...]] = {}
    cues: set[tuple[int, int]] = set()
    sources: set[tuple[int, int]] = set()
    for key, (layer, label, fragments) in work.spans.items():
        if layer != roles.layer:
            continue
        if label == roles.cue_label:
            cues.add((fragments[0][0], fragments[-1][1]))
        else:
            contents[key] = fragments
    for kind, source, target in work.relations:
        if source not in contents or target not in work.spans:
            continue
        fragments = work.spans[target][2]
        if kind == roles.cue_relation:
            cues.add((fragments[0][0], fragments[-1][1]))
        elif kind == roles.source_relation:
            sources.add((fragments[0][0], fragments[-1][1]))
    return set(contents.values()), cues, sources


def project_quality(project: Project, reference: Sequence[str], predicted: str, *,
                    layers: Sequence[str] | None = None, roles: QuoteRoles | None = None,
                    documents: Iterable[int] | None = None) -> QualityReport:
    """Score annotator `predicted` against the first of `reference` that annotated each
    document (in `layers`; all layers when None)."""
    pred_annotator = project.annotators.find(predicted)
    triples = []
    for document_id, work in reference_work(project, reference, layers, documents):
        guess = Work()
        if pred_annotator is not None:
            guess = in_layers(work_of(project, document_id, pred_annotator.id), layers)
        text = project.documents.text(document_id) or ""
        triples.append((text, work, guess))
    exact, overlap = label_scores((r, p) for _, r, p in triples)
    count, quotes = quote_scores(triples, roles)
    return QualityReport(len(triples), exact, overlap, quotes)


def _by_label(work: Work) -> dict[tuple[str, str], list[tuple[Fragment, ...]]]:
    grouped: dict[tuple[str, str], list[tuple[Fragment, ...]]] = defaultdict(list)
    for layer, label, fragments in work.spans.values():
        grouped[(layer, label)].append(fragments)
    return grouped


def _touch(a: tuple[Fragment, ...], b: tuple[Fragment, ...]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _tokens(text: str, fragment_sets: Iterable[tuple[Fragment, ...]]) -> set[int]:
    covered: set[int] = set()
    for fragments in fragment_sets:
        for start, end in fragments:
            covered.update(m.start() for m in TOKEN.finditer(text, start, end))
    return covered


def proposals_work(proposals: Proposals) -> Work:
    """Proposals in the plain form the scores take (to score before writing them)."""
    return Work({index: (s.layer, s.label, s.fragments) for index, s in enumerate(proposals.spans)},
                [(r.type, r.source, r.target) for r in proposals.relations])
