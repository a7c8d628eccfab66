-- Format version 4: suggestions (annotator/suggest/). Learned sequence models travel
-- inside the project file, one per layer; rejected suggestions are remembered so they
-- are never proposed again.
CREATE TABLE suggestion_models (
    layer      TEXT PRIMARY KEY,
    trained_at TEXT NOT NULL,
    annotators TEXT NOT NULL DEFAULT '[]',  -- JSON list of the names it learned from
    documents  INTEGER NOT NULL DEFAULT 0,
    params     TEXT NOT NULL DEFAULT '{}',  -- JSON: training settings, lexicon, label map
    bytes      BLOB NOT NULL                -- the CRFsuite model file
);

-- A rejected suggestion: its document, layer, label and fragments (JSON), so the same
-- proposal at the same place is skipped by every later run, whoever makes it.
CREATE TABLE rejected_suggestions (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    layer       TEXT NOT NULL,
    label       TEXT NOT NULL,
    fragments   TEXT NOT NULL,
    rejected_at TEXT NOT NULL,
    PRIMARY KEY (document_id, layer, label, fragments)
);
