"""Review: compare annotators and curate a gold layer, agreement figures, merging files."""
