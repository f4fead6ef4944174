"""Benchmark of the catalogue load, page render, browser and concurrent-viewer costs (issue 4)."""
