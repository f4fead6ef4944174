"""WCAG 2.1 AA in a real Chromium (issue 21 point 7): axe-core on every page in zh and en
and in presenter mode, a visible focus on every link and button reached by Tab, every chart
named and described by its figure sentence, and no Streamlit English left in the zh UI.

axe-core comes from npm (`make axe-deps`: `npm ci` in tests/browser/axe/, pinned by its
package-lock.json); it is injected into the page with Playwright and run there."""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from devkit.local_server import CHROMIUM, CHROMIUM_ARGS
from tests.browser.harness import (
    ARTIFACTS,
    FIGURE,
    PAGE_TIMEOUT_MS,
    REPO_ROOT,
    assert_no_exception,
    open_view,
    screenshot,
)

AXE_DIR = REPO_ROOT / "tests" / "browser" / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_OUT = ARTIFACTS / "axe"
# What fails the test: the two highest of axe's four impacts (minor, moderate, serious,
# critical), and the wrong heading order the issue names (axe calls it moderate).
FAILING_IMPACTS = ("serious", "critical")
ALSO_FAILING_RULES = ("heading-order",)

# Every page, as a reader opens it (app.py's url paths); the topic page shows the topic
# with the most figures, so the most charts.
PAGES = {
    "overview": "",
    "topic": "topic?topic=tech_transfer",
    "trends": "trends",
    "finder": "finder",
    "changes": "changes",
    "sources": "sources",
    "health": "health",
    "review": "review",  # authoring only, as the browser tests' server runs
}
PRESENTER = {"overview-present": "?present=1", "trends-present": "trends?present=1"}
LANGS = ("zh", "en")
SCREEN = {"width": 1280, "height": 720}


def axe_script() -> Path:
    """axe.min.js as installed from npm; under CI=true a missing copy fails the run."""
    if AXE_JS.exists():
        return AXE_JS
    reason = f"{AXE_JS} is missing: run `make axe-deps` (npm ci in {AXE_DIR})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason + " and CI=true: the accessibility tests must run on CI")
    pytest.skip(reason)


def test_a_missing_axe_fails_on_ci_and_is_a_visible_skip_elsewhere(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(sys.modules[__name__], "AXE_JS", tmp_path / "axe.min.js")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="make axe-deps"):
        axe_script()
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match="make axe-deps"):
        axe_script()


@pytest.fixture(scope="module")
def screen(browser: object) -> Iterator[object]:
    """A 1280x720 context for this module (a presenter's and a laptop's screen)."""
    context = browser.new_context(viewport=SCREEN)
    yield context
    context.close()


@pytest.fixture
def tab(screen: object) -> Iterator[object]:
    pg = screen.new_page()
    pg.set_default_timeout(PAGE_TIMEOUT_MS)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.errors = errors
    yield pg
    pg.close()


def url(server: object, path: str, lang: str) -> str:
    return f"{server.url}/{path}{'&' if '?' in path else '?'}lang={lang}"


def settle(pg: object) -> None:
    """Wait until what a reader sees is drawn: charts (if any) and fonts."""
    if pg.locator('[data-testid="stPlotlyChart"], [class*="st-key-figure_card_"]').count():
        pg.wait_for_selector(FIGURE, state="visible")
    pg.evaluate("() => document.fonts.ready.then(() => true)")
    pg.wait_for_timeout(300)


AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    nodes: v.nodes.map(n => ({
      target: n.target.join(' '), html: n.html.slice(0, 200),
      summary: (n.failureSummary || '').replace(/\\s+/g, ' ')}))}));
}"""


def run_axe(pg: object) -> list[dict]:
    pg.add_script_tag(path=str(axe_script()))
    return pg.evaluate(AXE_RUN)


def failing(violations: list[dict]) -> list[dict]:
    return [
        v for v in violations if v["impact"] in FAILING_IMPACTS or v["id"] in ALSO_FAILING_RULES
    ]


def readable(name: str, violations: list[dict], limit: int = 8) -> str:
    """One block per rule: what, how bad, how many nodes, where, and axe's own summary."""
    lines = [f"{name}: {len(violations)} axe rule(s) failed"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}; {len(v['nodes'])} node(s)")
        lines.append(f"  {v['url']}")
        for node in v["nodes"][:limit]:
            lines.append(f"    at {node['target']}")
            lines.append(f"       {node['html']}")
            lines.append(f"       {node['summary']}")
        if len(v["nodes"]) > limit:
            lines.append(f"    … and {len(v['nodes']) - limit} more")
    return "\n".join(lines)


def record(name: str, violations: list[dict]) -> None:
    """Every violation of every impact, kept for the report (test-artifacts/axe/)."""
    AXE_OUT.mkdir(parents=True, exist_ok=True)
    counts = Counter()
    for v in violations:
        counts[v["impact"]] += len(v["nodes"])
    summary = {"counts_by_impact": dict(counts), "violations": violations}
    (AXE_OUT / f"{name}.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8"
    )


VIEWS = [(name, path, lang) for name, path in PAGES.items() for lang in LANGS] + [
    (name, path, lang) for name, path in PRESENTER.items() for lang in LANGS
]


@pytest.mark.parametrize(
    ("name", "path", "lang"), VIEWS, ids=[f"{n}-{lang}" for n, _, lang in VIEWS]
)
def test_axe_finds_no_serious_violation(server, tab, name: str, path: str, lang: str) -> None:
    axe_script()
    open_view(tab, url(server, path, lang))
    settle(tab)
    assert_no_exception(tab)
    violations = run_axe(tab)
    record(f"{name}-{lang}", violations)
    bad = failing(violations)
    assert bad == [], readable(f"{name} ({lang}, 1280x720)", bad)


PHONE_VIEWS = [("overview", "", "zh"), ("trends", "trends", "en")]


@pytest.mark.parametrize(
    ("name", "path", "lang"), PHONE_VIEWS, ids=[f"{n}-{lang}-phone" for n, _, lang in PHONE_VIEWS]
)
def test_axe_finds_no_serious_violation_on_a_phone(
    server, browser, name: str, path: str, lang: str
) -> None:
    """Officials open shared links on phones: 390x844, the sidebar folded away."""
    axe_script()
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        pg = context.new_page()
        pg.set_default_timeout(PAGE_TIMEOUT_MS)
        open_view(pg, url(server, path, lang))
        settle(pg)
        violations = run_axe(pg)
        record(f"{name}-{lang}-phone", violations)
        bad = failing(violations)
        assert bad == [], readable(f"{name} ({lang}, 390x844)", bad)
    finally:
        context.close()


# --------------------------------------------------------------------------------------------
# Keyboard: every page link and button is reached by Tab, and each shows where focus is.

FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // A toggle's input is drawn invisible: its label carries the ring (base.css).
  let shown = el;
  const own = el.getBoundingClientRect();
  if (own.width < 4 || own.height < 4 || getComputedStyle(el).opacity === '0') {
    shown = el.closest('label') || el;
  }
  let opacity = 1;
  for (let e = shown; e; e = e.parentElement) opacity *= parseFloat(getComputedStyle(e).opacity);
  const style = getComputedStyle(shown);
  const box = shown.getBoundingClientRect();
  const seen = el.hasAttribute('data-a11y-stop');
  // A data grid's cells share one canvas: Tab moves along a row, then out of the grid.
  const again = window.a11yLastStop === el;
  window.a11yLastStop = el;
  el.setAttribute('data-a11y-stop', '1');
  return {
    seen, again, tag: el.tagName.toLowerCase(), id: el.getAttribute('data-a11y-id'),
    what: (el.getAttribute('aria-label') || el.innerText || el.value || '').trim().slice(0, 50),
    outline: style.outlineStyle, width: parseFloat(style.outlineWidth), opacity,
    visible: box.width > 0 && box.height > 0 && style.visibility !== 'hidden'};
}"""

# Every page link and button a reader can see, numbered so Tab's stops can be matched. Not
# a select box's "Open" arrow (tabindex -1: the box itself takes focus and opens with the
# arrow keys), nor the chart and table toolbars (shown on hover; their focus is checked
# when Tab reaches them).
TARGETS_JS = """() => {
  const found = [...document.querySelectorAll(
      '[data-testid="stPageLink-NavLink"], button:not([disabled]):not([tabindex="-1"])')]
    .filter(e => { const b = e.getBoundingClientRect(); return b.width > 0 && b.height > 0
                   && getComputedStyle(e).visibility !== 'hidden'
                   && !e.closest('.modebar, [data-testid="stElementToolbar"]'); });
  // A radio group (the language switch) is one Tab stop; arrow keys move inside it.
  const groups = new Map();
  return found.map((e, k) => {
    const group = e.closest('[role="radiogroup"]');
    if (group && !groups.has(group)) groups.set(group, String(k));
    e.setAttribute('data-a11y-id', group ? groups.get(group) : String(k));
    return (e.getAttribute('aria-label') || e.innerText || '').trim().slice(0, 50); });
}"""

FOCUS_VIEWS = [
    ("overview", "", "zh"),
    ("trends", "trends", "en"),
    ("overview-present", "?present=1", "zh"),
]


@pytest.mark.parametrize(
    ("name", "path", "lang"), FOCUS_VIEWS, ids=[f"{n}-{lang}" for n, _, lang in FOCUS_VIEWS]
)
def test_tab_reaches_every_link_and_button_with_a_visible_focus(
    server, tab, name: str, path: str, lang: str
) -> None:
    open_view(tab, url(server, path, lang))
    settle(tab)
    targets = tab.evaluate(TARGETS_JS)
    assert targets, "no page link or button on the page"
    reached: set[str] = set()
    unseen: list[str] = []
    for _ in range(len(targets) * 3 + 40):
        tab.keyboard.press("Tab")
        stop = tab.evaluate(FOCUS_JS)
        if stop is None:
            continue
        if stop["again"]:
            continue
        if stop["seen"]:
            break  # round the page once
        if stop["id"] is not None:
            reached.add(stop["id"])
        shows = (
            stop["visible"]
            and stop["outline"] not in ("none", "hidden")
            and stop["width"] >= 2
            and stop["opacity"] >= 0.9
        )
        if not shows:
            unseen.append(f"{stop['tag']} {stop['what']!r}: {stop}")
    ids = tab.evaluate(
        "() => [...document.querySelectorAll('[data-a11y-id]')].map(e => e.dataset.a11yId)"
    )
    missed = [t for t, k in zip(targets, ids, strict=True) if k not in reached]
    assert missed == [], f"{name} ({lang}): not reached by Tab: {missed}"
    assert unseen == [], f"{name} ({lang}): focus not visible on:\n" + "\n".join(unseen)


@pytest.mark.parametrize(
    ("width", "height", "lang"),
    [(1280, 720, "zh"), (1280, 720, "en"), (390, 844, "zh"), (390, 844, "en")],
)
def test_a_focused_link_shows_its_ring(server, browser, width: int, height: int, lang: str) -> None:
    """What a keyboard user sees (screenshots to look at): a focused page link."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=width < 500
    )
    pg = context.new_page()
    pg.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        open_view(pg, url(server, "", lang))
        settle(pg)
        link = pg.locator('[data-testid="stMain"] [data-testid="stPageLink-NavLink"]').first
        # Focus by keyboard, so :focus-visible applies. A late redraw of the page can take
        # the focus away again: then the keyboard focuses it once more (up to three times).
        for _ in range(3):
            link.focus()
            pg.keyboard.press("Shift+Tab")
            pg.keyboard.press("Tab")
            pg.wait_for_timeout(200)
            if link.evaluate("el => document.activeElement === el"):
                break
        outline = link.evaluate(
            "el => [getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineWidth]"
        )
        link.scroll_into_view_if_needed()
        screenshot(pg, f"a11y-focus-{lang}-{width}", full=False)
        assert outline[0] == "solid" and float(outline[1].rstrip("px")) >= 2, outline
    finally:
        context.close()


# --------------------------------------------------------------------------------------------
# The zh UI is all Chinese: no English left from Streamlit or Plotly.

STREAMLIT_WORDS = yaml.safe_load((REPO_ROOT / "data" / "i18n.yaml").read_text(encoding="utf-8"))[
    "streamlit_ui"
]
# Streamlit's words the issue found, and the whole list the page helper translates.
KNOWN_ENGLISH = sorted(
    {"Choose options", "Choose an option", "Link to heading"}
    | {str(w["en"]) for w in STREAMLIT_WORDS.values()}
)

# Every name, description, tooltip and placeholder a reader or a screen reader meets, and
# every text node, outside what is hidden from both.
UI_STRINGS_JS = """() => {
  const out = [];
  const hidden = e => e.closest('[aria-hidden="true"], script, style, noscript, [hidden]');
  for (const e of document.querySelectorAll(
      '[aria-label], [title], [placeholder], [alt], [data-title], [aria-roledescription]')) {
    if (hidden(e)) continue;
    for (const a of ['aria-label', 'title', 'placeholder', 'alt', 'data-title',
                     'aria-roledescription']) {
      const v = e.getAttribute(a);
      if (v) out.push({where: a, tag: e.tagName.toLowerCase(), text: v.trim()});
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n.nodeValue.trim();
    if (t && !hidden(n.parentElement)) {
      out.push({where: 'text', tag: n.parentElement.tagName.toLowerCase(), text: t});
    }
  }
  return {lang: document.documentElement.lang, strings: out};
}"""
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
WORDS = re.compile(r"[A-Za-z]{2,}")


def _pattern(english: str) -> re.Pattern[str]:
    """A `{label}` template of data/i18n.yaml as a regular expression."""
    return re.compile("^" + re.escape(english).replace(re.escape("{label}"), ".+") + "$")


KNOWN_PATTERNS = [_pattern(e) for e in KNOWN_ENGLISH]


def untranslated(strings: list[dict]) -> list[str]:
    """Known Streamlit or Plotly English anywhere; and any name, tooltip or placeholder made
    of English words without a Chinese character (data such as "InnoMatch" sits beside
    Chinese words in the zh UI's names, never alone)."""
    found = []
    for s in strings:
        text = s["text"]
        known = any(p.match(text) for p in KNOWN_PATTERNS)
        english_name = s["where"] != "text" and WORDS.search(text) and not CJK.search(text)
        if known or english_name:
            found.append(f"{s['where']} on <{s['tag']}>: {text[:80]!r}")
    return sorted(set(found))


ZH_VIEWS = {**PAGES, **PRESENTER}


def test_the_zh_ui_has_no_streamlit_english(server, tab) -> None:
    """Every page in zh (and presenter mode): Streamlit's placeholders, button names and
    region names are Chinese, and the page says it is Chinese (<html lang="zh-CN">)."""
    problems = {}
    for name, path in ZH_VIEWS.items():
        open_view(tab, url(server, path, "zh"))
        settle(tab)
        found = tab.evaluate(UI_STRINGS_JS)
        left = untranslated(found["strings"])
        if found["lang"] != "zh-CN":
            left.insert(0, f"<html lang={found['lang']!r}>")
        if left:
            problems[name] = left
    report = "\n".join(f"{page}:\n  " + "\n  ".join(left) for page, left in problems.items())
    assert problems == {}, "English in the zh UI:\n" + report


def test_english_comes_back_after_switching_language(server, tab) -> None:
    """The helper swaps Streamlit's words for zh and puts them back for en (no reload)."""
    open_view(tab, url(server, "trends", "zh"))
    settle(tab)
    assert tab.locator("html").get_attribute("lang") == "zh-CN"
    assert tab.locator('[aria-label="收起侧栏"], [aria-label="展开侧栏"]').count() == 1
    tab.get_by_text("English", exact=True).first.click()
    tab.wait_for_function("() => document.documentElement.lang === 'en'")
    tab.wait_for_selector('[aria-label="Collapse sidebar"], [aria-label="Expand sidebar"]')
    strings = tab.evaluate(UI_STRINGS_JS)["strings"]
    assert not [s for s in strings if s["where"] != "text" and s["text"] in ("收起侧栏", "主菜单")]


# --------------------------------------------------------------------------------------------
# Charts: a name, and a text alternative that is their figure sentence.

CHARTS_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(c => {
  const described = document.getElementById(c.getAttribute('aria-describedby') || '');
  const plot = c.querySelector('.js-plotly-plot');
  const labels = plot && plot._fullData
    ? plot._fullData.filter(t => (t.meta || {}).role === 'marks').flatMap(t => t.text || []) : [];
  const box = described ? described.getBoundingClientRect() : null;
  return {
    role: c.getAttribute('role'), name: c.getAttribute('aria-label') || '',
    sentence: described ? described.textContent : '',
    after: !!described
      && !!(c.compareDocumentPosition(described) & Node.DOCUMENT_POSITION_FOLLOWING),
    drawn: box ? box.width > 1 || box.height > 1 : false,
    title: plot
      ? [...plot.querySelectorAll('.g-gtitle text')].map(t => t.textContent).join(' ') : '',
    labels};
})"""
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
CHART_VIEWS = {
    "overview": "",
    "topic": "topic?topic=exchange",
    "trends": "trends",
    "trends-present": "trends?present=1",
}


@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_has_a_name_and_its_figure_sentence(server, tab, lang: str) -> None:
    """Each chart is a named figure; its description (aria-describedby) is its figure
    sentence, placed right after it, drawn nowhere, and holding every number it labels."""
    prefix = yaml.safe_load((REPO_ROOT / "data" / "i18n.yaml").read_text(encoding="utf-8"))
    chart_word = prefix["ui"]["a11y"]["chart_name"][lang].split("{")[0]
    counted = 0
    for name, path in CHART_VIEWS.items():
        open_view(tab, url(server, path, lang))
        settle(tab)
        tab.wait_for_timeout(300)  # the helper links descriptions after the charts draw
        charts = tab.evaluate(CHARTS_JS)
        assert charts, f"{name}: no chart"
        for k, chart in enumerate(charts):
            where = f"{name} ({lang}) chart {k + 1} {chart['name']!r}"
            assert chart["role"] == "figure" and chart["name"].strip(), where
            assert chart["sentence"].strip(), f"{where}: no figure sentence"
            assert chart["after"] and not chart["drawn"], where
            if chart["title"]:
                assert chart["name"].startswith(chart_word), where
                assert chart["title"].split("<")[0].strip()[:8] in chart["name"], where
            flat = chart["sentence"].replace(",", "")
            for label in chart["labels"]:
                for number in NUMBER.findall(re.sub(r"<[^>]+>", " ", label)):
                    assert number.replace(",", "") in flat, (where, label, chart["sentence"])
        counted += len(charts)
    assert counted >= len(CHART_VIEWS) + 3  # the topic's several and the cards' lines


def test_the_page_helper_runs_under_the_shipped_content_security_policy(server, browser) -> None:
    """static/a11y.js is inline: nginx's CSP (deploy/serve.py) allows it by its hash, so a
    page served with that policy still gets its language and its Chinese words. (The policy
    is added to the page's response here; Chromium then treats the page as not local, so
    this browser skips its local-network checks to reach the app's websocket.)"""
    from deploy.serve import content_security_policy

    policy = content_security_policy()
    own = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=[*CHROMIUM_ARGS, "--disable-features=LocalNetworkAccessChecks"],
        headless=True,
    )
    try:
        pg = own.new_page(viewport=SCREEN)
        pg.set_default_timeout(PAGE_TIMEOUT_MS)
        violations: list[str] = []
        pg.expose_function("a11yViolation", lambda text: violations.append(text))
        pg.add_init_script(
            "document.addEventListener('securitypolicyviolation', e =>"
            " window.a11yViolation(e.violatedDirective + ' ' + (e.blockedURI || 'inline')))"
        )

        def with_policy(route: object) -> None:
            response = route.fetch()
            headers = {**response.headers, "content-security-policy": policy}
            route.fulfill(response=response, headers=headers)

        pg.route(f"{server.url}/trends*", with_policy)
        open_view(pg, url(server, "trends", "zh"))
        settle(pg)
        pg.wait_for_function("() => document.documentElement.lang === 'zh-CN'")
        assert pg.locator('[aria-label="主菜单"]').count() == 1
        # protobuf's one WebAssembly try is refused by design (deploy/serve.py); no script is.
        assert [v for v in violations if not v.startswith("script-src wasm")] == [], violations
    finally:
        own.close()


# axe passes the chosen language's button (primary colour on a 10 % tint of it, 4.27:1 in
# the measurement): its contrast is computed here, the tint laid over the sidebar.
CHOSEN_JS = """() => {
  const rgba = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const button = document.querySelector(
    '[data-testid="stSidebar"] [data-testid="stButtonGroup"] button[aria-checked="true"]');
  const text = rgba(getComputedStyle(button.querySelector('p')).color);
  const [r, g, b, a = 1] = rgba(getComputedStyle(button).backgroundColor);
  const under = rgba(getComputedStyle(document.querySelector('[data-testid="stSidebar"]'))
    .backgroundColor);
  const bg = [r, g, b].map((v, k) => a * v + (1 - a) * under[k]);
  const [hi, lo] = [lum(text), lum(bg)].sort((x, y) => y - x);
  return [button.innerText.trim(), (hi + 0.05) / (lo + 0.05)];
}"""


@pytest.mark.parametrize("lang", LANGS)
def test_the_chosen_language_reads_at_4_5_to_1(server, tab, lang: str) -> None:
    open_view(tab, url(server, "", lang))
    tab.wait_for_selector('[data-testid="stSidebar"] button[aria-checked="true"]')
    name, ratio = tab.evaluate(CHOSEN_JS)
    assert ratio >= 4.5, (name, round(ratio, 2))
