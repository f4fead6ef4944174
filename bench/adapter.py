"""The benchmark's door into the dashboard package: the product's own check and loader."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import yaml

from dashboard.app import data_io
from dashboard.catalogue import yaml_source
from dashboard.catalogue.validate import ValidationResult, validate_path

ENV_CATALOGUE = data_io.ENV_CATALOGUE
ROOT = Path(__file__).resolve().parent.parent


def implementation() -> dict[str, str]:
    """What `check` and the dashboard's load are, named in the report."""
    return {
        "check": f"{validate_path.__module__}.{validate_path.__name__}",
        "load": f"{data_io.load_catalogue.__module__}.{data_io.load_catalogue.__name__}",
    }


# Runs `check` and reports on it from a small interpreter of its own: a child forked from
# this process (streamlit imported, ~180 MiB) would count our pages in its peak RSS.
_LAUNCHER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - start
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": proc.returncode, "out": (proc.stdout + proc.stderr)[-2000:],
                  "wall": wall, "cpu": use.ru_utime + use.ru_stime, "rss": use.ru_maxrss}))
"""


def check_process(path: Path) -> tuple[float, float, int]:
    """`python -m dashboard check PATH` as a user runs it, in a fresh interpreter with the
    default settings: (wall s, CPU s, peak RSS KiB). Raises if the file does not pass."""
    env = {k: v for k, v in os.environ.items() if k != yaml_source.ENV_MAX_BYTES}
    command = [sys.executable, "-m", "dashboard", "check", str(path)]
    proc = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    run = json.loads(proc.stdout)
    if run["code"] != 0:
        raise RuntimeError(f"check of {path} failed:\n{run['out']}")
    return run["wall"], run["cpu"], run["rss"]


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


def publish(path: Path, published: Path) -> str:
    """Everything `python -m dashboard publish` does: validate a staging copy, compare with
    the current vintage through its index, write the vintage and move `current`."""
    from dashboard.catalogue import audit
    from dashboard.catalogue import publish as publishing

    outcome = publishing.publish(path, published, who=audit.Who("bench"))
    if outcome.status not in ("published", "unchanged"):
        raise RuntimeError(f"publish of {path}: {outcome.status}")
    return outcome.status


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


def local_authoring() -> None:
    """AppTest runs the app in this process: as a local analyst's instance on loopback
    (authoring refuses any other address without a login in front)."""
    from streamlit import config

    os.environ["SHSTS_MODE"] = "authoring"
    config.set_option("server.address", "127.0.0.1")
