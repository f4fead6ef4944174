"""The three layers hold: the contracts catch a crossing, and `check` stays plain Python."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy_of_the_package(tmp_path: Path) -> Path:
    shutil.copytree(
        REPO / "dashboard", tmp_path / "dashboard", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(REPO / ".importlinter", tmp_path / ".importlinter")
    return tmp_path


def test_the_real_tree_keeps_every_contract(copy_of_the_package: Path) -> None:
    result = _lint_imports(copy_of_the_package)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("catalogue/periods.py", "import pandas", "catalogue layer never imports"),
        ("figures/theme.py", "import streamlit", "figures layer never imports streamlit"),
        ("catalogue/models.py", "from dashboard.figures import theme", "Layers"),
        ("figures/formatting.py", "from dashboard.app import urlstate", "Layers"),
    ],
)
def test_a_crossed_layer_breaks_a_contract(
    copy_of_the_package: Path, module: str, line: str, contract: str
) -> None:
    target = copy_of_the_package / "dashboard" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = _lint_imports(copy_of_the_package)
    assert result.returncode != 0
    broken = [row for row in result.stdout.splitlines() if row.endswith("BROKEN")]
    assert any(contract in row for row in broken), result.stdout


def test_check_loads_neither_streamlit_plotly_nor_pandas() -> None:
    probe = (
        "import runpy, sys\n"
        "sys.argv = ['dashboard', 'check']\n"
        "try:\n"
        "    runpy.run_module('dashboard', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    code = exit.code\n"
        "heavy = sorted(m for m in ('streamlit', 'plotly', 'pandas', 'numpy')\n"
        "                if m in sys.modules)\n"
        "print('LOADED', ','.join(heavy), 'EXIT', code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip().splitlines()[-1] == "LOADED  EXIT 0", result.stdout + result.stderr
