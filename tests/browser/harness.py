"""Real-browser harness: `streamlit run app.py` on a free port, and page helpers for Chromium."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from devkit.local_server import CHROMIUM, free_port, start_streamlit, stop

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
LOGS = ARTIFACTS / "logs"
# "Traceback", a Python exception name ("KeyError", "Error") or "Exception" as a word.
_EXCEPTION_TEXT = re.compile(r"Traceback|\b[A-Za-z]*Error\b|\bException\b")
CHART = '[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg'
# A view draws a chart, or a figure card when it holds a single figure (docs/charts.md).
FIGURE_CARD = '[class*="st-key-figure_card_"]'
FIGURE = f"{CHART}, {FIGURE_CARD}"
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# An element whose code Streamlit loads on first use (page links, code blocks, download
# buttons) is a grey skeleton until its chunk has arrived, after the run has ended.
SKELETON = '[data-testid="stSkeleton"]'
STARTUP_TIMEOUT_S = 45
PAGE_TIMEOUT_MS = 30_000


def require_chromium() -> None:
    """On CI the browser tests must run; elsewhere a missing Chromium is a visible skip."""
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} not found (install it with `make browser-deps`)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason + " and CI=true: browser tests must run on CI")
    pytest.skip(reason)


@dataclass
class StreamlitServer:
    """One `streamlit run app.py` process; `catalogue` is passed through SHSTS_CATALOGUE."""

    name: str
    catalogue: Path | None = None
    # Authoring (a local analyst's instance over the working file) unless a test asks for
    # public, which serves the published vintage beside the catalogue.
    mode: str = "authoring"
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> StreamlitServer:
        # One log per server and xdist worker (two workers may each start "main").
        worker = os.environ.get("PYTEST_XDIST_WORKER", "")
        suffix = f"-{worker}" if worker else ""
        self.log_path = LOGS / f"streamlit-{self.name}{suffix}.log"
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("SHSTS_CATALOGUE", None)
        env.pop("SHSTS_PUBLISHED", None)
        env["SHSTS_MODE"] = self.mode
        if self.catalogue is not None:
            env["SHSTS_CATALOGUE"] = str(self.catalogue)
        self.proc = start_streamlit(
            "app.py", self.port, self.log_path, env=env, timeout_s=STARTUP_TIMEOUT_S
        )
        return self

    def log(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        stop(self.proc)


def start_server(name: str, catalogue: Path | None = None) -> StreamlitServer:
    require_chromium()
    return StreamlitServer(name, catalogue).start()


@dataclass
class PageWatch:
    """What a page did that it should not: dialogs, uncaught page errors."""

    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


def wait_idle(pg: object, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    """Wait until Streamlit has finished running the script for this view and has drawn
    every element it sent (no skeleton is left waiting for its code)."""
    pg.wait_for_selector(APP_IDLE, timeout=timeout_ms, state="attached")
    # The first idle state can precede the first run; let the run start and finish.
    pg.wait_for_timeout(300)
    pg.wait_for_selector(APP_IDLE, timeout=timeout_ms, state="attached")
    # Read at once, a page under load was missing its sidebar links (axe then found a
    # scrollable sidebar with nothing to focus) and a banner's list of problems.
    pg.wait_for_selector(SKELETON, timeout=timeout_ms, state="detached")


def open_view(pg: object, url: str, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    pg.goto(url, wait_until="domcontentloaded")
    pg.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    wait_idle(pg, timeout_ms)


def body_text(pg: object) -> str:
    return pg.locator('[data-testid="stApp"]').inner_text()


def assert_no_exception(pg: object) -> None:
    """No Streamlit exception box, traceback or raw error text on the page."""
    assert pg.locator('[data-testid="stException"]').count() == 0, body_text(pg)[:2000]
    text = body_text(pg)
    found = _EXCEPTION_TEXT.search(text)
    assert found is None, f"{found.group(0)!r} on page:\n{text[:2000]}"


def screenshot(pg: object, name: str, full: bool = True) -> Path:
    """The window as seen, and (`-full`) the whole page: Streamlit scrolls inside its main
    area, so the window is made as tall as that content for the second shot."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    pg.screenshot(path=str(path))
    size = pg.viewport_size
    height = pg.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return m ? m.scrollHeight : 0; }"
    )
    if full and size and height > size["height"]:
        pg.set_viewport_size({"width": size["width"], "height": min(height + 40, 8000)})
        pg.wait_for_timeout(400)
        pg.screenshot(path=str(SCREENSHOTS / f"{name}-full.png"))
        pg.set_viewport_size(size)
    return path
