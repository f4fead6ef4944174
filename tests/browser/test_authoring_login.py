"""Authoring behind nginx's login (deploy/serve.py --authoring --htpasswd): without
credentials nothing of the app is served; with them the review page works and knows the
user the audit log will name, from the header nginx sets."""

from __future__ import annotations

import os
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.serve import Cluster
from tests.browser.catalogues import write_base
from tests.browser.harness import assert_no_exception, body_text, open_view, screenshot
from tests.browser.test_replicas import OPEN_TIMEOUT_MS, require_nginx

USER, PASSWORD = "alice", "correct horse"


@pytest.fixture(scope="module")
def authoring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cluster, Path]]:
    require_nginx()
    folder = tmp_path_factory.mktemp("authoring-login")
    catalogue = write_base(folder)
    hashed = subprocess.run(
        ["openssl", "passwd", "-apr1", PASSWORD], capture_output=True, text=True, check=True
    ).stdout.strip()
    htpasswd = folder / "htpasswd"
    htpasswd.write_text(f"{USER}:{hashed}\n", encoding="utf-8")
    env = {**os.environ, "SHSTS_CATALOGUE": str(catalogue), "PYTHONDONTWRITEBYTECODE": "1"}
    with Cluster(replicas=1, env=env, authoring=True, htpasswd=htpasswd) as cluster:
        yield cluster, catalogue


def test_without_credentials_nothing_is_served(authoring: tuple[Cluster, Path]) -> None:
    cluster, _ = authoring
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(cluster.url + "/review", timeout=10)
    assert refused.value.code == 401


def test_with_credentials_the_review_page_names_the_logged_in_user(
    authoring: tuple[Cluster, Path], browser: object
) -> None:
    cluster, catalogue = authoring
    before = catalogue.read_bytes()
    context = browser.new_context(
        viewport={"width": 1366, "height": 900},
        http_credentials={"username": USER, "password": PASSWORD},
    )
    page = context.new_page()
    page.set_default_timeout(OPEN_TIMEOUT_MS)
    try:
        open_view(page, cluster.url + "/review?lang=en", timeout_ms=OPEN_TIMEOUT_MS)
        page.wait_for_selector('[data-testid="stDataFrame"]', state="visible")
        assert_no_exception(page)
        text = body_text(page)
        assert "Review drafts" in text
        # The user nginx checked, passed on as X-Remote-User: what the audit log will record.
        assert "Writes to the catalogue are logged in the audit log as alice" in text
        assert "the logged-in user" in text
        screenshot(page, "authoring-login-review-en", full=False)
    finally:
        context.close()
    assert catalogue.read_bytes() == before
