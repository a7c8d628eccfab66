"""Data files the app ships (schema, XSD, JSON Schema, style sheet), installed as the
`news_annotator.resources` package: read them with `importlib.resources.files(__name__)`."""
