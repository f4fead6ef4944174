"""Property: a mutant of the real catalogue loads, or fails with located CatalogueError problems."""

from __future__ import annotations

import copy
import datetime as dt
import math
import shutil
import signal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.catalogue.errors import CatalogueError
from dashboard.catalogue.validate import load_catalogue

REPO_ROOT = Path(__file__).resolve().parents[2]
REAL = REPO_ROOT / "indicators.yaml"

PathT = tuple[Any, ...]
HANG_S = 10

# Values an editor or a YAML 1.1 surprise could put anywhere.
WEIRD: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    10**30,
    1.5,
    math.nan,
    math.inf,
    "",
    " ",
    "超300",
    "1,234",
    "2099",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "x" * 5000,
    dt.date(2024, 1, 5),
    [],
    {},
    [1, [2, [3]]],
    {"zh": 1},
]


def _real_text() -> str:
    if not REAL.exists():
        pytest.fail(f"{REAL} is missing: the property test mutates the real catalogue")
    return REAL.read_text(encoding="utf-8")


def _all_paths(node: Any, prefix: PathT = ()) -> list[PathT]:
    out: list[PathT] = []
    if isinstance(node, dict):
        for key, value in node.items():
            out.append((*prefix, key))
            out.extend(_all_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.append((*prefix, i))
            out.extend(_all_paths(value, (*prefix, i)))
    return out


REAL_DATA = yaml.load(_real_text(), Loader=yaml.CSafeLoader) if REAL.exists() else {}
PATHS = _all_paths(REAL_DATA) or [("version",)]
REAL_LINES = _real_text().split("\n") if REAL.exists() else [""]


def _parent(data: Any, path: PathT) -> tuple[Any, Any] | None:
    node = data
    for part in path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    if isinstance(node, dict) and path[-1] in node:
        return node, path[-1]
    if isinstance(node, list) and isinstance(path[-1], int) and path[-1] < len(node):
        return node, path[-1]
    return None


def _mutate(data: Any, op: str, path: PathT, weird: Any, other: int) -> None:
    found = _parent(data, path)
    if found is None:
        return
    parent, key = found
    if op == "drop":
        del parent[key]
    elif op == "retype":
        parent[key] = copy.deepcopy(weird)
    elif op == "duplicate" and isinstance(parent, list):
        parent.insert(key, copy.deepcopy(parent[key]))
    elif op == "duplicate":
        # A dict cannot hold a key twice: copy the value under a sibling key instead.
        keys = list(parent)
        parent[keys[other % len(keys)]] = copy.deepcopy(parent[key])
    elif op == "swap":
        keys = list(parent) if isinstance(parent, dict) else list(range(len(parent)))
        mate = keys[other % len(keys)]
        parent[key], parent[mate] = parent[mate], parent[key]


def _text_mutate(lines: list[str], op: str, i: int, j: int) -> list[str]:
    lines = list(lines)
    i %= len(lines)
    j %= len(lines)
    if op == "dup_line":
        lines.insert(i, lines[i])
    elif op == "del_line":
        del lines[i]
    elif op == "swap_lines":
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "indent_line":
        lines[i] = " " + lines[i]
    elif op == "dedent_line":
        lines[i] = lines[i][1:]
    return lines


data_mutation = st.tuples(
    st.sampled_from(["drop", "retype", "duplicate", "swap"]),
    st.sampled_from(PATHS),
    st.sampled_from(range(len(WEIRD))),
    st.integers(min_value=0, max_value=10_000),
)
text_mutation = st.tuples(
    st.sampled_from(["dup_line", "del_line", "swap_lines", "indent_line", "dedent_line"]),
    st.integers(min_value=0, max_value=100_000),
    st.integers(min_value=0, max_value=100_000),
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real catalogue's data/ (units, labels, sources) next to where mutants are written."""
    root = tmp_path_factory.mktemp("mutants")
    shutil.copytree(REPO_ROOT / "data", root / "data")
    return root


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Hang


def _assert_loads_or_located(path: Path) -> None:
    # Hypothesis' deadline only judges examples that finish; the alarm catches a real hang.
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_S)
    try:
        load_catalogue(path)
    except _Hang:
        pytest.fail(f"loading hung for more than {HANG_S} s")
    except CatalogueError as exc:
        assert exc.problems, "CatalogueError without problems"
        unlocated = [str(p) for p in exc.problems if p.line is None]
        assert not unlocated, f"problems without a line: {unlocated[:5]}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


SETTINGS = settings(
    max_examples=100,
    deadline=3000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)


@SETTINGS
@given(mutations=st.lists(data_mutation, min_size=1, max_size=3))
def test_data_mutations_load_or_fail_located(workdir: Path, mutations: list) -> None:
    data = copy.deepcopy(REAL_DATA)
    for op, path, weird_index, other in mutations:
        _mutate(data, op, path, WEIRD[weird_index], other)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    target = workdir / "mutant.yaml"
    target.write_text(text, encoding="utf-8")
    _assert_loads_or_located(target)


@SETTINGS
@given(mutations=st.lists(text_mutation, min_size=1, max_size=3))
def test_text_mutations_load_or_fail_located(workdir: Path, mutations: list) -> None:
    lines = REAL_LINES
    for op, i, j in mutations:
        lines = _text_mutate(lines, op, i, j)
    target = workdir / "mutant_text.yaml"
    target.write_text("\n".join(lines), encoding="utf-8")
    _assert_loads_or_located(target)


def test_real_catalogue_loads(workdir: Path) -> None:
    """The unmutated catalogue is the property's anchor: it must load cleanly from a copy."""
    target = workdir / "unmutated.yaml"
    target.write_text(_real_text(), encoding="utf-8")
    catalogue = load_catalogue(target)
    assert catalogue is not None
