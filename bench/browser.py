"""Headless Chromium against `streamlit run`: navigation to a visible chart, and widget redraws.

Each navigation uses a fresh browser context (no cache, no cookies: a first visit) against a
server whose caches are warm, as a viewer opening a shared link meets it. The baseline is the
one-chart app served the same way.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

from bench.server import StreamlitServer
from bench.stats import median
from devkit.local_server import CHROMIUM, CHROMIUM_ARGS

CHART = '[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg'
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'
TIMEOUT_MS = 60_000
# What a viewer reads: the main area's text (labels, titles, numbers; sparklines have no
# text of their own). A language switch has redrawn once this changed and the script is idle.
_MAIN_TEXT_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return main ? main.textContent : '';
}"""
_REDRAWN_JS = """(before) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stException"]')) return true;
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main || !main.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot')) return false;
  return main.textContent !== before;
}"""


@dataclass
class Target:
    """A page to open (path + query) and, optionally, widget labels to click to force a redraw."""

    name: str
    path: str
    toggles: tuple[str, ...] = ()


@dataclass
class TargetResult:
    name: str
    to_chart_s: list[float] = field(default_factory=list)
    redraw_s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "to_chart_median_s": median(self.to_chart_s),
            "redraw_median_s": median(self.redraw_s),
            "to_chart_s": self.to_chart_s,
            "redraw_s": self.redraw_s,
            "errors": self.errors[:5],
        }


def _short(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}".splitlines()[0][:240]


def launch(playwright: Any) -> Browser:
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )


def _open(browser: Browser, url: str) -> tuple[float, Page, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        page.wait_for_selector(f"{CHART}, {EXCEPTION}", state="visible", timeout=TIMEOUT_MS)
        seconds = time.perf_counter() - start
        _raise_page_exception(page)
    except Exception:
        context.close()
        raise
    return seconds, page, context


def _raise_page_exception(page: Page) -> None:
    """A traceback on the page is an error of the run, not a slow chart."""
    shown = page.locator(EXCEPTION)
    if shown.count():
        text = " ".join(shown.first.inner_text().split())[:200]
        raise RuntimeError(f"page exception: {text}")


def _redraw(page: Page, label: str) -> float:
    page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
    before = page.evaluate(_MAIN_TEXT_JS)
    start = time.perf_counter()
    page.get_by_text(label, exact=True).first.click(timeout=TIMEOUT_MS)
    page.wait_for_function(_REDRAWN_JS, arg=before, timeout=TIMEOUT_MS)
    seconds = time.perf_counter() - start
    _raise_page_exception(page)
    return seconds


def measure_target(browser: Browser, base_url: str, target: Target, repeats: int) -> TargetResult:
    result = TargetResult(target.name)
    url = base_url + target.path
    # One unmeasured visit: the server's caches fill as they would for the day's first viewer.
    try:
        _, _, context = _open(browser, url)
        context.close()
    except Exception as exc:
        result.errors.append(f"warm-up: {_short(exc)}")
        return result
    for _ in range(repeats):
        try:
            seconds, page, context = _open(browser, url)
            result.to_chart_s.append(seconds)
            if target.toggles:
                # Switch away and back: both directions are redraws a viewer sees.
                for label in (*target.toggles[1:], target.toggles[0]):
                    try:
                        result.redraw_s.append(_redraw(page, label))
                    except Exception as exc:
                        result.errors.append(f"redraw to {label}: {_short(exc)}")
                        break
            context.close()
        except Exception as exc:
            result.errors.append(_short(exc))
    return result


def run(
    app: Path,
    baseline: Path,
    targets: list[Target],
    baseline_toggles: tuple[str, ...],
    repeats: int,
) -> dict[str, Any]:
    """The baseline app and every dashboard target, each on its own fresh server."""
    out: dict[str, Any] = {"repeats": repeats, "targets": {}}
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            with StreamlitServer(baseline) as server:
                base = measure_target(
                    browser, server.url, Target("baseline", "/", baseline_toggles), repeats
                )
                out["baseline"] = base.summary()
            if app.exists() and targets:
                with StreamlitServer(app) as server:
                    for target in targets:
                        res = measure_target(browser, server.url, target, repeats)
                        out["targets"][target.name] = {"path": target.path, **res.summary()}
        finally:
            browser.close()
    return out
