"""Start and stop `streamlit run` on a free localhost port, and read its peak memory."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from types import TracebackType

from devkit.local_server import free_port, start_streamlit, stop

ROOT = Path(__file__).resolve().parent.parent


def peak_rss_kib(pid: int) -> int:
    """VmHWM: the resident-set high-water mark, so a short spike between polls is not missed."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmHWM for pid {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class StreamlitServer:
    """One `streamlit run` process; a context manager so a failed run never leaks a server."""

    def __init__(
        self,
        script: Path,
        cwd: Path = ROOT,
        env: dict[str, str] | None = None,
        extra_args: list[str] | None = None,
    ) -> None:
        self.script = script
        self.cwd = cwd
        self.extra_args = list(extra_args or [])
        self.port = free_port()
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = ROOT / "bench" / "out" / f"server-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, timeout: float = 60) -> StreamlitServer:
        # File watching and run-on-save would add work unrelated to serving viewers.
        quiet = ["--server.fileWatcherType", "none", "--server.runOnSave", "false"]
        self.proc = start_streamlit(
            self.script,
            self.port,
            self.log_path,
            cwd=self.cwd,
            env=self.env,
            extra_args=[*quiet, *self.extra_args],
            timeout_s=timeout,
        )
        return self

    def peak_rss_kib(self) -> int:
        return peak_rss_kib(self.pid)

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid)

    def stop(self) -> None:
        stop(self.proc)

    def __enter__(self) -> StreamlitServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
