"""Shared test fixtures: the repo on sys.path and a builder for small valid catalogues."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings

# On CI the property tests replay a fixed sequence of examples, so a run that passed on a
# machine passes on CI; locally they explore new random examples on every run (a failure
# found there is kept in .hypothesis/ and replayed first until it is fixed).
# No deadline in either: a per-example time limit is a wall-clock assertion, which fails on a
# busy machine and proves nothing about speed (that is `make bench`'s job).
settings.register_profile("local", deadline=None)
settings.register_profile("ci", derandomize=True, deadline=None)
settings.load_profile("ci" if os.environ.get("CI", "").lower() == "true" else "local")

REPO_ROOT = Path(__file__).resolve().parent.parent
# `pytest` run as a script does not put the repo root on sys.path (`python -m pytest` does).
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

# The app's mode (dashboard/app/mode.py) is public unless told otherwise: it then serves only
# published vintages. The tests of pages, the review page and live edits drive a local
# analyst's instance over a fixture catalogue: authoring on the loopback address (AppTest runs
# in this process, so the address is set in Streamlit's config; the browser harness passes
# --server.address 127.0.0.1). Public-mode tests set SHSTS_MODE=public themselves, and
# deploy/serve.py's replicas are public whatever this process says.
os.environ["SHSTS_MODE"] = "authoring"
os.environ.pop("SHSTS_LOGIN_HEADER", None)
os.environ.pop("SHSTS_PUBLISHED", None)


def _loopback_for_apptest() -> None:
    from streamlit import config

    config.set_option("server.address", "127.0.0.1")


_loopback_for_apptest()


FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID_CATALOGUE = FIXTURES / "catalogue_valid.yaml"


def valid_catalogue_data() -> dict[str, Any]:
    """The small valid fixture catalogue as plain data, for tests to modify."""
    return yaml.safe_load(VALID_CATALOGUE.read_text(encoding="utf-8"))


class _NoAliasDumper(yaml.SafeDumper):
    # Shared objects would be written as anchors/aliases, which the loader rightly rejects.
    def ignore_aliases(self, data: Any) -> bool:
        return True


def write_catalogue(tmp_path: Path, **overrides: Any) -> Path:
    """Write the valid fixture catalogue (top-level keys replaced by `overrides`) with its
    data folder (units, topics, one source text) into tmp_path; returns the catalogue path."""
    data = valid_catalogue_data()
    data.update(overrides)
    if not (tmp_path / "data").exists():
        shutil.copytree(FIXTURES / "data", tmp_path / "data")
    path = tmp_path / "indicators.yaml"
    text = yaml.dump(data, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def catalogue_writer(tmp_path: Path) -> Callable[..., Path]:
    """`catalogue_writer(indicators=[...])` -> path of a fresh catalogue in tmp_path."""
    return lambda **overrides: write_catalogue(tmp_path, **overrides)


@pytest.fixture
def valid_data() -> dict[str, Any]:
    """A fresh copy of the valid fixture catalogue's data, to modify and write."""
    return valid_catalogue_data()


def serve_app_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Copy the app fixture catalogue and its data folder to tmp_path and serve it there.

    The dashboard reads SHSTS_CATALOGUE, so AppTests edit a private copy, never the repo's.
    """
    from dashboard.app import data_io

    (tmp_path / "data" / "sources").mkdir(parents=True)
    for name in ("units.yaml", "i18n.yaml"):
        shutil.copy(REPO_ROOT / "data" / name, tmp_path / "data" / name)
    for text in (FIXTURES / "app_sources").glob("*.txt"):
        shutil.copy(text, tmp_path / "data" / "sources" / text.name)
    path = tmp_path / "indicators.yaml"
    shutil.copy(FIXTURES / "app_catalogue.yaml", path)
    monkeypatch.setenv(data_io.ENV_CATALOGUE, str(path))
    return path


@pytest.fixture
def fresh_caches():
    """st.cache_data/cache_resource live for the whole pytest process: forget them around
    each AppTest test (modules opt in with pytestmark = usefixtures("fresh_caches"))."""
    from dashboard.app import data_io

    data_io.clear_caches()
    yield
    data_io.clear_caches()


@pytest.fixture
def app_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app fixture catalogue with its data folder in a temp dir, served to AppTests."""
    return serve_app_catalogue(tmp_path, monkeypatch)
