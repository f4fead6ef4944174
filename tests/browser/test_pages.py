"""Every page in both languages in a real Chromium: charts drawn, no exception, links restore."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import yaml

from tests.browser.harness import (
    CHART,
    FIGURE,
    assert_no_exception,
    body_text,
    open_view,
    screenshot,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
# url path of each page (app.py) and whether it draws a Plotly chart.
PAGES = {"overview": ("", True), "trends": ("trends", True), "sources": ("sources", False),
         "health": ("health", False)}  # fmt: skip
LANGS = ("zh", "en")


def _labels() -> dict:
    return yaml.safe_load((REPO_ROOT / "data" / "i18n.yaml").read_text(encoding="utf-8"))["ui"]


def _shared_indicator() -> tuple[str, dict]:
    """A headline indicator of the real catalogue with two figures in 2019–2025 (a chart,
    not a figure card)."""
    data = yaml.safe_load((REPO_ROOT / "indicators.yaml").read_text(encoding="utf-8"))
    headline = {i for topic in data.get("topics", []) for i in topic.get("headline", [])}
    for indicator in data["indicators"]:
        years = [str(o["period"])[-10:][:4] for o in indicator["observations"]]
        if indicator["id"] in headline and sum("2019" <= y <= "2025" for y in years) >= 2:
            return indicator["id"], indicator["name"]
    pytest.fail("no headline indicator with two 2019–2025 figures in indicators.yaml")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_name", list(PAGES))
def test_page_renders(server, page, page_name: str, lang: str) -> None:
    path, has_chart = PAGES[page_name]
    open_view(page, f"{server.url}/{path}?lang={lang}")
    if has_chart:
        # A page of charts may show a figure card before its first chart: wait for a chart.
        page.wait_for_selector(CHART, state="visible")
        assert page.locator(CHART).first.is_visible()
    assert_no_exception(page)
    # The page's own title is in the chosen language (labels come from data/i18n.yaml).
    title = _labels()["nav"][page_name][lang]
    text = body_text(page)
    assert text.strip(), "blank page"
    assert page.watch.page_errors == [], page.watch.page_errors
    screenshot(page, f"{page_name}-{lang}")
    if lang == "en":
        assert _labels()["nav"][page_name]["zh"] not in page.locator("h1").all_inner_texts()
    assert title, page_name


def _short(ident: str) -> str:
    data = yaml.safe_load((REPO_ROOT / "indicators.yaml").read_text(encoding="utf-8"))
    found = next(i for i in data["indicators"] if i["id"] == ident)
    return found.get("short", found["name"])["en"]


def test_shared_link_restores_the_view(server, page) -> None:
    ident, name = _shared_indicator()
    short_en = _short(ident)
    url = f"{server.url}/trends?lang=en&indicator={ident}&from=2019&to=2025&present=1"
    open_view(page, url)
    page.wait_for_selector(FIGURE, state="visible")
    assert_no_exception(page)
    text = body_text(page)
    assert name["en"] in text or short_en in text, f"indicator {ident} not shown:\n{text[:1500]}"
    # Presenter mode: no sidebar; the year range is the linked one.
    assert (
        page.locator('[data-testid="stSidebar"]').count() == 0
        or not page.locator('[data-testid="stSidebar"]').is_visible()
    )
    params = parse_qs(urlparse(page.url).query)
    assert params.get("lang") == ["en"]
    assert params.get("indicator", [""])[0].split(",")[0] == ident
    assert params.get("from") == ["2019"] and params.get("to") == ["2025"]
    assert params.get("present") == ["1"]
    assert "2019" in text and "2025" in text
    screenshot(page, "shared-link-presenter-en")


def test_query_parameters_survive_a_page_switch(server, page) -> None:
    open_view(page, f"{server.url}/trends?lang=en")
    label = _labels()["nav"]["sources"]["en"]
    page.get_by_role("link", name=label).first.click()
    page.wait_for_url("**/sources**")
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    assert parse_qs(urlparse(page.url).query).get("lang") == ["en"]
    assert_no_exception(page)
    assert _labels()["nav"]["sources"]["en"] in body_text(page)


# Boxes of a chart's text that must not overlap: the y-axis title against the tick labels,
# the title/subtitle block against the plotting area; and no title cut by the figure's edge.
OVERLAP_JS = """() => {
  const out = [];
  // Overlap by more than `px` both ways: a text box's line spacing is not an overlap.
  const hit = (a, b, px = 3) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > px
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > px;
  for (const plot of document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')) {
    const ytitle = plot.querySelector('.g-ytitle text');
    const ticks = [...plot.querySelectorAll('.yaxislayer-above .ytick text')];
    if (ytitle) {
      const box = ytitle.getBoundingClientRect();
      for (const t of ticks) {
        if (hit(box, t.getBoundingClientRect())) out.push(`y title over tick ${t.textContent}`);
      }
    }
    // Text cut off by the figure's own edges (a title pushed above the top, say).
    const frame = plot.querySelector('.main-svg').getBoundingClientRect();
    for (const t of plot.querySelectorAll('.g-gtitle text, .g-ytitle text, .g-xtitle text')) {
      const b = t.getBoundingClientRect();
      if (b.width > 0 && (b.top < frame.top - 1 || b.left < frame.left - 1
          || b.bottom > frame.bottom + 1)) {
        out.push(`text clipped by the figure edge: ${t.textContent.slice(0, 30)}`);
      }
    }
    const area = plot.querySelector('.draglayer .nsewdrag');
    if (area) {
      const a = area.getBoundingClientRect();
      for (const t of plot.querySelectorAll('.infolayer .annotation-text, .g-gtitle text')) {
        const b = t.getBoundingClientRect();
        if (b.width > 0 && hit(a, b, 10)) {
          out.push(`text over the plot area: ${t.textContent.slice(0, 30)} ${JSON.stringify(b)}`);
        }
      }
    }
  }
  return out;
}"""


@pytest.mark.parametrize("present", ["0", "1"])
def test_chart_labels_do_not_overlap(server, page, present: str) -> None:
    """What a projector audience sees: axis title clear of tick labels, no caption over data."""
    ident, _ = _shared_indicator()
    open_view(page, f"{server.url}/trends?lang=en&indicator={ident}&present={present}")
    page.wait_for_selector(FIGURE, state="visible")
    overlaps = page.evaluate(OVERLAP_JS)
    screenshot(page, f"chart-labels-present{present}", full=False)
    assert overlaps == [], overlaps
