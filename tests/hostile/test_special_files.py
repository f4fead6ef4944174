"""Hostile files around the catalogue: pipes, devices, folders, symlinks and odd source files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.corpus import BASE_DIR, base_text

REPO_ROOT = Path(__file__).resolve().parents[2]


def _run_check(target: str, cwd: Path) -> tuple[int, str]:
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "dashboard", "check", target],
            cwd=cwd,
            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
            capture_output=True,
            text=True,
            errors="replace",
            timeout=10,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`dashboard check {target}` hung for more than 10 s")
    return proc.returncode, proc.stdout + proc.stderr


def _assert_rejected(code: int, out: str, kind: str | tuple[str, ...]) -> None:
    assert "Traceback" not in out, out
    assert code == 1, out
    kinds = (kind,) if isinstance(kind, str) else kind
    assert any(f"[{k}]" in out for k in kinds), out


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "data" / "sources").mkdir(parents=True)
    for name in ("units.yaml", "i18n.yaml"):
        shutil.copy(REPO_ROOT / "data" / name, tmp_path / "data" / name)
    shutil.copy(BASE_DIR / "data" / "sources" / "mini_reply.txt", tmp_path / "data" / "sources")
    (tmp_path / "indicators.yaml").write_text(base_text(), encoding="utf-8")
    return tmp_path


def test_named_pipe_is_refused_not_waited_on(workdir: Path) -> None:
    """A FIFO has no writer: reading it blocks forever, so it must be refused by its type."""
    fifo = workdir / "catalogue.fifo"
    os.mkfifo(fifo)
    _assert_rejected(*_run_check(fifo.name, workdir), ("file-not-regular", "file-unreadable"))


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        ("/dev/zero", "file-not-regular"),
        ("/dev/urandom", "file-not-regular"),
        ("data", "file-not-regular"),
        ("no_such_catalogue.yaml", "file-missing"),
    ],
)
def test_device_folder_or_missing_catalogue_is_refused(
    workdir: Path, target: str, kind: str | tuple[str, ...]
) -> None:
    _assert_rejected(*_run_check(target, workdir), kind)


def _source(workdir: Path) -> Path:
    return workdir / "data" / "sources" / "mini_reply.txt"


def test_source_symlink_out_of_data_is_refused(workdir: Path) -> None:
    _source(workdir).unlink()
    _source(workdir).symlink_to("/etc/hostname")
    code, out = _run_check("indicators.yaml", workdir)
    _assert_rejected(code, out, "source-outside-data")
    assert "indicators.yaml:5:" in out


def test_source_that_is_a_folder_is_reported_missing(workdir: Path) -> None:
    _source(workdir).unlink()
    _source(workdir).mkdir()
    code, out = _run_check("indicators.yaml", workdir)
    _assert_rejected(code, out, "source-file-missing")
    assert "indicators.yaml:5:" in out


def test_source_that_is_not_utf8_is_named(workdir: Path) -> None:
    _source(workdir).write_bytes(b"\xff\xfe 2020 \x80\x81")
    code, out = _run_check("indicators.yaml", workdir)
    _assert_rejected(code, out, "source-not-utf8")
    assert "mini_reply.txt" in out


def test_huge_source_is_refused_fast(workdir: Path) -> None:
    with _source(workdir).open("ab") as handle:
        handle.write(("填充文字" * 1024 + "\n").encode() * 2048)  # ~25 MB
    code, out = _run_check("indicators.yaml", workdir)
    _assert_rejected(code, out, "source-too-large")
