"""Every screen, every language (issue 21, points 1–6), measured in Chromium at 390×844 (a
phone: `is_mobile`, device scale 3), 1280×720 and 1920×1080, in zh and en: one test per
point, each over the six screens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.harness import CHART, assert_no_exception, open_view, screenshot

SCREENS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 3},
    "720p": {"viewport": {"width": 1280, "height": 720}},
    "1080p": {"viewport": {"width": 1920, "height": 1080}},
}  # fmt: skip
CASES = [(screen, lang) for screen in SCREENS for lang in ("zh", "en")]
IDS = [f"{screen}-{lang}" for screen, lang in CASES]


@pytest.fixture(scope="module")
def contexts(browser: object) -> Iterator[dict[str, object]]:
    """One browser context per screen size for the module (Streamlit's bundle is cached)."""
    made = {name: browser.new_context(**spec) for name, spec in SCREENS.items()}
    yield made
    for context in made.values():
        context.close()


@pytest.fixture
def screen(contexts: dict[str, object], request: pytest.FixtureRequest) -> Iterator[object]:
    pg = contexts[request.param].new_page()
    pg.set_default_timeout(SLOW_MS)
    pg.screen_name = request.param
    yield pg
    pg.close()


def params(test):
    return pytest.mark.parametrize(("screen", "lang"), CASES, ids=IDS, indirect=["screen"])(test)


# A topic page draws a score of charts: on a loaded shared machine Chromium needs longer
# than the harness's default to settle (a wait, never a looser check).
SLOW_MS = 90_000


def load(page: object, url: str) -> None:
    open_view(page, url, timeout_ms=SLOW_MS)


def wait_charts(page: object) -> None:
    page.wait_for_selector(CHART, state="visible", timeout=SLOW_MS)
    page.wait_for_timeout(400)  # Plotly's responsive relayout after the first draw


# Every chart's words against its own box: [text, left, right, top, bottom overflow] for
# any title, note, label or tick that runs outside the chart.
OVERFLOW_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(plot => {
  const svg = plot.querySelector('.main-svg').getBoundingClientRect();
  const out = [];
  for (const el of plot.querySelectorAll(
      '.annotation-text, .textpoint text, .gtitle, .xtick text, .ytick text')) {
    const b = el.getBoundingClientRect();
    if (b.width === 0) continue;
    if (b.left < svg.left - 1 || b.right > svg.right + 1 || b.top < svg.top - 1
        || b.bottom > svg.bottom + 1) out.push(el.textContent.slice(0, 60));
  }
  return {width: svg.width, out};
})"""

# Boxes of a chart's value labels, break marks and event labels, in page px.
BOXES_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(plot => {
  const box = el => { const b = el.getBoundingClientRect();
    return {l: b.left, r: b.right, t: b.top, b: b.bottom, text: el.textContent}; };
  const roles = plot._fullData.map(t => (t.meta || {}).role || '');
  const traces = [...plot.querySelectorAll('.scatterlayer .trace')];
  const texts = role => traces.filter((_, k) => roles[k] === role)
    .flatMap(t => [...t.querySelectorAll('.textpoint text')].map(box));
  const events = [...plot.querySelectorAll('.annotation')]
    .filter(a => (plot._fullLayout.annotations[+a.dataset.index] || {}).name === 'event-label')
    .map(a => box(a.querySelector('.annotation-text')));
  return {labels: texts('marks'), breaks: texts('break'), events};
})"""


def overlap(a: dict, b: dict) -> bool:
    """Whether two boxes overlap by more than a pixel."""
    across = a["l"] < b["r"] - 1 and b["l"] < a["r"] - 1
    return across and a["t"] < b["b"] - 1 and b["t"] < a["b"] - 1


# -- 1. English amounts -------------------------------------------------------------------


@params
def test_amounts_read_alike_with_the_original_one_hover_away(server, screen, lang) -> None:
    page = screen
    load(page, f"{server.url}/topic?topic=exchange&lang={lang}")
    wait_charts(page)
    assert_no_exception(page)
    statements = page.locator("ul.statements").inner_text()
    chart = page.evaluate(
        """() => { const d = document.querySelector('.js-plotly-plot')._fullData;
                   const m = d.find(t => (t.meta || {}).role === 'marks');
                   return {text: m.text.join('|'), hover: m.hovertext.join('|')}; }"""
    )
    if lang == "en":
        # The source's digits in billions, one scale in the sentence, on the chart alike.
        assert "15.2 bn yuan" in statements and "more than 30 bn yuan" in statements
        assert "mn yuan" not in statements and "15,200" not in statements
        assert "15.2" in chart["text"] and "30" in chart["text"]
        assert "As stated: 152亿元" in chart["hover"]
        stated = page.locator("ul.statements .figure").first.get_attribute("title")
        assert stated == "As stated: 152亿元"
    else:
        assert "152亿元" in statements and "超300亿元" in statements
        assert "152" in chart["text"]
    screenshot(page, f"screens-amounts-{page.screen_name}-{lang}", full=False)


# -- 2. No assumed zeros ------------------------------------------------------------------


@params
def test_a_running_total_is_never_drawn_from_zero(server, screen, lang) -> None:
    page = screen
    present = "&present=1" if page.screen_name != "phone" else ""
    url = f"{server.url}/trends?indicator=innomatch_cumulative_demands&lang={lang}{present}"
    load(page, url)
    wait_charts(page)
    traces = page.evaluate(
        """() => document.querySelector('.js-plotly-plot')._fullData.map(t => ({
             role: (t.meta || {}).role || '', x: t.x || [], y: t.y || []}))"""
    )
    for trace in traces:
        ys = [y for y in trace["y"] if y is not None]
        assert not ys or ys[0] != 0, trace  # no line from an assumed zero
    (since, *_rest) = [t for t in traces if t["role"] == "since"]
    assert str(since["x"][0]).startswith("2022-08-01")  # from its stated start, at its height
    assert since["y"][0] == since["y"][1] == 2617
    # The notes a chart needs stay on screen (presenter mode at 720p and 1080p too).
    notes = page.locator(".annotation-text").filter(has_text="[1]").first.bounding_box()
    assert notes is not None
    height = page.viewport_size["height"]
    if present:
        assert notes["y"] + notes["height"] <= height, notes
    assert page.evaluate(OVERFLOW_JS)[0]["out"] == []
    screenshot(page, f"screens-since-{page.screen_name}-{lang}", full=False)


# -- 3. Small charts that fit ---------------------------------------------------------------


@params
def test_small_charts_fit_and_the_sidebar_marks_the_topic(server, screen, lang) -> None:
    page = screen
    load(page, f"{server.url}/topic?topic=exchange&lang={lang}")
    wait_charts(page)
    charts = page.evaluate(OVERFLOW_JS)
    assert charts, "no chart on the topic page"
    for chart in charts:
        assert chart["out"] == [], chart  # no note, label or tick cut at the chart's edge
        assert chart["width"] >= 340, chart  # the width a small multiple needs
    # Two figures a row where each gets its width (720p, 1080p); one a row on a phone.
    tops = page.evaluate(
        """() => [...document.querySelectorAll('.st-key-topic_grid [data-testid="stColumn"]')]
             .filter(c => c.innerText.trim()).slice(0, 2)
             .map(c => Math.round(c.getBoundingClientRect().top))"""
    )
    assert len(tops) == 2 and (tops[0] == tops[1]) == (page.screen_name != "phone"), tops
    # Trends with events: the break mark and the event labels cover no value label.
    load(page, f"{server.url}/trends?indicator=ste_cumulative_trade_value&lang={lang}")
    wait_charts(page)
    assert page.evaluate(OVERFLOW_JS)[0]["out"] == []
    (found,) = page.evaluate(BOXES_JS)
    assert found["breaks"] and found["events"] and len(found["labels"]) == 2
    for label in found["labels"]:
        for other in found["breaks"] + found["events"]:
            assert not overlap(label, other), (label, other)
    events = " ".join(e["text"] for e in found["events"])
    assert "…" not in events and ("First equity-warrant" in events or lang == "zh")
    load(page, f"{server.url}/topic?topic=eastern_center&lang={lang}")
    expand = page.locator('[data-testid="stExpandSidebarButton"]')
    if page.screen_name == "phone" and expand.count():  # folded away on a phone: open it
        expand.click(force=True)  # (a page before in this context may have opened it)
    page.wait_for_selector('[data-testid="stSidebar"] a', state="visible")
    page.wait_for_timeout(600)
    links = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stSidebar"] a p')].map(p => ({
             text: p.innerText, cut: p.scrollWidth > p.clientWidth + 1,
             weight: getComputedStyle(p).fontWeight,
             current: !!p.closest('.st-key-topic_link_current')}))"""
    )
    assert links and not [link for link in links if link["cut"]], links
    current = [link for link in links if link["current"]]
    assert len(current) == 1 and current[0]["weight"] == "600", current
    # Only the topic shown is marked, not every topic link.
    assert all(link["weight"] == "400" for link in links if not link["current"]), links
    screenshot(page, f"screens-fit-{page.screen_name}-{lang}", full=False)


# -- 4. Phones ----------------------------------------------------------------------------


@params
def test_charts_and_cards_read_on_each_screen(server, screen, lang) -> None:
    page = screen
    phone = page.screen_name == "phone"
    load(page, f"{server.url}/trends?indicator=ste_cumulative_trade_value&lang={lang}")
    wait_charts(page)
    layout = page.evaluate(
        """() => { const plot = document.querySelector('.js-plotly-plot');
            const area = plot.querySelector('.nsewdrag').getBoundingClientRect();
            const key = [...plot.querySelectorAll('.annotation-text')]
              .find(a => /Key|图例/.test(a.textContent)).getBoundingClientRect();
            const title = plot.querySelector('.gtitle').getBoundingClientRect();
            const bar = plot.querySelector('.modebar-container');
            const shown = bar && getComputedStyle(bar).display !== 'none';
            return {ticks: plot.querySelectorAll('.xtick text').length, plotBottom: area.bottom,
                    keyTop: key.top, legend: !!plot.querySelector('.legend'),
                    width: area.width, title: title, modebar: shown}; }"""
    )
    assert layout["ticks"] <= (6 if phone else 12), layout  # no run-together years
    assert layout["keyTop"] > layout["plotBottom"] and not layout["legend"]  # key below
    assert layout["width"] > (250 if phone else 600), layout  # the plot keeps the width
    if phone:
        assert not layout["modebar"]  # no toolbar over the title
    assert page.evaluate(OVERFLOW_JS)[0]["out"] == []
    # The overview's cards: one a row on a phone, three on wider screens.
    load(page, f"{server.url}/?lang={lang}")
    page.wait_for_selector(".card")
    lefts = page.evaluate(
        "() => [...document.querySelectorAll('.card')].slice(0, 3).map(c => Math.round("
        "c.getBoundingClientRect().left))"
    )
    assert (len(set(lefts)) == 1) == phone, lefts
    screenshot(page, f"screens-phone-{page.screen_name}-{lang}", full=False)


# -- 5. Presenter tiles -------------------------------------------------------------------


@params
def test_presenter_tiles_keep_caveats_and_sources(server, screen, lang) -> None:
    page = screen
    load(page, f"{server.url}/?present=1&lang={lang}")
    page.wait_for_selector(".tile")
    tiles = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.tile')].map(t => [t.id, {
             text: t.innerText, bottom: t.getBoundingClientRect().bottom,
             cut: t.scrollHeight > t.clientHeight + 1 || t.scrollWidth > t.clientWidth + 1,
             source: !!t.querySelector('.tile-source')}]))"""
    )
    assert len(tiles) >= 10
    for ident, tile in tiles.items():
        assert tile["source"] and not tile["cut"], (ident, tile)
        if page.screen_name != "phone":  # every headline figure on one screen
            assert tile["bottom"] <= page.viewport_size["height"], (ident, tile)
    flag = {"zh": "不可与", "en": "Not comparable with"}[lang]
    assert flag in tiles["tile-universities_tech_contracts_value"]["text"]
    assert flag in tiles["tile-research_units_tech_contracts_value"]["text"]
    signed = tiles["tile-innomatch_cumulative_signed_value"]["text"]
    assert ("近 8 亿元" in signed) if lang == "zh" else ("nearly 0.8 bn yuan" in signed)
    bound = {"zh": "超过（下限值）", "en": "more than (a lower bound)"}[lang]
    assert bound in tiles["tile-ste_cumulative_trade_value"]["text"]
    screenshot(page, f"screens-tiles-{page.screen_name}-{lang}", full=False)


# -- 6. The compare refusal ---------------------------------------------------------------


@params
def test_the_compare_refusal_names_each_scope_the_right_way(server, screen, lang) -> None:
    page = screen
    ids = "universities_tech_contracts_value,research_units_tech_contracts_value"
    load(page, f"{server.url}/trends?indicator={ids}&lang={lang}")
    left_out = {"zh": "已略去", "en": "is left out"}[lang]
    notice = page.get_by_text(left_out).first.inner_text()
    names = {
        "zh": ("高校技术合同成交额", "科研事业单位技术合同额"),
        "en": ("Universities' contract value", "Research units' contract value"),
    }[lang]
    reason = notice.split("。" if lang == "zh" else "left out.", 1)[1]
    # Universities (its catalogue entry gives the reason) first, so "here" is universities.
    assert reason.index(names[0]) < reason.index(names[1]), notice
    assert ("此为高校" if lang == "zh" else "universities only here") in reason
    screenshot(page, f"screens-refusal-{page.screen_name}-{lang}", full=False)
