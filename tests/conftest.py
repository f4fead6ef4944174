"""Shared test fixtures: the repo on sys.path and a builder for small valid catalogues."""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# `pytest` run as a script does not put the repo root on sys.path (`python -m pytest` does).
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
