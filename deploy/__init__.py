"""Serving the dashboard: N replicas behind nginx (serve.py) and its templates (nginx/)."""
