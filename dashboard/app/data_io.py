"""Loads the catalogue, labels, units and source texts; the only module that caches.

Every cache is keyed on the file's (mtime_ns, size), so an analyst's saved edit shows on
the next page view, and an invalid edit falls back to the last valid catalogue.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from dashboard.catalogue import data_files, paths
from dashboard.catalogue.coverage import SourceCoverage, compute_coverage
from dashboard.catalogue.errors import Problem
from dashboard.catalogue.models import Catalogue
from dashboard.catalogue.validate import read_source_text
from dashboard.figures.tables import observations_frame

ENV_CATALOGUE = "SHSTS_CATALOGUE"
FileKey = tuple[int, int]
T = TypeVar("T")


@dataclass(frozen=True)
class Loaded:
    """What the app serves: a catalogue (maybe an older valid one), the file's errors
    (`problems`) and its warnings (cross-document doubts, which leave the file valid)."""

    path: Path
    catalogue: Catalogue | None
    problems: list[Problem] = field(default_factory=list)
    stale: bool = False
    version: FileKey | None = None
    warnings: list[Problem] = field(default_factory=list)

    @property
    def base_dir(self) -> Path:
        return self.path.parent


def catalogue_path() -> Path:
    """indicators.yaml next to app.py, unless SHSTS_CATALOGUE names another file (tests)."""
    override = os.environ.get(ENV_CATALOGUE)
    return Path(override).resolve() if override else paths.DEFAULT_CATALOGUE


def _file_key(path: Path) -> FileKey | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def _data_signature(base_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """(name, mtime_ns, size) of every file in the catalogue's data folder: the source
    texts (hashed by the validator), units and topics. An edit to any of them revalidates."""
    folder = paths.data_dir(base_dir)
    out = []
    for file in sorted(folder.rglob("*")) if folder.is_dir() else []:
        key = _file_key(file) if file.is_file() else None
        if key is not None:
            out.append((str(file.relative_to(folder)), *key))
    return tuple(out)


# cache_resource, not cache_data: every page view shares the one frozen (immutable)
# catalogue instead of unpickling a copy, which for a large catalogue costs as much as a
# fresh parse.
@st.cache_resource(show_spinner=False, max_entries=16)
def _validate(
    path_text: str, mtime_ns: int, size: int, data_files: tuple[tuple[str, int, int], ...]
) -> tuple[Any | None, list[Problem]]:
    """Parse and validate once per version of the file and of its data folder (the
    arguments are the cache key)."""
    # Looked up at call time: the benchmark's tests count the validations.
    from dashboard.catalogue.validate import validate_path

    result = validate_path(Path(path_text))
    return (result.catalogue if result.ok else None), list(result.problems)


@st.cache_resource(show_spinner=False)
def _last_valid() -> dict[str, tuple[FileKey, Any]]:
    """Server-wide memory of the last valid catalogue per path, shared by all sessions."""
    return {}


def _problem(kind: str, path: Path, message: str) -> Problem:
    return Problem(kind, message, paths.display_name(path), None, None, "")


def load_catalogue() -> Loaded:
    """The catalogue to serve now; never raises, whatever the file on disk contains."""
    path = catalogue_path()
    key = _file_key(path)
    if key is None:
        problems = [_problem("missing-file", path, "file not found")]
        catalogue = None
    else:
        try:
            signature = _data_signature(path.parent)
            catalogue, problems = _validate(str(path), key[0], key[1], signature)
        except Exception as exc:  # a validator bug must not blank the dashboard
            catalogue, problems = (
                None,
                [_problem("load-error", path, f"{type(exc).__name__}: {exc}")],
            )
    # Warnings never make the file invalid: only errors decide what is served.
    warnings = [p for p in problems if p.is_warning]
    problems = [p for p in problems if not p.is_warning]
    store = _last_valid()
    if catalogue is not None and key is not None:
        store[str(path)] = (key, catalogue)
        return Loaded(path, catalogue, problems, stale=False, version=key, warnings=warnings)
    if str(path) in store:
        old_key, old = store[str(path)]
        return Loaded(path, old, problems, stale=True, version=old_key, warnings=warnings)
    return Loaded(path, None, problems, stale=False, version=None, warnings=warnings)


# The labels, units, observations table, source texts and coverage below are shared by every
# session (cache_resource) and only read: st.cache_data would unpickle a fresh copy on every
# call, a few milliseconds of each visit's server CPU (bench/NOTES.md) and more at scale.
@st.cache_resource(show_spinner=False, max_entries=8)
def _read_yaml(path_text: str, mtime_ns: int, size: int) -> dict[str, Any]:
    return data_files.read_mapping(Path(path_text))


def _data_file(name: str) -> dict[str, Any]:
    path = paths.data_dir(paths.REPO_ROOT) / name
    key = _file_key(path)
    if key is None:
        return {}
    return _read_yaml(str(path), key[0], key[1])


def labels() -> dict[str, Any]:
    """data/i18n.yaml: every user-facing label in zh and en."""
    return _data_file(paths.I18N_FILE)


def units() -> dict[str, Any]:
    """data/units.yaml: each unit's English name and display scale."""
    return _data_file(paths.UNITS_FILE)


@st.cache_resource(show_spinner=False, max_entries=8)
def _frame(path_text: str, mtime_ns: int, size: int, _catalogue: Catalogue) -> pd.DataFrame:
    return observations_frame(_catalogue)


def observations(loaded: Loaded) -> pd.DataFrame:
    """One row per observation of the served catalogue (series.observations_frame)."""
    assert loaded.catalogue is not None and loaded.version is not None
    return _frame(str(loaded.path), *loaded.version, loaded.catalogue)


@st.cache_resource(show_spinner=False, max_entries=32)
def _source_text(
    path_text: str, mtime_ns: int, size: int, source_id: str, _catalogue: Catalogue
) -> str | None:
    try:
        return read_source_text(_catalogue, source_id, Path(path_text).parent)
    except Exception:  # shown as "text unavailable" on the page, not as a traceback
        return None


def source_text(loaded: Loaded, source_id: str) -> str | None:
    """A source document's text, or None when it cannot be read."""
    assert loaded.catalogue is not None and loaded.version is not None
    return _source_text(str(loaded.path), *loaded.version, source_id, loaded.catalogue)


# One shared, read-only value per (catalogue version, what was asked): the overview's cards
# and sparklines, a source's highlighted text. cache_resource hands every session the same
# object without pickling; the value holds the catalogue it was built from, so that
# catalogue's id() cannot be reused by another object while the entry lives.
@st.cache_resource(show_spinner=False, max_entries=256)
def _memo(
    path_text: str,
    mtime_ns: int,
    size: int,
    catalogue_id: int,
    data_files: tuple[FileKey | None, ...],
    name: str,
    inputs: tuple[Hashable, ...],
    _catalogue: Catalogue,
    _build: Callable[[], Any],
) -> tuple[Any, Any]:
    return _catalogue, _build()


def per_version(
    loaded: Loaded, name: str, inputs: tuple[Hashable, ...], build: Callable[[], T]
) -> T:
    """`build()` once per version of the served catalogue, of data/i18n.yaml and
    data/units.yaml, and per `inputs` (language, mode, source id...); later calls share it.

    The value is shared by every session: callers must treat it as read-only (frozen
    dataclasses, tuples, and Plotly figures that are only handed to st.plotly_chart, which
    copies them before serialising)."""
    assert loaded.catalogue is not None and loaded.version is not None
    folder = paths.data_dir(paths.REPO_ROOT)
    data_files = (_file_key(folder / paths.I18N_FILE), _file_key(folder / paths.UNITS_FILE))
    held, value = _memo(
        str(loaded.path),
        *loaded.version,
        id(loaded.catalogue),
        data_files,
        name,
        inputs,
        loaded.catalogue,
        build,
    )
    if held is not loaded.catalogue:  # cannot happen while the entry holds it; never serve stale
        return build()
    return value


@st.cache_resource(show_spinner=False, max_entries=4)
def _coverage(
    path_text: str, mtime_ns: int, size: int, _catalogue: Catalogue
) -> dict[str, SourceCoverage] | None:
    try:
        return compute_coverage(_catalogue, Path(path_text).parent)
    except Exception:
        return None


def coverage(loaded: Loaded) -> dict[str, SourceCoverage] | None:
    """Per-source numeric-mention coverage, or None when unavailable."""
    if loaded.catalogue is None or loaded.version is None:
        return None
    return _coverage(str(loaded.path), *loaded.version, loaded.catalogue)


def clear_caches() -> None:
    """Forget everything (tests call this between apps)."""
    st.cache_data.clear()
    st.cache_resource.clear()
