"""Merge project files made by different people into one, by uid, idempotently.

Matching: documents by uid, else by text (sha256); annotators by name; spans and
relations by uid; statuses by (document, annotator). When two files hold different
versions of one row, the same rule picks the winner whatever the order of the files:
the newest `updated_at` (then the larger content, to break ties) for spans and
statuses, the larger content for relations (they carry no timestamp). A uid that an
other annotator or document already uses in the output (formats without uids derive
them) is re-keyed deterministically, so merging again finds it. A document matched by
text keeps the preferred of the two uids: a source id over a content hash, then the
smaller. Merging is a union: a deletion in one file does not delete in the others.

Everything happens in one transaction on OUT; inputs are opened read-only. A schema
conflict refuses the whole merge before anything is written.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from itertools import groupby
from operator import attrgetter
from pathlib import Path

from annotator.errors import ProjectError, SchemaError
from annotator.model import AnnotatorId, Document, DocumentId, Relation, Span, SpanId, Status
from annotator.project import Project
from annotator.review.schema_union import SchemaUnion, used_but_missing
from annotator.schema import Schema
from annotator.store import merging
from annotator.store.schema_store import SchemaStore

STATUS_RANK = {Status.NEW: 0, Status.IN_PROGRESS: 1, Status.DONE: 2}


@dataclass(slots=True)
class InputSummary:
    """What one input brought into the output."""

    path: str
    documents: int = 0
    documents_added: int = 0
    spans_added: int = 0
    spans_updated: int = 0
    spans_unchanged: int = 0
    relations_added: int = 0
    relations_updated: int = 0
    relations_unchanged: int = 0
    statuses_set: int = 0
    rekeyed: int = 0


@dataclass(slots=True)
class MergeReport:
    out_path: str
    created: bool
    inputs: list[InputSummary] = field(default_factory=list)
    annotators_added: list[str] = field(default_factory=list)
    schema_changes: list[str] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(summary, name) for summary in self.inputs)

    def lines(self) -> list[str]:
        """A readable summary, one line per input plus totals."""
        out = [f"{'created' if self.created else 'merged into'} {self.out_path}"]
        for s in self.inputs:
            out.append(f"  {s.path}: {s.documents:,} documents ({s.documents_added:,} new); "
                       f"spans +{s.spans_added:,} ~{s.spans_updated:,} ={s.spans_unchanged:,}; "
                       f"relations +{s.relations_added:,} ~{s.relations_updated:,} "
                       f"={s.relations_unchanged:,}; statuses {s.statuses_set:,}"
                       + (f"; {s.rekeyed:,} uids re-keyed" if s.rekeyed else ""))
        if self.annotators_added:
            out.append("  new annotators: " + ", ".join(self.annotators_added))
        out += [f"  schema: {change}" for change in self.schema_changes]
        out.append(f"total: {self.total('spans_added'):,} spans added, "
                   f"{self.total('spans_updated'):,} updated, "
                   f"{self.total('spans_unchanged'):,} already present "
                   "(+ added, ~ newer version taken, = already present)")
        return out


def merge_projects(out_path: str | Path, inputs: list[str | Path]) -> MergeReport:
    """Merge `inputs` into `out_path` (created when missing) in one transaction."""
    out_path, paths = Path(out_path), [Path(p) for p in inputs]
    if not paths:
        raise ProjectError("nothing to merge: name at least one input project")
    for path in paths:
        if out_path.exists() and path.exists() and path.samefile(out_path):
            raise ProjectError(f"{path} is both the output and an input")
    sources = []
    try:
        for path in paths:
            sources.append(Project.open(path, read_only=True))
        created = not out_path.exists()
        out = Project.create(out_path, Schema(())) if created else Project.open(out_path)
        try:
            report = MergeReport(str(out_path), created)
            schema = _merged_schema(out, sources, report)
            with out.transaction():
                if schema != out.schema:
                    out.set_schema(schema)
                merger = _Merger(out, report)
                for source in sources:
                    report.inputs.append(merger.merge(source))
        except BaseException:
            out.close()
            if created:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{out_path}{suffix}").unlink(missing_ok=True)
            raise
        out.close()
        return report
    finally:
        for source in sources:
            source.close()


def _merged_schema(out: Project, sources: list[Project], report: MergeReport) -> Schema:
    base = out.schema if out.schema.layers else Schema((), (), sources[0].schema.name)
    union = SchemaUnion(base, str(out.path))
    for source in sources:
        union.add(source.schema, str(source.path))
    problems = list(union.conflicts)
    for source in sources:
        store = SchemaStore(source.db)
        for missing in used_but_missing(union.schema, store.used_labels()):
            problems.append(f"label {missing} is used in {source.path} but in no schema")
        for kind in sorted(store.used_relation_types()):
            if union.schema.relation_type(kind) is None:
                problems.append(f"relation type {kind!r} is used in {source.path} "
                                "but in no schema")
    if problems:
        raise SchemaError("cannot merge, the schemas conflict (nothing was written): "
                          + "; ".join(problems))
    report.schema_changes = [c for c in union.changes if out.schema.layers]
    return union.schema


def rekeyed_uid(uid: str, annotator: str, document_uid: str) -> str:
    """A stable replacement uid for a row whose uid is taken by someone else's row."""
    return hashlib.sha256(f"{uid}|{annotator}|{document_uid}".encode()).hexdigest()[:32]


def _preferred_uid(a: str, b: str) -> str:
    return min(a, b, key=lambda uid: (uid.startswith("sha256:"), uid))


def _span_key(span: Span) -> tuple:
    return (span.updated_at, span.layer, span.label, span.fragments, span.note, span.text,
            json.dumps(span.attributes, sort_keys=True), span.created_at)


class _Merger:
    """The output's rows, indexed in memory where a per-row query would be slow."""

    def __init__(self, out: Project, report: MergeReport) -> None:
        self.out, self.report = out, report
        self.by_uid: dict[str, tuple[int, str]] = {}
        self.by_text: dict[str, tuple[int, str]] = {}
        for document_id, uid, digest in merging.document_keys(out.db):
            self.by_uid[uid] = (document_id, digest)
            self.by_text.setdefault(digest, (document_id, uid))
        self.statuses = {(d, a): (at, STATUS_RANK[s]) for d, a, s, at in out.statuses.all()}
        self.annotators = {a.name: a.id for a in out.annotators.all()}

    def merge(self, source: Project) -> InputSummary:
        summary = InputSummary(str(source.path))
        names = {a.id: a.name for a in source.annotators.all()}
        who = {annotator_id: self._annotator(name) for annotator_id, name in names.items()}
        documents: dict[int, tuple[DocumentId, str]] = {}
        for document in merging.iter_documents(source.db):
            documents[document.id] = self._document(document, source, summary)
        relations = groupby(source.relations.iter_all(), key=attrgetter("document_id"))
        relation_doc, relation_group = next(relations, (None, ()))
        for document_id, spans in groupby(source.spans.iter_all(), key=attrgetter("document_id")):
            out_document, document_uid = documents[document_id]
            span_ids = self._spans(spans, out_document, document_uid, who, names, summary)
            while relation_doc is not None and relation_doc < document_id:
                relation_doc, relation_group = next(relations, (None, ()))
            if relation_doc == document_id:
                self._relations(relation_group, out_document, document_uid, span_ids, who, names,
                                summary)
        for document_id, annotator_id, status, updated_at in source.statuses.all():
            key = (documents[document_id][0], who[annotator_id])
            incoming = (updated_at, STATUS_RANK[status])
            if key not in self.statuses or incoming > self.statuses[key]:
                self.out.statuses.set(key[0], key[1], status, updated_at)
                self.statuses[key] = incoming
                summary.statuses_set += 1
        return summary

    def _annotator(self, name: str) -> AnnotatorId:
        if name not in self.annotators:
            self.annotators[name] = self.out.annotators.ensure(name).id
            self.report.annotators_added.append(name)
        return AnnotatorId(self.annotators[name])

    def _document(self, document: Document, source: Project,
                  summary: InputSummary) -> tuple[DocumentId, str]:
        summary.documents += 1
        digest = document.sha256 or hashlib.sha256(document.text.encode()).hexdigest()
        found = self.by_uid.get(document.uid)
        if found is not None:
            if found[1] != digest:
                raise ProjectError(f"document {document.uid!r} has a different text in "
                                   f"{source.path} than in {self.out.path}; not merged")
            return DocumentId(found[0]), document.uid
        same_text = self.by_text.get(digest)
        if same_text is not None:
            document_id, uid = same_text
            best = _preferred_uid(uid, document.uid)
            if best != uid:
                merging.rename_document(self.out.db, document_id, best)
                del self.by_uid[uid]
                self.by_uid[best] = (document_id, digest)
                self.by_text[digest] = (document_id, best)
            return DocumentId(document_id), best
        document_id = self.out.documents.insert_with_id(replace(document, sha256=digest))
        self.by_uid[document.uid] = (document_id, digest)
        self.by_text[digest] = (document_id, document.uid)
        summary.documents_added += 1
        return DocumentId(document_id), document.uid

    def _spans(self, spans, document_id: DocumentId, document_uid: str, who: dict,
               names: dict, summary: InputSummary) -> dict[int, SpanId]:
        existing = {s.uid: s for s in self.out.spans.for_document(document_id)}
        span_ids: dict[int, SpanId] = {}
        for span in spans:
            annotator = who[span.annotator_id]
            for attempt, uid in enumerate((span.uid, rekeyed_uid(
                    span.uid, names[span.annotator_id], document_uid))):
                incoming = replace(span, uid=uid, document_id=document_id, annotator_id=annotator)
                mine = existing.get(uid)
                if mine is None and self.out.spans.id_for_uid(uid) is None:
                    new_id = self.out.spans.insert(incoming)
                    existing[uid] = replace(incoming, id=new_id)
                    summary.spans_added += 1
                elif mine is not None and mine.annotator_id == annotator:
                    new_id = mine.id
                    if _span_key(incoming) > _span_key(mine):
                        merging.overwrite_span(self.out.db, mine.id, incoming)
                        existing[uid] = replace(incoming, id=mine.id)
                        summary.spans_updated += 1
                    else:
                        summary.spans_unchanged += 1
                else:
                    continue  # the uid belongs to another annotator's or document's span
                summary.rekeyed += attempt
                span_ids[span.id] = new_id
                break
            else:
                raise ProjectError(f"span uid {span.uid!r} collides in {self.out.path} even "
                                   "after re-keying")
        return span_ids

    def _relations(self, relations, document_id: DocumentId, document_uid: str,
                   span_ids: dict[int, SpanId], who: dict,
                   names: dict, summary: InputSummary) -> None:
        existing = {r.uid: r for r in self.out.relations.for_document(document_id)}
        uid_of = {s.id: s.uid for s in self.out.spans.for_document(document_id)}

        def key(relation: Relation) -> tuple:
            return (relation.type, uid_of.get(relation.source_id, ""),
                    uid_of.get(relation.target_id, ""),
                    json.dumps(relation.attributes, sort_keys=True))

        for relation in relations:
            annotator = who[relation.annotator_id]
            for attempt, uid in enumerate((relation.uid, rekeyed_uid(
                    relation.uid, names[relation.annotator_id], document_uid))):
                incoming = replace(relation, uid=uid, document_id=document_id,
                                   annotator_id=annotator,
                                   source_id=span_ids[relation.source_id],
                                   target_id=span_ids[relation.target_id])
                mine = existing.get(uid)
                if mine is None and self.out.relations.id_for_uid(uid) is None:
                    new_id = self.out.relations.insert(incoming)
                    existing[uid] = replace(incoming, id=new_id)
                    summary.relations_added += 1
                elif mine is not None and mine.annotator_id == annotator:
                    if key(incoming) > key(mine):
                        merging.overwrite_relation(self.out.db, mine.id, incoming)
                        existing[uid] = replace(incoming, id=mine.id)
                        summary.relations_updated += 1
                    else:
                        summary.relations_unchanged += 1
                else:
                    continue
                summary.rekeyed += attempt
                break
            else:
                raise ProjectError(f"relation uid {relation.uid!r} collides in "
                                   f"{self.out.path} even after re-keying")

