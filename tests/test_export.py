"""The tidy observations table: one row per observation, values as the sources state them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from dashboard.catalogue.export import COLUMNS, write_export
from dashboard.catalogue.validate import load_catalogue
from dashboard.figures.tables import observations_frame

FIXTURES = Path(__file__).parent / "fixtures"
REQUIRED = [
    "indicator", "name_zh", "name_en", "unit", "period_start", "period_end", "measure", "value",
    "qualifier", "derived", "source", "source_ref", "source_date", "quote",
]  # fmt: skip


def catalogue():
    return load_catalogue(FIXTURES / "catalogue_valid.yaml")


def test_frame_has_one_row_per_observation_and_the_required_columns():
    frame = observations_frame(catalogue())
    assert len(frame) == 5
    assert set(REQUIRED) <= set(frame.columns)
    assert list(frame.columns) == COLUMNS
    assert frame["derived"].dtype == bool
    assert frame["derived"].tolist() == [False, True, False, False, False]


def test_frame_values_and_periods():
    frame = observations_frame(catalogue()).set_index(["indicator", "period"])
    row = frame.loc[("exchange_trade_value", "2020-10-28/2021-05-26")]
    assert (row["period_start"], row["period_end"]) == ("2020-10-28", "2021-05-26")
    assert (row["value"], row["unit"], row["qualifier"]) == (300, "亿元", "more_than")
    assert row["source_ref"] == "示例科提复〔2021〕1号"
    assert row["source_date"] == "2021-05-26"
    assert row["source_date_status"] == "stated"
    growth = frame.loc[("contracts_count_growth", "2020")]
    assert growth["compared_with"] == "2016"


def test_csv_keeps_numbers_as_written_and_booleans_lowercase():
    rows = list(csv.DictReader(io.StringIO(write_export(catalogue(), "csv"))))
    assert [(r["value"], r["derived"]) for r in rows] == [
        ("11483", "false"),
        ("8595", "true"),
        ("33.6", "false"),
        ("300", "false"),
        ("30", "false"),
    ]
    assert rows[1]["formula"] == "a / (1 + b / 100)"
    assert rows[0]["quote"] == "2020 年本市高校院所等科研事业单位技术市场合同登记 11483 项"


def test_json_is_a_list_of_records_with_real_types():
    rows = json.loads(write_export(catalogue(), "json"))
    assert rows[2]["value"] == 33.6
    assert rows[1]["derived"] is True
    assert rows[3]["period_start"] == "2020-10-28"
