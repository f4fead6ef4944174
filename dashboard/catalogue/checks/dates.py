"""Whether a quote states the parts of a date (shared by the source and event checks)."""

from __future__ import annotations

import re

from dashboard.catalogue.numbers import find_mentions, same_number
from dashboard.catalogue.periods import Period
from dashboard.catalogue.textnorm import normalize


def date_parts_missing(span: Period | None, quote: str, with_year: bool) -> list[int]:
    """The year/month/day numbers of a single date that its quote does not contain."""
    if span is None:
        return []
    numbers = numbers_in(quote)
    wanted = [span.end.year] if with_year else []
    if span.precision in ("month", "day"):
        wanted.append(span.end.month)
    if span.precision == "day":
        wanted.append(span.end.day)
    return [n for n in wanted if not any(same_number(n, v) for v in numbers)]


def numbers_in(text: str) -> list[float]:
    """Every number a text states, as mentions and as bare digit runs (2021-05-26)."""
    values = [float(v) for m in find_mentions(text) for v in m.values]
    values.extend(float(d) for d in re.findall(r"\d+", normalize(text)))
    return values
