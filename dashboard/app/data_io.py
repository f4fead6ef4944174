"""Loads the catalogue, labels, units and source texts; the only module that caches.

Authoring (dashboard/app/mode.py) serves the working file: every cache is keyed on the
file's (mtime_ns, size), so an analyst's saved edit shows on the next page view, and an
invalid edit falls back to the last valid catalogue.

Public serves the published vintage `current` names (dashboard/catalogue/vintages.py), read
from disk: a vintage never changes, so it is loaded once per vintage and held in this
module (not in st.cache_*, which any viewer can clear with a websocket `clear_cache`); the
pointer is read on every page view, so a new vintage shows on the next one.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from dashboard.app import mode
from dashboard.catalogue import data_files, paths, vintages
from dashboard.catalogue.changes import Index, build_index
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
    # Public mode: the vintage served (its name and manifest), and the folder of vintages.
    vintage: vintages.Vintage | None = None
    manifest: dict[str, Any] = field(default_factory=dict)
    published: Path | None = None

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    @property
    def public(self) -> bool:
        return self.published is not None


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
    """The catalogue to serve now; never raises, whatever the files on disk contain."""
    if mode.current().public:
        return load_published()
    return load_working()


def load_working() -> Loaded:
    """Authoring: the working catalogue file (or its last valid version, with its problems)."""
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


_log = logging.getLogger("dashboard.published")
if not _log.handlers:  # replicas log to stderr, which deploy/serve.py keeps per replica
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s: %(message)s"))
    _log.addHandler(_handler)
    _log.setLevel(logging.INFO)
    _log.propagate = False
_said: set[str] = set()


def _say(message: str, level: int = logging.WARNING) -> None:
    """Log a message once per process (not on every page view while it holds)."""
    if message not in _said:
        _said.add(message)
        _log.log(level, message)


@dataclass(frozen=True)
class _Held:
    name: str
    loaded: Loaded


# Module state, on purpose outside st.cache_*: the vintage being served survives a
# websocket `clear_cache`, which clears those caches for every session of the process.
_held: _Held | None = None
_held_lock = threading.Lock()
# Vintages found broken, by (name, file key): not re-validated on every page view.
_broken: dict[tuple[str, FileKey | None], Loaded] = {}


def _unpublished(published: Path, kind: str, message: str) -> Loaded:
    pointer = published / vintages.POINTER
    return Loaded(pointer, None, [_problem(kind, pointer, message)], published=published)


def _load_vintage(vintage: vintages.Vintage, published: Path) -> Loaded:
    """Check a vintage against its manifest and validate it (once per vintage)."""
    from dashboard.catalogue.validate import validate_path

    path = vintage.catalogue

    def broken(problems: list[Problem]) -> Loaded:
        return Loaded(path, None, problems, published=published)

    try:
        manifest = vintage.manifest()
        expected = (manifest.get("catalogue") or {}).get("sha256")
        if vintages.file_sha256(path) != expected:
            message = "does not match the sha256 its manifest records"
            return broken([_problem("vintage-damaged", path, message)])
        result = validate_path(path)
    except (OSError, vintages.VintageError) as exc:
        return broken([_problem("vintage-unreadable", path, str(exc))])
    except Exception as exc:  # a validator bug must not blank the dashboard
        return broken([_problem("load-error", path, f"{type(exc).__name__}: {exc}")])
    if not result.ok or result.catalogue is None:
        return broken(list(result.errors))
    return Loaded(
        path,
        result.catalogue,
        [],
        version=_file_key(path),
        warnings=list(result.warnings),
        vintage=vintage,
        manifest=manifest,
        published=published,
    )


def load_published() -> Loaded:
    """Public: the vintage `current` names. While it cannot be read (a missing or damaged
    folder, a broken pointer) the vintage already held keeps being served and the log says
    why; with nothing held, a page says how to publish one."""
    global _held
    published = vintages.published_dir(catalogue_path())
    held = _held
    try:
        vintage = vintages.current(published)
    except vintages.VintageError as exc:
        still = f"still serving {held.name}" if held else "nothing to serve"
        _say(f"{exc}; {still}")
        return held.loaded if held else _unpublished(published, "vintage-unreadable", str(exc))
    if vintage is None:
        if held is not None:
            _say(f"{published}: no `current` pointer any more; still serving {held.name}")
            return held.loaded
        _say(
            f"{published}: nothing published yet: publish the catalogue with "
            "`python -m dashboard publish` (make serve does it once on a fresh clone)"
        )
        return _unpublished(published, "no-vintage", "nothing published yet")
    if held is not None and held.name == vintage.name:
        return held.loaded
    broken_key = (vintage.name, _file_key(vintage.catalogue))
    if broken_key in _broken:
        return held.loaded if held else _broken[broken_key]
    # One session loads a new vintage; the others keep serving the held one meanwhile.
    if not _held_lock.acquire(blocking=held is None):
        assert held is not None
        return held.loaded
    try:
        if _held is not None and _held.name == vintage.name:
            return _held.loaded
        loaded = _load_vintage(vintage, published)
        if loaded.catalogue is None:
            _broken[broken_key] = loaded
            reason = "; ".join(str(p) for p in loaded.problems[:3])
            still = f"still serving {_held.name}" if _held else "nothing to serve"
            _say(f"published vintage {vintage.name} cannot be served ({reason}); {still}")
            return _held.loaded if _held else loaded
        _held = _Held(vintage.name, loaded)
        _say(f"serving published vintage {vintage.name} ({vintage.folder})", logging.INFO)
        return loaded
    finally:
        _held_lock.release()


def forget_published() -> None:
    """Drop the held vintage (tests: a fresh process)."""
    global _held
    with _held_lock:
        _held = None
        _broken.clear()
        _said.clear()


# The labels, units, observations table, source texts and coverage below are shared by every
# session (cache_resource) and only read: st.cache_data would unpickle a fresh copy on every
# call, a few milliseconds of each visit's server CPU (bench/NOTES.md) and more at scale.
@st.cache_resource(show_spinner=False, max_entries=8)
def _read_yaml(path_text: str, mtime_ns: int, size: int) -> dict[str, Any]:
    return data_files.read_mapping(Path(path_text))


def _data_file(name: str, base: Path = paths.REPO_ROOT) -> dict[str, Any]:
    path = paths.data_dir(base) / name
    key = _file_key(path)
    if key is None:
        return {}
    return _read_yaml(str(path), key[0], key[1])


def labels() -> dict[str, Any]:
    """data/i18n.yaml: every user-facing label in zh and en (they ship with the code)."""
    return _data_file(paths.I18N_FILE)


def units(loaded: Loaded | None = None) -> dict[str, Any]:
    """data/units.yaml: each unit's English name and display scale; a published vintage's
    own copy when one is served (the units it was validated with)."""
    if loaded is not None and loaded.vintage is not None:
        return _data_file(paths.UNITS_FILE, loaded.base_dir)
    return _data_file(paths.UNITS_FILE)


# What the "what changed" page compares: every vintage's manifest and index never change
# once written, so they are cached by folder and name only.
@st.cache_resource(show_spinner=False, max_entries=64)
def _vintage_manifest(folder_text: str, name: str) -> dict[str, Any] | None:
    try:
        return vintages.Vintage(name, Path(folder_text)).manifest()
    except vintages.VintageError:
        return None


@st.cache_resource(show_spinner=False, max_entries=4)
def _vintage_index(folder_text: str, name: str) -> Index | None:
    try:
        return vintages.Vintage(name, Path(folder_text)).index()
    except vintages.VintageError:
        return None


def published_folder(loaded: Loaded) -> Path:
    """Where vintages live, for the catalogue this instance serves or edits."""
    return loaded.published or vintages.published_dir(catalogue_path())


def vintage_list(loaded: Loaded) -> list[tuple[vintages.Vintage, dict[str, Any]]]:
    """Every readable vintage with its manifest, newest first."""
    out = []
    for vintage in reversed(vintages.vintages(published_folder(loaded))):
        manifest = _vintage_manifest(str(vintage.folder), vintage.name)
        if manifest is not None:
            out.append((vintage, manifest))
    return out


def current_vintage_name(loaded: Loaded) -> str | None:
    """The vintage public instances serve now (None when none, or unreadable)."""
    if loaded.vintage is not None:
        return loaded.vintage.name
    try:
        found = vintages.current(published_folder(loaded))
    except vintages.VintageError:
        return None
    return found.name if found else None


def vintage_index(vintage: vintages.Vintage) -> Index | None:
    return _vintage_index(str(vintage.folder), vintage.name)


def served_index(loaded: Loaded) -> Index:
    """The index of the catalogue served now (once per version)."""
    assert loaded.catalogue is not None
    catalogue = loaded.catalogue
    return per_version(loaded, "changes_index", (), lambda: build_index(catalogue))


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
