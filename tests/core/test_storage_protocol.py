"""One storage protocol, two backends: both implement every part of it with the same
signatures, and nothing above the store layer reaches a database around it."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from news_annotator.store import protocol
from news_annotator.store.annotations import RelationStore, SpanStore
from news_annotator.store.bulk_reads import SqliteBulkReads
from news_annotator.store.documents import DocumentStore
from news_annotator.store.merging import SqliteMerging
from news_annotator.store.people import AnnotatorStore, StatusStore
from news_annotator.store.schema_store import SchemaStore
from news_annotator.store.sqlite_storage import SqliteStorage
from news_annotator.store.suggestion_store import SuggestionStore

ROOT = Path(__file__).resolve().parents[2]


def _server_classes() -> dict[type, type]:
    from news_annotator.store.postgres.annotations import ServerRelationStore, ServerSpanStore
    from news_annotator.store.postgres.documents import ServerDocumentStore
    from news_annotator.store.postgres.people import (
        ServerAnnotatorStore,
        ServerSchemaStore,
        ServerStatusStore,
    )
    from news_annotator.store.postgres.reads import ServerBulkReads, ServerMerging
    from news_annotator.store.postgres.storage import PostgresStorage
    from news_annotator.store.postgres.suggestions import ServerSuggestionStore

    return {protocol.DocumentStorage: ServerDocumentStore, protocol.SpanStorage: ServerSpanStore,
            protocol.RelationStorage: ServerRelationStore,
            protocol.AnnotatorStorage: ServerAnnotatorStore,
            protocol.StatusStorage: ServerStatusStore, protocol.SchemaStorage: ServerSchemaStore,
            protocol.BulkReads: ServerBulkReads, protocol.MergeWrites: ServerMerging,
            protocol.SuggestionStorage: ServerSuggestionStore, protocol.Storage: PostgresStorage}


FILE_CLASSES = {protocol.DocumentStorage: DocumentStore, protocol.SpanStorage: SpanStore,
                protocol.RelationStorage: RelationStore,
                protocol.AnnotatorStorage: AnnotatorStore, protocol.StatusStorage: StatusStore,
                protocol.SchemaStorage: SchemaStore, protocol.BulkReads: SqliteBulkReads,
                protocol.MergeWrites: SqliteMerging, protocol.SuggestionStorage: SuggestionStore,
                protocol.Storage: SqliteStorage}


def _members(part: type) -> dict[str, object]:
    names = {name for name in vars(part) if not name.startswith("_")}
    names |= set(getattr(part, "__annotations__", {}))
    return {name: vars(part).get(name) for name in names}


@pytest.mark.parametrize("backend", ["file", "server"])
def test_each_backend_implements_every_part_with_the_same_signatures(backend):
    classes = FILE_CLASSES if backend == "file" else _server_classes()
    assert set(classes) == {protocol.DocumentStorage, protocol.SpanStorage,
                            protocol.RelationStorage, protocol.AnnotatorStorage,
                            protocol.StatusStorage, protocol.SchemaStorage, protocol.BulkReads,
                            protocol.MergeWrites, protocol.SuggestionStorage, protocol.Storage}
    problems = []
    for part, implementation in classes.items():
        for name, declared in _members(part).items():
            if not hasattr(implementation, name) and name not in _instance_attributes(
                    implementation):
                problems.append(f"{implementation.__name__} lacks {name}")
                continue
            if inspect.isfunction(declared):
                mine = inspect.signature(getattr(implementation, name))
                wanted = inspect.signature(declared)
                if [(p.name, p.kind, p.default) for p in mine.parameters.values()] != \
                        [(p.name, p.kind, p.default) for p in wanted.parameters.values()]:
                    problems.append(f"{implementation.__name__}.{name}{mine} != {wanted}")
    assert problems == []


def _instance_attributes(cls: type) -> set[str]:
    """Attributes set in __init__ (`self.name = ...`)."""
    tree = ast.parse(inspect.getsource(cls.__init__).strip())
    return {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name) and node.value.id == "self"}


FACADE = Path("news_annotator/project.py")  # picks the backend


def test_nothing_above_the_store_layer_reaches_a_database_around_the_protocol():
    reaching = []  # (news_annotator_ui/ has its own test: tests/core/test_layers.py)
    for package in ("annotator",):
        for source in (ROOT / package).rglob("*.py"):
            relative = source.relative_to(ROOT)
            if relative.parts[:2] == ("annotator", "store") or relative == FACADE:
                continue
            for node in ast.walk(ast.parse(source.read_text("utf-8"))):
                if isinstance(node, ast.Attribute) and node.attr in ("db", "conn"):
                    reaching.append(f"{relative}:{node.lineno} .{node.attr}")
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                for name in names:
                    if name in ("psycopg", "sqlite_utils"):
                        reaching.append(f"{relative}:{node.lineno} imports {name}")
                    around = name in ("news_annotator.store.database",
                                      "news_annotator.store.bulk_reads",
                                      "news_annotator.store.merging",
                                      "news_annotator.store.stats") \
                        or name.startswith("news_annotator.store.postgres")
                    helpers_only = name == "news_annotator.store.database" and _imports_only(
                        node, {"utc_now", "FORMAT_VERSION"})
                    if around and not helpers_only:
                        reaching.append(f"{relative}:{node.lineno} imports {name}")
    assert reaching == [], "\n".join(reaching)


def _imports_only(node: ast.AST, allowed: set[str]) -> bool:
    return isinstance(node, ast.ImportFrom) and {a.name for a in node.names} <= allowed
