"""The chart grammar, one rule per test: what is joined, what is a span, what a view is,
what every label says, and that the figure carries its own words (docs/charts.md)."""

from __future__ import annotations

import base64
import json
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from dashboard.catalogue.models import Catalogue
from dashboard.figures import charts, theme
from dashboard.figures.change import change_between
from dashboard.figures.grammar import MAX_SERIES, Words, fit_years, plan_view
from dashboard.figures.i18n import Translator
from dashboard.figures.views import build_view

REPO = Path(__file__).resolve().parent.parent
UNITS = yaml.safe_load((REPO / "data/units.yaml").read_text(encoding="utf-8"))
LABELS = yaml.safe_load((REPO / "data/i18n.yaml").read_text(encoding="utf-8"))
UNITS = {**UNITS, "项": {**UNITS["项"], "count": True}}
T = {"zh": "测试", "en": "test"}


def words(lang: str = "zh") -> Words:
    return Words(Translator(LABELS, lang), UNITS)


def source(ident: str, when: str, ref: str) -> dict[str, Any]:
    return {
        "id": ident,
        "file": f"data/sources/{ident}.txt",
        "sha256": "0" * 64,
        "title": T,
        "short": {"zh": ref, "en": ref},
        "issuer": T,
        "reference": ref,
        "kind": "proposal_reply",
        "signed": {"status": "stated", "date": when, "quote": when},
        "published": {"status": "unstated"},
    }


def obs(period: str, value: float, qualifier: str = "exact", src: str = "s1", **extra: Any):
    return {
        "period": period,
        "value": value,
        "qualifier": qualifier,
        "source": src,
        "quote": f"q {value}",
        **extra,
    }


def indicator(ident: str, measure: str, unit: str, *observations: dict, **extra: Any):
    return {
        "id": ident,
        "name": {"zh": f"{ident}全名", "en": f"{ident} full name"},
        "short": {"zh": ident, "en": ident},
        "description": T,
        "topic": "t",
        "subject": T,
        "measure": measure,
        "unit": unit,
        "observations": list(observations),
        **extra,
    }


def catalogue(*indicators: dict, events: tuple[dict, ...] = ()) -> Catalogue:
    return Catalogue.model_validate(
        {
            "version": 1,
            "sources": [
                source("s1", "2023-05-16", "文1"),
                source("s2", "2025-06-25", "文2"),
                source("s3", "2021-05-26", "文3"),
            ],
            "indicators": list(indicators),
            "events": list(events),
        }
    )


def plan(cat: Catalogue, ids: list[str], lang: str = "zh", years: tuple[int, int] | None = None):
    return plan_view(cat, ids, words(lang), years or fit_years(cat, ids))


def figure(cat: Catalogue, ids: list[str], lang: str = "zh", **kw: Any) -> dict:
    years = kw.pop("years", None) or fit_years(cat, ids)
    view = build_view(cat, ids, words(lang), years, **kw)
    assert view.figure is not None
    return json.loads(view.figure.to_json())


def shown_years(fig: dict) -> tuple[int, int]:
    """The first and last whole year the x axis shows (it pads a few months each side)."""
    start, end = (s[:10] for s in fig["layout"]["xaxis"]["range"])
    first = int(start[:4]) + (start[5:] != "01-01")
    last = int(end[:4]) - (end[5:] != "12-31")
    return first, last


def decode(values: Any) -> list:
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), values["dtype"]).tolist()
    return list(values)


def role(fig: dict, name: str, indicator: str | None = None) -> list[dict]:
    return [
        t
        for t in fig["data"]
        if (t.get("meta") or {}).get("role") == name
        and (indicator is None or t["meta"]["indicator"] == indicator)
    ]


def footer(fig: dict) -> str:
    """The notes under the plot as one text: a line wrapped between two Chinese
    characters joins without a space, one wrapped between words with one."""
    (note,) = [a["text"] for a in fig["layout"]["annotations"] if a.get("name") == "footer"]
    lines = note.split("<br>")
    text = lines[0]
    for line in lines[1:]:
        cjk = text[-1:] > "\u2e80" and line[:1] > "\u2e80"
        text += ("" if cjk else " ") + line
    return text


# A running total reported by two documents in two wordings (STE 152 -> >300).
STE = indicator(
    "ste",
    "cumulative",
    "亿元",
    obs("2020-10/2023-05-16", 152),
    obs(
        "../2025-06-25",
        300,
        "more_than",
        "s2",
        series_break={"zh": "表述由成交金额变为技术交易总额", "en": "wording changes"},
    ),
)
DEMANDS = indicator(
    "demands",
    "cumulative",
    "项",
    obs("2022-08/2023-05-16", 2617),
    obs("2022/2025-06-25", 6600, "more_than", "s2"),
    counts={"one": "demand", "other": "demands"},
)
AVG = indicator(
    "avg",
    "average_growth_rate",
    "%",
    obs("2011/2015", 7.8, src="s3"),
    obs("2016/2020", 29.2, src="s3"),
)


# -- What may be joined -------------------------------------------------------------------


def test_a_series_break_stops_the_line_draws_a_break_and_says_why() -> None:
    p = plan(catalogue(STE), ["ste"])
    (series,) = p.series
    assert series.joins == ()
    (brk,) = series.breaks
    assert brk.reason == "表述由成交金额变为技术交易总额"
    assert p.shape == "chart"  # two figures, but not a comparable pair
    fig = figure(catalogue(STE), ["ste"])
    assert role(fig, "join") == []
    (mark,) = role(fig, "break")
    assert mark["text"] == ["<b>//</b>"] and "成交金额" in mark["hovertext"][0]
    assert "表述由成交金额变为技术交易总额" in footer(fig)


def test_comparable_figures_are_joined_and_a_bound_makes_the_line_dashed() -> None:
    p = plan(catalogue(DEMANDS), ["demands"])
    (join,) = p.series[0].joins
    assert join.style == "bound"
    fig = figure(catalogue(DEMANDS), ["demands"])
    (line,) = role(fig, "join", "demands")
    assert line["line"]["dash"] == "dash"
    (marks,) = role(fig, "marks", "demands")
    assert marks["marker"]["symbol"] == ["circle", "triangle-up"]  # the bound's direction


def test_span_averages_are_drawn_across_their_spans_and_never_joined() -> None:
    p = plan(catalogue(AVG), ["avg"])
    assert p.series[0].joins == ()
    assert [(m.shape, m.x0, m.x1) for m in p.marks] == [
        ("span", date(2011, 1, 1), date(2015, 12, 31)),
        ("span", date(2016, 1, 1), date(2020, 12, 31)),
    ]
    assert [m.period_words for m in p.marks] == ["2011—2015年年均", "2016—2020年年均"]
    fig = figure(catalogue(AVG), ["avg"])
    assert len(role(fig, "span", "avg")) == 2
    assert shown_years(fig) == (2011, 2025)


def test_a_growth_rate_spans_from_its_base_to_its_period() -> None:
    growth = indicator("g", "growth_rate", "%", obs("2020", 33.6, src="s3", compared_with="2016"))
    (mark,) = plan(catalogue(growth), ["g"]).marks
    assert (mark.shape, mark.x0.year, mark.x1.year) == ("span", 2016, 2020)
    assert mark.period_words == "2020年比2016年"


def test_two_documents_on_one_date_are_side_by_side_not_joined() -> None:
    signed = indicator(
        "signed",
        "cumulative",
        "亿元",
        obs("2022/2025-06-25", 8, "nearly", "s2"),
        obs("../2025-06-25", 8, "more_than", "s1", quote="q2"),
    )
    p = plan(catalogue(signed), ["signed"])
    assert p.series[0].joins == ()
    # 近8 and 超8 cannot both hold: the notes say so, naming both documents.
    assert p.notes == (
        "≠ signed：文1称超8亿元，文2称近8亿元，同为2025年6月25日，两者不能同时成立："
        "两份文件不一致，分开显示、不作连线",
    )
    fig = figure(catalogue(signed), ["signed"])
    (marks,) = role(fig, "marks", "signed")
    assert len(set(marks["x"])) == 2  # drawn apart, neither hides the other


def test_part_years_are_joined_only_with_the_same_months_and_say_their_months() -> None:
    revenue = indicator(
        "rev",
        "partial_year_flow",
        "亿元",
        obs("2023-01/2023-11", 4953.84),
        obs("2024-01/2024-11", 5409.59, src="s2"),
        obs("2024-01/2024-12", 6000, src="s2", quote="q3"),
    )
    p = plan(catalogue(revenue), ["rev"])
    assert [(j.a.obs.period, j.b.obs.period) for j in p.series[0].joins] == [
        ("2023-01/2023-11", "2024-01/2024-11")
    ]
    assert p.marks[1].period_words == "2024年1—11月"
    fig = figure(catalogue(revenue), ["rev"])
    (marks,) = role(fig, "marks", "rev")
    assert "2024年1—11月" in marks["text"][1]  # the months are in the label, so in the PNG
    en = figure(catalogue(revenue), ["rev"], lang="en")
    assert "Jan–Nov 2024" in role(en, "marks", "rev")[0]["text"][1]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_running_total_since_a_stated_start_is_a_span_never_a_line_from_zero(lang) -> None:
    """No assumed zeros: a total since a stated start sits at its as-of date, spans back
    to that start at its own height, and its label says since when."""
    p = plan(catalogue(DEMANDS), ["demands"], lang=lang)
    first = p.marks[0]
    assert (first.x, first.x0, first.x1) == (date(2023, 5, 16), date(2022, 8, 1), date(2023, 5, 16))
    assert first.since_start
    # Its label says from when to when: the start it counts from and its as-of date.
    assert first.detail == {"zh": "2022年8月—2023年5月16日", "en": "Aug 2022 – 16 May 2023"}[lang]
    assert not any("从 0" in note or "zero at its start" in note for note in p.notes)
    fig = figure(catalogue(DEMANDS), ["demands"], lang=lang)
    for trace in fig["data"]:
        ys = [y for y in decode(trace.get("y") or []) if y is not None]
        assert not ys or ys[0] != 0, trace.get("meta")  # no trace starts at zero
    since = role(fig, "since", "demands")[0]
    assert [x[:10] for x in since["x"]] == ["2022-08-01", "2023-05-16"]
    assert set(decode(since["y"])) == {first.y}
    # A total whose start is not stated is a point, labelled with its as-of date.
    open_start = indicator("open", "cumulative", "项", obs("../2023-05-16", 5))
    (lone,) = plan(catalogue(open_start), ["open"], lang=lang).marks
    assert lone.x0 == lone.x1 and not lone.since_start


# -- The chart follows the data -----------------------------------------------------------


def test_one_figure_is_a_card_not_a_dot() -> None:
    lone = indicator(
        "lone", "stock", "项", obs("2023-05-16", 33), counts={"one": "branch", "other": "branches"}
    )
    view = build_view(catalogue(lone), ["lone"], words(), (2019, 2025))
    assert view.plan.shape == "card" and view.figure is None
    assert view.card is not None
    assert (view.card.value, view.card.period, view.card.quote) == (
        "33 项",
        "2023年5月16日",
        "q 33",
    )
    en = build_view(catalogue(lone), ["lone"], words("en"), (2019, 2025))
    assert en.card is not None and en.card.value == "33 branches"


def test_two_comparable_figures_are_a_pair_with_the_change_printed() -> None:
    view = build_view(
        catalogue(DEMANDS), ["demands"], words(), fit_years(catalogue(DEMANDS), ["demands"])
    )
    assert view.plan.shape == "pair"
    assert view.plan.change is not None and view.plan.change.kind == "more_than"
    assert "变化：超过 +3983 项" in " ".join(view.footer)


def test_three_comparable_figures_are_a_line() -> None:
    three = indicator(
        "n", "annual_flow", "项", obs("2020", 1, src="s3"), obs("2021", 2), obs("2022", 3)
    )
    p = plan(catalogue(three), ["n"])
    assert p.shape == "chart" and len(p.series[0].joins) == 2


def test_the_years_widen_to_the_figures_and_a_link_s_years_win() -> None:
    old = indicator(
        "old", "annual_flow", "亿元", obs("2016", 47.06, src="s3"), obs("2020", 129.97, src="s3")
    )
    cat = catalogue(old)
    assert fit_years(cat, ["old"]) == (2016, 2025)
    p = plan(cat, ["old"], years=(2019, 2025))
    assert p.outside == 1 and len(p.marks) == 1


# -- Labels without hover -----------------------------------------------------------------


def test_every_figure_carries_its_value_label_with_its_qualifier() -> None:
    fig = figure(catalogue(DEMANDS), ["demands"])
    (marks,) = role(fig, "marks", "demands")
    assert marks["mode"] == "markers+text"
    assert [t.split("<br>")[0] for t in marks["text"]] == ["2617", "超 6600"]
    # A running total says from when it counts and what it is as of, under its value (so
    # the PNG says it too).
    assert "2022年8月—2023年5月16日" in marks["text"][0] and "2025年6月25日" in marks["text"][1]
    en = figure(catalogue(DEMANDS), ["demands"], lang="en")
    assert [t.split("<br>")[0] for t in role(en, "marks", "demands")[0]["text"]] == [
        "2,617",
        "&gt; 6,600",
    ]


def test_count_axes_have_whole_ticks_in_the_unit_s_own_style() -> None:
    big = indicator("big", "annual_flow", "项", obs("2020", 12000, src="s3"), obs("2022", 30000))
    fig = figure(catalogue(big), ["big"])
    ticks = fig["layout"]["yaxis"]["tickvals"]
    assert all(float(v).is_integer() for v in ticks)
    assert "3万" in fig["layout"]["yaxis"]["ticktext"]
    small = indicator("small", "stock", "项", obs("2021-05-26", 2, src="s3"), obs("2023-05-16", 3))
    assert all(
        float(v).is_integer()
        for v in figure(catalogue(small), ["small"])["layout"]["yaxis"]["tickvals"]
    )
    assert charts.nice_ticks(3, integer=True) == [0, 1, 2, 3]


# -- Compare with ---------------------------------------------------------------------------


def test_at_most_four_series_each_in_its_own_colour_labelled_at_its_end() -> None:
    many = [
        indicator(f"i{k}", "annual_flow", "项", obs("2020", k + 1, src="s3"), obs("2022", k + 2))
        for k in range(6)
    ]
    cat = catalogue(*many)
    p = plan(cat, [f"i{k}" for k in range(6)])
    assert len(p.series) == MAX_SERIES
    assert len({s.colour for s in p.series}) == MAX_SERIES
    fig = figure(cat, [f"i{k}" for k in range(4)])
    ends = [t["text"][0] for t in role(fig, "end-label")]
    assert ends == ["i0", "i1", "i2", "i3"]
    assert len(theme.PALETTE) >= MAX_SERIES


# -- Honest changes -----------------------------------------------------------------------


def _change(cat: Catalogue, ident: str, lang: str = "zh"):
    ind = cat.indicators_by_id[ident]
    first, *_, last = sorted(ind.observations, key=lambda o: o.span.end)
    return change_between(cat, ind, first, last, Translator(LABELS, lang), UNITS)


def test_a_change_from_a_bound_is_a_bound() -> None:
    eastern = indicator(
        "e", "annual_flow", "亿元", obs("2020", 15, "more_than", "s3"), obs("2022", 41.86)
    )
    change = _change(catalogue(eastern), "e")
    assert (change.kind, change.text) == ("less_than", "不到 +26.86 亿元")
    assert _change(catalogue(DEMANDS), "demands", "en").text == "more than +3,983 demands"


def test_the_source_s_own_growth_wins_over_a_computed_one() -> None:
    level = indicator(
        "lvl",
        "annual_flow",
        "项",
        obs(
            "2016",
            8595,
            "about",
            "s3",
            derived={
                "formula": "a / (1 + b / 100)",
                "inputs": {
                    "a": {"indicator": "lvl", "period": "2020"},
                    "b": {"indicator": "gr", "period": "2020"},
                },
            },
        ),
        obs("2020", 11483, src="s3"),
    )
    growth = indicator(
        "gr", "growth_rate", "%", obs("2020", 33.6, src="s3", compared_with="2016"), growth_of="lvl"
    )
    change = _change(catalogue(level, growth), "lvl")
    assert (change.kind, change.text) == ("stated", "+33.6%（原文所述，2020年比2016年）")


def test_no_change_across_a_break_between_two_open_bounds_or_between_span_rates() -> None:
    assert _change(catalogue(STE), "ste").kind == "none"
    # Both lower bounds: the change could be anything.
    both = indicator(
        "b",
        "stock",
        "家",
        obs("2021-05-26", 10, "more_than", "s3"),
        obs("2023-05-16", 20, "more_than"),
    )
    assert _change(catalogue(both), "b").kind == "none"
    assert _change(catalogue(AVG), "avg").kind == "none"
    # A lower bound then an upper bound: the rise is at most their difference.
    capped = indicator(
        "c",
        "stock",
        "家",
        obs("2021-05-26", 10, "more_than", "s3"),
        obs("2023-05-16", 20, "nearly"),
    )
    assert _change(catalogue(capped), "c").text == "不到 +10 家"


# -- Precision and words ------------------------------------------------------------------


def test_a_derived_value_is_shown_to_the_precision_its_inputs_justify() -> None:
    level = indicator(
        "v",
        "annual_flow",
        "亿元",
        obs(
            "2016",
            47.06,
            "about",
            "s3",
            derived={
                "formula": "a / (1 + b / 100)",
                "inputs": {
                    "a": {"indicator": "v", "period": "2020"},
                    "b": {"indicator": "vg", "period": "2020"},
                },
            },
        ),
        obs("2020", 129.97, src="s3"),
    )
    growth = indicator(
        "vg", "growth_rate", "%", obs("2020", 176.2, src="s3", compared_with="2016"), growth_of="v"
    )
    p = plan(catalogue(level, growth), ["v"])
    assert [m.text for m in p.marks] == ["约 47.1", "129.97"]  # ±0.01 from 176.2's last digit
    assert p.marks[0].y == pytest.approx(47.1)


def test_english_amounts_keep_the_source_digits_in_one_scale() -> None:
    value = indicator("val", "annual_flow", "亿元", obs("2020", 129.97, src="s3"), obs("2022", 300))
    p = plan(catalogue(value), ["val"], lang="en")
    assert [m.text for m in p.marks] == ["12.997", "30"]  # never 12,997 and 30,000 mn
    assert p.unit_label == "bn yuan"
    # The source's own wording is one hover away.
    assert [m.original for m in p.marks] == ["129.97亿元", "300亿元"]


# -- Events ---------------------------------------------------------------------------------


def test_events_are_drawn_at_their_precision_with_short_labels() -> None:
    events = (
        {
            "id": "opening",
            "date": "2022-08",
            "title": {"zh": "平台发布（长标题）", "en": "Platform launched (long title)"},
            "short": {"zh": "平台发布", "en": "Launch"},
            "indicators": ["demands"],
            "source": "s1",
            "quote": "2022年8月",
        },
        {
            "id": "day",
            "date": "2023-01-05",
            "title": T,
            "short": {"zh": "某日", "en": "Day"},
            "indicators": ["demands"],
            "source": "s1",
            "quote": "2023年1月5日",
        },
    )
    fig = figure(catalogue(DEMANDS, events=events), ["demands"])
    shapes = [(s["type"], s["x0"][:10]) for s in fig["layout"]["shapes"]]
    assert shapes == [("rect", "2022-08-01"), ("line", "2023-01-05")]
    labels = [a["text"] for a in fig["layout"]["annotations"] if a.get("name") == "event-label"]
    assert labels == ["平台发布", "某日"]
    assert all(
        a["y"] == 1 and a["yanchor"] == "bottom"
        for a in fig["layout"]["annotations"]
        if a.get("name") == "event-label"
    )


def test_event_labels_go_up_a_row_only_when_close() -> None:
    labels = [(date(2022, 7, 2), "E1"), (date(2022, 8, 16), "E2"), (date(2024, 6, 1), "E3")]
    assert charts.label_rows(labels, 2019, 2025, 11, 500) == [0, 1, 0]


# -- The PNG says what the page says --------------------------------------------------------


def test_the_figure_carries_title_unit_notes_sources_and_newest_date() -> None:
    fig = figure(catalogue(STE), ["ste"])
    title = fig["layout"]["title"]["text"]
    assert title.startswith("ste") and "单位: 亿元" in title
    text = footer(fig)
    assert "资料来源：[1] 文1; [2] 文2" in text
    assert "最新数据：2025年6月25日" in text
    assert "// ste（口径变化，不作连线）" in text


def test_catalogue_text_is_escaped_inside_the_figure() -> None:
    hostile = indicator("h", "annual_flow", "项", obs("2020", 1, src="s3"), obs("2022", 2))
    hostile["short"] = {"zh": "<b>x</b>", "en": "<b>x</b>"}
    fig = figure(catalogue(hostile), ["h"])
    assert fig["layout"]["title"]["text"].startswith("&lt;b&gt;x&lt;/b&gt;")


def test_presenter_mode_enlarges_type_lines_and_markers() -> None:
    cat = catalogue(DEMANDS)
    normal = figure(cat, ["demands"])
    big = figure(cat, ["demands"], presenter=True)
    assert big["layout"]["font"]["size"] > normal["layout"]["font"]["size"]
    assert role(big, "join")[0]["line"]["width"] > role(normal, "join")[0]["line"]["width"]
    assert role(big, "marks")[0]["marker"]["size"] > role(normal, "marks")[0]["marker"]["size"]
    assert "WenQuanYi Micro Hei" in normal["layout"]["font"]["family"]


def test_camera_button_saves_a_slide_sized_png() -> None:
    options = theme.plotly_config("x")["toImageButtonOptions"]
    assert (options["format"], options["width"], options["height"], options["scale"]) == (
        "png",
        1600,
        900,
        2,
    )


def test_an_empty_view_says_so() -> None:
    old = indicator(
        "old", "annual_flow", "亿元", obs("2016", 47.06, src="s3"), obs("2017", 50, src="s3")
    )
    view = build_view(catalogue(old), ["old"], words(), (2019, 2025))
    assert view.plan.shape == "empty" and view.figure is not None
    fig = json.loads(view.figure.to_json())
    assert any(a["text"] == "所选年份内没有数据" for a in fig["layout"]["annotations"])


def test_a_statement_takes_its_numbers_from_the_catalogue() -> None:
    from dashboard.catalogue.models import Statement
    from dashboard.figures.topics import statement_view

    cat = catalogue(DEMANDS, STE)
    statement = Statement.model_validate(
        {
            "text": {
                "zh": "需求从{a}增至{b}；技交所{c}",
                "en": "demands went from {a} to {b}; STE {c}",
            },
            "figures": {
                "a": {"indicator": "demands", "period": "2022-08/2023-05-16"},
                "b": {"indicator": "demands", "period": "2022/2025-06-25"},
                "c": {"indicator": "ste", "period": "../2025-06-25"},
            },
        }
    )
    zh = statement_view(cat, statement, words())
    assert zh.text == "需求从2617项增至超6600项；技交所超300亿元"
    assert zh.sources == ("s1", "s2")
    en = statement_view(cat, statement, words("en"))
    assert (
        en.text
        == "demands went from 2,617 demands to more than 6,600 demands; STE more than 30 bn yuan"
    )


def test_a_small_multiple_has_no_key_and_never_says_it_is_empty() -> None:
    view = build_view(catalogue(DEMANDS), ["demands"], words(), (2019, 2025), compact=True)
    assert view.figure is not None
    fig = json.loads(view.figure.to_json())
    assert fig["layout"]["showlegend"] is False
    assert not any(a["text"] == "所选年份内没有数据" for a in fig["layout"]["annotations"])
    assert [t.split("<br>")[0] for t in role(fig, "marks")[0]["text"]] == ["2617", "超 6600"]


def test_ranks_read_as_places_with_1_at_the_top_and_no_line_across_missing_years() -> None:
    units = {
        **UNITS,
        "名": {**UNITS["名"], "rank_display": {"zh": "第{value}名", "en": "No. {value}"}},
    }
    rank = indicator(
        "r", "rank", "名", obs("2019", 1, src="s3"), obs("2020", 2, src="s3"), obs("2022", 1)
    )
    cat = catalogue(rank)
    p = plan_view(cat, ["r"], Words(Translator(LABELS, "zh"), units), fit_years(cat, ["r"]))
    assert [m.text for m in p.marks] == ["第1名", "第2名", "第1名"]
    assert p.reversed_axis and p.integer_axis and p.unit_label == "全国名次"
    assert [(j.a.obs.period, j.b.obs.period) for j in p.series[0].joins] == [("2019", "2020")]
    en = plan_view(cat, ["r"], Words(Translator(LABELS, "en"), units), fit_years(cat, ["r"]))
    assert en.marks[0].text == "No. 1"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh", "沪科提复〔2021〕116号 · "), ("en", "SSTC reply No. 116 (2021) · ")],
)
def test_a_figure_card_names_its_document_in_the_reader_s_language(
    lang: str, expected: str
) -> None:
    """An English card said "沪科提复〔2021〕116号" where the chart beside it says "SSTC
    reply No. 116 (2021)": the card names the document as the page's charts do."""
    from dashboard.catalogue.validate import validate_path
    from dashboard.figures.figure_card import figure_card

    real = validate_path(REPO / "indicators.yaml").catalogue
    assert real is not None
    plan = plan_view(real, ["ip_pledge_financing"], words(lang), (2020, 2020))
    assert len(plan.marks) == 1
    assert figure_card(real, plan, words(lang)).source.startswith(expected)
