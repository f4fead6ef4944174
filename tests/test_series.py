"""The observations table: one row per figure, coverage by year, documents per indicator."""

from __future__ import annotations

import shutil
from pathlib import Path

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


def test_frame_has_one_row_per_observation(frame) -> None:
    assert len(frame) == 8
    row = frame[(frame.indicator == "platform_cumulative_value") & (frame.source == "app_doc_b")]
    assert row.iloc[0][["period", "period_start", "period_end", "source_date"]].tolist() == [
        "../2025-01-10",
        "",
        "2025-01-10",
        "2025-01-10",
    ]


def test_coverage_matrix_statuses(frame) -> None:
    matrix = series.coverage_matrix(frame, range(2020, 2026))
    assert matrix.loc["contracts_count", 2021] == "derived"
    assert matrix.loc["contracts_count", 2022] == "stated"
    assert matrix.loc["contracts_value", 2023] == "bound"
    assert matrix.loc["platform_cumulative_value", 2024] == "bound"  # nearly 8
    assert matrix.loc["contracts_value", 2020] == ""


def test_multi_source(frame) -> None:
    assert series.multi_source(frame, ["contracts_value", "platform_cumulative_value"]) == [
        "platform_cumulative_value"
    ]


def test_year_bounds_widen_to_the_data(frame) -> None:
    assert series.year_bounds(frame, (2019, 2025)) == (2019, 2025)
    assert series.year_bounds(frame.iloc[0:0], (2019, 2025)) == (2019, 2025)
