"""Exported tables never hand a spreadsheet a formula: catalogue text is data, not code."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

from tests.browser.catalogues import FORMULA_CMD, FORMULA_LINK, write_hostile

REPO_ROOT = Path(__file__).resolve().parents[2]
# Excel, LibreOffice and WPS evaluate a cell that starts with one of these.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def formula_cells(text: str) -> list[str]:
    """Cells a spreadsheet would run as formulas (negative numbers are fine)."""
    rows = list(csv.reader(io.StringIO(text)))
    return [
        cell
        for row in rows
        for cell in row
        if cell.startswith(FORMULA_START) and not _is_number(cell)
    ]


def test_formula_detector_is_not_vacuous() -> None:
    sample = f'a,b\n"{FORMULA_LINK.replace(chr(34), chr(34) * 2)}",-3.5\n'
    assert formula_cells(sample) == [FORMULA_LINK]


def test_cli_csv_export_neutralises_formulas(tmp_path: Path) -> None:
    catalogue = write_hostile(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", "export", "--format", "csv", str(catalogue)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "HYPERLINK" in proc.stdout and "cmd|" in proc.stdout  # the text is kept...
    assert formula_cells(proc.stdout) == []  # ...but not as a formula
    assert FORMULA_CMD not in [c for row in csv.reader(io.StringIO(proc.stdout)) for c in row]
