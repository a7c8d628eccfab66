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

Either side may be a team project on a server (`postgresql://...`): `merge FILE URL`
pulls it into a file, `merge URL FILE` pushes a file's work to it. A push carries only
what the connected role may write (its own work; gold, new documents and the schema for
a curator) and reports the rest as refused, so the server's permissions never make a
push fail half-way.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from itertools import groupby
from operator import attrgetter
from pathlib import Path

from news_annotator.errors import ProjectError, SchemaError
from news_annotator.model import AnnotatorId, Document, DocumentId, Relation, Span, SpanId, Status
from news_annotator.project import Project
from news_annotator.review.schema_union import SchemaUnion, used_but_missing
from news_annotator.schema import Schema
from news_annotator.server_address import ServerAddress, is_server_url

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
    # What a push left out because the server's role may not write it: by annotator name.
    spans_refused: dict[str, int] = field(default_factory=dict)
    relations_refused: dict[str, int] = field(default_factory=dict)
    statuses_refused: dict[str, int] = field(default_factory=dict)
    documents_refused: int = 0

    def refused(self, kind: str, annotator: str) -> None:
        counts = getattr(self, f"{kind}_refused")
        counts[annotator] = counts.get(annotator, 0) + 1

    def refusal_line(self) -> str:
        """'' when nothing was refused; else what was, and why."""
        parts = []
        for kind in ("spans", "relations", "statuses"):
            counts = getattr(self, f"{kind}_refused")
            if counts:
                who = ", ".join(f"{name} {count:,}" for name, count in sorted(counts.items()))
                parts.append(f"{sum(counts.values()):,} {kind} ({who})")
        if self.documents_refused:
            parts.append(f"{self.documents_refused:,} documents the server lacks (a curator "
                         "adds documents) with their annotations")
        return ("    refused, not this role's to write: " + "; ".join(parts)) if parts else ""


@dataclass(slots=True)
class MergeReport:
    out_path: str
    created: bool
    inputs: list[InputSummary] = field(default_factory=list)
    annotators_added: list[str] = field(default_factory=list)
    schema_changes: list[str] = field(default_factory=list)
    schema_refused: list[str] = field(default_factory=list)  # a push by a non-curator

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
            if s.refusal_line():
                out.append(s.refusal_line())
        if self.annotators_added:
            out.append("  new annotators: " + ", ".join(self.annotators_added))
        out += [f"  schema: {change}" for change in self.schema_changes]
        out += [f"  schema change refused (curators change the schema): {change}"
                for change in self.schema_refused]
        out.append(f"total: {self.total('spans_added'):,} spans added, "
                   f"{self.total('spans_updated'):,} updated, "
                   f"{self.total('spans_unchanged'):,} already present "
                   "(+ added, ~ newer version taken, = already present)")
        return out


Location = Path | ServerAddress


def _location(value: str | Path | ServerAddress) -> Location:
    return ServerAddress(value) if is_server_url(value) else Path(value)  # type: ignore[arg-type]


def _same(a: Location, b: Location) -> bool:
    if isinstance(a, Path) and isinstance(b, Path):
        return a.exists() and b.exists() and a.samefile(b)
    return a == b


def merge_projects(out_path: str | Path | ServerAddress,
                   inputs: list[str | Path | ServerAddress]) -> MergeReport:
    """Merge `inputs` into `out_path` (a file created when missing) in one transaction."""
    out_path, paths = _location(out_path), [_location(p) for p in inputs]
    if not paths:
        raise ProjectError("nothing to merge: name at least one input project")
    for path in paths:
        if _same(path, out_path):
            raise ProjectError(f"{path} is both the output and an input")
    sources = []
    try:
        for path in paths:
            sources.append(Project.open(path, read_only=True))
        created = isinstance(out_path, Path) and not out_path.exists()
        out = Project.create(out_path, Schema(())) if created else Project.open(out_path)
        try:
            report = MergeReport(str(out_path), created)
            schema = _merged_schema(out, sources, report)
            with out.transaction():
                if schema != out.schema and not out.access.curator:
                    report.schema_refused, report.schema_changes = report.schema_changes, []
                elif schema != out.schema:
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
        store = source.storage.schema
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
        self.merging = out.storage.merging
        for document_id, uid, digest in self.merging.document_keys():
            self.by_uid[uid] = (document_id, digest)
            self.by_text.setdefault(digest, (document_id, uid))
        self.statuses = {(d, a): (at, STATUS_RANK[s]) for d, a, s, at in out.statuses.all()}
        self.annotators = {a.name: a.id for a in out.annotators.all()}
        self.access = out.access
        schema = out.schema
        self.labels = {(layer.name, label.name) for layer, label in schema.all_labels()}
        self.relation_types = {kind.name for kind in schema.relation_types}

    def merge(self, source: Project) -> InputSummary:
        summary = InputSummary(str(source.path))
        names = {a.id: a.name for a in source.annotators.all()}
        who = {annotator_id: self._annotator(name) for annotator_id, name in names.items()
               if self.access.may_write_as(name)}
        documents: dict[int, tuple[DocumentId, str] | None] = {}
        for document in source.storage.merging.iter_documents():
            documents[document.id] = self._document(document, source, summary)
        relations = groupby(source.relations.iter_all(), key=attrgetter("document_id"))
        relation_doc, relation_group = next(relations, (None, ()))
        for document_id, spans in groupby(source.spans.iter_all(), key=attrgetter("document_id")):
            target = documents[document_id]
            while relation_doc is not None and relation_doc < document_id:
                relation_doc, relation_group = next(relations, (None, ()))
            if target is None:
                self._refuse(spans, "spans", names, summary)
                if relation_doc == document_id:
                    self._refuse(relation_group, "relations", names, summary)
                continue
            out_document, document_uid = target
            present = {s.uid: s for s in self.out.spans.for_document(out_document)}
            span_ids = self._spans(self._writable(spans, "spans", who, names, summary, present),
                                   out_document, document_uid, who, names, summary, present)
            if relation_doc == document_id:
                writable = []
                there = {r.uid: r for r in self.out.relations.for_document(out_document)}
                for relation in self._writable(relation_group, "relations", who, names, summary,
                                               there):
                    if relation.source_id in span_ids and relation.target_id in span_ids:
                        writable.append(relation)
                    else:  # it joins a span that was refused
                        summary.refused("relations", names[relation.annotator_id])
                self._relations(writable, out_document, document_uid, span_ids, who, names,
                                summary)
        for document_id, annotator_id, status, updated_at in source.statuses.all():
            if annotator_id not in who or documents[document_id] is None:
                if not self._status_there(documents[document_id], names[annotator_id],
                                          (updated_at, STATUS_RANK[status])):
                    summary.refused("statuses", names[annotator_id])
                continue
            key = (documents[document_id][0], who[annotator_id])  # type: ignore[index]
            incoming = (updated_at, STATUS_RANK[status])
            if key not in self.statuses or incoming > self.statuses[key]:
                self.out.statuses.set(key[0], key[1], status, updated_at)
                self.statuses[key] = incoming
                summary.statuses_set += 1
        return summary

    def _writable(self, rows, kind: str, who: dict, names: dict, summary: InputSummary,
                  present: dict):
        """The rows this connection may write; the others counted as refused (another
        annotator's, or a label or relation type the server's schema lacks) unless the
        output already holds them as they are (a pulled file pushed back)."""
        for row in rows:
            known = ((row.layer, row.label) in self.labels if kind == "spans"
                     else row.type in self.relation_types)
            if row.annotator_id in who and known:
                yield row
                continue
            mine = present.get(row.uid)
            same_owner = mine is not None and \
                self.annotators.get(names[row.annotator_id]) == mine.annotator_id
            if not (same_owner and (_span_key(row) <= _span_key(mine) if kind == "spans" else
                                    (row.type, row.attributes) == (mine.type, mine.attributes))):
                summary.refused(kind, names[row.annotator_id])

    def _status_there(self, target: tuple[DocumentId, str] | None, name: str,
                      incoming: tuple[str, int]) -> bool:
        """Whether the output already holds this status, or a newer one."""
        if target is None or name not in self.annotators:
            return False
        found = self.statuses.get((target[0], self.annotators[name]))
        return found is not None and found >= incoming

    def _refuse(self, rows, kind: str, names: dict, summary: InputSummary) -> None:
        for row in rows:
            summary.refused(kind, names[row.annotator_id])

    def _annotator(self, name: str) -> AnnotatorId:
        if name not in self.annotators:
            self.annotators[name] = self.out.annotators.ensure(name).id
            self.report.annotators_added.append(name)
        return AnnotatorId(self.annotators[name])

    def _document(self, document: Document, source: Project,
                  summary: InputSummary) -> tuple[DocumentId, str] | None:
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
            if best != uid and self.access.owner:  # only the owner changes a document
                self.merging.rename_document(document_id, best)
                del self.by_uid[uid]
                self.by_uid[best] = (document_id, digest)
                self.by_text[digest] = (document_id, best)
            return DocumentId(document_id), best if self.access.owner else uid
        if not self.access.curator:
            summary.documents_refused += 1
            return None
        document_id = self.out.documents.insert_with_id(replace(document, sha256=digest))
        self.by_uid[document.uid] = (document_id, digest)
        self.by_text[digest] = (document_id, document.uid)
        summary.documents_added += 1
        return DocumentId(document_id), document.uid

    def _spans(self, spans, document_id: DocumentId, document_uid: str, who: dict,
               names: dict, summary: InputSummary, existing: dict[str, Span]
               ) -> dict[int, SpanId]:
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
                        self.merging.overwrite_span(mine.id, incoming)
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
                        self.merging.overwrite_relation(mine.id, incoming)
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

