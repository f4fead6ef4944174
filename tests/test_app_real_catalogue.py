"""The dashboard on the real indicators.yaml: every page in both languages, every indicator."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app import data_io
from dashboard.catalogue.validate import validate_path

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "app.py")
RESULT = validate_path(REPO / "indicators.yaml")
PAGES = [
    None,
    "app_pages/topic.py",
    "app_pages/trends.py",
    "app_pages/finder.py",
    "app_pages/sources.py",
    "app_pages/health.py",
]


@pytest.fixture(autouse=True)
def real_catalogue(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(data_io.ENV_CATALOGUE, raising=False)
    data_io.clear_caches()
    yield
    data_io.clear_caches()


def run(page: str | None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(page).run()
    return at


def test_real_catalogue_is_valid() -> None:
    assert RESULT.ok, [str(p) for p in RESULT.problems[:5]]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_error(page: str | None, lang: str) -> None:
    at = run(page, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    if page is None:
        by_id = RESULT.catalogue.indicators_by_id
        headline = [by_id[i] for i in RESULT.catalogue.headline_ids()]
        sparks = {c.key.removeprefix("spark_") for c in at.get("plotly_chart")}
        # A line is drawn only where there are two figures to join: never for a lone
        # figure, nor across the STE's change of wording (a series break).
        assert sparks <= {i.id for i in headline if len(i.observations) >= 2}
        assert "ste_cumulative_trade_value" not in sparks
        assert "research_units_tech_contracts_value" in sparks
    if page == "app_pages/trends.py":
        assert len(at.get("plotly_chart")) == 1


def test_every_indicator_has_a_working_trends_view() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["indicator"] = RESULT.catalogue.indicators[0].id
    at.run()
    at.switch_page("app_pages/trends.py").run()
    for indicator in RESULT.catalogue.indicators:
        at.selectbox[0].set_value(indicator.id).run()
        assert not at.exception, (indicator.id, [e.value for e in at.exception])
        assert at.query_params["indicator"] == indicator.id


def test_every_source_has_its_quotes_located() -> None:
    at = run("app_pages/sources.py")
    catalogue = RESULT.catalogue
    for source in RESULT.catalogue.sources:
        at.selectbox[0].set_value(source.id).run()
        assert not at.exception
        assert not at.warning, (source.id, [w.value for w in at.warning])
        cited = any(o.source == source.id for i in catalogue.indicators for o in i.observations)
        cited = cited or any(e.source == source.id for e in catalogue.events)
        marked = 'class="hl-cited' in "".join(h.proto.body for h in at.html)
        assert marked == cited, source.id


@pytest.mark.parametrize(
    ("lang", "marked"), [("zh", "2025-05-22（推断）"), ("en", "2025-05-22 (inferred)")]
)
def test_an_inferred_event_date_is_marked_in_chart_and_citations(lang: str, marked: str) -> None:
    """The Xinhua item gives "5月22日" without a year: wherever its event's date shows, it
    says the date is inferred, in the chart's events line and in the citation list."""
    event = next(e for e in RESULT.catalogue.events if e.date_inferred)
    indicator = event.indicators[0]
    at = run("app_pages/trends.py", lang=lang, indicator=indicator)
    assert not at.exception, [e.value for e in at.exception]
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    # Notes wrap to a phone's width: a Chinese line break joins without a space.
    joiner = "" if lang == "zh" else " "
    notes = " ".join(a["text"] for a in spec["layout"]["annotations"]).replace("<br>", joiner)
    assert marked in notes
    assert any(marked in m.value.replace("\\", "") for m in at.markdown)  # Markdown-escaped


def test_a_source_without_figures_says_so() -> None:
    source = next(
        s for s in RESULT.catalogue.sources if all(
            o.source != s.id for i in RESULT.catalogue.indicators for o in i.observations
        )
    )  # fmt: skip
    at = run("app_pages/sources.py", lang="en", source=source.id)
    assert "The catalogue cites no figures from this document." in [c.value for c in at.caption]


def test_health_lists_the_cross_document_warning_apart_from_errors() -> None:
    at = run("app_pages/health.py", lang="en")
    assert not at.exception
    # The one cross-document warning is recorded as an ambiguity: acknowledged, not open.
    assert [s.value for s in at.success] == [
        "The catalogue indicators.yaml is valid.",
        "No open warnings.",
    ]
    headers = [h.value for h in at.header]  # section headings are h2 (st.header)
    assert "Cross-document warnings" in headers
    assert "**Acknowledged warnings (1)**" in [m.value for m in at.markdown]
    (block,) = [c.value for c in at.code if "沪科建复〔2025〕36号" in c.value]
    assert "recorded ambiguity: SSTC reply No. 51 (2025)" in block


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_topic_page_renders_its_statements_and_figures(lang: str) -> None:
    catalogue = RESULT.catalogue
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    for topic in catalogue.topics:
        at.query_params["topic"] = topic.id
        at.switch_page("app_pages/topic.py").run()
        assert not at.exception, (topic.id, [e.value for e in at.exception])
        assert not at.warning, (topic.id, [w.value for w in at.warning])
        # Every statement is shown with its documents' numbers (one HTML list).
        lists = [h.value for h in at.html if '<ul class="statements">' in h.value]
        shown = "".join(lists)
        assert shown.count("<li>") >= len(topic.statements), topic.id
        assert all(re.search(r"\[\d+\]</li>", item) for item in shown.split("<li>")[1:])
        indicators = [i for i in catalogue.indicators if i.topic == topic.id]
        cards = [c for c in at.get("flex_container") if "figure_card_" in str(c.proto)]
        charts = [c for c in at.get("plotly_chart") if c.key.startswith("topic_chart_")]
        assert len(charts) + len(cards) >= len(indicators) - 0, topic.id


def test_the_overview_leads_with_the_topics_in_curated_order() -> None:
    at = run(None, lang="en")
    headers = [h.value for h in at.header]  # section headings are h2 (st.header)
    curated = [t.id for t in RESULT.catalogue.topics if t.headline]
    names = yaml_topics()
    assert headers[: len(curated)] == [names[t]["en"] for t in curated]
    assert headers[0] == names["industry"]["en"]  # S&T-service revenue near the top


def yaml_topics() -> dict:
    import yaml

    return yaml.safe_load((REPO / "data" / "i18n.yaml").read_text(encoding="utf-8"))["topics"]
