"""The edge through nginx with real replicas (issue 19 point 4, and the login of point 1):
every page (the review page in authoring), chart, download and the slides button work
under the Content-Security-Policy;
a meeting of 25 viewers behind one address meets no limit; one client cannot hold
hundreds of websockets; authoring asks for a login and works with it.

Client addresses: each test speaks from its own 127.x.y.z, so the per-address limits one
test engages never touch another.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import subprocess
import threading
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from pptx import Presentation

from bench.concurrent import Visit, visit
from bench.generate import write_catalogue
from dashboard.catalogue import audit, publish
from dashboard.catalogue.validate import validate_path
from dashboard.figures.highlight import figure_anchor
from deploy.serve import Cluster, Limits, content_security_policy
from tests.browser.harness import (
    CHART,
    REPO_ROOT,
    assert_no_exception,
    open_view,
    screenshot,
    wait_idle,
)
from tests.browser.test_replicas import OPEN_TIMEOUT_MS, _run, require_nginx

SHIPPED = Limits()
MEETING = "127.0.0.3"  # the office's one address
FLOOD = "127.0.0.4"  # one client opening websockets
# Every securitypolicyviolation of the page, kept for the test to read.
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push({
  directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile || ''}));
"""


def _csp_violations(page: Any) -> list[dict[str, str]]:
    """What the policy refused on the page and in its frames, less the one refusal that
    is expected: protobuf's Long probes WebAssembly once and falls back to JavaScript."""
    found: list[dict[str, str]] = []
    for frame in page.frames:
        found += frame.evaluate("() => window.__csp || []")
    return [
        v
        for v in found
        if not (v["blocked"] == "wasm-eval" and "/static/js/protobuf." in v["source"])
    ]


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real catalogue, published once (public replicas serve the vintage,
    authoring the working file)."""
    path = write_catalogue(REPO_ROOT / "indicators.yaml", 1, tmp_path_factory.mktemp("edge"))
    outcome = publish.publish(path, who=audit.Who("operator"), if_none=True)
    assert outcome.status == "published"
    return path


def _cluster(catalogue: Path, **options: Any) -> Cluster:
    env = {**os.environ, "SHSTS_CATALOGUE": str(catalogue), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("SHSTS_MAX_CATALOGUE_BYTES", None)
    return Cluster(replicas=1, env=env, **options)


@pytest.fixture(scope="module")
def public(catalogue: Path) -> Iterator[Cluster]:
    require_nginx()
    with _cluster(catalogue) as cluster:
        yield cluster


@dataclass
class Tour:
    """One browser with an empty cache opening every page through nginx."""

    requests: list[str] = field(default_factory=list)  # what nginx logged, in order
    violations: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    charts: dict[str, int] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)


def _pages(catalogue: Path) -> dict[str, str]:
    cat = validate_path(catalogue).catalogue
    assert cat is not None
    indicator = cat.indicators_by_id["ste_cumulative_trade_value"]
    quote = figure_anchor(indicator.id, 0)
    source = indicator.observations[0].source
    return {
        "overview": "/?lang=en",
        "topic": "/topic?topic=exchange&lang=zh",
        "trends": f"/trends?indicator={indicator.id}&lang=en",
        "finder": "/finder?lang=en",
        "sources": f"/sources?source={source}&quote={quote}&lang=zh",
        "changes": "/changes?lang=en",
        "health": "/health?lang=en",
    }


@pytest.fixture(scope="module")
def tour(public: Cluster, browser: Any, catalogue: Path) -> Iterator[tuple[Tour, Any]]:
    """Every page in one fresh browser context (so each asset is asked for once, as a
    viewer's browser does); the context stays open for the tests to use."""
    found = Tour()
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="zh-CN", accept_downloads=True
    )
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.set_default_timeout(OPEN_TIMEOUT_MS)

    def keep_headers(response: Any) -> None:
        kind = response.request.resource_type
        if kind in ("document", "script", "stylesheet", "font") and kind not in found.headers:
            found.headers[kind] = response.all_headers()

    page.on("response", keep_headers)
    logged = len(public.access_log_path.read_text(encoding="utf-8").splitlines())
    for name, path in _pages(catalogue).items():
        open_view(page, public.url + path, timeout_ms=OPEN_TIMEOUT_MS)
        if name in ("overview", "topic", "trends"):
            page.wait_for_selector(CHART, state="visible")
        page.wait_for_timeout(500)  # late fonts, frames and their scripts
        assert_no_exception(page)
        found.violations[name] = _csp_violations(page)
        found.charts[name] = page.locator(CHART).count()
        if name == "sources":  # the hashed inline script scrolled the text to the quote
            in_view = """(id) => { const r = document.getElementById(id).getBoundingClientRect();
                   return r.top >= 0 && r.bottom <= window.innerHeight; }"""
            anchor = path.split("quote=")[1].split("&")[0]
            # The script runs in a frame drawn after the page: wait for it (at most 15 s),
            # and record whether it ever scrolled; a blocked script leaves it at 0.
            with contextlib.suppress(PlaywrightTimeout):
                page.wait_for_function(in_view, arg=anchor, timeout=15_000)
            found.charts["quote_in_view"] = 1 if page.evaluate(in_view, anchor) else 0
        screenshot(page, f"edge-{name}", full=False)
    page.close()
    time.sleep(1)  # nginx logs a websocket when it closes
    lines = public.access_log_path.read_text(encoding="utf-8").splitlines()[logged:]
    found.requests = [line.split()[3] for line in lines]
    yield found, context
    context.close()


def test_every_page_works_under_the_policy_with_the_headers_on_every_asset(
    tour: tuple[Tour, Any],
) -> None:
    found, _ = tour
    assert found.violations == {name: [] for name in found.violations}, found.violations
    assert all(found.charts[name] > 0 for name in ("overview", "topic", "trends")), found.charts
    assert found.charts["quote_in_view"] == 1
    for kind in ("document", "script", "stylesheet", "font"):
        headers = found.headers[kind]
        assert headers["content-security-policy"] == content_security_policy(), kind
        assert headers["x-content-type-options"] == "nosniff", kind
        assert headers["referrer-policy"] == "same-origin", kind
        assert headers["x-frame-options"] == "SAMEORIGIN", kind
        assert headers["server"] == "nginx", kind
    # What a first visit costs, as the limits were computed (deploy/serve.py Limits).
    assert len(found.requests) <= SHIPPED.req_burst / 25, len(found.requests)


def test_downloads_the_camera_and_the_slides_work_under_the_policy(
    public: Cluster, tour: tuple[Tour, Any], catalogue: Path, tmp_path: Path
) -> None:
    _, context = tour
    page = context.new_page()
    page.set_default_timeout(OPEN_TIMEOUT_MS)
    open_view(page, public.url + _pages(catalogue)["trends"], timeout_ms=OPEN_TIMEOUT_MS)
    chart = page.locator(".js-plotly-plot").first
    chart.wait_for(state="visible")
    # Plotly's camera button: the slide-sized PNG (drawn through a blob: image).
    chart.hover()
    with page.expect_download() as camera:
        page.locator('.modebar-btn[data-title="Download plot as a PNG"]').first.click()
    png = Image.open(camera.value.path())
    assert png.format == "PNG" and png.size[0] >= 1600, png.size
    # The chart's CSV, a media file of the replica.
    with page.expect_download() as table:
        page.locator('[data-testid="stDownloadButton"] button').first.click()
    assert table.value.suggested_filename.endswith(".csv")
    assert "ste_cumulative_trade_value" in Path(table.value.path()).read_text("utf-8-sig")
    # The slides: queued, drawn by the replica's kept Chromium, then offered.
    page.get_by_role("button", name="Make slides (PPTX)").click()
    download = page.get_by_role("button", name="Download slides (PPTX)")
    download.wait_for(state="visible", timeout=180_000)
    wait_idle(page)
    with page.expect_download() as deck:
        download.click()
    data = Path(deck.value.path()).read_bytes()
    assert zipfile.is_zipfile(io.BytesIO(data))
    assert len(Presentation(io.BytesIO(data)).slides) == 1
    assert _csp_violations(page) == []
    assert_no_exception(page)
    screenshot(page, "edge-slides-made", full=False)
    page.close()


def _fetch_all(base: str, paths: list[str], source: str) -> list[int]:
    """A browser's requests over one keep-alive connection from `source`: the statuses."""
    host, port = base.split("//")[1].split(":")
    conn = HTTPConnection(host, int(port), timeout=120, source_address=(source, 0))
    statuses = []
    try:
        for path in paths:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            statuses.append(response.status)
    finally:
        conn.close()
    return statuses


def test_a_meeting_of_25_behind_one_address_meets_no_limit(
    public: Cluster, tour: tuple[Tour, Any]
) -> None:
    found, _ = tour
    paths = [p for p in found.requests if p != "/_stcore/stream"]
    viewers, connections = 25, 6  # Chromium opens six connections to one server
    shares = [paths[k::connections] for k in range(connections)]
    statuses: list[int] = []
    sessions: list[Visit] = []

    async def open_sessions() -> None:
        await asyncio.sleep(0.5)  # a page's scripts load before its websocket opens
        sessions.extend(
            await asyncio.gather(*(visit(public.url, source=MEETING) for _ in range(viewers)))
        )

    opener = threading.Thread(target=lambda: _run(open_sessions()))
    opener.start()
    with ThreadPoolExecutor(viewers * connections) as pool:
        jobs = [
            pool.submit(_fetch_all, public.url, share, MEETING)
            for _ in range(viewers)
            for share in shares
        ]
        for job in jobs:
            statuses += job.result()
    opener.join()
    assert len(statuses) == viewers * len(paths)
    # 200, or the 404 Streamlit gives to the frontend's probe of a page-relative path.
    refused = sorted({s for s in statuses if s not in (200, 404)})
    assert refused == [], refused
    assert [e for v in sessions for e in v.errors] == []
    assert len(sessions) == viewers


def test_one_client_cannot_hold_hundreds_of_websockets(public: Cluster) -> None:
    from websockets.asyncio.client import connect
    from websockets.exceptions import InvalidStatus

    url = public.url.replace("http://", "ws://") + "/_stcore/stream"

    async def flood() -> tuple[int, list[int], int, list[int], Visit]:
        held: list[Any] = []
        refusals: list[int] = []

        async def attempt() -> None:
            try:
                held.append(await connect(url, subprotocols=["streamlit"], local_addr=(FLOOD, 0)))
            except InvalidStatus as exc:
                refusals.append(exc.response.status_code)

        try:
            # At once, 300: the session burst lets some in, the rest are refused.
            await asyncio.gather(*(attempt() for _ in range(300)))
            burst_held, burst_refusals = len(held), list(refusals)
            # Then slower than the session rate refills: the socket limit is what stops it.
            refusals.clear()
            deadline = time.monotonic() + 40
            while len(refusals) < 5 and time.monotonic() < deadline:
                await asyncio.sleep(1.0 / (SHIPPED.session_rate * 0.8))
                await attempt()
            # Another viewer, from another address, is served meanwhile.
            other = await visit(public.url)
            return burst_held, burst_refusals, len(held), list(refusals), other
        finally:
            await asyncio.gather(*(ws.close() for ws in held), return_exceptions=True)

    burst_held, burst_refusals, held, refusals, other = _run(flood())
    assert burst_held <= SHIPPED.session_burst + 2, burst_held
    assert set(burst_refusals) == {429} and len(burst_refusals) == 300 - burst_held
    assert held == SHIPPED.sockets_per_addr, held
    assert refusals == [429] * 5
    assert other.errors == [] and other.to_chart is not None


def test_authoring_asks_for_a_login_and_the_review_page_works_with_it(
    catalogue: Path, browser: Any, tmp_path: Path
) -> None:
    require_nginx()
    hashed = subprocess.run(
        ["openssl", "passwd", "-apr1", "s3cret"], capture_output=True, text=True, check=True
    ).stdout.strip()
    htpasswd = tmp_path / "htpasswd"
    htpasswd.write_text(f"analyst:{hashed}\n", encoding="utf-8")
    with _cluster(catalogue, authoring=True, htpasswd=htpasswd) as cluster:
        for path in ("/", "/review", "/_stcore/stream", "/_stcore/host-config"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(cluster.url + path, timeout=30)
            assert refused.value.code == 401, path
            assert refused.value.headers["Content-Security-Policy"]
        context = browser.new_context(
            viewport={"width": 1366, "height": 900},
            http_credentials={"username": "analyst", "password": "s3cret"},
        )
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        page.set_default_timeout(OPEN_TIMEOUT_MS)
        open_view(page, cluster.url + "/review?lang=en", timeout_ms=OPEN_TIMEOUT_MS)
        assert_no_exception(page)
        assert "Review drafts" in page.locator("h1").first.inner_text()
        # A round trip over the logged-in websocket: every number of the document, drafted.
        page.get_by_text("Include numbers already cited or dismissed").first.click()
        page.wait_for_selector('[data-testid="stDataFrame"]', state="visible")
        wait_idle(page)
        assert_no_exception(page)
        assert page.locator("mark").count() > 0  # the document with its drafted numbers
        assert _csp_violations(page) == []
        screenshot(page, "edge-authoring-review", full=False)
        context.close()
