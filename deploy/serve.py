"""N dashboard processes behind nginx: `python -m deploy.serve` (what `make serve` runs).

One machine: `--replicas N` starts N `streamlit run app.py` on localhost and a private nginx
(Debian's package) in front of them, renders its configuration from deploy/nginx/ into a
run folder, and restarts a replica that stops answering /_stcore/health. Several machines:
`--no-proxy --address 0.0.0.0` on each app machine, and `--config-only --upstream HOST:PORT
...` for the machine that runs nginx (README, "Serving several replicas").
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import importlib.util
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


# Streamlit's websocket message limit, both ways (its default is 200 MB). Measured
# (README, "The edge"): the largest message a page sends is 0.3 MB (the Trends page's
# indicator list at 40x today's catalogue), the largest a browser sends 0.6 MB (the review
# page's paste at its 200,000-character limit, in Chinese). 1 MB is Streamlit's smallest.
MAX_MESSAGE_MB = 1
# Authoring behind nginx auth_basic: the header nginx sets to the logged-in user (and
# clears when a client sends it), which the replicas are told to trust (ENV_LOGIN_HEADER).
LOGIN_HEADER = "X-Remote-User"
AUTH_REALM = "Shanghai S&T indicators (authoring)"
# What one browser with an empty cache asks nginx for when it opens every page in turn
# (the pages, Streamlit's scripts, styles and fonts, health, host-config, websockets):
# counted in nginx's log with Chromium (Limits).
PAGE_REQUESTS = 182
# The Content-Security-Policy: the narrowest under which every page works, measured in
# Chromium (tests/browser/test_edge.py collects every `securitypolicyviolation`). Styles:
# Streamlit's are inline (emotion). Images: Plotly's camera button draws the chart as a
# data: SVG before it saves the PNG. Fonts: one KaTeX face is a data: URL. Scripts: only
# files from the app's origin and, by hash ("{scripts}"), the inline script of the
# installed Streamlit's index.html and the app's own fixed inline scripts. WebAssembly
# stays refused: protobuf's Long tries it once and falls back to plain JavaScript.
CSP = (
    "default-src 'none'; script-src 'self' {scripts}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)
# The app's inline scripts (components.html), each one fixed file allowed by its hash.
APP_SCRIPTS = ROOT / "dashboard" / "app" / "static"


def _nginx_path(path: Path) -> str:
    """A path as one nginx token (quoted when it holds a space or a quote would matter)."""
    text = str(path.resolve())
    if re.search(r"[\s;\"'{}$]", text):
        raise ValueError(f"{text!r}: nginx needs a path without spaces, quotes, ; {{ }} or $")
    return text


def streamlit_index() -> Path:
    """The index.html the installed Streamlit serves (found without importing Streamlit)."""
    spec = importlib.util.find_spec("streamlit")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("streamlit is not installed in this interpreter")
    return Path(next(iter(spec.submodule_search_locations))) / "static" / "index.html"


def script_hash(body: str) -> str:
    """The CSP source expression that allows one inline script with exactly this text."""
    digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
    return f"'sha256-{digest}'"


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions ('sha256-...') for every inline <script> of a page."""
    bodies = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S | re.I)
    return [script_hash(b) for b in bodies]


def content_security_policy() -> str:
    """CSP with the hashes of the installed Streamlit's inline script and the app's."""
    hashes = inline_script_hashes(streamlit_index().read_text(encoding="utf-8"))
    hashes += [script_hash(p.read_text(encoding="utf-8")) for p in sorted(APP_SCRIPTS.glob("*.js"))]
    return CSP.replace("{scripts}", " ".join(dict.fromkeys(hashes)))


_PLACEHOLDER = re.compile(r"\$\{([a-z_]+)\}")


def fill(template: str, **values: object) -> str:
    """`${name}` replaced by values[name]; nginx's own `$variables` are left alone. A
    placeholder without a value is an error, never left in a configuration."""
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)


@dataclass(frozen=True)
class Limits:
    """Per client address (README, "The edge"). A meeting of 25 viewers behind one office
    address must never meet them; one client must not hold hundreds of sessions.

    Measured through nginx with Chromium (empty cache): a first visit asks for 84-138
    requests (the Trends page most), a browser that then opens every page 182 in all
    (PAGE_REQUESTS), a reload with a warm cache 4. So the request burst holds 25 browsers
    opening every page at once (25 x 182 = 4,550); the steady rate is far above what the
    same meeting clicking around asks for. A session (websocket) runs a page when it opens:
    25 viewers with three tabs each fit the session burst. At once, 25 browsers loading
    (6 connections each) with their websockets are 175 requests in progress."""

    req_rate: int = 20
    req_burst: int = 5000
    session_rate: int = 2
    session_burst: int = 75
    conn_per_addr: int = 300
    sockets_per_addr: int = 100


def render_site(
    upstreams: Sequence[Upstream],
    listen: str,
    access_log: str = "off",
    max_fails: int = MAX_FAILS,
    fail_timeout: str = FAIL_TIMEOUT,
    *,
    htpasswd: Path | None = None,
    limits: Limits = Limits(),
    csp: str | None = None,
) -> str:
    """The `http`-level configuration: sticky upstream, websocket headers, passive checks,
    the security headers and per-address limits; with `htpasswd`, a login in front of
    everything (authoring mode) whose user the replicas get as X-Remote-User."""
    if not upstreams:
        raise ValueError("at least one upstream is needed")
    servers = "\n".join(
        f"    server {u.host}:{u.port} max_fails={max_fails} fail_timeout={fail_timeout};"
        for u in upstreams
    )
    # A path logs in the shsts format (upstream and status per request: the tests read it).
    log = "access_log off;" if access_log == "off" else f"access_log {access_log} shsts;"
    if htpasswd is None:
        auth, user, mode = "    auth_basic off;", '""', "public"
    else:
        auth = f'    auth_basic "{AUTH_REALM}";\n    auth_basic_user_file {_nginx_path(htpasswd)};'
        user, mode = "$remote_user", "authoring"
    text = (TEMPLATES / "dashboard.conf.template").read_text(encoding="utf-8")
    return fill(
        text,
        replica_count=len(upstreams),
        servers=servers,
        listen=listen,
        access_log=log,
        mode=mode,
        auth=auth,
        remote_user=user,
        csp=content_security_policy() if csp is None else csp,
        page_requests=PAGE_REQUESTS,
        **vars(limits),
    )


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


def login_refusal(authoring: bool, proxy: bool, htpasswd: Path | None, address: str) -> str:
    """Why authoring may not start as asked ("" when it may): it writes the catalogue, so
    beyond this machine's loopback it needs a login in front (nginx auth_basic)."""
    if not authoring or htpasswd is not None:
        return ""
    if proxy:
        return (
            "authoring behind nginx needs a login: --htpasswd FILE (create one with\n"
            "  printf '%s:%s\\n' ANALYST \"$(openssl passwd -apr1)\" > FILE\n"
            "or apache2-utils' `htpasswd -c FILE ANALYST`), or an SSO proxy in front (README)"
        )
    if not loopback(address):
        return (
            f"authoring would listen on {address} with no login in front: use nginx with "
            "--htpasswd FILE, or keep --address 127.0.0.1"
        )
    return ""


_HTPASSWD_LINE = re.compile(r"^[^:\s#][^:]*:\S+$")
# What nginx's auth_basic checks a password against: crypt(3) schemes (MD5 "apr1", SHA-crypt,
# bcrypt, yescrypt, old DES) and {SHA}/{SSHA}; a plain password would never match.
_HASHED = re.compile(r"^(\$(apr1|1|5|6|2[aby]|y|gy)\$\S+|\{S?SHA\}\S+|[./0-9A-Za-z]{13})$")


def check_htpasswd(path: Path) -> int:
    """The number of users in an htpasswd file; ValueError naming the file and line when it
    is missing, empty or not `user:hash` lines (nginx would refuse every login)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the htpasswd file ({exc.strerror})") from exc
    users = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not _HTPASSWD_LINE.match(line):
            raise ValueError(f"{path}:{number}: expected USER:HASH (openssl passwd -apr1)")
        if not _HASHED.match(line.split(":", 1)[1].split(":", 1)[0]):
            raise ValueError(
                f"{path}:{number}: the password is not hashed (openssl passwd -apr1 hashes it)"
            )
        users += 1
    if users == 0:
        raise ValueError(f"{path}: no users (add one: USER:$(openssl passwd -apr1))")
    return users


def _readable_by_workers(path: Path) -> None:
    """Owner-only, plus the group nginx's workers run in when nginx starts as root."""
    if os.geteuid() == 0:
        import grp

        try:
            gid = grp.getgrnam("nogroup").gr_gid
        except KeyError:
            gid = grp.getgrnam("nobody").gr_gid
        os.chown(path, 0, gid)
        path.chmod(0o640)
    else:
        path.chmod(0o600)


@dataclass
class Replica:
    """One `streamlit run app.py` process."""

    index: int
    port: int
    log_path: Path
    address: str = "127.0.0.1"
    env: Mapping[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    max_message_mb: int = MAX_MESSAGE_MB
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
            # Both ways, a websocket message no larger than the app needs (MAX_MESSAGE_MB).
            "--server.maxMessageSize", str(self.max_message_mb),
            # Explicit, so no config file can turn it off.
            "--server.enableXsrfProtection", "true",
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


def launch_nginx(nginx: str, run_dir: Path, site: str, url: str) -> subprocess.Popen[bytes]:
    """A private nginx serving `site` with all its files in `run_dir`, once `url` answers
    its health check through it; RuntimeError with nginx's words if it does not start."""
    (run_dir / "dashboard.conf").write_text(site, encoding="utf-8")
    conf = run_dir / "nginx.conf"
    conf.write_text(render_main(run_dir), encoding="utf-8")
    base = [nginx, "-p", str(run_dir), "-c", str(conf), "-e", "stderr"]
    checked = subprocess.run([*base, "-t"], capture_output=True, text=True, check=False)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx refused its configuration:\n{checked.stderr}")
    with (run_dir / "nginx.log").open("ab") as out:
        proc = subprocess.Popen(base, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while not healthy(url):
        if proc.poll() is not None or time.monotonic() > deadline:
            _stop(proc, signal.SIGQUIT)
            raise RuntimeError(f"nginx did not start:\n{_tail(run_dir / 'nginx.log')}")
        time.sleep(0.1)
    return proc


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
    # Public replicas unless `authoring`, which needs a login in front beyond loopback:
    # nginx auth_basic with `htpasswd` (the replicas then trust LOGIN_HEADER), or
    # `login_header` set by an SSO proxy of the operator's own.
    authoring: bool = False
    htpasswd: Path | None = None
    login_header: str | None = None
    listen_address: str = "127.0.0.1"
    limits: Limits = field(default_factory=Limits)
    max_message_mb: int = MAX_MESSAGE_MB
    run_dir: Path = field(init=False)
    members: list[Replica] = field(init=False, default_factory=list)
    nginx: subprocess.Popen[bytes] | None = field(init=False, default=None)

    @property
    def url(self) -> str:
        """Where viewers go: nginx, or the only replica when there is no proxy."""
        if self.proxy:
            host = self.listen_address
            host = "127.0.0.1" if host in ("0.0.0.0", "", "*") else host
            return f"http://{host}:{self.port}"
        return self.members[0].url

    @property
    def access_log_path(self) -> Path:
        return self.run_dir / "access.log"

    def start(self) -> Cluster:
        if self.login_header is None:
            refusal = login_refusal(self.authoring, self.proxy, self.htpasswd, self.address)
            if refusal:
                raise ValueError(refusal)
        if self.htpasswd is not None:
            check_htpasswd(self.htpasswd)
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
                    max_message_mb=self.max_message_mb,
                    mode=AUTHORING if self.authoring else PUBLIC,
                    login_header=self.login_header
                    or (LOGIN_HEADER if self.htpasswd is not None else None),
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
        htpasswd = None
        if self.htpasswd is not None:  # a copy nginx's workers (`nobody`) can read
            htpasswd = self.run_dir / "htpasswd"
            shutil.copyfile(self.htpasswd, htpasswd)
            _readable_by_workers(htpasswd)
        listen = f"{self.listen_address}:{self.port}"
        site = render_site(upstreams, listen, log, htpasswd=htpasswd, limits=self.limits)
        self.nginx = launch_nginx(nginx, self.run_dir, site, self.url)

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
    parser.add_argument(
        "--replicas", type=int, help="app processes (default 2; 1 with --authoring)"
    )
    parser.add_argument("--port", type=int, default=8501, help="nginx's port")
    parser.add_argument(
        "--bind",
        default="127.0.0.1",
        help="nginx listens on this address (0.0.0.0: other machines; default 127.0.0.1)",
    )
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
        "--authoring",
        action="store_true",
        help="the analysts' instance (review page, writes): needs --htpasswd behind nginx",
    )
    parser.add_argument(
        "--htpasswd",
        type=Path,
        metavar="FILE",
        help="nginx asks for a login from these users (lines USER:$(openssl passwd -apr1))",
    )
    parser.add_argument(
        "--max-message-mb",
        type=int,
        default=MAX_MESSAGE_MB,
        help=f"websocket message limit in MB (default {MAX_MESSAGE_MB}, measured: README)",
    )
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
        refusal = login_refusal(args.authoring, True, args.htpasswd, "")
        try:
            if refusal:
                raise ValueError(refusal)
            if args.htpasswd is not None:
                check_htpasswd(args.htpasswd)
            upstreams = [Upstream.parse(u) for u in args.upstream]
            sys.stdout.write(
                render_site(
                    upstreams, args.listen, "/var/log/nginx/shsts.log", htpasswd=args.htpasswd
                )
            )
        except ValueError as exc:
            parser.error(str(exc))
        return 0
    replicas = args.replicas if args.replicas is not None else (1 if args.authoring else 2)
    if replicas < 1:
        parser.error("--replicas must be at least 1")
    if args.max_message_mb < 1:
        parser.error("--max-message-mb must be at least 1")
    proxy = not args.no_proxy
    refusal = login_refusal(args.authoring, proxy, args.htpasswd, args.address)
    if refusal:
        print(f"refusing to start: {refusal}", file=sys.stderr)
        return 2
    if args.htpasswd is not None:
        try:
            check_htpasswd(args.htpasswd)
        except ValueError as exc:
            print(f"refusing to start: {exc}", file=sys.stderr)
            return 2
    if proxy and find_nginx() is None:
        print(INSTALL_HINT, file=sys.stderr)
        return 2
    first = args.replica_port or args.port + 1
    cluster = Cluster(
        replicas=replicas,
        port=args.port,
        replica_ports=[first + i for i in range(replicas)],
        address=args.address,
        proxy=proxy,
        keep_run_dir=True,
        authoring=args.authoring,
        htpasswd=args.htpasswd,
        listen_address=args.bind,
        max_message_mb=args.max_message_mb,
    )
    # SIGTERM (a service manager's stop) ends the run like Ctrl-C: every process stopped.
    # SIGINT too, explicitly: a shell that starts us in the background ignores it.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    mode = "authoring" if args.authoring else "public"
    try:
        with cluster:
            for replica in cluster.members:
                print(f"replica {replica.index}: {replica.url}", flush=True)
            where = cluster.url if proxy else ", ".join(r.url for r in cluster.members)
            login = ", login required" if args.htpasswd else ""
            print(
                f"serving ({mode}{login}) on {where} (logs: {cluster.run_dir}); Ctrl-C stops",
                flush=True,
            )
            supervise(cluster)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
