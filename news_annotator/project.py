"""The Project facade: one open project file, its parts, and validated edits.

Reads go through the stores (`project.documents`, `project.spans`, ...); every edit goes
through a method here, runs in one transaction, and is announced as a `Change` to
subscribers (the UI's views), so what is on screen is always what is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from news_annotator.changes import Change, ChangeKind
from news_annotator.errors import ProjectError, SchemaError
from news_annotator.model import (
    Annotator,
    AnnotatorId,
    DocumentId,
    Fragment,
    Relation,
    Span,
    SpanId,
    Status,
    check_fragments,
    fragments_text,
)
from news_annotator.schema import Label, Layer, RelationType, Schema, default_schema, parse_schema
from news_annotator.server_address import ServerAddress, is_server_url
from news_annotator.store.annotations import new_uid
from news_annotator.store.database import utc_now
from news_annotator.store.protocol import Access, Storage, SuggestionStorage
from news_annotator.store.sqlite_storage import SqliteStorage

Listener = Callable[[Change], None]
EXTRA_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                "#7f7f7f", "#bcbd22", "#17becf")


@dataclass(frozen=True, slots=True)
class DeletedSpan:
    """A deleted span with the relations that went with it, enough to restore both."""

    span: Span
    relations: tuple[Relation, ...]


class Project:
    """An open project: a file, or a team project on a PostgreSQL server."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.documents = storage.documents
        self.spans = storage.spans
        self.relations = storage.relations
        self.annotators = storage.annotators
        self.statuses = storage.statuses
        self._schema_store = storage.schema
        self._schema: Schema | None = None
        self._listeners: list[Listener] = []
        self._pending: list[Change] | None = None  # changes of the open transaction

    # -- lifecycle ------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path | ServerAddress, schema: Schema | None = None, *,
               fill_before_sharing: bool = False) -> Project:
        """A new project file, or a new team project in an existing PostgreSQL database
        (`postgresql://...`); `fill_before_sharing`: see `Database` (import --create)."""
        if is_server_url(path):
            from news_annotator.store.postgres.storage import PostgresStorage

            project = cls(PostgresStorage.create(ServerAddress(path)))
        else:
            project = cls(SqliteStorage.create(Path(path),
                                               fill_before_sharing=fill_before_sharing))
        try:
            with project.transaction():
                project._schema_store.save(schema or default_schema())
        except BaseException:
            project.close()
            raise
        return project

    @classmethod
    def open(cls, path: str | Path | ServerAddress, *, read_only: bool = False) -> Project:
        """Open a project file, or a team project on a server (`postgresql://...`)."""
        if is_server_url(path):
            from news_annotator.store.postgres.storage import PostgresStorage

            return cls(PostgresStorage.open(ServerAddress(path), read_only=read_only))
        return cls(SqliteStorage.open(Path(path), read_only=read_only))

    @property
    def path(self) -> Path | ServerAddress:
        """Where the project lives: its file, or its server's address (which opens it
        again with `Project.open`)."""
        return self.storage.location

    @property
    def db(self) -> Any:
        """A project file's SQLite database, for tests and tools that inspect the file
        itself; the program reaches a project only through `storage`."""
        database = getattr(self.storage, "database", None)
        if database is None:
            raise ProjectError(f"{self.path}: not a project file")
        return database

    @property
    def read_only(self) -> bool:
        return self.storage.read_only

    @property
    def access(self) -> Access:
        """Whose work this connection may write (everyone's, for a file)."""
        return self.storage.access

    @property
    def suggestions(self) -> SuggestionStorage:
        """Learned models and remembered rejections (news_annotator/suggest/)."""
        return self.storage.suggestions

    @property
    def own_annotator(self) -> str | None:
        """The one annotator this connection may write as (a server role's own name);
        None when it may write anyone's work (a file, or the server project's owner)."""
        return self.storage.access.annotator

    def grant(self, role: str, *, curator: bool = False) -> None:
        """Let server role `role` annotate as annotator `role` (a curator also writes
        gold and the schema); only the owner may, and only on a server project."""
        self.storage.grant(role, curator=curator)

    def close(self) -> None:
        self.storage.close()

    # -- the file, for watchers and rescues (the UI never reaches the database) ---------

    def data_version(self) -> int:
        """Changes when another connection commits (never for our own): cheap to poll."""
        return self.storage.data_version()

    def change_socket(self) -> int | None:
        """A socket that turns readable when another connection commits (a server's
        notifications); None for a file, whose `data_version` is polled."""
        return self.storage.change_socket()

    def check_file(self) -> None:
        """ProjectError when the file was deleted or replaced while open."""
        self.storage.check_file()

    def backup_to(self, destination: Path) -> Path:
        """A consistent copy (SQLite's online backup; a server project is pulled into a
        new file), while others may be writing."""
        return self.storage.backup_to(destination)

    def save_copy(self, destination: Path) -> Path:
        """`backup_to`, all or nothing, failures as a ProjectError; works even after the
        file was deleted while open."""
        return self.storage.save_copy(destination)

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One all-or-nothing unit; nested ones are savepoints. Changes announced inside
        reach listeners only after the outermost one commits, and never when the part
        that made them rolled back: views show only what is saved."""
        outermost = self._pending is None
        if outermost:
            self._pending = []
        mark = len(self._pending)
        try:
            with self.storage.transaction():
                yield
        except BaseException:
            self._schema = None  # a rolled-back schema change must not linger in memory
            if outermost:
                self._pending = None
            else:
                del self._pending[mark:]
            raise
        if outermost:
            committed, self._pending = self._pending, None
            for change in committed:
                self._deliver(change)

    def limit_layers(self, layers: Iterable[str] | None) -> None:
        """Make span and relation reads see only these layers (for exports); None: all."""
        chosen = None if layers is None else frozenset(layers)
        unknown = sorted((chosen or set()) - {layer.name for layer in self.schema.layers})
        if unknown:
            raise SchemaError(f"no such layer: {', '.join(unknown)}")
        self.spans.layers = self.relations.layers = chosen

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def _announce(self, change: Change) -> None:
        if self._pending is not None:
            self._pending.append(change)
        else:
            self._deliver(change)

    def _deliver(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    # -- schema and annotators ------------------------------------------------------

    @property
    def schema(self) -> Schema:
        if self._schema is None:
            self._schema = self._schema_store.load()
        return self._schema

    def reload_schema(self) -> bool:
        """Read the schema again (another program may have changed it); True if it did."""
        fresh = self._schema_store.load()
        if fresh == self.schema:
            return False
        self._schema = fresh
        self._announce(Change(ChangeKind.SCHEMA))
        return True

    def set_schema(self, schema: Schema, *, renames: dict[tuple[str, str], str] | None = None
                   ) -> None:
        """Replace the schema; labels in use must survive (or be renamed via `renames`)."""
        if not self.access.curator:
            raise ProjectError(f"{self.path}: connected as {self.access.role!r}: only a "
                               "curator or the owner changes the schema")
        with self.transaction():
            for (layer, old), new in (renames or {}).items():
                self._schema_store.rename_label(layer, old, new)
            missing = sorted(f"{layer}/{label}" for layer, label in self._schema_store.used_labels()
                             if not (schema.layer(layer) and schema.layer(layer).label(label)))
            if missing:
                raise SchemaError("the new schema drops labels still in use: " + ", ".join(missing))
            gone = sorted(t for t in self._schema_store.used_relation_types()
                          if schema.relation_type(t) is None)
            if gone:
                raise SchemaError("the new schema drops relation types still in use: "
                                  + ", ".join(gone))
            parse_schema(schema.to_dict(), "the new schema")  # never save what cannot load
            self._schema_store.save(schema)
        self._schema = schema
        self._announce(Change(ChangeKind.SCHEMA))

    def add_label(self, layer_name: str, label_name: str) -> Layer:
        """Add a label (and its layer, if new) with a color from the palette."""
        schema = self.schema
        layer = schema.layer(layer_name) or Layer(layer_name, ())
        if layer.label(label_name) is None:
            used = len(schema.all_labels())
            layer = replace(layer, labels=layer.labels + (
                Label(label_name, EXTRA_COLORS[used % len(EXTRA_COLORS)]),))
        layers = tuple(layer if existing.name == layer_name else existing
                       for existing in schema.layers)
        if schema.layer(layer_name) is None:
            layers += (layer,)
        self.set_schema(replace(schema, layers=layers))
        return layer

    def add_relation_type(self, name: str) -> None:
        """Add an unconstrained relation type (for imports of other tools' relations)."""
        if self.schema.relation_type(name) is None:
            schema = self.schema
            self.set_schema(replace(schema, relation_types=schema.relation_types
                                    + (RelationType(name),)))

    def annotator(self, name: str) -> Annotator:
        """The annotator called `name` to write as, created on first use (on a server,
        only one the connected role may write as)."""
        name = name.strip()
        if not name:
            raise ProjectError("an annotator needs a name")
        if not self.access.may_write_as(name):
            raise ProjectError(f"{self.path}: {self.access.refusal(name)}")
        found = self.annotators.find(name)
        if found:
            return found
        with self.transaction():
            created = self.annotators.ensure(name)
        self._announce(Change(ChangeKind.ANNOTATORS, ids=(created.id,)))
        return created

    # -- spans ----------------------------------------------------------------------

    def add_span(self, document_id: int, annotator_id: int, label: str,
                 fragments: tuple[Fragment, ...] | list[Fragment], *, layer: str | None = None,
                 attributes: dict[str, Any] | None = None, note: str = "",
                 uid: str = "") -> Span:
        fragments = tuple((int(s), int(e)) for s, e in fragments)
        layer = self._layer_for(label, layer)
        text = self._span_text(document_id, fragments)
        if attributes is None:
            attributes = self.default_attributes(layer, label)
        span = Span(SpanId(0), uid or new_uid(), DocumentId(document_id), AnnotatorId(annotator_id),
                    layer, label, fragments, text, dict(attributes), note)
        with self.transaction():
            span_id = self.spans.insert(span)
            self._touch_status(document_id, annotator_id)
        created = self.spans.get(span_id)
        assert created is not None
        self._announce(Change(ChangeKind.SPAN_ADDED, document_id, (span_id,), annotator_id))
        return created

    def default_attributes(self, layer: str, label: str) -> dict[str, Any]:
        found = self.schema.layer(layer)
        if found is None:
            return {}
        return {a.name: a.default for a in found.attributes_for(label) if a.default is not None}

    def update_span(self, span_id: int, *, label: str | None = None,
                    fragments: tuple[Fragment, ...] | list[Fragment] | None = None,
                    attributes: dict[str, Any] | None = None, note: str | None = None) -> Span:
        span = self._existing_span(span_id)
        text = None
        if label is not None:
            self._layer_for(label, span.layer)
        if fragments is not None:
            fragments = tuple((int(s), int(e)) for s, e in fragments)
            text = self._span_text(span.document_id, fragments)
        with self.transaction():
            self.spans.update(span_id, label=label, fragments=fragments, text=text,
                              attributes=attributes, note=note)
        updated = self.spans.get(span_id)
        assert updated is not None
        self._announce(Change(ChangeKind.SPAN_CHANGED, span.document_id, (span_id,),
                              span.annotator_id))
        return updated

    def delete_span(self, span_id: int) -> DeletedSpan:
        """Delete a span and its relations in one transaction; returns what to restore."""
        span = self._existing_span(span_id)
        relations = tuple(self.relations.touching(span_id))
        with self.transaction():
            self.spans.delete(span_id)
        self._announce(Change(ChangeKind.SPAN_DELETED, span.document_id, (span_id,),
                              span.annotator_id))
        return DeletedSpan(span, relations)

    def restore_span(self, deleted: DeletedSpan) -> Span:
        """Undo a deletion: the span and its relations come back under their old ids."""
        with self.transaction():
            self.spans.insert(deleted.span, keep_id=True)
            for relation in deleted.relations:
                self.relations.insert(relation, keep_id=True)
        self._announce(Change(ChangeKind.SPAN_ADDED, deleted.span.document_id,
                              (deleted.span.id,), deleted.span.annotator_id))
        return deleted.span

    def _existing_span(self, span_id: int) -> Span:
        span = self.spans.get(span_id)
        if span is None:
            raise ProjectError(f"span {span_id} does not exist")
        return span

    def _layer_for(self, label: str, layer: str | None) -> str:
        found = self.schema.layer(layer) if layer else self.schema.layer_of_label(label)
        if found is None or found.label(label) is None:
            where = f" in layer {layer!r}" if layer else ""
            raise SchemaError(f"label {label!r}{where} is not in the project's schema")
        return found.name

    def _span_text(self, document_id: int, fragments: tuple[Fragment, ...]) -> str:
        text = self.documents.text(document_id)
        if text is None:
            raise ProjectError(f"document {document_id} does not exist")
        try:
            check_fragments(fragments, len(text))
        except ValueError as error:
            raise ProjectError(f"document {document_id}: {error}") from error
        return fragments_text(text, fragments)

    def _touch_status(self, document_id: int, annotator_id: int) -> None:
        self.statuses.start(document_id, annotator_id)

    # -- relations ------------------------------------------------------------------

    def add_relation(self, relation_type: str, source_id: int, target_id: int, *,
                     attributes: dict[str, Any] | None = None, uid: str = "") -> Relation:
        source, target = self._existing_span(source_id), self._existing_span(target_id)
        if source.document_id != target.document_id:
            raise ProjectError("a relation links spans of the same document")
        if source.annotator_id != target.annotator_id:
            raise ProjectError("a relation links spans of the same annotator")
        if source_id == target_id:
            raise ProjectError("a relation needs two different spans")
        kind = self.schema.relation_type(relation_type)
        if kind is None:
            raise SchemaError(f"relation type {relation_type!r} is not in the project's schema")
        if not kind.allows(source.label, target.label):
            raise SchemaError(f"a {relation_type!r} relation cannot go from {source.label} "
                              f"to {target.label}")
        relation = Relation(0, uid or new_uid(), source.document_id,  # type: ignore[arg-type]
                            source.annotator_id, relation_type, source.id, target.id,
                            dict(attributes or {}))
        with self.transaction():
            relation_id = self.relations.insert(relation)
        created = self.relations.get(relation_id)
        assert created is not None
        self._announce(Change(ChangeKind.RELATION_ADDED, source.document_id, (relation_id,),
                              source.annotator_id))
        return created

    def delete_relation(self, relation_id: int) -> Relation:
        relation = self.relations.get(relation_id)
        if relation is None:
            raise ProjectError(f"relation {relation_id} does not exist")
        with self.transaction():
            self.relations.delete(relation_id)
        self._announce(Change(ChangeKind.RELATION_DELETED, relation.document_id, (relation_id,),
                              relation.annotator_id))
        return relation

    def restore_relation(self, relation: Relation) -> Relation:
        with self.transaction():
            self.relations.insert(relation, keep_id=True)
        self._announce(Change(ChangeKind.RELATION_ADDED, relation.document_id, (relation.id,),
                              relation.annotator_id))
        return relation

    # -- statuses -------------------------------------------------------------------

    def set_status(self, document_id: int, annotator_id: int, status: Status) -> Status:
        """Set one annotator's status of a document; returns the previous one."""
        previous = self.statuses.get(document_id, annotator_id)
        with self.transaction():
            self.statuses.set(document_id, annotator_id, status)
        self._announce(Change(ChangeKind.STATUS, document_id, annotator_id=annotator_id))
        return previous

    # -- whole project --------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        return self.storage.stats()

    def label_counts(self) -> dict[str, dict[str, int]]:
        """Spans per layer and label, e.g. to tell which labels are in use."""
        return self.storage.label_counts()

    def changed_outside(self) -> None:
        """Tell listeners that another connection saved (an import thread, another
        program): the schema is read again (a SCHEMA change if it differs), then one
        OUTSIDE change asks every view to re-read what it shows."""
        self.reload_schema()
        self._announce(Change(ChangeKind.OUTSIDE))

    def documents_changed(self) -> None:
        """Tell views that documents were added or removed (after an import)."""
        self._announce(Change(ChangeKind.DOCUMENTS))

    def info(self) -> dict[str, Any]:
        return {"format_version": self.storage.format_version(),
                "created_with": self.storage.get_meta("created_with"),
                "created_at": self.storage.get_meta("created_at"),
                "exported_at": utc_now()}

