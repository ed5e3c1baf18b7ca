"""Extraction: a SourceDocument in, its facts (an Exchange) out. No database needed.

Entry point: `loaders.extract.pipeline.extract_document(doc) -> Exchange`.
Language extractors (`english.py`, `russian.py`) each expose
`extract(doc_id: str, paragraphs: list[Paragraph]) -> Exchange` for the paragraphs of their language;
the pipeline routes paragraphs, merges the results, resolves references and prunes off-schema facts.
"""
