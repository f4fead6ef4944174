"""The edge as nginx runs it (deploy/nginx/, issue 19 point 4 and the login of point 1), in
front of a small echo server instead of Streamlit: headers on every answer, errors included,
the metrics refused, the login and the user header, and the limits engaging.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from deploy.serve import (
    INSTALL_HINT,
    Limits,
    Upstream,
    _readable_by_workers,
    _stop,
    content_security_policy,
    find_nginx,
    free_port,
    launch_nginx,
    render_site,
)

SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")
# Small numbers, so a test meets each limit in a few requests (the shipped ones are tested
# in tests/browser/test_edge.py).
SMALL = Limits(
    req_rate=1, req_burst=8, session_rate=1, session_burst=6, conn_per_addr=20, sockets_per_addr=3
)


def require_nginx() -> str:
    nginx = find_nginx()
    if nginx is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(INSTALL_HINT)
        pytest.skip(INSTALL_HINT)
    return nginx


class Echo(BaseHTTPRequestHandler):
    """Answers with the request's headers as JSON; /_stcore/stream?hold=S holds S seconds
    first (an open websocket, as far as nginx's connection count goes)."""

    def do_GET(self) -> None:
        if self.path == "/broken":  # hang up without an answer: nginx says 502
            self.close_connection = True
            return
        if "hold=" in self.path:
            time.sleep(float(self.path.rsplit("hold=", 1)[1]))
        body = json.dumps({k.lower(): v for k, v in self.headers.items()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Edge:
    url: str
    run_dir: Path


def _edge(limits: Limits, htpasswd: Path | None) -> Iterator[Edge]:
    nginx = require_nginx()
    echo = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    echo.daemon_threads = True
    threading.Thread(target=echo.serve_forever, daemon=True).start()
    run_dir = Path(tempfile.mkdtemp(prefix="edge-test-"))
    run_dir.chmod(0o755)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    if htpasswd is not None:  # as deploy.serve does: a copy nginx's workers can read
        htpasswd = Path(shutil.copyfile(htpasswd, run_dir / "htpasswd"))
        _readable_by_workers(htpasswd)
    site = render_site(
        [Upstream("127.0.0.1", echo.server_address[1])],
        f"127.0.0.1:{port}",
        str(run_dir / "access.log"),
        htpasswd=htpasswd,
        limits=limits,
    )
    proc = launch_nginx(nginx, run_dir, site, url)
    try:
        yield Edge(url, run_dir)
    finally:
        _stop(proc)
        echo.shutdown()
        shutil.rmtree(run_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def public() -> Iterator[Edge]:
    yield from _edge(SMALL, None)


@pytest.fixture(scope="module")
def authoring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Edge]:
    folder = tmp_path_factory.mktemp("login")
    hashed = subprocess.run(
        ["openssl", "passwd", "-apr1", "s3cret"], capture_output=True, text=True, check=True
    ).stdout.strip()
    htpasswd = folder / "htpasswd"
    htpasswd.write_text(f"analyst:{hashed}\n", encoding="utf-8")
    yield from _edge(Limits(), htpasswd)


def get(
    url: str, headers: dict[str, str] | None = None, source: str = "127.0.0.1"
) -> tuple[int, HTTPMessage, bytes]:
    """(status, headers, body) of a GET, errors included, from the client address `source`
    (any 127.x.y.z reaches the loopback: each is another client to nginx's limits)."""
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    conn = HTTPConnection(parts.hostname, parts.port, timeout=30, source_address=(source, 0))
    try:
        conn.request(
            "GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers or {}
        )
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def _basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def assert_hardened(headers: HTTPMessage, status: int) -> None:
    for name in SECURITY_HEADERS:
        assert headers[name], (status, name, dict(headers))
    assert headers["Content-Security-Policy"] == content_security_policy()
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Server"] == "nginx", headers["Server"]


def test_every_answer_is_hardened_and_the_metrics_are_refused(public: Edge) -> None:
    status, headers, body = get(public.url + "/some/page", {"X-Remote-User": "mallory"})
    assert status == 200
    assert_hardened(headers, status)
    # A client's own X-Remote-User never reaches the app in public mode.
    assert "x-remote-user" not in json.loads(body)
    status, headers, _ = get(public.url + "/_stcore/metrics")
    assert status == 404
    assert_hardened(headers, status)


def test_one_address_meets_the_request_limit_and_another_does_not(public: Edge) -> None:
    statuses = [get(public.url + "/static/x.js", source="127.0.0.5")[0] for _ in range(14)]
    # The burst (8) and the one the second refills are served; the rest get 429, hardened.
    assert statuses.count(200) in (SMALL.req_burst + 1, SMALL.req_burst + 2), statuses
    assert set(statuses) == {200, 429}
    status, headers, _ = get(public.url + "/static/x.js", source="127.0.0.5")
    assert status == 429
    assert_hardened(headers, status)
    assert get(public.url + "/static/x.js", source="127.0.0.6")[0] == 200


def test_one_address_holds_only_so_many_sessions(public: Edge) -> None:
    stream = public.url + "/_stcore/stream?hold=3"

    def open_stream(_: int) -> int:
        time.sleep(_ * 0.05)  # in order, all held at once
        return get(stream, source="127.0.0.7")[0]

    with ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(open_stream, range(6)))
    assert statuses.count(200) == SMALL.sockets_per_addr, statuses
    assert statuses.count(429) == 6 - SMALL.sockets_per_addr, statuses


def test_authoring_asks_for_a_login_and_passes_the_user_on(authoring: Edge) -> None:
    status, headers, _ = get(authoring.url + "/review")
    assert status == 401
    assert headers["WWW-Authenticate"].startswith("Basic realm=")
    assert_hardened(headers, status)
    status, _, _ = get(authoring.url + "/review", _basic("analyst", "wrong"))
    assert status == 401
    status, _, _ = get(authoring.url + "/_stcore/stream", {})
    assert status == 401
    # With the password: through, and the app is told who it is, whatever the client claims.
    forged = {**_basic("analyst", "s3cret"), "X-Remote-User": "mallory"}
    status, headers, body = get(authoring.url + "/review", forged)
    assert status == 200
    assert_hardened(headers, status)
    assert json.loads(body)["x-remote-user"] == "analyst"
    # Load balancers and `make serve` check health without a login.
    assert get(authoring.url + "/_stcore/health")[0] == 200


def test_a_replica_that_hangs_up_gets_a_hardened_502() -> None:
    for edge in _edge(SMALL, None):  # its own nginx: the upstream is marked failed after
        status, headers, _ = get(edge.url + "/broken")
        assert status == 502
        assert_hardened(headers, status)
