"""Reads data/i18n.yaml and data/units.yaml as plain mappings, without any caching layer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from dashboard.catalogue import paths

# libyaml's loader when PyYAML was built with it (about 3x faster); never an unsafe loader.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_mapping(path: Path) -> dict[str, Any]:
    """A YAML file's top-level mapping; {} when the file is missing or holds no mapping."""
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_Loader)
    except FileNotFoundError:
        return {}
    return data if isinstance(data, dict) else {}


def labels(root: Path = paths.REPO_ROOT) -> dict[str, Any]:
    """data/i18n.yaml: every user-facing label in zh and en, and the topics in order."""
    return read_mapping(paths.data_dir(root) / paths.I18N_FILE)


def units(root: Path = paths.REPO_ROOT) -> dict[str, Any]:
    """data/units.yaml: each unit's English name and display scale."""
    return read_mapping(paths.data_dir(root) / paths.UNITS_FILE)


def terms(root: Path = paths.REPO_ROOT) -> dict[str, Any]:
    """data/terms.yaml: words documents use for the same measured thing (draft mapping)."""
    return read_mapping(paths.data_dir(root) / paths.TERMS_FILE)
