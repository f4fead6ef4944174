"""What an official and a presenter do: answer three questions from the landing page, land
on a quote, find a figure, and show pages that fit 1280x720 and 1920x1080 screens."""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterator

import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.harness import (
    CHART,
    REPO_ROOT,
    assert_no_exception,
    body_text,
    open_view,
    screenshot,
    wait_idle,
)

LABELS = yaml.safe_load((REPO_ROOT / "data" / "i18n.yaml").read_text(encoding="utf-8"))
TOPICS = LABELS["topics"]

# The three questions (issue 12), each answered by one topic page with these figures.
QUESTIONS = {
    "tech_transfer": {
        "zh": ["176.2%", "29.2%", "7.8%", "超20%"],
        "en": ["176.2%", "29.2%", "7.8%"],
    },
    "innomatch": {"zh": ["2617项", "超6600项", "近3万人"], "en": ["2,617", "more than 6,600"]},
    "industry": {"zh": ["5409.59亿元", "9.2%", "5.6%"], "en": ["540.959 bn yuan", "9.2%"]},
}


@pytest.fixture
def sized_page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def _in_first_screen(page: object, text: str) -> bool:
    """Whether `text` is on the page and its box starts within the first screen."""
    box = page.get_by_text(text, exact=False).first.bounding_box()
    return box is not None and box["y"] < page.viewport_size["height"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_three_questions_answered_in_one_click_from_the_landing_page(
    server, page, lang: str
) -> None:
    for topic, figures in QUESTIONS.items():
        open_view(page, f"{server.url}/?lang={lang}")
        link = page.locator('.st-key-topic_pills [data-testid="stPageLink"] a').filter(
            has_text=TOPICS[topic][lang]
        )
        link.first.click()  # the one click
        wait_idle(page)
        page.wait_for_selector('[data-testid="stMain"] h1')
        assert_no_exception(page)
        assert page.locator("h1").first.inner_text().strip() == TOPICS[topic][lang]
        text = body_text(page)
        for figure in figures[lang]:
            assert figure in text, (topic, figure, text[:1500])
        # The answer is on the first screen: the lead statement with its figures and
        # the numbers of the documents it rests on.
        assert _in_first_screen(page, figures[lang][0]), (topic, figures[lang][0])
        assert "[1]" in text or "[2]" in text
        screenshot(page, f"question-{topic}-{lang}", full=False)


@pytest.mark.parametrize("sized_page", [(1280, 720), (1920, 1080)], indirect=True)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_presenter_chart_with_its_source_line_fits_the_screen(server, sized_page, lang) -> None:
    page = sized_page
    url = f"{server.url}/trends?indicator=innomatch_cumulative_demands&present=1&lang={lang}"
    open_view(page, url)
    page.wait_for_selector(CHART, state="visible")
    assert_no_exception(page)
    chart = page.locator('[data-testid="stPlotlyChart"]').first.bounding_box()
    assert chart is not None
    assert chart["y"] + chart["height"] <= page.viewport_size["height"], chart
    source = page.locator(".annotation-text").filter(has_text="[1]").first.bounding_box()
    assert source is not None and source["y"] + source["height"] <= page.viewport_size["height"]
    # No analyst page is offered to the audience; the exit is small.
    nav = page.locator(".st-key-presenter_nav").inner_text()
    assert LABELS["ui"]["nav"]["health"][lang] not in nav
    size = page.locator(".st-key-exit_presenter p").first.evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize)"
    )
    assert size < 14
    width = page.viewport_size["width"]
    screenshot(page, f"presenter-trend-{lang}-{width}", full=False)


@pytest.mark.parametrize("sized_page", [(1280, 720), (1920, 1080)], indirect=True)
def test_presenter_overview_shows_every_headline_figure_on_one_screen(server, sized_page) -> None:
    page = sized_page
    open_view(page, f"{server.url}/?present=1&lang=zh")
    page.wait_for_selector(".tile")
    tiles = page.locator(".tile")
    assert tiles.count() >= 10
    height = page.viewport_size["height"]
    for k in range(tiles.count()):
        box = tiles.nth(k).bounding_box()
        assert box is not None and box["y"] + box["height"] <= height, (k, box)
    screenshot(page, f"presenter-overview-{page.viewport_size['width']}", full=False)


def test_view_in_source_lands_on_the_quote(server, page) -> None:
    open_view(page, f"{server.url}/trends?indicator=universities_tech_contracts_count&lang=en")
    link = page.locator('[data-testid="stPageLink"] a').filter(has_text="See this sentence")
    link.first.click()
    wait_idle(page)
    mark = page.locator("mark.hl-focus").first
    mark.wait_for(state="attached")
    assert "9179" in mark.inner_text()
    # The scroll is run by a component frame once the page is drawn: wait for it (under
    # load a fixed 800 ms was too short once), then check where the quote is.
    in_view = """() => { const r = document.querySelector('mark.hl-focus').getBoundingClientRect();
                         return r.top >= 0 && r.top < window.innerHeight; }"""
    with contextlib.suppress(PlaywrightTimeout):  # the assertion below says where it was
        page.wait_for_function(in_view, timeout=15_000)
    box = mark.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"], box
    # The quote links back to its figure.
    back = page.locator("mark.hl-focus + sup.hl-ref a, mark.hl-focus ~ sup.hl-ref a").first
    assert "indicator=universities_tech_contracts_count" in back.get_attribute("href")
    screenshot(page, "landed-on-quote-en", full=False)


def test_the_finder_searches_both_languages_and_links_to_chart_and_quote(
    server, page, tmp_path
) -> None:
    open_view(page, f"{server.url}/finder?lang=en")
    box = page.locator('[data-testid="stTextInput"] input').first
    box.fill("需求")  # a Chinese word on the English page: both languages are searched
    box.press("Enter")
    wait_idle(page)
    assert_no_exception(page)
    caption = page.get_by_text("figures found").first.inner_text()
    assert int(caption.split()[0]) >= 3, caption
    screenshot(page, "finder-en", full=False)
    # The CSV is written when the button is clicked, with every figure found.
    button = page.locator('[data-testid="stDownloadButton"] button')
    with page.expect_download() as info:
        button.click()
    target = tmp_path / "figures.csv"
    info.value.save_as(target)
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) - 1 == int(caption.split()[0]), rows[:2]


def test_a_series_break_is_drawn_as_a_break_in_the_browser(server, page) -> None:
    open_view(page, f"{server.url}/trends?indicator=ste_cumulative_trade_value&lang=zh")
    page.wait_for_selector(CHART, state="visible")
    traces = page.evaluate(
        """() => document.querySelector('.js-plotly-plot')._fullData.map(
             t => [(t.meta || {}).role || '', t.mode || '', (t.text || []).join('|')])"""
    )
    roles = [t[0] for t in traces]
    assert "join" not in roles  # nothing joins 152 (成交金额) and >300 (技术交易总额)
    labels = next(t[2] for t in traces if t[0] == "marks")
    assert "152" in labels and "超 300" in labels
    text = body_text(page)
    assert "//" in page.locator(".js-plotly-plot").first.inner_text()
    assert "口径" in text


TRACES_JS = """() => document.querySelector('.js-plotly-plot')._fullData.map(t => ({
    role: (t.meta || {}).role || '', style: (t.meta || {}).style || '',
    x: t.x, text: (t.text || []).join('|')}))"""

# One view per rule of the grammar (docs/charts.md), as a reader opens it.
GRAMMAR_VIEWS = {
    "spans": "research_units_tech_contracts_value_avg_growth",
    "part_year": "sts_industry_revenue",
    "same_date": "innomatch_cumulative_signed_value",
    "pair": "innomatch_cumulative_demands",
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_grammar_as_drawn_in_the_browser(server, page, lang: str) -> None:
    seen = {}
    for case, ident in GRAMMAR_VIEWS.items():
        open_view(page, f"{server.url}/trends?indicator={ident}&lang={lang}")
        page.wait_for_selector(CHART, state="visible")
        assert_no_exception(page)
        seen[case] = page.evaluate(TRACES_JS)
    # Span averages: two spans, nothing joined.
    roles = [t["role"] for t in seen["spans"]]
    assert roles.count("span") == 2 and "join" not in roles
    # A part-year says its months in its label (so in the PNG too).
    marks = next(t for t in seen["part_year"] if t["role"] == "marks")
    assert ("1—11月" if lang == "zh" else "Jan–Nov") in marks["text"]
    # Two documents on one date: side by side, not joined.
    marks = next(t for t in seen["same_date"] if t["role"] == "marks")
    assert len(set(marks["x"])) == 2
    assert not any(t["role"] == "join" for t in seen["same_date"])
    # A comparable pair into a bound: one dashed line, the change printed.
    joins = [t for t in seen["pair"] if t["role"] == "join"]
    assert [j["style"] for j in joins] == ["bound"]
    change = "超过 +3983" if lang == "zh" else "more than +3,983"
    assert page.locator(".annotation-text").filter(has_text=change).count() == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_single_figure_is_a_card_not_a_dot(server, page, lang: str) -> None:
    open_view(page, f"{server.url}/trends?indicator=universities_tech_contracts_count&lang={lang}")
    card = page.locator('[class*="st-key-figure_card_"]').first
    card.wait_for(state="visible")
    # The card's parts arrive as separate elements: wait until its value is drawn.
    value = "9179 项" if lang == "zh" else "9,179 contracts"
    card.get_by_text(value).first.wait_for(state="visible")
    assert page.locator(CHART).count() == 0
    text = card.inner_text()
    assert value in text
    assert "2024" in text and "9179项" in text.replace(" ", "")  # the quote is on the card
