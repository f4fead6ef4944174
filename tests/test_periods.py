"""Period parsing: years, months, days, intervals and open starts."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.catalogue.periods import parse_period, period_label


@pytest.mark.parametrize(
    ("text", "start", "end", "interval", "precision"),
    [
        ("2020", date(2020, 1, 1), date(2020, 12, 31), False, "year"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), False, "month"),
        ("2025-06-25", date(2025, 6, 25), date(2025, 6, 25), False, "day"),
        ("2024-01/2024-11", date(2024, 1, 1), date(2024, 11, 30), True, "month"),
        ("2020-10-28/2023-05-16", date(2020, 10, 28), date(2023, 5, 16), True, "day"),
        ("../2025-06-25", None, date(2025, 6, 25), True, "day"),
        ("2016/2020", date(2016, 1, 1), date(2020, 12, 31), True, "year"),
        (" 2016 / 2020 ", date(2016, 1, 1), date(2020, 12, 31), True, "year"),
    ],
)
def test_valid_periods(text, start, end, interval, precision):
    p = parse_period(text)
    assert (p.start, p.end, p.is_interval, p.precision) == (start, end, interval, precision)


def test_label_is_normalised():
    assert parse_period(" 2016 / 2020 ").label == "2016/2020"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("20", "is not a period"),
        ("2024-13", "month 13 does not exist"),
        ("2023-02-29", "day 29 does not exist"),
        ("2020/2016", "start must come before the end"),
        ("..", "needs an end"),
        ("2020/2021/2022", "at most one"),
        ("1066", "out of range"),
        ("2020年", "is not a period"),
    ],
)
def test_invalid_periods_explain_themselves(text, fragment):
    with pytest.raises(ValueError, match=fragment):
        parse_period(text)


def test_period_label_accepts_bare_years_and_dates_but_not_booleans():
    assert period_label(2020) == "2020"
    assert period_label(date(2020, 10, 28)) == "2020-10-28"
    with pytest.raises(ValueError, match="boolean"):
        period_label(True)
