"""Where the project's files live, so no other module guesses paths."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CATALOGUE = REPO_ROOT / "indicators.yaml"
SCHEMA_FILE = REPO_ROOT / "indicators.schema.json"
DATA_DIRNAME = "data"
UNITS_FILE = "units.yaml"
I18N_FILE = "i18n.yaml"
TERMS_FILE = "terms.yaml"


def data_dir(base_dir: Path) -> Path:
    """The data folder that belongs to a catalogue living in `base_dir`."""
    return base_dir / DATA_DIRNAME


def display_name(path: Path) -> str:
    """A short name for messages: relative to the working directory when below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel
