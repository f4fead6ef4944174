"""Values written for each language: qualifiers, units, scale changes, changes, periods."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from dashboard.figures.formatting import (
    choose_scale,
    display_number,
    display_unit,
    escape_markdown,
    format_change,
    format_value,
    padded_zeros,
    period_text,
    shared_scales,
)
from dashboard.figures.i18n import Translator

REPO = Path(__file__).resolve().parent.parent
UNITS = yaml.safe_load((REPO / "data/units.yaml").read_text(encoding="utf-8"))
LABELS = yaml.safe_load((REPO / "data/i18n.yaml").read_text(encoding="utf-8"))


def fmt(value, unit, qualifier, lang):
    return format_value(
        value, unit, qualifier, lang, UNITS, Translator(LABELS, lang).qualifier_prefixes()
    )


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "zh", "en"),
    [
        # English keeps the source's digits and moves the point: 亿元 in billions.
        (152, "亿元", "exact", "152 亿元", "15.2 bn yuan"),
        (5409.59, "亿元", "exact", "5409.59 亿元", "540.959 bn yuan"),
        (41.86, "亿元", "exact", "41.86 亿元", "4.186 bn yuan"),
        (15, "亿元", "more_than", "超 15 亿元", "> 1.5 bn yuan"),
        (129.97, "亿元", "exact", "129.97 亿元", "12.997 bn yuan"),
        (300, "亿元", "more_than", "超 300 亿元", "> 30 bn yuan"),
        (8, "亿元", "nearly", "近 8 亿元", "nearly 0.8 bn yuan"),
        (47.06, "亿元", "about", "约 47.06 亿元", "≈ 4.706 bn yuan"),
        (3300, "万元", "more_than", "超 3300 万元", "> 0.033 bn yuan"),
        (11483, "项", "exact", "11483 项", "11,483 items"),
        # 万 counts read in thousands (the one zero 万 -> thousand needs, never three).
        (4.6, "万项", "exact", "4.6 万项", "46 thousand items"),
        (3, "万人", "nearly", "近 3 万人", "nearly 30 thousand people"),
        (33.6, "%", "exact", "33.6%", "33.6%"),
        (7, "个", "exact", "7 个", "7"),
        (1554, "人次", "exact", "1554 人次", "1,554 attendances"),
        # Trailing zeros the source wrote stay (36.0 亿元), and a change of scale adds none.
        (36.0, "亿元", "exact", "36.0 亿元", "3.60 bn yuan"),
        (1, "亿元", "exact", "1 亿元", "0.1 bn yuan"),
    ],
)
def test_format_value_both_languages(value, unit, qualifier, zh, en) -> None:
    assert fmt(value, unit, qualifier, "zh") == zh
    assert fmt(value, unit, qualifier, "en") == en


def test_numpy_floats_keep_their_written_digits() -> None:
    import numpy as np

    assert fmt(np.float64(129.97), "亿元", "exact", "en") == "12.997 bn yuan"


def test_display_number_is_a_change_of_scale_only() -> None:
    assert display_number(129.97, "亿元", "en", UNITS) == 12.997
    assert display_number(300, "亿元", "en", UNITS) == 30
    assert display_number(129.97, "亿元", "zh", UNITS) == 129.97
    assert display_unit("亿元", "en", UNITS) == "bn yuan"
    assert display_unit("亿元", "en", UNITS, values=[300, 129.97]) == "bn yuan"  # one chart
    assert display_unit("亿元", "zh", UNITS) == "亿元"
    users = {"one": "user", "other": "users"}
    assert display_unit("万人", "en", UNITS, noun=users) == "thousand users"


def test_format_change_signs_and_percentage_points() -> None:
    assert format_change(1200, 1000, "项", "zh", UNITS, "个百分点") == "+200 项"
    assert format_change(129.97, 152, "亿元", "en", UNITS, "pp") == "−2.203 bn yuan"
    assert format_change(29.2, 7.8, "%", "en", UNITS, "pp") == "+21.4 pp"
    assert format_change(5, 5, "项", "zh", UNITS, "个百分点") == "±0 项"


def test_period_text_reads_open_starts_and_intervals() -> None:
    assert period_text("../2025-06-25", "截至 {date}") == "截至 2025-06-25"
    assert period_text("2024-01/2024-11") == "2024-01 – 2024-11"
    assert period_text("2020") == "2020"


def test_escape_markdown_keeps_catalogue_text_literal() -> None:
    assert escape_markdown("[x](javascript:alert(1))") == "\\[x\\]\\(javascript\\:alert\\(1\\)\\)"
    assert escape_markdown(":red[alarm] *b*") == "\\:red\\[alarm\\] \\*b\\*"
    assert escape_markdown("超 300 亿元") == "超 300 亿元"


def test_count_units_name_what_they_count_in_english() -> None:
    prefixes = Translator(LABELS, "en").qualifier_prefixes()
    noun = {"one": "contract", "other": "contracts"}

    def en(value, qualifier):
        return format_value(value, "项", qualifier, "en", UNITS, prefixes, noun=noun)

    assert en(9179, "exact") == "9,179 contracts"
    assert en(1, "exact") == "1 contract"
    assert format_value(9179, "项", "exact", "zh", UNITS, {}, noun=noun) == "9179 项"


def test_a_derived_value_is_rounded_to_the_place_given() -> None:
    prefixes = Translator(LABELS, "zh").qualifier_prefixes()
    assert format_value(47.06, "亿元", "about", "zh", UNITS, prefixes, place=-1) == "约 47.1 亿元"
    assert format_value(8595, "项", "about", "zh", UNITS, prefixes, place=1) == "约 8600 项"
    assert format_value(4953.84, "亿元", "about", "zh", UNITS, prefixes, place=1) == "约 4950 亿元"


def test_a_list_of_scales_takes_the_one_padding_fewest_zeros_for_the_whole_group() -> None:
    """A unit offering several scales (as a new unit may) is read in the scale that adds
    the fewest zeros the source did not write, one scale for every value of the group."""
    units = {
        "亿元": {
            "display_en": [{"scale": 100, "suffix": "mn yuan"}, {"scale": 0.1, "suffix": "bn yuan"}]
        }
    }
    assert choose_scale("亿元", "en", units, [152]).suffix == "bn yuan"  # not 15,200 mn
    assert padded_zeros(152, Decimal(100)) == 2
    assert padded_zeros(152, Decimal("0.1")) == 0
    assert padded_zeros(300, Decimal("0.1")) == 0  # 30: a zero dropped, none added
    assert padded_zeros(8, Decimal(100)) == 2  # 800 mn
    assert padded_zeros(Decimal("36.0"), Decimal("0.1")) == 0  # 3.60: the source's zero


def test_a_sentence_reads_amounts_of_one_base_in_one_scale() -> None:
    """Amounts of one base in one sentence share the largest unit's scale (here a unit
    that would read in mn on its own), never "33 mn" beside "0.33 bn"."""
    units = {
        **UNITS,
        "万元": {"base": "元", "factor": 10000, "display_en": {"scale": 0.01, "suffix": "mn yuan"}},
    }
    assert choose_scale("万元", "en", units, [3300]).suffix == "mn yuan"
    scales = shared_scales([("万元", 3300), ("亿元", 3.3), ("项", 16)], "en", units)
    assert scales["万元"].suffix == scales["亿元"].suffix == "bn yuan"
    assert fmt_scaled(3300, "万元", scales["万元"]) == "> 0.033 bn yuan"
    assert fmt_scaled(3.3, "亿元", scales["亿元"]) == "> 0.33 bn yuan"
    assert shared_scales([("万元", 3300)], "zh", UNITS) == {}  # Chinese: as written


def fmt_scaled(value, unit, scale):
    tr = Translator(LABELS, "en")
    return format_value(value, unit, "more_than", "en", UNITS, tr.qualifier_prefixes(), scale=scale)
