"""Contradictions in the app (AppTest): the Trends and topic pages draw the contradicting
figures apart with the disagreement on the chart; the health page lists acknowledged
warnings apart from open ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app import data_io
from tests.contradiction_project import write_project

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "app.py")
TRENDS = "app_pages/trends.py"
TOPIC = "app_pages/topic.py"
HEALTH = "app_pages/health.py"

pytestmark = pytest.mark.usefixtures("fresh_caches")


def serve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **variant: bool) -> Path:
    path = write_project(tmp_path, **variant)
    monkeypatch.setenv(data_io.ENV_CATALOGUE, str(path))
    return path


def run(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def disputes(fig: dict) -> list[str]:
    return [a["text"] for a in fig["layout"].get("annotations", []) if a.get("name") == "dispute"]


def joins(fig: dict) -> list[dict]:
    return [t for t in fig["data"] if (t.get("meta") or {}).get("role") == "join"]


@pytest.mark.parametrize(("lang", "words"), [("zh", "两份文件不一致"), ("en", "disagree")])
def test_the_trends_page_draws_a_falling_total_apart(tmp_path, monkeypatch, lang, words):
    serve(tmp_path, monkeypatch)
    at = run(TRENDS, lang=lang, indicator="demo_match_demands")
    (fig,) = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    (said,) = disputes(fig)
    assert words in said
    # One join: 2260 → 超3800, none into the 2025 figure.
    (join,) = joins(fig)
    assert [x[:4] if x else x for x in join["x"]] == ["2023", "2024", None]


def test_a_topic_page_draws_every_contradiction_apart(tmp_path, monkeypatch):
    serve(tmp_path, monkeypatch)
    at = run(TOPIC, lang="en", topic="innomatch")
    figs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    said = [d for fig in figs for d in disputes(fig)]
    assert len(said) == 2  # the falling total, the broken bound
    # The number with another meaning stands alone: its card says so.
    assert any("Another document" in w.value for w in at.warning)


def test_the_health_page_lists_acknowledged_warnings_apart(tmp_path, monkeypatch):
    serve(tmp_path, monkeypatch, acknowledged=True)
    at = run(HEALTH, lang="en")
    headings = [m.value for m in at.markdown]
    assert "**Acknowledged warnings (3)**" in headings
    codes = [c.value for c in at.code]
    (opened,) = [c for c in codes if "[statement-outdated]" in c]
    assert "[cumulative-falls]" not in opened
    (done,) = [c for c in codes if "[cumulative-falls]" in c]
    assert "[bound-contradicted]" in done and "[same-number-other-meaning]" in done
    assert any(c.value.startswith("Open warnings: 1.") for c in at.caption)


def test_with_every_disagreement_recorded_no_warning_is_open(tmp_path, monkeypatch):
    serve(tmp_path, monkeypatch, acknowledged=True, statement_updated=True)
    at = run(HEALTH, lang="zh")
    assert "没有待处理的提醒。" in [s.value for s in at.success]
    assert "**已确认的提醒（3 条）**" in [m.value for m in at.markdown]
