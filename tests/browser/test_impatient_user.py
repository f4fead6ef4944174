"""An impatient presenter: rapid clicks on language, indicator and presenter mode break nothing."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import yaml

from tests.browser.harness import (
    FIGURE,
    REPO_ROOT,
    assert_no_exception,
    open_view,
    screenshot,
    wait_idle,
)


def _label(*keys: str, lang: str = "en") -> str:
    node = yaml.safe_load((REPO_ROOT / "data" / "i18n.yaml").read_text(encoding="utf-8"))["ui"]
    for key in keys:
        node = node[key]
    return node[lang]


def _params(page: object) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_rapid_language_clicks_settle_consistently(server, page) -> None:
    open_view(page, f"{server.url}/trends?lang=zh")
    names = [_label("language_name", "en"), _label("language_name", "zh")]
    for label in names * 3 + names[:1]:
        page.get_by_text(label, exact=True).first.click()
        page.wait_for_timeout(120)  # faster than a rerun: clicks pile up mid-run
    page.wait_for_timeout(500)
    wait_idle(page)
    page.wait_for_selector(FIGURE, state="visible")
    assert_no_exception(page)
    assert page.watch.page_errors == []
    assert _params(page).get("lang") == ["en"]
    assert page.locator("h1").first.inner_text().strip() != "趋势"


def test_indicator_chosen_by_typing_updates_chart_and_link(server, page) -> None:
    open_view(page, f"{server.url}/trends?lang=en")
    before = _params(page).get("indicator")
    box = page.locator('[data-testid="stSelectbox"]').first
    box.click()
    page.keyboard.type("InnoMatch")
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    wait_idle(page)
    page.wait_for_selector(FIGURE, state="visible")
    assert_no_exception(page)
    after = _params(page).get("indicator")
    assert after and after != before, (before, after)
    assert "innomatch" in after[0]
    screenshot(page, "impatient-indicator-typed", full=False)


def test_presenter_mode_on_and_off_by_clicking(server, page) -> None:
    open_view(page, f"{server.url}/trends?lang=en")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text(_label("sidebar", "presenter"), exact=True).first.click()
    page.wait_for_timeout(500)
    wait_idle(page)
    assert _params(page).get("present") == ["1"]
    page.wait_for_selector(FIGURE, state="visible")
    assert_no_exception(page)
    page.get_by_text(_label("sidebar", "exit_presenter")).first.click()
    page.wait_for_timeout(500)
    wait_idle(page)
    assert "present" not in _params(page) or _params(page)["present"] != ["1"]
    assert _params(page).get("lang") == ["en"]
    assert_no_exception(page)
    assert page.watch.page_errors == []
