"""Reshaping observations: plot positions, latest/previous, coverage, citation numbers."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

from dashboard.catalogue.validate import validate_path
from dashboard.figures import series

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
UNITS = yaml.safe_load((REPO / "data/units.yaml").read_text(encoding="utf-8"))
PREFIXES = {"more_than": "超 ", "nearly": "近 ", "about": "约 "}


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    root = tmp_path_factory.mktemp("cat")
    (root / "data" / "sources").mkdir(parents=True)
    for name in ("units.yaml", "i18n.yaml"):
        shutil.copy(REPO / "data" / name, root / "data" / name)
    for text in (FIXTURES / "app_sources").glob("*.txt"):
        shutil.copy(text, root / "data" / "sources" / text.name)
    shutil.copy(FIXTURES / "app_catalogue.yaml", root / "indicators.yaml")
    result = validate_path(root / "indicators.yaml")
    assert result.ok, [str(p) for p in result.problems]
    return result.catalogue


@pytest.fixture(scope="module")
def frame(catalogue):
    return series.observations_frame(catalogue)


def test_plot_date_levels_at_end_flows_in_the_middle() -> None:
    assert series.plot_date("cumulative", "", "2025-06-25") == date(2025, 6, 25)
    assert series.plot_date("stock", "2023-01-01", "2023-12-31") == date(2023, 12, 31)
    assert series.plot_date("annual_flow", "2020-01-01", "2020-12-31") == date(2020, 7, 1)


def test_frame_has_one_row_per_observation(frame) -> None:
    assert len(frame) == 8
    row = frame[(frame.indicator == "platform_cumulative_value") & (frame.source == "app_doc_b")]
    assert row.iloc[0][["period", "period_start", "period_end", "source_date"]].tolist() == [
        "../2025-01-10",
        "",
        "2025-01-10",
        "2025-01-10",
    ]


def test_prepare_adds_display_values_labels_and_order(frame) -> None:
    rows = series.prepare(frame, ["contracts_value"], "en", UNITS, {"more_than": "> "})
    assert rows["y"].tolist() == [12.997, 30.0]
    assert rows["label"].tolist() == ["12.997 bn yuan", "> 30 bn yuan"]
    assert [d.year for d in rows["x"]] == [2022, 2023]


def test_in_years_keeps_points_inside(frame) -> None:
    rows = series.prepare(frame, ["contracts_count"], "zh", UNITS, PREFIXES)
    assert series.in_years(rows, 2022, 2023)["period"].tolist() == ["2022", "2023"]


def test_card_points_compare_only_the_same_indicator(frame) -> None:
    points = series.card_points(frame)
    assert set(points) == set(frame["indicator"])
    cumulative = points["platform_cumulative_value"]
    assert (cumulative.latest["value"], cumulative.previous["value"]) == (47.06, 8)
    growth = points["contracts_count_growth"]
    assert growth.latest["value"] == 25 and growth.previous is None


def test_card_points_prefer_stated_over_derived_at_one_end_date(frame) -> None:
    derived = frame[frame["derived"].fillna(False).astype(bool)].iloc[[0]]
    stated = derived.assign(derived=False, value=-1.0, source_date="0001-01-01")
    points = series.card_points(pd.concat([stated, derived]))
    only = points[derived.iloc[0]["indicator"]]
    assert only.latest["value"] == -1.0 and not only.latest["derived"]
    assert only.previous is None


def test_card_points_spark_has_one_point_per_end_latest_source_wins(frame) -> None:
    row = frame.iloc[[0]]
    older = row.assign(value=1.0, source_date="2000-01-01")
    newer = row.assign(value=2.0, source_date="2030-01-01")
    spark = series.card_points(pd.concat([newer, older]))[row.iloc[0]["indicator"]].spark
    assert spark["value"].tolist() == [2.0]


def test_coverage_matrix_statuses(frame) -> None:
    matrix = series.coverage_matrix(frame, range(2020, 2026))
    assert matrix.loc["contracts_count", 2021] == "derived"
    assert matrix.loc["contracts_count", 2022] == "stated"
    assert matrix.loc["contracts_value", 2023] == "bound"
    assert matrix.loc["platform_cumulative_value", 2024] == "bound"  # nearly 8
    assert matrix.loc["contracts_value", 2020] == ""


def test_citation_numbers_oldest_document_first(catalogue, frame) -> None:
    rows = series.prepare(frame, ["platform_cumulative_value"], "zh", UNITS, PREFIXES)
    assert series.citation_numbers(rows) == {"app_doc_a": 1, "app_doc_b": 2}
    events = series.chart_events(catalogue, ["platform_cumulative_value"], 2019, 2025)
    assert [e.id for e in events] == ["platform_opening"]
    assert series.chart_events(catalogue, ["contracts_value"], 2019, 2025) == []
    assert series.chart_events(catalogue, ["platform_cumulative_value"], 2021, 2025) == []


def test_multi_source_and_chart_table(frame) -> None:
    assert series.multi_source(frame, ["contracts_value", "platform_cumulative_value"]) == [
        "platform_cumulative_value"
    ]
    rows = series.prepare(frame, ["contracts_value"], "zh", UNITS, PREFIXES)
    table = series.chart_table(rows, {"app_doc_a": 1}, "亿元")
    assert table["citation"].tolist() == [1, 1]
    assert table["quote"].tolist() == ["合同额 129.97 亿元", "合同额超 300 亿元"]
    assert table["chart_unit"].tolist() == ["亿元", "亿元"]


def test_year_bounds_widen_to_the_data(frame) -> None:
    assert series.year_bounds(frame, (2019, 2025)) == (2019, 2025)
    assert series.year_bounds(frame.iloc[0:0], (2019, 2025)) == (2019, 2025)


def test_events_sit_at_their_day_or_mid_period(catalogue) -> None:
    (event,) = catalogue.events
    assert series.event_date(event) == date(2020, 10, 28)

    class Year:
        span = type("S", (), {"start": date(2024, 1, 1), "end": date(2024, 12, 31)})

    assert series.event_date(Year) == date(2024, 7, 1)


def test_card_points_keep_other_documents_for_the_latest_date(frame) -> None:
    """Two documents on one date (近8亿 / 超8亿): the card shows one and names the other."""
    row = frame[frame["indicator"] == "contracts_count_growth"]
    other = row.assign(source="app_doc_b", source_date="2030-01-01", value=26.0)
    points = series.card_points(pd.concat([row, other]))["contracts_count_growth"]
    assert points.latest["value"] == 26.0
    assert points.same_end["value"].tolist() == [25.0]
    assert series.card_points(row)["contracts_count_growth"].same_end.empty
