"""Review: merge annotators' project files, compare their work, curate a gold layer."""
