"""The import pipeline: files -> readers -> one all-or-nothing transaction.

Plain articles go in batches through `executemany` (near raw insert speed); annotated
documents are matched by uid so that importing the same file twice adds nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from news_annotator.errors import InputError, ProjectError
from news_annotator.formats import FormatSpec, detect_format, get_format, native_json
from news_annotator.formats.common.interop import ReadWarning, SkippedAnnotation
from news_annotator.formats.common.records import (
    AnnotatedDocument,
    ProjectHeader,
    ReadOptions,
    SpanRecord,
)
from news_annotator.formats.common.text_check import check_span_text
from news_annotator.model import (
    AnnotatorId,
    Document,
    DocumentId,
    NewDocument,
    Relation,
    Span,
    SpanId,
    Status,
    check_fragments,
    fragments_text,
)
from news_annotator.project import Project
from news_annotator.schema import Layer
from news_annotator.store.documents import text_digest, uid_from_digest

DEFAULT_ANNOTATOR = "imported"
BATCH = 500
IGNORED_NAMES = {"readme", "readme.md", "license", "licence", "manifest.json"}
FRAGMENT_JOINER = " … "  # how model.fragments_text joins the parts of a span's text
ADD_LABELS_HINT = ('import with --add-labels (command line) or tick "Add labels the schema '
                   'does not have yet" (import dialog) to add them')


@dataclass(frozen=True, slots=True)
class ImportProgress:
    files_done: int
    files_total: int
    documents: int
    current: str
    bytes_done: int = 0
    bytes_total: int = 0


@dataclass(slots=True)
class ImportReport:
    files: int = 0
    documents_read: int = 0
    documents_added: int = 0
    spans_added: int = 0
    relations_added: int = 0
    skipped: list[InputError] = field(default_factory=list)  # whole documents or records
    # Annotations left out of documents that were imported (with what needed them).
    skipped_annotations: list[InputError] = field(default_factory=list)
    # Differences accepted on the way in (a brat text field cut at a line break, …).
    warnings: list[InputError] = field(default_factory=list)

    @property
    def duplicates(self) -> int:
        return self.documents_read - self.documents_added


ProgressCallback = Callable[[ImportProgress], None]


def collect_files(paths: Iterable[str | Path], format_name: str | None) -> list[tuple[Path,
                                                                                     FormatSpec]]:
    """Every file to read with its format; fails before any write if something is off."""
    forced = get_format(format_name) if format_name else None
    if forced is not None and not (forced.can_read and hasattr(forced.module, "read")):
        raise InputError(forced.name, "this format can be exported but not imported")
    found: list[tuple[Path, FormatSpec]] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(path, "no such file or folder")
        if path.is_dir():
            folder_reader = getattr(forced.module, "read_folder", None) if forced else None
            if folder_reader is not None:
                found.append((path, forced))
                continue
            entries = [p for p in sorted(path.rglob("*")) if p.is_file()
                       and not any(part.startswith(".") for part in p.relative_to(path).parts)
                       and p.name.lower() not in IGNORED_NAMES]
            # A brat folder pairs a.txt with a.ann: the .ann names the document.
            entries = [p for p in entries
                       if not (p.suffix.lower() == ".txt" and p.with_suffix(".ann").exists())]
            if any(p.suffix.lower() == ".ann" for p in entries):
                # PolNeAR keeps them apart: text/a.txt and attributions/a_ANNOTATOR.ann.
                text_for = get_format("brat").module.text_for
                annotated = {text_for(p)[0] for p in entries if p.suffix.lower() == ".ann"}
                entries = [p for p in entries if p not in annotated]
            matched = [(p, forced or detect_format(p)) for p in entries]
            # A format with no suffixes of its own (doccano, Label Studio) is only ever
            # found by its sniff, so its match stands.
            matched = [(p, spec) for p, spec in matched if spec is not None
                       and (forced or not spec.suffixes or p.suffix.lower() in spec.suffixes)]
            if not matched:
                raise InputError(path, "no articles found in this folder (looked for "
                                 ".txt, .html, .jsonl, .csv and .json files)")
            found.extend(matched)  # type: ignore[arg-type]
        else:
            spec = forced or detect_format(path)
            if spec is None:
                raise InputError(path, f"cannot tell the format from the suffix "
                                 f"{path.suffix or '(none)'!r}; pass --format")
            found.append((path, spec))
    return found


def import_paths(project: Project, paths: Iterable[str | Path], *, format_name: str | None = None,
                 options: ReadOptions | None = None,
                 progress: ProgressCallback | None = None) -> ImportReport:
    """Import every file in one transaction: all of it, or (on error) none of it."""
    options = options or ReadOptions()
    if options.annotator and not project.access.may_write_as(options.annotator):
        raise ProjectError(f"{project.path}: {project.access.refusal(options.annotator)}")
    if not options.annotator and project.own_annotator:
        # On a server, work that names no annotator is the connected role's own (readers
        # derive span uids from it, so two roles' identical spans stay two spans).
        options = replace(options, annotator=project.own_annotator)
    files = collect_files(paths, format_name)
    report = ImportReport()
    sizes = [path.stat().st_size if path.is_file() else 0 for path, _ in files]
    total, done = sum(sizes), 0
    with project.transaction():
        writer = _Writer(project, options, report)
        for index, (path, spec) in enumerate(files):
            file_options = options
            if progress:
                def tell(position: int, index: int = index, path: Path = path,
                         done: int = done) -> None:
                    progress(ImportProgress(index, len(files), report.documents_read,
                                            str(path), done + position, total))

                tell(0)
                file_options = replace(options, on_position=tell)
            if spec.name == "json":
                writer.adopt_project_file(native_json.read_project_file(path))
            else:
                read = spec.module.read_folder if path.is_dir() else spec.module.read
                writer.add_all(read(path, file_options))
            writer.flush()
            report.files += 1
            done += sizes[index]
        writer.check_labels()
        if progress:
            progress(ImportProgress(len(files), len(files), report.documents_read, "",
                                    total, total))
    project.documents_changed()
    return report


class _Writer:
    """Turns reader output into rows inside the import's transaction."""

    def __init__(self, project: Project, options: ReadOptions, report: ImportReport) -> None:
        self.project = project
        self.options = options
        self.report = report
        self.batch: list[NewDocument] = []
        self.annotator_ids: dict[str, AnnotatorId] = {}
        # Labels (by layer, "" when the file names none) and relation types the schema
        # lacks, with where each was first met: reported all together at the end.
        self.unknown_labels: dict[str, set[str]] = {}
        self.unknown_types: set[str] = set()
        self.first_unknown = ""

    def add_all(self, items: Iterable[NewDocument | AnnotatedDocument | ProjectHeader
                                      | InputError | ReadWarning | SkippedAnnotation]
                ) -> None:
        batch = self.batch
        for item in items:
            if type(item) is NewDocument:  # the common case first: a plain article
                self.report.documents_read += 1
                batch.append(item)
                if len(batch) >= BATCH:
                    self.flush()
            elif isinstance(item, ProjectHeader):
                self.flush()
                self.adopt_header(item)
            elif isinstance(item, InputError):
                if not self.options.skip_bad:
                    raise item
                self.report.skipped.append(item)
            elif isinstance(item, ReadWarning):
                self.report.warnings.append(item.problem)
            elif isinstance(item, SkippedAnnotation):
                if not self.options.skip_bad:
                    raise item.problem
                self.report.skipped_annotations.append(item.problem)
            elif isinstance(item, AnnotatedDocument):
                self.flush()
                self.add_annotated(item)
            else:
                self.report.documents_read += 1
                self.batch.append(item)
                if len(self.batch) >= BATCH:
                    self.flush()

    def flush(self) -> None:
        if self.batch:
            self.report.documents_added += self.project.documents.insert_many(self.batch)
            self.batch.clear()

    def adopt_project_file(self, content: native_json.ProjectFile) -> None:
        """Our JSON into this project: its schema when the project is still empty."""
        self.adopt_header(ProjectHeader(content.schema, content.annotators))
        self.add_all(content.documents)

    def adopt_header(self, header: ProjectHeader) -> None:
        """A lossless export's schema (when the project has no spans yet) and annotators."""
        project = self.project
        if header.schema is not None and project.spans.count() == 0 \
                and header.schema != project.schema:
            project.set_schema(header.schema)
        for name in header.annotators:
            self.annotator_id(name)

    def annotator_name(self, name: str) -> str:
        return name or self.options.annotator or DEFAULT_ANNOTATOR

    def annotator_id(self, name: str) -> AnnotatorId:
        name = self.annotator_name(name)
        if name not in self.annotator_ids:
            self.annotator_ids[name] = self.project.annotators.ensure(name).id
        return self.annotator_ids[name]

    def add_annotated(self, item: AnnotatedDocument) -> None:
        self.report.documents_read += 1
        where = item.where or "document"
        if not self._labels_known(item, where):
            return  # the import will fail naming every label it lacks: write nothing more
        project, doc = self.project, item.document
        document_id = project.documents.id_for_uid(doc.uid) if doc.uid else None
        if document_id is None:
            digest = text_digest(doc.text)
            uid = doc.uid or uid_from_digest(digest)
            document_id = project.documents.id_for_uid(uid)
            if document_id is None:
                document_id = project.documents.insert_with_id(Document(
                    DocumentId(0), uid, doc.title, doc.text, doc.source, doc.url, doc.published,
                    doc.metadata, digest, item.added_at))
                self.report.documents_added += 1
        stored = project.documents.get(document_id)
        assert stored is not None
        if stored.text != doc.text:
            raise InputError(where, f"document {stored.uid!r} is already in the project "
                             "with a different text")
        span_ids, left_out = self._add_spans(item, stored, where)
        self._add_relations(item, stored.id, span_ids, left_out, where)
        for status in item.statuses:
            try:
                value = Status(status.status)
            except ValueError:
                raise InputError(where, f"unknown status {status.status!r}") from None
            project.statuses.set(stored.id, self.annotator_id(status.annotator), value,
                                 status.updated_at)

    def _layer_of(self, record: SpanRecord) -> Layer | None:
        """The schema layer that holds this record's label, or None."""
        schema = self.project.schema
        layer = schema.layer(record.layer) if record.layer else None
        if layer is None or layer.label(record.label) is None:
            # Label names are unique across layers: a known label brings its layer.
            layer = schema.layer_of_label(record.label) or layer
        return layer if layer is not None and layer.label(record.label) is not None else None

    def _labels_known(self, item: AnnotatedDocument, where: str) -> bool:
        """Notes the labels and relation types the schema lacks (unless they may be added);
        False once any is missing anywhere in this import."""
        if not self.options.add_labels:
            schema = self.project.schema
            for record in item.spans:
                if self._layer_of(record) is None:
                    self.unknown_labels.setdefault(record.layer, set()).add(record.label)
                    self.first_unknown = self.first_unknown or where
            for relation in item.relations:
                if schema.relation_type(relation.type) is None:
                    self.unknown_types.add(relation.type)
                    self.first_unknown = self.first_unknown or where
        return not self.first_unknown

    def check_labels(self) -> None:
        """Fails naming every label and relation type the schema lacks, and how to add them."""
        if not self.first_unknown:
            return
        count = sum(map(len, self.unknown_labels.values())) + len(self.unknown_types)
        parts = []
        for layer in sorted(self.unknown_labels):
            names = sorted(self.unknown_labels[layer])
            parts.append(f"unknown label{'s' if len(names) > 1 else ''} "
                         + ", ".join(repr(name) for name in names)
                         + (f" in layer {layer!r}" if layer else ""))
        if self.unknown_types:
            names = sorted(self.unknown_types)
            parts.append(f"unknown relation type{'s' if len(names) > 1 else ''} "
                         + ", ".join(repr(name) for name in names))
        lacks = "it" if count == 1 else "them (this is the first place that uses one)"
        raise InputError(self.first_unknown, "; ".join(parts) + f": the schema lacks {lacks}; "
                         + ADD_LABELS_HINT)

    def _add_spans(self, item: AnnotatedDocument, doc: Document, where: str
                   ) -> tuple[dict[str, SpanId], set[str]]:
        """The spans' rows by uid, and the uids of spans left out (their text is not the
        text at their offsets, and bad records are skipped)."""
        spans = self.project.spans
        ids: dict[str, SpanId] = {}
        left_out: set[str] = set()
        for record in item.spans:
            layer = self._layer_of(record)
            if layer is None:  # only when labels may be added (see _labels_known)
                layer = self.project.add_label(record.layer or "entity", record.label)
            try:
                check_fragments(record.fragments, len(doc.text))
            except ValueError as error:
                raise InputError(where, f"span {record.uid or record.label}: {error}") from None
            text = fragments_text(doc.text, record.fragments)
            if record.text is not None and record.text != text \
                    and not self._text_agrees(record, doc.text, where):
                left_out.add(record.uid)
                continue
            annotator = self.annotator_id(record.annotator)
            uid = record.uid or _derived_uid(doc.uid, self.annotator_name(record.annotator),
                                             layer.name, record)
            existing = spans.id_for_uid(uid)
            if existing is not None:
                ids[uid] = existing
                continue
            ids[uid] = spans.insert(Span(SpanId(0), uid, doc.id, annotator, layer.name,
                                         record.label, record.fragments, text,
                                         record.attributes, record.note, record.created_at,
                                         record.updated_at))
            self.report.spans_added += 1
        return ids, left_out

    def _text_agrees(self, record: SpanRecord, text: str, where: str) -> bool:
        """A span's stated text against its offsets (the truth): True when it is kept (a
        difference in whitespace is a warning), False when skipped; else an InputError."""
        assert record.text is not None
        check = check_span_text(record.text, text, record.fragments, joiner=FRAGMENT_JOINER)
        problem = InputError(where, f"span {record.uid or record.label}: its text "
                             f"{check.detail}")
        if check.accepted:
            self.report.warnings.append(problem)
            return True
        if not self.options.skip_bad:
            raise problem
        self.report.skipped_annotations.append(problem)
        return False

    def _add_relations(self, item: AnnotatedDocument, document_id: DocumentId,
                       span_ids: dict[str, SpanId], left_out: set[str], where: str) -> None:
        relations = self.project.relations
        for record in item.relations:
            if self.project.schema.relation_type(record.type) is None:
                self.project.add_relation_type(record.type)  # only with add_labels
            if record.source in left_out or record.target in left_out:
                continue  # it needs a span that was skipped
            missing = [uid for uid in (record.source, record.target) if uid not in span_ids]
            if missing:
                raise InputError(where, f"relation {record.uid or record.type} points to "
                                 f"missing span(s) {', '.join(missing)}")
            uid = record.uid or hashlib.sha256(
                f"{record.type}|{record.source}|{record.target}".encode()).hexdigest()[:32]
            if relations.id_for_uid(uid) is not None:
                continue
            relations.insert(Relation(0, uid, document_id,  # type: ignore[arg-type]
                                      self.annotator_id(record.annotator), record.type,
                                      span_ids[record.source], span_ids[record.target],
                                      record.attributes))
            self.report.relations_added += 1


def _derived_uid(document_uid: str, annotator: str, layer: str, record) -> str:
    """A deterministic uid for spans from formats without one, so re-imports dedupe.

    Keyed by the annotator's name (not a row id), so the same file imported by two people
    under their own names gives distinct uids that merge cleanly.
    """
    key = f"{document_uid}|{annotator}|{layer}|{record.label}|{record.fragments}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
