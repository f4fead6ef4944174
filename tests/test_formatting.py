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
        (129.97, "亿元", "exact", "129.97 亿元", "12.997 bn yuan"),
        (300, "亿元", "more_than", "超 300 亿元", "> 30 bn yuan"),
        (8, "亿元", "nearly", "近 8 亿元", "nearly 0.8 bn yuan"),
        (47.06, "亿元", "about", "约 47.06 亿元", "≈ 4.706 bn yuan"),
        (11483, "项", "exact", "11483 项", "11,483 items"),
        (4.6, "万项", "exact", "4.6 万项", "46,000 items"),
        (33.6, "%", "exact", "33.6%", "33.6%"),
        (7, "个", "exact", "7 个", "7"),
        (1.0, "亿元", "exact", "1 亿元", "0.1 bn yuan"),
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
    assert display_number(129.97, "亿元", "zh", UNITS) == 129.97
    assert display_unit("亿元", "en", UNITS) == "bn yuan"
    assert display_unit("亿元", "zh", UNITS) == "亿元"


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
