"""The nginx configuration deploy/serve.py renders: complete, sticky, and accepted by nginx."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from deploy.serve import INSTALL_HINT, Upstream, find_nginx, render_main, render_site

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
