"""Two public replicas behind nginx (deploy/serve.py), as `make serve` runs them: sticky
sessions, faults, a replica killed, no write path, and nothing a viewer sends or an analyst's
half-done edit can blank what viewers see.

Real sessions go through the proxy: Streamlit's websocket protocol for the bursts (cheap),
Chromium for what a viewer sees. The cluster serves the published vintage of a copy of the
real catalogue; the tests check that nothing is ever written to its folder.
"""

from __future__ import annotations

import asyncio
import os
import time
import urllib.request
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.concurrent import Visit, _rerun_message, visit
from bench.generate import write_catalogue
from dashboard.catalogue import audit, publish
from deploy.serve import FAIL_TIMEOUT, INSTALL_HINT, Cluster, find_nginx
from tests.browser.harness import (
    CHART,
    REPO_ROOT,
    assert_no_exception,
    body_text,
    open_view,
    require_chromium,
    screenshot,
)
from tests.vintage_helpers import cut_short

ROUTE_COOKIE = "shsts_route"
# A fresh browser loads Streamlit's whole frontend through nginx; on a loaded two-core
# machine that has taken over 30 s once (the harness's default).
OPEN_TIMEOUT_MS = 90_000
# Streamlit computes its cache metrics at most every 5 s (starlette_routes.py).
METRICS_TTL_S = 5.5
FAIL_TIMEOUT_S = int(FAIL_TIMEOUT.removesuffix("s"))


def require_nginx() -> None:
    """On CI the replica tests must run (make test installs nginx); elsewhere a visible skip."""
    if find_nginx() is not None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(INSTALL_HINT + " CI=true: the replica tests must run on CI")
    pytest.skip(INSTALL_HINT)


def _run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """asyncio.run in a thread of its own: Playwright's sync API holds this thread's loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its size and mtime: what "nothing written" compares."""
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cluster, Path]]:
    require_chromium()
    require_nginx()
    catalogue = write_catalogue(
        REPO_ROOT / "indicators.yaml", 1, tmp_path_factory.mktemp("replicas")
    )
    # What `make serve` does on a fresh clone: publish the catalogue once, then serve it.
    outcome = publish.publish(catalogue, who=audit.Who("operator"), if_none=True)
    assert outcome.status == "published"
    env = {**os.environ, "SHSTS_CATALOGUE": str(catalogue), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("SHSTS_MAX_CATALOGUE_BYTES", None)
    with Cluster(replicas=2, env=env) as cluster:
        for replica in cluster.members:  # the day's first visit, on each replica
            _no_errors([_run(visit(replica.url))])
        yield cluster, catalogue


def _no_errors(visits: list[Visit]) -> None:
    errors = [e for v in visits for e in v.errors]
    assert errors == [], errors[:5]
    assert all(v.to_chart is not None and v.to_finish is not None for v in visits)


def _log_lines(cluster: Cluster) -> list[str]:
    return cluster.access_log_path.read_text(encoding="utf-8").splitlines()


def _answered_by(line: str) -> str:
    """The replica that answered a logged request (the last one nginx tried)."""
    return line.split('"')[1].split(", ")[-1]


def _upstream_of(cluster: Cluster, route: str) -> str:
    """Which replica (host:port) nginx sends a browser with this route cookie to."""
    before = len(_log_lines(cluster))
    request = urllib.request.Request(
        cluster.url + "/_stcore/health", headers={"Cookie": f"{ROUTE_COOKIE}={route}"}
    )
    with urllib.request.urlopen(request, timeout=10) as resp:
        assert resp.status == 200
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # nginx logs a request just after answering it
        lines = _log_lines(cluster)[before:]
        if lines:
            return _answered_by(lines[-1])
        time.sleep(0.05)
    raise AssertionError("nginx logged no request")


def _routes(cluster: Cluster) -> dict[str, str]:
    """One route cookie per replica (host:port -> cookie value), found by asking nginx."""
    found: dict[str, str] = {}
    for i in range(64):
        found.setdefault(_upstream_of(cluster, f"probe{i}"), f"probe{i}")
        if len(found) == len(cluster.members):
            return found
    raise AssertionError(f"nginx sent 64 route keys to only {sorted(found)}")


def _streams(cluster: Cluster) -> list[str]:
    """The replica each websocket (a session) went to, logged when it closed."""
    return [_answered_by(line) for line in _log_lines(cluster) if " /_stcore/stream " in line]


def _answering(cluster: Cluster, since: int) -> set[str]:
    """The replicas that answered the requests logged after line `since` (page, assets,
    health and host-config requests are logged at once; websockets when they close)."""
    return {_answered_by(line) for line in _log_lines(cluster)[since:]}


def test_sessions_spread_over_both_replicas(served: tuple[Cluster, Path]) -> None:
    cluster, _ = served
    before = len(_streams(cluster))
    visits = [_run(visit(cluster.url)) for _ in range(12)]
    _no_errors(visits)
    used = set(_streams(cluster)[before:])
    assert used == {f"127.0.0.1:{r.port}" for r in cluster.members}, used


async def _disconnect_mid_run(url: str) -> None:
    """Open a session, ask for the overview and hang up after its first message."""
    from websockets.asyncio.client import connect

    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    async with connect(ws_url, subprotocols=["streamlit"]) as ws:
        await ws.send(_rerun_message("", ""))
        await ws.recv()


async def _burst_with_hangups(url: str, viewers: int, hangups: int) -> list[Visit]:
    tasks = [visit(url) for _ in range(viewers)]
    quitters = [_disconnect_mid_run(url) for _ in range(hangups)]
    results = await asyncio.gather(*tasks, *quitters)
    return [r for r in results if isinstance(r, Visit)]


def test_viewers_who_leave_mid_run_break_nothing(served: tuple[Cluster, Path]) -> None:
    cluster, catalogue = served
    before = _snapshot(catalogue.parent)
    _no_errors(_run(_burst_with_hangups(cluster.url, viewers=8, hangups=6)))
    _no_errors([_run(visit(cluster.url)) for _ in range(4)])
    assert all(r.alive() for r in cluster.members)
    assert _snapshot(catalogue.parent) == before


async def _clear_cache(url: str, route: str) -> None:
    """An anonymous viewer's session asking its replica to clear every cache: the
    `clear_cache` back-message a browser's menu sends, sent by hand (the menu is hidden; the
    server obeys it anyway)."""
    from websockets.asyncio.client import connect

    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    cookie = {"Cookie": f"{ROUTE_COOKIE}={route}"}
    async with connect(ws_url, subprotocols=["streamlit"], additional_headers=cookie) as ws:
        await ws.send(_rerun_message("", ""))
        async for raw in ws:  # the session's first run, to its end
            message = ForwardMsg()
            message.ParseFromString(raw)
            if message.WhichOneof("type") == "script_finished":
                break
        await ws.send(BackMsg(clear_cache=True).SerializeToString())
        await asyncio.sleep(0.5)


def _cached_functions(replica_url: str) -> list[str]:
    """The st.cache_* functions holding entries in one replica (its own metrics, asked
    directly, not through nginx)."""
    with urllib.request.urlopen(replica_url + "/_stcore/metrics", timeout=10) as resp:
        text = resp.read().decode("utf-8")
    # st_session_state is each open session's own state (a viewer still connected has
    # some); only the shared caches, st.cache_data and st.cache_resource, count here.
    return [
        line
        for line in text.splitlines()
        if line.startswith("cache_memory_bytes") and "st_session_state" not in line
    ]


def _served_counts(page: object) -> str:
    """The sidebar's line of counts: what the replica serves."""
    text = page.locator('[data-testid="stSidebar"]').inner_text()
    return next(line for line in text.splitlines() if " indicators · " in line)


def _open(
    browser: object, cluster: Cluster, route: str | None, name: str, path: str = "/?lang=en"
) -> object:
    """A new visitor (a fresh browser context), optionally with a route cookie. A failure
    says what nginx and the replicas logged."""
    url = cluster.url
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    if route is not None:
        context.add_cookies([{"name": ROUTE_COOKIE, "value": route, "url": url}])
    page = context.new_page()
    page.set_default_timeout(OPEN_TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        open_view(page, url + path, timeout_ms=OPEN_TIMEOUT_MS)
        page.wait_for_selector(CHART, state="visible")
    except Exception as exc:
        logs = "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-1500:]}"
            for p in sorted(cluster.run_dir.glob("*.log"))
        )
        raise AssertionError(f"{name}: {exc}\n{logs}") from exc
    assert_no_exception(page)
    assert errors == [], errors
    screenshot(page, f"replicas-{name}", full=False)
    return page


def test_a_killed_replica_leaves_new_visitors_working_pages(
    served: tuple[Cluster, Path], browser: object
) -> None:
    cluster, catalogue = served
    before = _snapshot(catalogue.parent)
    routes = _routes(cluster)
    victim, survivor = cluster.members
    victim_addr = f"127.0.0.1:{victim.port}"
    survivor_addr = f"127.0.0.1:{survivor.port}"
    # One viewer per replica, each kept there by its cookie: page, assets and websocket.
    start = len(_log_lines(cluster))
    doomed = _open(browser, cluster, routes[victim_addr], "before-victim")
    assert _answering(cluster, start) == {victim_addr}
    start = len(_log_lines(cluster))
    on_survivor = _streams(cluster).count(survivor_addr)
    kept = _open(browser, cluster, routes[survivor_addr], "before-survivor")
    assert _answering(cluster, start) == {survivor_addr}
    counts = _served_counts(kept)

    victim.kill()
    doomed.context.close()  # its tab is gone with its replica's session
    start = len(_log_lines(cluster))
    # New visitors: one whose cookie points at the dead replica, one with no cookie yet.
    for route, name in ((routes[victim_addr], "after-victim-cookie"), (None, "after-new")):
        _open(browser, cluster, route, name).context.close()
    assert _answering(cluster, start) == {survivor_addr}
    # The viewer on the surviving replica keeps working: a language switch redraws.
    kept.get_by_text("中文", exact=True).first.click()
    kept.wait_for_function(
        "() => document.querySelector('h1') && /[\\u4e00-\\u9fff]/.test("
        "document.querySelector('h1').textContent)"
    )
    assert_no_exception(kept)
    kept.context.close()
    # The three sessions on the survivor were real websocket sessions, logged as they closed.
    deadline = time.monotonic() + 10
    while _streams(cluster).count(survivor_addr) < on_survivor + 3:
        assert time.monotonic() < deadline, _streams(cluster)
        time.sleep(0.1)
    # Restarted (as the supervisor does), the killed replica serves `current` from disk at once.
    cluster.restart(victim)
    # nginx skipped the dead replica for FAIL_TIMEOUT after its failed requests; its
    # cookie's viewers go back to it once that has passed.
    deadline = time.monotonic() + 3 * FAIL_TIMEOUT_S
    while _upstream_of(cluster, routes[victim_addr]) != victim_addr:
        assert time.monotonic() < deadline, "the restarted replica never came back into rotation"
        time.sleep(0.5)
    start = len(_log_lines(cluster))
    back = _open(browser, cluster, routes[victim_addr], "after-restart")
    assert _answering(cluster, start) == {victim_addr}
    assert _served_counts(back) == counts
    back.context.close()
    assert _snapshot(catalogue.parent) == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_review_offers_no_write_control_in_public(
    served: tuple[Cluster, Path], browser: object, lang: str
) -> None:
    cluster, catalogue = served
    before = _snapshot(catalogue.parent)
    page = _open(browser, cluster, None, f"public-review-{lang}", f"/review?lang={lang}")
    # The page does not exist: Streamlit falls back to the default page, the overview.
    heading = page.locator("h1").first.inner_text()
    assert heading == {"zh": "概览", "en": "Overview"}[lang]
    text = body_text(page)
    for label in ("审核草稿", "Review drafts", "校验修改后的目录", "Check the edited catalogue",
                  "写入目录", "Write to the catalogue"):  # fmt: skip
        assert label not in text
    assert page.locator("textarea").count() == 0
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    assert page.locator("button", has_text="Write").count() == 0
    page.context.close()
    assert _snapshot(catalogue.parent) == before


def test_a_truncated_working_file_and_a_clear_cache_never_reach_viewers(
    served: tuple[Cluster, Path], browser: object
) -> None:
    cluster, catalogue = served
    routes = _routes(cluster)
    first = _open(browser, cluster, None, "public-before-truncation")
    counts = _served_counts(first)
    first.context.close()
    original = catalogue.read_bytes()
    try:
        # Cut in place at a line boundary, as a crashed copy leaves it: it still validates,
        # and `publish` refuses it, naming what would go.
        cut_short(catalogue)
        with pytest.raises(publish.PublishRefused, match="would remove what viewers see now"):
            publish.publish(catalogue, who=audit.Who("analyst"))
        _no_errors([_run(visit(cluster.url)) for _ in range(4)])
        # Then broken outright, and each replica told by an anonymous viewer to forget every
        # cache (its metrics show it obeyed): a design that kept the last valid catalogue only
        # in memory would now have nothing to show.
        catalogue.write_bytes(b"indicators: [")
        replicas = [r.url for r in cluster.members]
        assert all(_cached_functions(url) for url in replicas)
        for route in routes.values():
            _run(_clear_cache(cluster.url, route))
        time.sleep(METRICS_TTL_S)
        assert [_cached_functions(url) for url in replicas] == [[], []]
        _no_errors([_run(visit(cluster.url)) for _ in range(4)])
        for addr, route in sorted(routes.items()):
            page = _open(browser, cluster, route, f"public-after-clear-{addr.split(':')[1]}")
            assert _served_counts(page) == counts  # the published vintage, whole
            assert page.locator('[data-testid="stAlert"]').count() == 0  # no banner
            page.context.close()
    finally:
        catalogue.write_bytes(original)
