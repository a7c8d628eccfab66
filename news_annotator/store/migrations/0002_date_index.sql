-- Format version 2: the corpus list sorts by publication date without scanning every row.
-- (Title and source indexes are made on first use: they would slow every bulk import.)
CREATE INDEX documents_published ON documents(published, id);
