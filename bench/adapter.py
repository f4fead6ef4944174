"""The benchmark's door into the dashboard package: the product's own check and loader."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import yaml

from dashboard.app import data_io
from dashboard.catalogue import yaml_source
from dashboard.catalogue.validate import ValidationResult, validate_path

ENV_CATALOGUE = data_io.ENV_CATALOGUE


def implementation() -> dict[str, str]:
    """What `check` and the dashboard's load are, named in the report."""
    return {
        "check": f"{validate_path.__module__}.{validate_path.__name__}",
        "load": f"{data_io.load_catalogue.__module__}.{data_io.load_catalogue.__name__}",
    }


def lift_size_limit(limit: int) -> None:
    """Let the validator read synthetic catalogues above its default safety limit on file size.

    The limit guards the dashboard against a runaway file; the benchmark's 100x and 1000x
    catalogues are deliberately bigger, and measuring them is the point. Pass the file's own
    size: the loader reads `limit + 1` bytes at once, so a huge limit would allocate it.
    """
    yaml_source.MAX_BYTES = max(yaml_source.MAX_BYTES, limit)
    defaults = yaml_source.load_yaml.__defaults__
    if defaults:
        yaml_source.load_yaml.__defaults__ = tuple(
            max(d, limit) if isinstance(d, int) and not isinstance(d, bool) else d for d in defaults
        )


def floor(path: Path) -> object:
    """The floor every figure is compared with: libyaml parsing the file, nothing more."""
    with path.open("rb") as fh:
        return yaml.load(fh, Loader=yaml.CSafeLoader)


def check(path: Path) -> ValidationResult:
    """Everything `python -m dashboard check` does: parse, validate, verify every quote."""
    result = validate_path(path)
    if not result.ok:
        shown = "\n".join(str(p) for p in result.problems[:5])
        raise RuntimeError(f"{path} does not validate:\n{shown}")
    return result


def dashboard_load(path: Path) -> data_io.Loaded:
    """What a page view pays for the catalogue: the dashboard's own cached loader."""
    os.environ[ENV_CATALOGUE] = str(path)
    loaded = data_io.load_catalogue()
    if loaded.catalogue is None or loaded.stale:
        shown = "\n".join(str(p) for p in loaded.problems[:5])
        raise RuntimeError(f"the dashboard did not load {path}:\n{shown}")
    return loaded


def clear_caches() -> None:
    """Forget every cached catalogue (a server restart)."""
    data_io.clear_caches()


def quiet_streamlit() -> None:
    """st.cache_data outside `streamlit run` warns on every call; the warnings are expected."""
    for name in ("streamlit", "streamlit.runtime", "streamlit.runtime.caching"):
        logging.getLogger(name).setLevel(logging.ERROR)
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
