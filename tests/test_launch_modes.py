"""How the two modes are launched: `make run` is authoring on 127.0.0.1 only (and refuses any
other address without a login in front); `make serve` publishes once on a fresh clone and
starts public replicas with error details hidden."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from deploy import authoring
from deploy.serve import Cluster, Replica, free_port
from tests.conftest import write_catalogue

REPO = Path(__file__).resolve().parent.parent


def recipe(target: str) -> list[str]:
    """The command lines of a Makefile target's recipe."""
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    found = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", text, flags=re.MULTILINE)
    assert found, target
    return [line.strip() for line in found.group(1).splitlines()]


def test_make_run_starts_authoring_through_the_loopback_launcher() -> None:
    lines = recipe("run")
    assert lines[-1] == "$(PY) -m deploy.authoring --port $(PORT)"
    assert not any("streamlit run" in line or "--address" in line for line in lines)
    argv = authoring.command(8501)
    assert argv[argv.index("--server.address") + 1] == "127.0.0.1"
    assert argv[argv.index("--client.showErrorDetails") + 1] == "full"
    env = authoring.environment({"SHSTS_LOGIN_HEADER": "forged"}, None)
    assert env["SHSTS_MODE"] == "authoring" and "SHSTS_LOGIN_HEADER" not in env


def test_make_serve_publishes_a_first_vintage_then_serves_public_replicas() -> None:
    assert recipe("serve") == [
        "$(PY) -m dashboard publish --if-none",
        "$(PY) -m deploy.serve --replicas $(REPLICAS) --port $(PORT)",
    ]
    replica = Replica(0, 8502, Path("/dev/null"), env={"SHSTS_MODE": "authoring"})
    argv = replica.command()
    assert argv[argv.index("--client.showErrorDetails") + 1] == "none"
    assert argv[argv.index("--server.address") + 1] == "127.0.0.1"
    assert replica.environment()["SHSTS_MODE"] == "public"  # whatever the caller's shell says


@pytest.mark.parametrize("address", ["0.0.0.0", "", "10.0.0.5", "::"])
def test_authoring_beyond_loopback_without_a_login_is_refused(address: str) -> None:
    with pytest.raises(authoring.Refused, match="needs a login in front"):
        authoring.check(address, None)
    with pytest.raises(ValueError, match="with no login in front"):
        Cluster(replicas=1, proxy=False, address=address or "0.0.0.0", authoring=True).start()
    authoring.check(address, "X-Remote-User")  # behind a login: allowed


def test_the_launcher_refuses_an_open_address_and_starts_nothing() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "deploy.authoring", "--address", "0.0.0.0", "--port", "9", ],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "authoring refuses to listen on '0.0.0.0'" in proc.stderr
    assert "Traceback" not in proc.stderr


def _listening(port: int) -> list[str]:
    """Local addresses listening on `port` (/proc/net/tcp and tcp6, hex encoded)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            host, hexport = local.rsplit(":", 1)
            if state == "0A" and int(hexport, 16) == port:  # 0A: LISTEN
                found.append(host)
    return found


def test_make_run_listens_on_127_0_0_1_only(tmp_path: Path) -> None:
    catalogue = write_catalogue(tmp_path)
    port = free_port()
    env = {**os.environ, "SHSTS_CATALOGUE": str(catalogue), "PYTHONDONTWRITEBYTECODE": "1"}
    log = (tmp_path / "run.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "deploy.authoring", "--port", str(port)],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                assert proc.poll() is None, (tmp_path / "run.log").read_text()
                assert time.monotonic() < deadline, (tmp_path / "run.log").read_text()
                time.sleep(0.2)
        # 0100007F is 127.0.0.1 in /proc's byte order; nothing on 0.0.0.0 or ::.
        assert _listening(port) == ["0100007F"]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()
