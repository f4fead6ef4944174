"""`python -m dashboard …` in a subprocess, as a user runs it: tests of the commands share it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_dashboard(
    *args: str, cwd: Path, timeout: float = 120, env_vars: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the command line in `cwd`; a traceback in its output fails the test at once
    (every error must reach the user as a message). A size limit set in the caller's
    shell is dropped so every test starts from the default; `env_vars` sets its own."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("SHSTS_MAX_CATALOGUE_BYTES", None)
    env.update(env_vars or {})
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc
