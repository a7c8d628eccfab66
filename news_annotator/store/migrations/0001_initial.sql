-- News Annotator project file, format version 1.
-- Offsets are Python code-point indices into documents.text, end exclusive.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE documents (
    id        INTEGER PRIMARY KEY,
    uid       TEXT NOT NULL UNIQUE,
    title     TEXT NOT NULL DEFAULT '',
    text      TEXT NOT NULL,
    source    TEXT NOT NULL DEFAULT '',
    url       TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT '',
    metadata  TEXT NOT NULL DEFAULT '{}',
    sha256    TEXT NOT NULL,
    added_at  TEXT NOT NULL
);

-- External-content full-text index; filled lazily up to meta.fts_indexed_upto.
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content='documents', content_rowid='id'
);

CREATE TABLE annotators (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE layers (
    name        TEXT PRIMARY KEY,
    position    INTEGER NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    attributes  TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE labels (
    layer       TEXT NOT NULL REFERENCES layers(name) ON UPDATE CASCADE ON DELETE CASCADE,
    name        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    color       TEXT NOT NULL,
    key         TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (layer, name)
);

CREATE TABLE relation_types (
    name        TEXT PRIMARY KEY,
    position    INTEGER NOT NULL,
    source_labels TEXT NOT NULL DEFAULT '[]',
    target_labels TEXT NOT NULL DEFAULT '[]',
    key         TEXT NOT NULL DEFAULT '',
    color       TEXT NOT NULL DEFAULT '#555555',
    description TEXT NOT NULL DEFAULT ''
);

-- AUTOINCREMENT: a deleted span's id is never handed to a new one, so undo can
-- restore it under its old id even after other edits (or other windows) added spans.
CREATE TABLE spans (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    uid          TEXT NOT NULL UNIQUE,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    layer        TEXT NOT NULL,
    label        TEXT NOT NULL,
    start        INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    fragments    TEXT NOT NULL,
    text         TEXT NOT NULL,
    attributes   TEXT NOT NULL DEFAULT '{}',
    note         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK (0 <= start AND start < "end")
);
CREATE INDEX spans_document_annotator ON spans(document_id, annotator_id, start);

CREATE TABLE relations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    uid          TEXT NOT NULL UNIQUE,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    type         TEXT NOT NULL,
    source_id    INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
    target_id    INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
    attributes   TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX relations_document_annotator ON relations(document_id, annotator_id);
CREATE INDEX relations_source ON relations(source_id);
CREATE INDEX relations_target ON relations(target_id);

CREATE TABLE document_status (
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    status       TEXT NOT NULL CHECK (status IN ('new', 'in progress', 'done')),
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (document_id, annotator_id)
);
