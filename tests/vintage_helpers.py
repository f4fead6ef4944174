"""What the tests of published vintages share: a copy of the real catalogue, a copy cut short
at a line boundary that still validates, and a change of one figure's value."""

from __future__ import annotations

import shutil
from pathlib import Path

from dashboard.catalogue.validate import validate_path

REPO = Path(__file__).resolve().parent.parent


def real_copy(dest: Path) -> Path:
    """The real catalogue and its data folder, copied into `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "data", dest / "data", dirs_exist_ok=True)
    shutil.copy(REPO / "indicators.yaml", dest / "indicators.yaml")
    return dest / "indicators.yaml"


def cut_short(catalogue: Path, fraction: float = 0.55) -> int:
    """Cut the file in place at the start of an indicator entry near `fraction` of its
    lines, choosing the first such cut that still validates (as a crashed copy or an editor
    that writes in place leaves it): every later indicator, event and topic is gone. Returns
    the number of lines kept."""
    lines = catalogue.read_bytes().split(b"\n")
    starts = [i for i, line in enumerate(lines) if line.startswith(b"  - id: ")]
    target = int(len(lines) * fraction)
    candidates = sorted((i for i in starts if i > 200), key=lambda i: abs(i - target))
    original = catalogue.read_bytes()
    for cut in candidates[:40]:
        catalogue.write_bytes(b"\n".join(lines[:cut]) + b"\n")
        if validate_path(catalogue).ok:
            return cut
    catalogue.write_bytes(original)
    raise AssertionError("no cut of the catalogue validates")


def cut_in_place(catalogue: Path, keep_lines: int) -> None:
    """Truncate the file where it is (same inode: what `open(…, "r+").truncate()` does)."""
    data = catalogue.read_bytes()
    size = len(b"\n".join(data.split(b"\n")[:keep_lines]) + b"\n")
    with catalogue.open("r+b") as handle:
        handle.truncate(size)
