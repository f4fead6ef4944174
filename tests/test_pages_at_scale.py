"""A catalogue grown several times over: long tables are grouped and paged, never dumped."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from bench.generate import write_catalogue
from dashboard.app import data_io
from dashboard.app.paging import PAGE_ROWS

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "app.py")

pytestmark = pytest.mark.usefixtures("fresh_caches")


@pytest.fixture
def grown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The real catalogue at 3x, served from a temp folder."""
    path = write_catalogue(REPO / "indicators.yaml", 3, tmp_path)
    monkeypatch.setenv(data_io.ENV_CATALOGUE, str(path))
    return path


def _run(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _topics() -> list[str]:
    data = yaml.safe_load((REPO / "indicators.yaml").read_text(encoding="utf-8"))
    return [i["topic"] for i in data["indicators"]]


def test_health_matrix_is_grouped_by_topic_and_paged(grown: Path) -> None:
    total = 3 * len(_topics())
    assert total > 2 * PAGE_ROWS
    at = _run("app_pages/health.py")
    assert len(at.dataframe[0].value) == PAGE_ROWS
    assert f"Rows 1–{PAGE_ROWS} of {total}" in [c.value for c in at.caption]
    pages = -(-total // PAGE_ROWS)
    at.number_input(key="w_health_page_").set_value(pages).run()
    assert len(at.dataframe[0].value) == total - (pages - 1) * PAGE_ROWS
    # One topic: its rows only (3 copies of each of its indicators), on one page.
    smallest = min(set(_topics()), key=_topics().count)
    topic = at.selectbox(key="w_health_topic")
    assert topic.options[0] == f"All topics ({total})"
    topic.set_value(smallest).run()
    assert len(at.dataframe[0].value) == 3 * _topics().count(smallest)
    assert [n.key for n in at.number_input] == []  # one page: no pager


def test_ambiguities_and_source_figures_are_paged(grown: Path) -> None:
    at = _run("app_pages/health.py")
    ambiguities = at.dataframe[1].value
    assert 0 < len(ambiguities) <= PAGE_ROWS
    at = _run("app_pages/sources.py")
    assert len(at.dataframe[0].value) <= PAGE_ROWS


def test_a_large_topic_shows_a_page_of_its_indicators_under_their_subjects(grown: Path) -> None:
    from dashboard.app.topic import FIGURES_PER_PAGE

    biggest = max(set(_topics()), key=_topics().count)
    total = 3 * _topics().count(biggest)
    assert total > 2 * FIGURES_PER_PAGE
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.query_params["topic"] = biggest
    at.run()
    at.switch_page("app_pages/topic.py").run()
    assert not at.exception, [e.value for e in at.exception]
    # Each figure shown has one link to its chart ("Trend and citations", data/i18n.yaml).
    opened = "Trend and citations"
    shown = [link for link in at.page_link if link.proto.label == opened]
    assert len(shown) == FIGURES_PER_PAGE
    assert f"Indicators 1–{FIGURES_PER_PAGE} of {total}" in [c.value for c in at.caption]
    pages = -(-total // FIGURES_PER_PAGE)
    at.number_input(key=f"w_topic_page_{biggest}").set_value(pages).run()
    assert not at.exception, [e.value for e in at.exception]
    last = [link for link in at.page_link if link.proto.label == opened]
    assert len(last) == total - (pages - 1) * FIGURES_PER_PAGE


def test_the_finder_shows_a_page_of_results_and_counts_them_all(grown: Path) -> None:
    at = _run("app_pages/finder.py")
    table = at.dataframe[0].value
    assert len(table) == PAGE_ROWS
    captions = [c.value for c in at.caption]
    total = int(next(c for c in captions if "figures found" in c).split()[0])
    assert total > PAGE_ROWS
    assert f"Rows 1–{PAGE_ROWS} of {total}" in captions
