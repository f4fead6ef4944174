"""N dashboard processes behind nginx: `python -m deploy.serve` (what `make serve` runs).

One machine: `--replicas N` starts N `streamlit run app.py` on localhost and a private nginx
(Debian's package) in front of them, renders its configuration from deploy/nginx/ into a
run folder, and restarts a replica that stops answering /_stcore/health. Several machines:
`--no-proxy --address 0.0.0.0` on each app machine, and `--config-only --upstream HOST:PORT
...` for the machine that runs nginx (README, "Serving several replicas").
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "nginx"
NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")
INSTALL_HINT = (
    "nginx is not installed. Install it with `make serve-deps` (Debian's package, as root or "
    "through sudo), or your system's package manager: `apt-get install nginx`, "
    "`dnf install nginx`, `brew install nginx`."
)
# Passive health checks (nginx's only kind without NGINX Plus): one refused or timed-out
# request takes a replica out of the rotation for FAIL_TIMEOUT.
MAX_FAILS = 1
FAIL_TIMEOUT = "10s"
HEALTH_PATH = "/_stcore/health"
START_TIMEOUT_S = 90.0
SUPERVISE_EVERY_S = 5.0
# Restart a replica after this many failed health polls in a row (a hung one, not a slow one).
SUPERVISE_FAILURES = 3
# The app's mode (dashboard/app/mode.py reads these; named here too, since deploy/ imports
# nothing from dashboard/). Replicas are public: read-only, serving the published vintage,
# with Streamlit's error details hidden.
ENV_MODE = "SHSTS_MODE"
ENV_LOGIN_HEADER = "SHSTS_LOGIN_HEADER"
PUBLIC = "public"
AUTHORING = "authoring"


def find_nginx() -> str | None:
    """The nginx binary: on PATH, or in a usual sbin folder (not on a non-root PATH)."""
    found = shutil.which("nginx")
    if found:
        return found
    return next((c for c in NGINX_CANDIDATES if os.access(c, os.X_OK)), None)


def loopback(address: str) -> bool:
    """127.0.0.0/8, ::1 or localhost (not 0.0.0.0 or "", which mean every interface)."""
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def healthy(url: str, timeout_s: float = 2.0) -> bool:
    """True when `url` + /_stcore/health answers 200 (a replica directly, or through nginx)."""
    try:
        with urllib.request.urlopen(url + HEALTH_PATH, timeout=timeout_s) as resp:
            return bool(resp.status == 200)
    except OSError:
        return False


@dataclass(frozen=True)
class Upstream:
    """One replica as nginx reaches it."""

    host: str
    port: int

    @classmethod
    def parse(cls, text: str) -> Upstream:
        host, _, port = text.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"{text!r} is not HOST:PORT")
        return cls(host, int(port))


_PLACEHOLDER = re.compile(r"\$\{([a-z_]+)\}")


def fill(template: str, **values: object) -> str:
    """`${name}` replaced by values[name]; nginx's own `$variables` are left alone. A
    placeholder without a value is an error, never left in a configuration."""
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)


def render_site(
    upstreams: Sequence[Upstream],
    listen: str,
    access_log: str = "off",
    max_fails: int = MAX_FAILS,
    fail_timeout: str = FAIL_TIMEOUT,
) -> str:
    """The `http`-level configuration: sticky upstream, websocket headers, passive checks."""
    if not upstreams:
        raise ValueError("at least one upstream is needed")
    servers = "\n".join(
        f"    server {u.host}:{u.port} max_fails={max_fails} fail_timeout={fail_timeout};"
        for u in upstreams
    )
    # A path logs in the shsts format (upstream and status per request: the tests read it).
    log = "access_log off;" if access_log == "off" else f"access_log {access_log} shsts;"
    text = (TEMPLATES / "dashboard.conf.template").read_text(encoding="utf-8")
    return fill(text, replica_count=len(upstreams), servers=servers, listen=listen, access_log=log)


def render_main(run_dir: Path) -> str:
    """A whole nginx.conf for a private nginx whose files all live in `run_dir`."""
    text = (TEMPLATES / "nginx.conf.template").read_text(encoding="utf-8")
    return fill(text, run_dir=run_dir)


def _tail(path: Path, chars: int = 3000) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-chars:] if path.exists() else ""


def _stop(proc: subprocess.Popen[bytes] | None, sig: int = signal.SIGTERM) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@dataclass
class Replica:
    """One `streamlit run app.py` process."""

    index: int
    port: int
    log_path: Path
    address: str = "127.0.0.1"
    env: Mapping[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    mode: str = PUBLIC
    # Authoring behind a login proxy: the header that proxy sets to the logged-in user.
    login_header: str | None = None

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.address in ("0.0.0.0", "") else self.address
        return f"http://{host}:{self.port}"

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.headless", "true",
            "--server.address", self.address,
            "--server.port", str(self.port),
            "--browser.gatherUsageStats", "false",
            # A server watches no source files: code changes come with a restart.
            "--server.fileWatcherType", "none",
            # Viewers never see a traceback (file paths, code); the replica's log has it.
            "--client.showErrorDetails", "none" if self.mode == PUBLIC else "full",
        ]  # fmt: skip

    def environment(self) -> dict[str, str]:
        env = dict(self.env)
        env[ENV_MODE] = self.mode
        env.pop(ENV_LOGIN_HEADER, None)
        if self.mode == AUTHORING and self.login_header:
            env[ENV_LOGIN_HEADER] = self.login_header
        return env

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL: a crash, as a test or a supervisor needs it (no clean shutdown)."""
        if self.alive():
            assert self.proc is not None
            self.proc.kill()
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        _stop(self.proc)


def wait_healthy(replicas: Sequence[Replica], timeout_s: float = START_TIMEOUT_S) -> None:
    """Return once every replica answers its health check; raise with the log of one that
    exited or did not answer in time."""
    deadline = time.monotonic() + timeout_s
    waiting = list(replicas)
    while waiting:
        for replica in list(waiting):
            if not replica.alive():
                raise RuntimeError(f"replica {replica.index} exited:\n{_tail(replica.log_path)}")
            if healthy(replica.url):
                waiting.remove(replica)
        if waiting and time.monotonic() > deadline:
            names = ", ".join(str(r.index) for r in waiting)
            raise RuntimeError(
                f"replica(s) {names} did not answer {HEALTH_PATH} in {timeout_s:.0f} s:\n"
                f"{_tail(waiting[0].log_path)}"
            )
        if waiting:
            time.sleep(0.2)


@dataclass
class Cluster:
    """N replicas and, unless `proxy` is False, a private nginx in front of them.

    A context manager: whatever fails, every process it started is stopped. The run folder
    (configuration, logs, nginx's buffers) is removed on exit unless `keep_run_dir`."""

    replicas: int = 2
    port: int = 0
    replica_ports: Sequence[int] = ()
    address: str = "127.0.0.1"
    proxy: bool = True
    env: Mapping[str, str] | None = None
    keep_run_dir: bool = False
    access_log: bool = True
    # Public replicas unless told otherwise (authoring needs a login in front: login_header).
    mode: str = PUBLIC
    login_header: str | None = None
    run_dir: Path = field(init=False)
    members: list[Replica] = field(init=False, default_factory=list)
    nginx: subprocess.Popen[bytes] | None = field(init=False, default=None)

    @property
    def url(self) -> str:
        """Where viewers go: nginx, or the only replica when there is no proxy."""
        if self.proxy:
            return f"http://127.0.0.1:{self.port}"
        return self.members[0].url

    @property
    def access_log_path(self) -> Path:
        return self.run_dir / "access.log"

    def start(self) -> Cluster:
        if self.mode == AUTHORING and not self.login_header and not loopback(self.address):
            raise ValueError(
                f"authoring refuses to listen on {self.address} without a login in front "
                "(login_header); it listens on 127.0.0.1 otherwise"
            )
        nginx = find_nginx() if self.proxy else None
        if self.proxy and nginx is None:
            raise FileNotFoundError(INSTALL_HINT)
        self.run_dir = Path(tempfile.mkdtemp(prefix="shsts-serve-"))
        # nginx's workers drop root for `nobody` and must reach their buffer folders here.
        self.run_dir.chmod(0o755)
        env = dict(os.environ if self.env is None else self.env)
        # One secret for all replicas, so a cookie one signs is valid on the others.
        env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
        ports = list(self.replica_ports) or [free_port() for _ in range(self.replicas)]
        try:
            for i, port in enumerate(ports[: self.replicas]):
                replica = Replica(
                    i,
                    port,
                    self.run_dir / f"replica-{i}.log",
                    self.address,
                    env,
                    mode=self.mode,
                    login_header=self.login_header,
                )
                replica.start()
                self.members.append(replica)
            wait_healthy(self.members)
            if self.proxy:
                assert nginx is not None
                self._start_nginx(nginx)
        except BaseException:
            self.stop()
            raise
        return self

    def _start_nginx(self, nginx: str) -> None:
        self.port = self.port or free_port()
        upstreams = [Upstream("127.0.0.1", r.port) for r in self.members]
        log = str(self.access_log_path) if self.access_log else "off"
        site = render_site(upstreams, f"127.0.0.1:{self.port}", log)
        (self.run_dir / "dashboard.conf").write_text(site, encoding="utf-8")
        conf = self.run_dir / "nginx.conf"
        conf.write_text(render_main(self.run_dir), encoding="utf-8")
        base = [nginx, "-p", str(self.run_dir), "-c", str(conf), "-e", "stderr"]
        checked = subprocess.run([*base, "-t"], capture_output=True, text=True, check=False)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx refused its configuration:\n{checked.stderr}")
        with (self.run_dir / "nginx.log").open("ab") as out:
            self.nginx = subprocess.Popen(base, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while not healthy(self.url):
            if self.nginx.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start:\n{_tail(self.run_dir / 'nginx.log')}")
            time.sleep(0.1)

    def nginx_pids(self) -> list[int]:
        """nginx's master and workers (their CPU counts toward a visit's cost)."""
        if self.nginx is None:
            return []
        pids = [self.nginx.pid]
        children = Path(f"/proc/{self.nginx.pid}/task/{self.nginx.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
        return pids

    def restart(self, replica: Replica) -> None:
        replica.stop()
        replica.start()
        wait_healthy([replica])

    def stop(self) -> None:
        # Graceful for nginx (finishes open requests), then every replica.
        _stop(self.nginx, signal.SIGQUIT)
        for replica in self.members:
            replica.stop()
        if not self.keep_run_dir and hasattr(self, "run_dir"):
            shutil.rmtree(self.run_dir, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def supervise(cluster: Cluster) -> None:
    """Until Ctrl-C: poll each replica's health; restart one that exited or stopped
    answering (nginx routes around it meanwhile)."""
    failures = {r.index: 0 for r in cluster.members}
    while True:
        time.sleep(SUPERVISE_EVERY_S)
        for replica in cluster.members:
            ok = replica.alive() and healthy(replica.url, timeout_s=5)
            failures[replica.index] = 0 if ok else failures[replica.index] + 1
            if not replica.alive() or failures[replica.index] >= SUPERVISE_FAILURES:
                print(f"replica {replica.index} on :{replica.port} is down; restarting", flush=True)
                cluster.restart(replica)
                failures[replica.index] = 0
                print(f"replica {replica.index} is back", flush=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.serve", description=__doc__)
    parser.add_argument("--replicas", type=int, default=2, help="app processes (default 2)")
    parser.add_argument("--port", type=int, default=8501, help="nginx's port on localhost")
    parser.add_argument(
        "--replica-port",
        type=int,
        help="first replica's port, the others follow (default: --port + 1)",
    )
    parser.add_argument(
        "--address", default="127.0.0.1", help="replicas listen here (0.0.0.0: other machines)"
    )
    parser.add_argument("--no-proxy", action="store_true", help="replicas only, no nginx")
    parser.add_argument(
        "--config-only",
        action="store_true",
        help="print the nginx configuration for --upstream replicas and exit",
    )
    parser.add_argument(
        "--upstream", action="append", default=[], metavar="HOST:PORT", help="with --config-only"
    )
    parser.add_argument("--listen", default="80", help="with --config-only: nginx's listen")
    args = parser.parse_args(argv)
    if args.config_only:
        try:
            upstreams = [Upstream.parse(u) for u in args.upstream]
            sys.stdout.write(render_site(upstreams, args.listen, "/var/log/nginx/shsts.log"))
        except ValueError as exc:
            parser.error(str(exc))
        return 0
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    proxy = not args.no_proxy
    if proxy and find_nginx() is None:
        print(INSTALL_HINT, file=sys.stderr)
        return 2
    first = args.replica_port or args.port + 1
    cluster = Cluster(
        replicas=args.replicas,
        port=args.port,
        replica_ports=[first + i for i in range(args.replicas)],
        address=args.address,
        proxy=proxy,
        keep_run_dir=True,
    )
    # SIGTERM (a service manager's stop) ends the run like Ctrl-C: every process stopped.
    # SIGINT too, explicitly: a shell that starts us in the background ignores it.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    try:
        with cluster:
            for replica in cluster.members:
                print(f"replica {replica.index}: {replica.url}", flush=True)
            where = cluster.url if proxy else ", ".join(r.url for r in cluster.members)
            print(f"serving on {where} (logs: {cluster.run_dir}); Ctrl-C stops", flush=True)
            supervise(cluster)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
