"""Periods as the catalogue writes them: "2020", "2024-03", "2025-06-25", "A/B", "../B"."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_POINT = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
OPEN_START = ".."


@dataclass(frozen=True)
class Period:
    """A span of days: `end` is the last day covered; `start` is None when unstated (`..`)."""

    start: date | None
    end: date
    label: str
    is_interval: bool

    @property
    def precision(self) -> str:
        """ "year", "month" or "day": how precisely the period's end is stated."""
        return _precision(self.label.rsplit("/", 1)[-1])

    @property
    def start_precision(self) -> str | None:
        """Precision of the start (None for an open start)."""
        if self.start is None:
            return None
        return _precision(self.label.split("/", 1)[0])

    @property
    def is_single_year(self) -> bool:
        return not self.is_interval and self.precision == "year"


def _precision(text: str) -> str:
    return {4: "year", 7: "month", 10: "day"}[len(text)]


def _point(text: str) -> tuple[date, date]:
    """First and last day of a year, month or day."""
    m = _POINT.match(text)
    if not m:
        raise ValueError(
            f"{text!r} is not a period: write a year (2020), a month (2024-03), "
            "a day (2025-06-25) or START/END"
        )
    year = int(m.group(1))
    if year < 1900 or year > 2100:
        raise ValueError(f"{text!r}: year {year} is out of range (1900-2100)")
    if m.group(2) is None:
        return date(year, 1, 1), date(year, 12, 31)
    month = int(m.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r}: month {month} does not exist")
    last = calendar.monthrange(year, month)[1]
    if m.group(3) is None:
        return date(year, month, 1), date(year, month, last)
    day = int(m.group(3))
    if not 1 <= day <= last:
        raise ValueError(f"{text!r}: day {day} does not exist in {year}-{month:02d}")
    d = date(year, month, day)
    return d, d


def parse_period(text: str) -> Period:
    """Parse a period label; raises ValueError with a message an editor can act on."""
    if not isinstance(text, str):
        raise ValueError(f"a period must be text, not {type(text).__name__}")
    label = "".join(text.split())
    if "/" in label:
        left, _, right = label.partition("/")
        if "/" in right:
            raise ValueError(f"{text!r}: a period has at most one '/' (START/END)")
        end_first, end = _point(right)
        if left == OPEN_START:
            return Period(None, end, label, True)
        start, start_last = _point(left)
        if start_last >= end_first:
            raise ValueError(f"{text!r}: the start must come before the end")
        return Period(start, end, label, True)
    if label == OPEN_START:
        raise ValueError("'..' needs an end: write '../2025-06-25'")
    start, end = _point(label)
    return Period(start, end, label, False)


def period_label(value: object) -> str:
    """The text form of a period written as text, a bare year or a YAML date."""
    if isinstance(value, bool):
        raise ValueError('a period must be text such as "2020", not a boolean')
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value.isoformat()
    if isinstance(value, str):
        return value
    raise ValueError(f'a period must be text such as "2020", not {type(value).__name__}')
