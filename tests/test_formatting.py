"""Values written for each language: qualifiers, units, scale changes, changes, periods."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dashboard.figures.formatting import (
    display_number,
    display_unit,
    escape_markdown,
    format_change,
    format_value,
    period_text,
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
        # English adds no decimal place to what the source wrote: bn where it can, else mn.
        (129.97, "亿元", "exact", "129.97 亿元", "12,997 mn yuan"),
        (300, "亿元", "more_than", "超 300 亿元", "> 30 bn yuan"),
        (8, "亿元", "nearly", "近 8 亿元", "nearly 800 mn yuan"),
        (47.06, "亿元", "about", "约 47.06 亿元", "≈ 4,706 mn yuan"),
        (3300, "万元", "more_than", "超 3300 万元", "> 33 mn yuan"),
        (11483, "项", "exact", "11483 项", "11,483 items"),
        (4.6, "万项", "exact", "4.6 万项", "46,000 items"),
        (33.6, "%", "exact", "33.6%", "33.6%"),
        (7, "个", "exact", "7 个", "7"),
        # Trailing zeros the source wrote stay (36.0 亿元), and a change of scale adds none.
        (36.0, "亿元", "exact", "36.0 亿元", "3,600 mn yuan"),
        (1, "亿元", "exact", "1 亿元", "100 mn yuan"),
    ],
)
def test_format_value_both_languages(value, unit, qualifier, zh, en) -> None:
    assert fmt(value, unit, qualifier, "zh") == zh
    assert fmt(value, unit, qualifier, "en") == en


def test_numpy_floats_keep_their_written_digits() -> None:
    import numpy as np

    assert fmt(np.float64(129.97), "亿元", "exact", "en") == "12,997 mn yuan"


def test_display_number_is_a_change_of_scale_only() -> None:
    assert display_number(129.97, "亿元", "en", UNITS) == 12997
    assert display_number(300, "亿元", "en", UNITS) == 30
    assert display_number(129.97, "亿元", "zh", UNITS) == 129.97
    assert display_unit("亿元", "en", UNITS) == "bn yuan"
    assert display_unit("亿元", "en", UNITS, values=[300, 129.97]) == "mn yuan"  # one chart
    assert display_unit("亿元", "zh", UNITS) == "亿元"


def test_format_change_signs_and_percentage_points() -> None:
    assert format_change(1200, 1000, "项", "zh", UNITS, "个百分点") == "+200 项"
    assert format_change(129.97, 152, "亿元", "en", UNITS, "pp") == "−2,203 mn yuan"
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
