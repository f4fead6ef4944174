"""English amounts, over every figure of the real catalogue (issue 21, point 1): the
source's digits with the point moved (152 亿元 is 15.2 bn yuan, never 15,200 mn), no padded
zeros, one scale, the same words on card, chart, finder and statement, and the source's
own wording one hover away."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from dashboard.catalogue.validate import validate_path
from dashboard.figures.formatting import choose_scale, padded_zeros, written_places
from dashboard.figures.grammar import Words, figure_text, fit_years, plan_view
from dashboard.figures.headline import headline
from dashboard.figures.i18n import Translator
from dashboard.figures.topics import statement_view
from dashboard.figures.views import build_view

REPO = Path(__file__).resolve().parent.parent
LABELS = yaml.safe_load((REPO / "data/i18n.yaml").read_text(encoding="utf-8"))
UNITS = yaml.safe_load((REPO / "data/units.yaml").read_text(encoding="utf-8"))
CATALOGUE = validate_path(REPO / "indicators.yaml").catalogue
assert CATALOGUE is not None
EN = Words(Translator(LABELS, "en"), UNITS)
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
STATED = [
    (indicator, obs)
    for indicator in CATALOGUE.indicators
    for obs in indicator.observations
    if not obs.is_derived and indicator.measure.value != "rank"
]


def digits(text: str) -> str:
    return text.replace(",", "").replace(".", "").lstrip("0")


def number_and_unit(text: str) -> str:
    """A value without its qualifier words ("> 1.5 bn yuan", "more than 1.5 bn yuan")."""
    found = NUMBER.search(text)
    assert found is not None, text
    return text[found.start() :]


def test_every_english_figure_keeps_the_source_digits_without_padded_zeros() -> None:
    assert len(STATED) > 100
    for indicator, obs in STATED:
        shown = figure_text(CATALOGUE, indicator, obs, EN).value
        (number,) = NUMBER.findall(shown.replace("No. ", ""))[:1]
        source = format(Decimal(repr(float(obs.value))), "f")
        if written_places(obs.value) == 0 and "." in source:
            source = source.rstrip("0").rstrip(".")
        # The same significant digits, the decimal point moved.
        assert digits(number).rstrip("0") == digits(source).rstrip("0"), (indicator.id, shown)
        scale = choose_scale(indicator.unit, "en", UNITS, [obs.value])
        # 万 counts read in thousands: the one zero 万 -> thousand needs; nothing else pads.
        allowed = 1 if scale.magnitude == "thousand" else 0
        assert padded_zeros(obs.value, scale.factor) <= allowed, (indicator.id, shown)
        assert "mn yuan" not in shown and "person-time" not in shown, (indicator.id, shown)


@pytest.mark.parametrize(
    ("indicator_id", "period", "expected"),
    [
        ("ste_cumulative_trade_value", "2020-10/2023-05-16", "15.2 bn yuan"),
        ("sts_industry_revenue", "2024-01/2024-11", "540.959 bn yuan"),
        ("eastern_center_annual_transactions", "2022", "4.186 bn yuan"),
        ("ste_cumulative_intended_trade_value", "2020-10-28/2021-05-26", "> 1.5 bn yuan"),
        ("innomatch_registered_users", "2025-06-25", "nearly 30 thousand users"),
        ("training_base_annual_trainees", "2024", "1,554 trainees"),
    ],
)
def test_the_issue_s_figures_read_as_an_english_reader_expects(
    indicator_id: str, period: str, expected: str
) -> None:
    indicator = CATALOGUE.indicators_by_id[indicator_id]
    (obs,) = [o for o in indicator.observations if o.period == period]
    assert figure_text(CATALOGUE, indicator, obs, EN).value == expected


def test_each_figure_reads_the_same_on_chart_card_and_statement() -> None:
    by_id = CATALOGUE.indicators_by_id
    # Charts: each mark's label is the figure's number; the axis carries the unit.
    for indicator in CATALOGUE.indicators:
        plan = plan_view(CATALOGUE, [indicator.id], EN, fit_years(CATALOGUE, [indicator.id]))
        for mark in plan.marks:
            if mark.derived or indicator.measure.value == "rank":
                continue
            text = figure_text(CATALOGUE, indicator, mark.obs, EN)
            assert number_and_unit(text.value).startswith(number_and_unit(mark.text)), mark.text
            number = NUMBER.search(text.value)
            assert number is not None
            after = text.value[number.end() :].strip()
            if indicator.unit != "%" and number.group() != "1":  # not "1 institution"
                assert after == plan.unit_label, (indicator.id, text.value, plan.unit_label)
            # The source's own wording is in the chart's hover.
            assert mark.original == text.original and text.original
    # Overview cards: the latest figure, as everywhere else.
    ids = tuple(CATALOGUE.headline_ids())
    for ident in ids:
        card = headline(CATALOGUE, by_id[ident], EN, ids)
        assert card is not None
        if card.derived:
            continue
        latest = [o for o in by_id[ident].observations if o.quote == card.quote][-1]
        assert card.value == figure_text(CATALOGUE, by_id[ident], latest, EN).value
        assert card.original == figure_text(CATALOGUE, by_id[ident], latest, EN).original
    # Statements: the same number and unit (prose writes "more than" for ">").
    for topic in CATALOGUE.topics:
        for statement in topic.statements:
            view = statement_view(CATALOGUE, statement, EN)
            for ref in statement.figures.values():
                (obs,) = CATALOGUE.find(ref)
                if obs.is_derived:
                    continue
                text = figure_text(CATALOGUE, by_id[ref.indicator], obs, EN)
                assert number_and_unit(text.value) in view.text, (view.text, text.value)
                assert (number_and_unit(text.value), text.original) in [
                    (number_and_unit(w), o) for w, o in view.parts if o and o != w
                ] or text.original == text.value


def test_english_chart_hovers_give_the_original_and_its_axis_one_scale() -> None:
    view = build_view(
        CATALOGUE,
        ["ste_cumulative_trade_value"],
        EN,
        fit_years(CATALOGUE, ["ste_cumulative_trade_value"]),
    )
    assert view.figure is not None
    (marks,) = [t for t in view.figure.data if (t.meta or {}).get("role") == "marks"]
    assert [t.split("<br>")[0] for t in marks.text] == ["15.2", "&gt; 30"]
    assert any("As stated: 152亿元" in h for h in marks.hovertext)
    assert any("As stated: 超300亿元" in h for h in marks.hovertext)
    assert view.plan.unit_label == "bn yuan"
