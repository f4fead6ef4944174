"""A catalogue grown several times over: long tables are grouped and paged, never dumped."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bench.generate import write_catalogue
from dashboard.app import data_io
from dashboard.app.paging import PAGE_ROWS

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "app.py")

pytestmark = pytest.mark.usefixtures("fresh_caches")


@pytest.fixture
def grown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The real catalogue at 3x (345 indicators), served from a temp folder."""
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


def test_health_matrix_is_grouped_by_topic_and_paged(grown: Path) -> None:
    at = _run("app_pages/health.py")
    matrix = at.dataframe[0].value
    assert len(matrix) == PAGE_ROWS
    assert "Rows 1–150 of 345" in [c.value for c in at.caption]
    pager = at.number_input(key="w_health_page_")
    pager.set_value(3).run()
    assert len(at.dataframe[0].value) == 345 - 2 * PAGE_ROWS
    # One topic: its rows only (3 copies of each of its indicators), on one page.
    topic = at.selectbox(key="w_health_topic")
    assert topic.options[0] == "All topics (345)"
    topic.set_value("finance").run()
    assert len(at.dataframe[0].value) == 3 * 5  # its 5 indicators, 3 copies each
    assert [n.key for n in at.number_input] == []  # one page: no pager


def test_ambiguities_and_source_figures_are_paged(grown: Path) -> None:
    at = _run("app_pages/health.py")
    ambiguities = at.dataframe[1].value
    assert 0 < len(ambiguities) <= PAGE_ROWS
    at = _run("app_pages/sources.py")
    assert len(at.dataframe[0].value) <= PAGE_ROWS
