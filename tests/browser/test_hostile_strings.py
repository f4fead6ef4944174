"""Markup, script, links, Markdown tricks and a 5,000-character word in the catalogue stay inert."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dashboard.catalogue.validate import validate_path
from tests.browser.catalogues import write_hostile
from tests.browser.harness import (
    CHART,
    FIGURE_CARD,
    StreamlitServer,
    assert_no_exception,
    open_view,
    screenshot,
    start_server,
)

VIEWS = {
    "overview": "",
    "trends-value": "trends?indicator=research_units_tech_contracts_value&from=2015&to=2023",
    "trends-count": "trends?indicator=research_units_tech_contracts_count&from=2015&to=2023",
    "trends-exchange": "trends?indicator=ste_bank_institutions&from=2019&to=2023",
    "trends-present": "trends?indicator=research_units_tech_contracts_value&present=1",
    "overview-present": "?present=1",
    "sources": "sources",
    "health": "health",
}
# Views that draw a chart; the others' single figures are figure cards (no lone dot).
CHART_VIEWS = {"overview", "trends-count"}  # presenter's overview is a grid of tiles
CARD_VIEWS = {"trends-value", "trends-exchange", "trends-present"}

# Anything our hostile strings could have created if rendered as HTML instead of text.
INJECTED_JS = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('img[src="x"], img[onerror], svg[onload], iframe')) {
    bad.push(el.outerHTML.slice(0, 120));
  }
  for (const a of document.querySelectorAll('a[href]')) {
    if (a.getAttribute('href').trim().toLowerCase().startsWith('javascript:')) {
      bad.push(a.outerHTML.slice(0, 120));
    }
  }
  for (const s of document.querySelectorAll('script')) {
    if (s.textContent.includes('xss-')) bad.push(s.outerHTML.slice(0, 120));
  }
  for (const el of document.querySelectorAll('[onerror], [onload], [onclick], [onmouseover]')) {
    bad.push(el.outerHTML.slice(0, 120));
  }
  return bad;
}"""

# Elements wider than the window: a long word must wrap or scroll inside its own box.
OVERFLOW_JS = """() => {
  const root = document.documentElement;
  const main = document.querySelector('[data-testid="stMain"]');
  return {
    page: [root.scrollWidth, root.clientWidth],
    main: main ? [main.scrollWidth, main.clientWidth] : null,
  };
}"""


# Height of each chart's plotting area: long labels must not squeeze the data out of sight.
PLOT_HEIGHTS_JS = """() => [...document.querySelectorAll(
  '[data-testid="stPlotlyChart"] .js-plotly-plot .draglayer .nsewdrag')].map(
  r => Math.round(r.getBoundingClientRect().height))"""
MIN_PLOT_HEIGHT_PX = 150


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    catalogue = write_hostile(tmp_path_factory.mktemp("hostile"))
    result = validate_path(catalogue)
    assert result.ok, [str(p) for p in result.problems]  # the strings must reach the pages
    srv = start_server("hostile-strings", catalogue)
    yield srv
    srv.stop()


def _assert_inert(page: object) -> None:
    assert page.watch.dialogs == [], page.watch.dialogs
    injected = page.evaluate(INJECTED_JS)
    assert injected == [], injected
    sizes = page.evaluate(OVERFLOW_JS)
    width, client = sizes["page"]
    assert width <= client + 1, f"page is {width}px wide in a {client}px window"
    if sizes["main"]:
        main_width, main_client = sizes["main"]
        assert main_width <= main_client + 1, f"main area scrolls sideways: {sizes['main']}"


def _hover_points(page: object) -> int:
    """Hover over every drawn point so Plotly builds its hover labels from our strings."""
    points = page.locator(".js-plotly-plot .scatterlayer .point")
    count = min(points.count(), 12)
    for i in range(count):
        try:
            points.nth(i).hover(timeout=2000, force=True)
        except Exception:  # a point under the legend or an annotation: the next one will do
            continue
        page.wait_for_timeout(100)
    return count


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_hostile_strings_render_as_inert_text(hostile_server, page, view: str, lang: str) -> None:
    path = VIEWS[view]
    sep = "&" if "?" in path else "?"
    open_view(page, f"{hostile_server.url}/{path}{sep}lang={lang}")
    if view == "overview-present":
        page.wait_for_selector(".tile", state="visible")
    if view in CARD_VIEWS:
        page.wait_for_selector(FIGURE_CARD, state="visible")
    if view in CHART_VIEWS:
        page.wait_for_selector(CHART, state="visible")
        hovered = _hover_points(page)
        if view.startswith("trends"):
            assert hovered > 0, "no points to hover"
            heights = page.evaluate(PLOT_HEIGHTS_JS)
            screenshot(page, f"hostile-{view}-{lang}")
            assert heights and min(heights) >= MIN_PLOT_HEIGHT_PX, (
                f"plot area squeezed to {heights} px by long titles/labels"
            )
    assert_no_exception(page)
    _assert_inert(page)
    screenshot(page, f"hostile-{view}-{lang}")


def test_hostile_strings_in_table_view_and_expanders(hostile_server, page) -> None:
    """Open every tab and expander of the trends page: tables and notes render inert too."""
    open_view(page, f"{hostile_server.url}/{VIEWS['trends-value']}&lang=en")
    for tab in page.locator('[data-baseweb="tab"]').all():
        tab.click()
        page.wait_for_timeout(300)
        _assert_inert(page)
    for expander in page.locator('[data-testid="stExpander"] summary').all():
        expander.click()
        page.wait_for_timeout(300)
    assert_no_exception(page)
    _assert_inert(page)
    screenshot(page, "hostile-trends-expanded-en")


def test_hostile_source_text_is_escaped_in_the_highlighted_document(hostile_server, page) -> None:
    """The Sources page draws the document as HTML with marks: its markup must stay text."""
    open_view(page, f"{hostile_server.url}/sources?lang=en&source=mini_reply")
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "<script>alert('xss-script')</script>" in text
    assert "<img src=x onerror=alert('xss-img')>" in text
    _assert_inert(page)


def test_csv_download_neutralises_formulas(hostile_server, page, tmp_path) -> None:
    """The chart's CSV download holds catalogue text: a name starting with = must not be a
    live formula when an official opens the file in a spreadsheet."""
    from tests.hostile.test_csv_injection import formula_cells

    url = f"{hostile_server.url}/trends?indicator=eastern_center_achievements&lang=zh"
    open_view(page, f"{url}&from=2019&to=2025")
    button = page.locator('[data-testid="stDownloadButton"] button')
    button.wait_for(state="visible")
    with page.expect_download() as info:
        button.click()
    target = tmp_path / "download.csv"
    info.value.save_as(target)
    text = target.read_text(encoding="utf-8-sig")
    assert "HYPERLINK" in text, text[:500]
    assert formula_cells(text) == []
