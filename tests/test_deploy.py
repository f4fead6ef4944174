"""The nginx configuration deploy/serve.py renders: complete, sticky, and accepted by nginx."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.app.source_view import SCROLL_SCRIPT
from deploy.serve import (
    APP_SCRIPTS,
    AUTH_REALM,
    INSTALL_HINT,
    MAX_MESSAGE_MB,
    Replica,
    Upstream,
    check_htpasswd,
    content_security_policy,
    find_nginx,
    inline_script_hashes,
    login_refusal,
    render_main,
    render_site,
    script_hash,
    streamlit_index,
)

REPO = Path(__file__).resolve().parent.parent
UPSTREAMS = [Upstream("10.0.0.11", 8502), Upstream("10.0.0.12", 8502)]


def test_site_config_names_every_replica_with_passive_checks() -> None:
    text = render_site(UPSTREAMS, "80", "/var/log/nginx/shsts.log")
    assert not re.search(r"\$\{[a-z_]+\}", text)  # every placeholder filled
    for upstream in UPSTREAMS:
        assert f"server {upstream.host}:{upstream.port} max_fails=1 fail_timeout=10s;" in text
    # Sticky by cookie, websocket upgrade passed through, a dead replica skipped.
    assert "hash $shsts_route consistent;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Connection $shsts_connection;" in text
    assert "proxy_next_upstream error timeout" in text
    assert "access_log /var/log/nginx/shsts.log shsts;" in text


def test_upstreams_are_host_and_port() -> None:
    assert Upstream.parse("[::1]:8502") == Upstream("[::1]", 8502)
    for bad in ("host", "host:", ":8502", "host:port"):
        with pytest.raises(ValueError):
            Upstream.parse(bad)
    with pytest.raises(ValueError):
        render_site([], "80")


def test_config_only_prints_the_site_for_remote_upstreams() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "deploy.serve", "--config-only", "--listen", "8080",
         "--upstream", "10.0.0.11:8502", "--upstream", "10.0.0.12:8502"],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == render_site(UPSTREAMS, "8080", "/var/log/nginx/shsts.log")


def test_nginx_accepts_the_rendered_configuration(tmp_path: Path) -> None:
    nginx = find_nginx()
    if nginx is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(INSTALL_HINT)
        pytest.skip(INSTALL_HINT)
    site = render_site(UPSTREAMS, "127.0.0.1:8080", str(tmp_path / "access.log"))
    (tmp_path / "dashboard.conf").write_text(site, encoding="utf-8")
    conf = tmp_path / "nginx.conf"
    conf.write_text(render_main(tmp_path), encoding="utf-8")
    proc = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", "stderr"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr


def _hashed_htpasswd(folder: Path) -> Path:
    hashed = subprocess.run(
        ["openssl", "passwd", "-apr1", "pw"], capture_output=True, text=True, check=True
    ).stdout.strip()
    path = folder / "htpasswd"
    path.write_text(f"# analysts\nanalyst:{hashed}\n", encoding="utf-8")
    return path


def _directives_before_locations(text: str) -> str:
    server = text[text.index("server {") :]
    return server[: server.index("\n    location ")]


def test_the_public_site_is_hardened_with_every_header_at_server_level() -> None:
    text = render_site(UPSTREAMS, "80", "/var/log/nginx/shsts.log")
    head = _directives_before_locations(text)
    assert "server_tokens off;" in head
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        assert re.search(rf"add_header {header} .* always;", head), header
    # A location with an add_header of its own would drop the server's: none has one.
    locations = text[text.index("\n    location ") :]
    assert "add_header" not in locations
    assert "location = /_stcore/metrics {\n        return 404;" in locations
    # Public: no login, and a client's X-Remote-User is cleared, never passed on.
    assert "auth_basic off;" in head
    assert 'proxy_set_header X-Remote-User "";' in head
    assert "limit_req zone=shsts_requests burst=5000 nodelay;" in head
    assert "limit_conn shsts_sockets 100;" in locations


def test_the_csp_allows_only_this_streamlit_and_this_app_s_inline_scripts() -> None:
    policy = content_security_policy()
    scripts = next(d for d in policy.split("; ") if d.startswith("script-src "))
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    index = streamlit_index().read_text(encoding="utf-8")
    app_scripts = sorted(APP_SCRIPTS.glob("*.js"))
    assert SCROLL_SCRIPT in app_scripts  # the Sources page's, and any other fixed one
    expected = [
        *inline_script_hashes(index),
        *(script_hash(p.read_text("utf-8")) for p in app_scripts),
    ]
    assert scripts.split()[2:] == expected
    assert "frame-ancestors 'self'" in policy
    # What each hash means: the exact text of one inline script.
    assert script_hash("window.x = 1") != script_hash("window.x = 2")


def test_authoring_site_asks_for_a_login_and_passes_the_user_on(tmp_path: Path) -> None:
    htpasswd = _hashed_htpasswd(tmp_path)
    text = render_site(UPSTREAMS, "80", htpasswd=htpasswd)
    head = _directives_before_locations(text)
    assert f'auth_basic "{AUTH_REALM}";' in head
    assert f"auth_basic_user_file {htpasswd};" in head
    assert "proxy_set_header X-Remote-User $remote_user;" in head
    assert "in authoring mode" in text
    with pytest.raises(ValueError, match="nginx needs a path without spaces"):
        render_site(UPSTREAMS, "80", htpasswd=tmp_path / "a file")


def test_authoring_refuses_to_start_without_a_login() -> None:
    # Behind nginx: always a login. Without nginx: only on the loopback.
    assert "needs a login: --htpasswd FILE" in login_refusal(True, True, None, "127.0.0.1")
    assert "no login in front" in login_refusal(True, False, None, "0.0.0.0")
    assert login_refusal(True, False, None, "127.0.0.1") == ""
    assert login_refusal(True, True, Path("htpasswd"), "127.0.0.1") == ""
    assert login_refusal(False, True, None, "0.0.0.0") == ""
    for args in (["--authoring"], ["--authoring", "--no-proxy", "--address", "0.0.0.0"]):
        proc = subprocess.run(
            [sys.executable, "-m", "deploy.serve", *args],
            cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.startswith("refusing to start: "), proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "deploy.serve", "--config-only", "--authoring",
         "--upstream", "10.0.0.11:8502"],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 2 and "needs a login" in proc.stderr


def test_an_htpasswd_file_is_checked_before_nginx_would_refuse_every_login(
    tmp_path: Path,
) -> None:
    assert check_htpasswd(_hashed_htpasswd(tmp_path)) == 1
    bad = tmp_path / "bad"
    for text, problem in (
        ("", "no users"),
        ("# only a comment\n", "no users"),
        ("analyst\n", ":1: expected USER:HASH"),
        ("analyst:secret\n", ":1: the password is not hashed"),
    ):
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(ValueError, match=problem):
            check_htpasswd(bad)
    with pytest.raises(ValueError, match="cannot read the htpasswd file"):
        check_htpasswd(tmp_path / "missing")


def test_replicas_run_with_a_small_message_limit_and_xsrf_protection() -> None:
    command = Replica(0, 8502, Path("log")).command()
    assert command[command.index("--server.maxMessageSize") + 1] == str(MAX_MESSAGE_MB) == "1"
    assert command[command.index("--server.enableXsrfProtection") + 1] == "true"


def test_nginx_accepts_the_authoring_configuration(tmp_path: Path) -> None:
    nginx = find_nginx()
    if nginx is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(INSTALL_HINT)
        pytest.skip(INSTALL_HINT)
    site = render_site(UPSTREAMS, "127.0.0.1:8080", htpasswd=_hashed_htpasswd(tmp_path))
    (tmp_path / "dashboard.conf").write_text(site, encoding="utf-8")
    conf = tmp_path / "nginx.conf"
    conf.write_text(render_main(tmp_path), encoding="utf-8")
    proc = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", "stderr"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
