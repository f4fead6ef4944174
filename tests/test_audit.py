"""The audit log: one whole JSON line per write, whoever writes at the same time; add-source
logs who added which document, and refuses when the log cannot be written."""

from __future__ import annotations

import getpass
import shutil
import subprocess
import sys
from pathlib import Path

from dashboard.catalogue import audit
from tests.cli_runner import run_dashboard

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

_WRITER = """
import sys
from dashboard.catalogue import audit
log = audit.AuditLog(sys.argv[1])
for i in range(int(sys.argv[3])):
    log.append(audit.Who(sys.argv[2]), "test", n=i, payload="字" * 3000)
log.close()
"""


def test_lines_written_at_once_by_several_processes_stay_whole(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), f"writer{w}", "150"],
            cwd=REPO,
            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        )
        for w in range(4)
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0, 0]
    lines = path.read_text(encoding="utf-8").splitlines()
    entries = audit.read(path)
    assert len(lines) == len(entries) == 600  # every line parses: none interleaved
    for w in range(4):
        mine = [e["n"] for e in entries if e["user"] == f"writer{w}"]
        assert mine == list(range(150))
    assert all(e["time"].endswith("Z") and e["login"] == "os-user" for e in entries)


def test_a_long_user_name_from_a_header_is_cut(tmp_path: Path) -> None:
    log = audit.AuditLog(tmp_path / "audit.jsonl")
    entry = log.append(audit.Who("a" * 10_000 + "\nforged", "login-header:X-Remote-User"), "x")
    log.close()
    assert len(entry["user"]) == audit.MAX_USER
    assert len((tmp_path / "audit.jsonl").read_text().splitlines()) == 1


def _project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "data", tmp_path / "data")
    shutil.copy(FIXTURES / "catalogue_valid.yaml", tmp_path / "indicators.yaml")
    (tmp_path / "inbox").mkdir()
    shutil.copy(FIXTURES / "authoring" / "new_reply.txt", tmp_path / "inbox" / "reply.txt")
    return tmp_path


SETS = [
    "--id", "demo_2026_3",
    "--set", "title.en=Reply to demo proposal No. 0001",
    "--set", "short.en=Demo reply No. 3 (2026)",
    "--set", "addressee.en=Demo member",
]  # fmt: skip


def test_add_source_logs_who_added_which_document(tmp_path: Path) -> None:
    project = _project(tmp_path)
    proc = run_dashboard(
        "add-source", "inbox/reply.txt", *SETS, "--catalogue", "indicators.yaml", cwd=project
    )
    assert proc.returncode == 0, proc.stderr
    (entry,) = audit.read(project / "audit.jsonl")
    assert entry["action"] == "add-source"
    assert (entry["user"], entry["login"]) == (getpass.getuser(), "os-user")
    assert entry["source"] == "demo_2026_3"
    assert entry["file"].startswith("data/sources/")
    copied = project / entry["file"]
    assert copied.is_file() and len(entry["sha256"]) == 64


def test_add_source_refuses_when_the_audit_log_cannot_be_written(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "audit.jsonl").mkdir()
    before = (project / "indicators.yaml").read_bytes()
    files = sorted(p.name for p in (project / "data" / "sources").iterdir())
    proc = run_dashboard(
        "add-source", "inbox/reply.txt", *SETS, "--catalogue", "indicators.yaml", cwd=project
    )
    assert proc.returncode == 1
    assert "the audit log cannot be written" in proc.stderr and "nothing was changed" in proc.stderr
    assert (project / "indicators.yaml").read_bytes() == before
    assert sorted(p.name for p in (project / "data" / "sources").iterdir()) == files
