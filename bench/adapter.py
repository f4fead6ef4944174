"""The benchmark's only door into the dashboard package, so a missing module degrades to a stub.

Parts of the dashboard land while the benchmark is written; every call goes through here
and `implementation()` says in the report what was actually measured.
"""

from __future__ import annotations

import importlib
import logging
import os
from pathlib import Path
from typing import Any

import yaml

ENV_CATALOGUE = "SHSTS_CATALOGUE"


def _module(name: str) -> Any | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def has_validator() -> bool:
    mod = _module("dashboard.catalogue")
    return mod is not None and hasattr(mod, "validate_path")


def has_dashboard_loader() -> bool:
    mod = _module("dashboard.data_io")
    return has_validator() and mod is not None and hasattr(mod, "load_catalogue")


def implementation() -> dict[str, str]:
    """What `check` and the dashboard's load resolve to in this checkout."""
    return {
        "check": "dashboard.catalogue.validate_path" if has_validator() else "STUB (libyaml)",
        "load": "dashboard.data_io.load_catalogue" if has_dashboard_loader() else "STUB (libyaml)",
    }


def lift_size_limit(limit: int) -> None:
    """Let the validator read synthetic catalogues above its default safety limit on file size.

    The limit guards the dashboard against a runaway file; the benchmark's 100x and 1000x
    catalogues are deliberately bigger, and measuring them is the point. Pass the file's own
    size: the loader reads `limit + 1` bytes at once, so a huge limit would allocate it.
    """
    mod = _module("dashboard.yaml_source")
    if mod is None or not hasattr(mod, "load_yaml"):
        return
    mod.MAX_BYTES = max(getattr(mod, "MAX_BYTES", 0), limit)
    defaults = mod.load_yaml.__defaults__
    if defaults:
        mod.load_yaml.__defaults__ = tuple(
            max(d, limit) if isinstance(d, int) and not isinstance(d, bool) else d for d in defaults
        )


def floor(path: Path) -> Any:
    """The floor every figure is compared with: libyaml parsing the file, nothing more."""
    with path.open("rb") as fh:
        return yaml.load(fh, Loader=yaml.CSafeLoader)


def check(path: Path) -> Any:
    """Everything `python -m dashboard check` does: parse, validate, verify every quote."""
    if not has_validator():
        return floor(path)
    from dashboard.catalogue import validate_path

    result = validate_path(path)
    if not result.ok:
        shown = "\n".join(str(p) for p in result.problems[:5])
        raise RuntimeError(f"{path} does not validate:\n{shown}")
    return result


def dashboard_load(path: Path) -> Any:
    """What a page view pays for the catalogue: the dashboard's own cached loader."""
    if not has_dashboard_loader():
        return check(path)
    from dashboard import data_io

    os.environ[ENV_CATALOGUE] = str(path)
    loaded = data_io.load_catalogue()
    if loaded.catalogue is None or loaded.stale:
        shown = "\n".join(str(p) for p in loaded.problems[:5])
        raise RuntimeError(f"the dashboard did not load {path}:\n{shown}")
    return loaded


def clear_caches() -> None:
    """Forget every cached catalogue (a server restart)."""
    mod = _module("dashboard.data_io")
    if mod is not None and hasattr(mod, "clear_caches"):
        mod.clear_caches()
    cache = _module("dashboard.cache")
    if cache is not None and hasattr(cache, "clear"):
        cache.clear()


def quiet_streamlit() -> None:
    """st.cache_data outside `streamlit run` warns on every call; the warnings are expected."""
    for name in ("streamlit", "streamlit.runtime", "streamlit.runtime.caching"):
        logging.getLogger(name).setLevel(logging.ERROR)
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
