"""The review page in Chromium: tick a drafted figure in the table, name its new indicator,
check, write; the catalogue on disk gains exactly that indicator and still validates."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboard.catalogue.validate import validate_path
from tests.browser.catalogues import write_base
from tests.browser.harness import (
    StreamlitServer,
    assert_no_exception,
    body_text,
    open_view,
    screenshot,
    start_server,
    wait_idle,
)

GRID = '[data-testid="stDataFrame"]'


@pytest.fixture(scope="module")
def review_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[StreamlitServer, Path]]:
    """The hostile-suite base catalogue: its text has four figures the catalogue does not cite."""
    catalogue = write_base(tmp_path_factory.mktemp("review"))
    srv = start_server("review", catalogue)
    yield srv, catalogue
    srv.stop()


def test_tick_name_check_and_write(review_server, page) -> None:
    srv, catalogue = review_server
    before = catalogue.read_text(encoding="utf-8")
    page.set_viewport_size({"width": 1440, "height": 900})
    open_view(page, f"{srv.url}/review?lang=en")
    page.wait_for_selector(GRID, state="visible")
    assert_no_exception(page)
    text = body_text(page)
    assert "Review drafts" in text and "drafted number" in text
    assert page.locator("mark.hl-unaccounted").count() == 4

    # The table is drawn on a canvas: select the first row's "Keep" cell and toggle it. On a
    # busy machine the grid may take the first click before it is ready: try again then.
    # Ticked, the row's indicator is new: the page lists every name it needs before anything
    # is offered. (The row details say "New indicator ..." whether or not it is ticked.)
    ticked = "text=give its Name (zh), Name (en)"
    grid = page.locator(GRID).first
    row_height = 35  # Streamlit's default row height, header included

    def became_ticked(timeout_ms: int) -> bool:
        wait_idle(page)
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_selector(ticked, timeout=timeout_ms)
            return True
        return False

    # One toggling action at a time, each checked before the next: a click on the checkbox
    # may toggle it by itself, and a space pressed after it would then untick it again.
    for _attempt in range(3):
        wait_idle(page)
        page.wait_for_timeout(500)  # the canvas is drawn after the element appears
        if page.locator(ticked).count():  # a late toggle of the try before
            break
        box = grid.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + 12, box["y"] + row_height * 1.5)
        if became_ticked(3_000):
            break
        page.keyboard.press(" ")
        if became_ticked(5_000):
            break
    page.wait_for_selector(ticked, timeout=15_000)
    wait_idle(page)
    screenshot(page, "review-ticked-en-1440")
    if page.get_by_text("choose its topic").count():  # no topic to follow: choose one
        page.get_by_label("Topic", exact=True).click()
        page.get_by_role("option").first.click()
        wait_idle(page)
    for field in ("Name", "Description", "Subject"):
        page.get_by_label(f"{field} (zh)").fill("示例进场企业")
        page.get_by_label(f"{field} (zh)").press("Enter")
        page.get_by_label(f"{field} (en)").fill("Enterprises entered (test)")
        page.get_by_label(f"{field} (en)").press("Enter")
        wait_idle(page)
    # 家 counts things: what one item is, in English.
    page.get_by_label("What one item is (singular, e.g. contract)").fill("enterprise")
    page.get_by_label("What one item is (singular, e.g. contract)").press("Enter")
    page.get_by_label("What several are (plural, e.g. contracts)").fill("enterprises")
    page.get_by_label("What several are (plural, e.g. contracts)").press("Enter")
    wait_idle(page)
    page.wait_for_selector("text=Download the YAML snippet (figures: 1)", timeout=15_000)
    assert catalogue.read_text(encoding="utf-8") == before  # nothing written yet

    page.get_by_role("button", name="Check the edited catalogue").click()
    page.wait_for_selector("text=validates.", timeout=15_000)
    assert catalogue.read_text(encoding="utf-8") == before  # checking writes nothing
    screenshot(page, "review-checked-en")
    page.get_by_role("button", name="Write to the catalogue (figures: 1)").click()
    page.wait_for_selector("text=(figures: 1).", timeout=15_000)
    assert_no_exception(page)
    assert page.watch.page_errors == [], page.watch.page_errors

    result = validate_path(catalogue)
    assert result.ok, [str(p) for p in result.errors]
    added = result.catalogue.indicators_by_id["new_mini_reply_l9_1"]
    assert added.name.en == "Enterprises entered (test)"
    assert (added.counts.one, added.counts.other) == ("enterprise", "enterprises")
    (obs,) = added.observations
    assert (obs.value, obs.period) == (23, "2020-10-28/2023-05-16")
    assert obs.quote == "实现 23 家企业与 12 家银行投资机构进场"
    # Lines were only added: every line of the old file is still there, in order.
    remaining = iter(catalogue.read_text(encoding="utf-8").splitlines())
    assert all(any(old == new for new in remaining) for old in before.splitlines())
