-- Format version 3: the publication-date index is made on first use, like the title and
-- source ones (store/documents.py): kept up during bulk imports it cost 3% of their time.
DROP INDEX IF EXISTS documents_published;
