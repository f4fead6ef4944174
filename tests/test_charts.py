"""Figures tell the truth about each point and carry their citation inside the image."""

from __future__ import annotations

import base64
import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from dashboard.figures import charts, series, theme
from dashboard.figures.i18n import Translator

REPO = Path(__file__).resolve().parent.parent
UNITS = yaml.safe_load((REPO / "data/units.yaml").read_text(encoding="utf-8"))
LABELS = yaml.safe_load((REPO / "data/i18n.yaml").read_text(encoding="utf-8"))


def frame() -> pd.DataFrame:
    base = {"name_zh": "", "name_en": "", "source_ref": "", "compared_with": "", "topic": "t"}
    rows = [
        (
            "a",
            "亿元",
            "cumulative",
            "2020-10-28/2023-05-16",
            "2020-10-28",
            "2023-05-16",
            152,
            "exact",
            False,
            "s1",
            "2023-05-16",
        ),
        (
            "a",
            "亿元",
            "cumulative",
            "../2025-06-25",
            "",
            "2025-06-25",
            300,
            "more_than",
            False,
            "s2",
            "2025-06-25",
        ),
        (
            "b",
            "亿元",
            "cumulative",
            "../2021-05-26",
            "",
            "2021-05-26",
            15,
            "more_than",
            False,
            "s3",
            "2021-05-26",
        ),
        (
            "c",
            "项",
            "annual_flow",
            "2016",
            "2016-01-01",
            "2016-12-31",
            8595,
            "about",
            True,
            "s3",
            "2021-05-26",
        ),
        (
            "c",
            "项",
            "annual_flow",
            "2020",
            "2020-01-01",
            "2020-12-31",
            11483,
            "exact",
            False,
            "s3",
            "2021-05-26",
        ),
        (
            "c",
            "项",
            "annual_flow",
            "2021",
            "2021-01-01",
            "2021-12-31",
            12000,
            "nearly",
            False,
            "s3",
            "2021-05-26",
        ),
    ]
    cols = [
        "indicator",
        "unit",
        "measure",
        "period",
        "period_start",
        "period_end",
        "value",
        "qualifier",
        "derived",
        "source",
        "source_date",
    ]
    return pd.DataFrame([dict(zip(cols, r, strict=True), quote="q", **base) for r in rows])


def build(ids, lang="zh", presenter=False, events=(), year_from=2019, year_to=2025):
    tr = Translator(LABELS, lang)
    rows = series.prepare(frame(), ids, lang, UNITS, tr.qualifier_prefixes(), tr("period.as_of"))
    rows = series.in_years(rows, year_from, year_to)
    fig = charts.trend_figure(
        rows,
        names={i: f"name {i}" for i in ids},
        cites={"s1": "[1] A", "s2": "[2] B", "s3": "[3] C"},
        title="T <b>x</b>",
        unit_label="亿元",
        source_line="资料来源：[1] A; [2] B",
        events=list(events),
        year_from=year_from,
        year_to=year_to,
        tr=tr,
        presenter=presenter,
    )
    return json.loads(fig.to_json())


def decode(values):
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), values["dtype"]).tolist()
    return values


def data_traces(fig, group):
    return [t for t in fig["data"] if t.get("legendgroup") == group]


def test_each_indicator_is_its_own_line() -> None:
    fig = build(["a", "b"])
    a, b = data_traces(fig, "a"), data_traces(fig, "b")
    assert len(a) == 1 and len(b) == 1
    assert decode(a[0]["y"]) == [152.0, 300.0]
    assert decode(b[0]["y"]) == [15.0]
    assert a[0]["x"] == ["2023-05-16T00:00:00", "2025-06-25T00:00:00"]


def test_qualifier_shapes_and_legend_key() -> None:
    fig = build(["a", "b"])
    assert data_traces(fig, "a")[0]["marker"]["symbol"] == ["circle", "triangle-up"]
    key = [t["name"] for t in data_traces(fig, "__key")]
    assert key == ["确切数值", "超过某值（下限）"]
    hover = data_traces(fig, "a")[0]["text"][1]
    assert "超 300 亿元" in hover and "超过（下限值）" in hover and "截至 2025-06-25" in hover
    assert "[2] B" in hover


def test_derived_points_are_open_on_a_dotted_connector() -> None:
    fig = build(["c"], year_from=2015)
    traces = data_traces(fig, "c")
    connector, stated, derived = traces
    assert connector["line"]["dash"] == "dot" and connector["hoverinfo"] == "skip"
    assert decode(connector["y"]) == [8595.0, 11483.0, 12000.0]
    assert decode(stated["y"]) == [11483.0, 12000.0]
    assert stated["marker"]["symbol"] == ["circle", "triangle-down"]
    assert derived["marker"]["symbol"] == ["diamond-open"]
    assert "推算值" in derived["text"][0]
    assert "推算值（非原文直接给出）" in [t["name"] for t in data_traces(fig, "__key")]


def test_default_axis_is_2019_to_2025_and_widens() -> None:
    assert build(["c"])["layout"]["xaxis"]["range"] == ["2019-01-01", "2025-12-31"]
    fig = build(["c"], year_from=2015)
    assert fig["layout"]["xaxis"]["range"] == ["2015-01-01", "2025-12-31"]
    assert len(decode(data_traces(build(["c"]), "c")[0]["y"])) == 2  # 2016 outside by default


def test_title_unit_and_source_line_are_inside_the_figure_escaped() -> None:
    fig = build(["a"])
    title = fig["layout"]["title"]["text"]
    assert title.startswith("T &lt;b&gt;x&lt;/b&gt;") and "单位: 亿元" in title
    notes = [a["text"] for a in fig["layout"]["annotations"]]
    assert any(n.startswith("资料来源：[1] A; [2] B") for n in notes)


def test_events_are_labelled_vertical_lines_with_cited_hover() -> None:
    mark = charts.EventMark(date(2020, 10, 28), "事件1", "开市\n2020-10-28\n[3] C")
    fig = build(["a"], events=[mark])
    assert fig["layout"]["shapes"][0]["x0"] == "2020-10-28"
    label = next(a for a in fig["layout"]["annotations"] if a["text"] == "事件1")
    assert label["hovertext"] == "开市<br>2020-10-28<br>[3] C"


def test_presenter_mode_enlarges_type_lines_and_markers() -> None:
    normal, big = build(["a"]), build(["a"], presenter=True)
    assert big["layout"]["font"]["size"] > normal["layout"]["font"]["size"]
    assert data_traces(big, "a")[0]["line"]["width"] > data_traces(normal, "a")[0]["line"]["width"]
    assert (
        data_traces(big, "a")[0]["marker"]["size"] > data_traces(normal, "a")[0]["marker"]["size"]
    )
    assert "WenQuanYi Micro Hei" in normal["layout"]["font"]["family"]


def test_camera_button_saves_a_slide_sized_png() -> None:
    options = theme.plotly_config("x")["toImageButtonOptions"]
    assert (options["format"], options["width"], options["height"], options["scale"]) == (
        "png",
        1600,
        900,
        2,
    )


def test_empty_selection_says_so() -> None:
    fig = build(["a"], year_from=2019, year_to=2019)
    assert any(a["text"] == "所选年份内没有数据" for a in fig["layout"]["annotations"])


def test_points_of_one_indicator_at_one_date_are_drawn_side_by_side() -> None:
    """Two documents disagreeing on the same day (近8亿 / 超8亿) must both be visible."""
    x = pd.Series(pd.to_datetime(["2024-01-01", "2025-06-25", "2025-06-25", "2025-06-25"]))
    drawn = charts.side_by_side(x, pd.Timedelta(days=40))
    assert drawn[0] == x[0]  # a lone point stays on its date
    shifts = [(d - x[1]).days for d in drawn[1:]]
    assert shifts == [-40, 0, 40]  # spread a marker apart, centred on the true date
    assert charts.side_by_side(x[:2], pd.Timedelta(days=40)).equals(x[:2])


def test_same_date_points_in_a_figure_do_not_coincide_and_keep_their_period() -> None:
    doubled = frame()
    doubled = pd.concat([doubled, doubled.iloc[[1]].assign(value=310.0, qualifier="nearly")])
    tr = Translator(LABELS, "en")
    rows = series.prepare(doubled, ["a"], "en", UNITS, tr.qualifier_prefixes(), "as of {date}")
    fig = json.loads(
        charts.trend_figure(
            rows, names={"a": "A"}, cites={}, title="T", unit_label="u", source_line="",
            events=[], year_from=2019, year_to=2025, tr=tr,
        ).to_json()
    )  # fmt: skip
    xs = data_traces(fig, "a")[0]["x"]
    assert len(xs) == 3 and len(set(xs)) == 3
    assert sum("as of 2025-06-25" in t for t in data_traces(fig, "a")[0]["text"]) == 2


def test_event_labels_sit_above_the_plot_in_rows_only_when_close() -> None:
    marks = [
        charts.EventMark(date(2022, 7, 2), "E1", "a"),
        charts.EventMark(date(2022, 8, 16), "E2", "b"),
        charts.EventMark(date(2024, 6, 1), "E3", "c"),
    ]
    rows = charts.label_rows([(m.when, m.label) for m in marks], 2019, 2025, 11, 500)
    assert rows == [0, 1, 0]
    fig = build(["a"], events=marks)
    labels = [a for a in fig["layout"]["annotations"] if a["text"] in ("E1", "E2", "E3")]
    assert {(a["y"], a["yanchor"]) for a in labels} == {(1, "bottom")}  # never over the data
    shifts = [a.get("yshift", 0) for a in labels]
    assert shifts[0] == shifts[2] == 0 and shifts[1] > 11  # a row up: more than the font size
    one_row = build(["a"], events=marks[:1])["layout"]["margin"]["t"]
    assert build(["a"], events=marks)["layout"]["margin"]["t"] == one_row + shifts[1]
