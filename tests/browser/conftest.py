"""Browser-test fixtures: one Streamlit server and one Chromium per session, a page per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from devkit.local_server import CHROMIUM, CHROMIUM_ARGS
from tests.browser.catalogues import write_base
from tests.browser.harness import (
    PAGE_TIMEOUT_MS,
    PageWatch,
    StreamlitServer,
    require_chromium,
    start_server,
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def server() -> Iterator[StreamlitServer]:
    """The app over the real indicators.yaml, shared by every read-only browser test."""
    srv = start_server("main")
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def base_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """The app over the small hostile-suite base catalogue: quick pages for link tests."""
    catalogue = write_base(tmp_path_factory.mktemp("base-catalogue"))
    srv = start_server("base", catalogue)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def browser_context(browser: object) -> Iterator[object]:
    """One context for the session so Streamlit's script bundle comes from the HTTP cache."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    yield context
    context.close()


@pytest.fixture
def page(browser_context: object) -> Iterator[object]:
    """A fresh page; dialogs are recorded (and dismissed) and page errors kept for asserts."""
    pg = browser_context.new_page()
    pg.set_default_timeout(PAGE_TIMEOUT_MS)
    watch = PageWatch()

    def on_dialog(dialog: object) -> None:
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    pg.on("pageerror", lambda exc: watch.page_errors.append(str(exc)))
    pg.watch = watch
    yield pg
    pg.close()
