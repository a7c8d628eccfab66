"""What the app needs around the engine: one document's suggestions brought up to date
without disturbing the ones that stay, quality measured on fresh proposals, and learning
in a child process that can be stopped.

- `apply_proposals` writes one document's proposals as the suggestions annotator by
  difference: suggestions still proposed keep their ids (so the one the user is looking
  at, and the undo stack's commands, stay valid), the others go, new ones come.
- `fresh_quality` scores what the suggester proposes now against accepted work, each
  document's own gazetteer entries left out (a text labelled only there cannot count as
  found by the gazetteer).
- `python -m news_annotator.suggest.app_support learn PROJECT --learn-from A,B [--layer L]`
  learns layer by layer and prints one JSON line per layer: the app runs it as a child
  process, shows its progress and can stop it (a stopped run keeps the layers it
  finished; the one in progress is rolled back with its transaction).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from news_annotator.model import DocumentId, Relation, RelationId, Span, SpanId, fragments_text
from news_annotator.project import Project
from news_annotator.store.annotations import new_uid
from news_annotator.store.database import utc_now
from news_annotator.store.suggestion_store import fragments_key
from news_annotator.suggest.engine import Suggester
from news_annotator.suggest.gazetteer import gazetteer_labels
from news_annotator.suggest.learning import learn_layer
from news_annotator.suggest.proposals import Proposals
from news_annotator.suggest.quality import (
    QualityReport,
    label_scores,
    proposals_work,
    quote_scores,
)
from news_annotator.suggest.work import Work, reference_annotators, reference_work

SpanKey = tuple[str, str, tuple[tuple[int, int], ...]]  # layer, label, fragments


@dataclass
class Applied:
    """What `apply_proposals` changed in one document's suggestions."""

    added: list[Span] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    relations_changed: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.relations_changed)


def apply_proposals(project: Project, document_id: int, suggestions_id: int,
                    proposals: Proposals, *, accepted_by: Sequence[int],
                    layers: Sequence[str] | None = None,
                    within: tuple[int, int] | None = None) -> Applied:
    """Make the suggestions annotator's spans and relations in one document those of
    `proposals`, in one transaction, leaving out what `accepted_by` already made (same
    layer, label and fragments) and what was rejected there; `layers`: only these (with
    the spans their relations point to). `within` (start, end): the proposals are a
    piece's, so only the suggestions wholly inside it are brought up to date, and the
    relations between them; the rest of the document's stay as they are."""
    text = project.documents.text(document_id)
    if text is None:
        return Applied()
    wanted = _wanted_spans(project, document_id, text, proposals, accepted_by, layers)
    if within is not None:
        wanted = {index: key for index, key in wanted.items()
                  if within[0] <= key[2][0][0] and key[2][-1][1] <= within[1]}
    stored: dict[SpanKey, Span] = {}
    doubles: list[int] = []
    for span in project.spans.for_document(document_id, suggestions_id):
        if within is not None and not (within[0] <= span.start and span.end <= within[1]):
            continue
        key = (span.layer, span.label, span.fragments)
        if key in stored:
            doubles.append(span.id)
        else:
            stored[key] = span
    applied = Applied()
    now = utc_now()
    wanted_keys = set(wanted.values())
    defaults: dict[tuple[str, str], dict] = {}
    with project.transaction():
        for key, span in stored.items():
            if key not in wanted_keys:
                applied.removed.append(span.id)
        applied.removed += doubles
        for span_id in applied.removed:
            project.spans.delete(span_id)
        ids: dict[int, int] = {}
        for index, key in wanted.items():
            if key in stored:
                ids[index] = stored[key].id
                continue
            layer, label, fragments = key
            if (layer, label) not in defaults:
                defaults[layer, label] = project.default_attributes(layer, label)
            span = Span(SpanId(0), new_uid(), DocumentId(document_id), suggestions_id,  # type: ignore[arg-type]
                        layer, label, fragments, fragments_text(text, fragments),
                        dict(defaults[layer, label]), "", now, now)
            ids[index] = project.spans.insert(span)
            applied.added.append(replace(span, id=SpanId(ids[index])))
        inside = None if within is None else {span.id for span in stored.values()} | set(
            ids.values())
        applied.relations_changed = _apply_relations(project, document_id, suggestions_id,
                                                     proposals, wanted, ids, inside)
    return applied


def _wanted_spans(project: Project, document_id: int, text: str, proposals: Proposals,
                  accepted_by: Sequence[int], layers: Sequence[str] | None
                  ) -> dict[int, SpanKey]:
    """Proposal index -> key of the proposals worth showing."""
    schema = project.schema
    keep = set(range(len(proposals.spans)))
    if layers:
        keep = {i for i, span in enumerate(proposals.spans) if span.layer in layers}
        keep |= {r.target for r in proposals.relations if r.source in keep}
    existing = {(s.layer, s.label, s.fragments) for who in accepted_by
                for s in project.spans.for_document(document_id, who)}
    rejected = {(layer, label, key) for _, layer, label, key
                in project.suggestions.rejected([document_id])}
    wanted: dict[int, SpanKey] = {}
    seen: set[SpanKey] = set()
    known: dict[tuple[str, str], bool] = {}
    for index in sorted(keep):
        proposed = proposals.spans[index]
        key = (proposed.layer, proposed.label, proposed.fragments)
        if (proposed.layer, proposed.label) not in known:
            layer = schema.layer(proposed.layer)
            known[proposed.layer, proposed.label] = layer is not None and \
                layer.label(proposed.label) is not None
        if key in existing or key in seen or not known[proposed.layer, proposed.label] \
                or proposed.end > len(text) or (rejected and (
                    proposed.layer, proposed.label, fragments_key(proposed.fragments))
                    in rejected):
            continue
        wanted[index] = key
        seen.add(key)
    return wanted


def _apply_relations(project: Project, document_id: int, suggestions_id: int,
                     proposals: Proposals, wanted: dict[int, SpanKey], ids: dict[int, int],
                     inside: set[int] | None = None) -> bool:
    """The relations between the wanted spans (`inside`: only those between these span
    ids are looked at; None: all of the document's)."""
    schema = project.schema
    want: set[tuple[str, int, int]] = set()
    for relation in proposals.relations:
        if relation.source not in ids or relation.target not in ids:
            continue
        kind = schema.relation_type(relation.type)
        if kind is not None and kind.allows(wanted[relation.source][1],
                                            wanted[relation.target][1]):
            want.add((relation.type, ids[relation.source], ids[relation.target]))
    have = {(r.type, r.source_id, r.target_id): r
            for r in project.relations.for_document(document_id, suggestions_id)
            if inside is None or (r.source_id in inside and r.target_id in inside)}
    for key, relation in have.items():
        if key not in want:
            project.relations.delete(relation.id)
    for kind_name, source, target in sorted(want - have.keys()):
        project.relations.insert(Relation(
            RelationId(0), new_uid(), DocumentId(document_id), suggestions_id,  # type: ignore[arg-type]
            kind_name, SpanId(source), SpanId(target), {}))
    return want != set(have)


# -- quality ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QualityRun:
    """A quality report and what it was measured on."""

    report: QualityReport
    documents: int  # documents with accepted work, scored
    learned_from_them: bool  # the stored models were trained on these documents


def fresh_quality(project: Project, suggester: Suggester, reference: Sequence[str],
                  layers: Sequence[str] | None = None, *,
                  progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] = lambda: False) -> QualityRun:
    """Score what `suggester` proposes now against the work of `reference` (in each
    document, the first of them who annotated it), per label and as quote frames."""
    documents = list(reference_work(project, reference, layers))
    only_here = _gazetteer_texts_only_in(project, reference)
    triples: list[tuple[str, Work, Work]] = []
    for done, (document_id, work) in enumerate(documents, 1):
        if cancelled():
            break
        text = project.documents.text(document_id) or ""
        proposals = suggester.propose(text, ())
        own = only_here.get(document_id, set())
        kept = Proposals()
        for span in proposals.spans:
            if span.origin == "gazetteer" and text[span.start:span.end].strip() in own:
                continue
            kept.add(span)
        index = {span.key: i for i, span in enumerate(kept.spans)}
        for relation in proposals.relations:
            source = index.get(proposals.spans[relation.source].key)
            target = index.get(proposals.spans[relation.target].key)
            if source is not None and target is not None:
                kept.relate(relation.type, source, target)
        triples.append((text, work, _in_layers(proposals_work(kept), layers)))
        if progress is not None:
            progress(done, len(documents))
    exact, overlap = label_scores((r, p) for _, r, p in triples)
    _, quotes = quote_scores(triples)
    learned = bool(suggester.models) and bool(triples)
    return QualityRun(QualityReport(len(triples), exact, overlap, quotes), len(triples),
                      learned)


def _in_layers(work: Work, layers: Sequence[str] | None) -> Work:
    if not layers:
        return work
    kept = {k for k, (layer, _, _) in work.spans.items() if layer in layers}
    kept |= {target for _, source, target in work.relations if source in kept}
    return Work({k: v for k, v in work.spans.items() if k in kept},
                [r for r in work.relations if r[1] in kept and r[2] in kept])


def _gazetteer_texts_only_in(project: Project, reference: Sequence[str]
                             ) -> dict[int, set[str]]:
    """Document id -> the gazetteer texts that only that document's accepted work holds."""
    allowed = gazetteer_labels(project.schema)
    where: dict[str, set[int]] = defaultdict(set)
    for span in project.spans.iter_all(reference_annotators(project, reference)):
        if (span.layer, span.label) in allowed and len(where[span.text.strip()]) < 2:
            where[span.text.strip()].add(span.document_id)
    only: dict[int, set[str]] = defaultdict(set)
    for text, documents in where.items():
        if len(documents) == 1:
            only[next(iter(documents))].add(text)
    return only


# -- learning in a child process ----------------------------------------------------------


def learn_in_steps(project: Project, learn_from: Sequence[str],
                   layers: Iterable[str] | None = None,
                   report: Callable[[dict], None] = lambda _line: None) -> int:
    """`learn_layer` for each layer (default: every layer), reporting after each; returns
    the number of layers learned."""
    chosen = list(layers) if layers else [layer.name for layer in project.schema.layers]
    learned = 0
    for done, layer in enumerate(chosen, 1):
        report({"layer": layer, "step": "learning", "done": done - 1, "total": len(chosen)})
        result = learn_layer(project, layer, learn_from)
        learned += result is not None
        report({"layer": layer, "step": "learned" if result else "nothing to learn",
                "done": done, "total": len(chosen),
                "documents": result.documents if result else 0,
                "spans": result.spans if result else 0,
                "seconds": round(result.seconds, 2) if result else 0.0})
    return learned


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m news_annotator.suggest.app_support")
    commands = parser.add_subparsers(dest="command", required=True)
    learn = commands.add_parser("learn", help="learn each layer's model, a JSON line a layer")
    learn.add_argument("project")
    learn.add_argument("--learn-from", required=True, metavar="NAME[,NAME…]")
    learn.add_argument("--layer", action="append", metavar="LAYER")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.learn_from.split(",") if n.strip()]

    def report(line: dict) -> None:
        print(json.dumps(line), flush=True)

    with Project.open(args.project) as project:
        learn_in_steps(project, names, args.layer, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
