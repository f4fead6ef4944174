"""Each broken catalogue of the hostile corpus fails `dashboard check`: fast, located, inert."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.catalogue.yaml_source import DEFAULT_MAX_BYTES
from tests.hostile.corpus import BASE_DIR, CASES, CASES_DIR, PWNED_FILE, VALID, Case, base_text

REPO_ROOT = Path(__file__).resolve().parents[2]


def _workspace(tmp_path: Path) -> Path:
    """A catalogue folder like the repo's: data/ with the units, labels and the base source."""
    data = tmp_path / "data"
    (data / "sources").mkdir(parents=True)
    for name in ("units.yaml", "i18n.yaml"):
        shutil.copy(REPO_ROOT / "data" / name, data / name)
    shutil.copy(BASE_DIR / "data" / "sources" / "mini_reply.txt", data / "sources")
    return tmp_path


def _check(workdir: Path, filename: str) -> tuple[int, str]:
    """Run the real CLI in a subprocess (a hang or crash cannot take pytest down with it;
    the timeout fails a blow-up; how fast `check` is is measured in `make bench`)."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("SHSTS_MAX_CATALOGUE_BYTES", None)  # the default limit, whatever the shell set
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", "check", filename],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=60,
    )
    return proc.returncode, proc.stdout + proc.stderr


def _write_case(case: Case, workdir: Path) -> None:
    target = workdir / case.filename
    if case.name == "huge_over_default_limit":
        _write_huge(target)
    elif case.name == "huge_string_4mb_under_limit":
        # Line 2 holds an unknown key with a 4 MB value in one scalar.
        lines = base_text().split("\n")
        lines.insert(1, "x_notes: " + "长" * (4 * 1024 * 1024 // 3))
        target.write_text("\n".join(lines), encoding="utf-8")
    else:
        target.write_bytes((CASES_DIR / case.filename).read_bytes())
    if case.change_source:
        source = workdir / "data" / "sources" / "mini_reply.txt"
        source.write_text(source.read_text(encoding="utf-8") + "\n（此后追加的一句。）\n", "utf-8")


def _write_huge(target: Path) -> None:
    """The base catalogue extended to one byte over the default limit: sparse (no disk used),
    since the size is refused before a byte is read."""
    with target.open("wb") as fh:
        fh.write(base_text().encode("utf-8"))
        fh.truncate(DEFAULT_MAX_BYTES + 1)
    assert target.stat().st_size > DEFAULT_MAX_BYTES


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_catalogue_is_rejected_and_located(case: Case, tmp_path: Path) -> None:
    workdir = _workspace(tmp_path)
    _write_case(case, workdir)

    code, out = _check(workdir, case.filename)

    assert "Traceback" not in out, out
    assert code == 1, f"exit {code}, output:\n{out}"
    assert not (workdir / PWNED_FILE).exists(), "a tag or formula executed a command"
    # Every problem line names the file; the expected one is at the expected place.
    name = re.escape(case.filename)
    types = (case.type, *case.also)
    if case.line is None:
        where = rf"{name}(:\d+:\d+)?"
    elif case.col is None:
        where = rf"{name}:{case.line}:\d+"
    else:
        where = rf"{name}:{case.line}:{case.col}"
    wanted = re.compile(rf"^{where}: .*\b({'|'.join(map(re.escape, types))})\b", re.M)
    assert wanted.search(out), f"expected {types} at {where}, got:\n{out}"


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_variant_passes(name: str, tmp_path: Path) -> None:
    """A BOM, CRLF line ends and Chinese-numeral figures (七, 三成, 十余, 4.6 万) are all fine."""
    workdir = _workspace(tmp_path)
    (workdir / f"{name}.yaml").write_bytes(VALID[name](base_text()))
    code, out = _check(workdir, f"{name}.yaml")
    assert "Traceback" not in out, out
    assert code == 0, out


def test_committed_cases_match_the_table(tmp_path: Path) -> None:
    """The case files are generated from corpus.py: a hand edit to either must not drift."""
    committed = {p.name for p in CASES_DIR.glob("*.yaml")}
    expected = {c.filename for c in CASES if not c.generated}
    assert committed == expected
    for case in CASES:
        if not case.generated:
            assert (CASES_DIR / case.filename).read_bytes() == case.render(), case.name


def test_corpus_is_big_enough_and_names_are_unique() -> None:
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))
    assert len(CASES) >= 40
