"""Authoring tools: add a source document, draft its figures, write the catalogue safely."""
