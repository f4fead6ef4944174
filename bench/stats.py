"""Summary statistics and timing helpers shared by every benchmark part."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable


def median(values: list[float]) -> float:
    """Median, NaN when nothing was measured (a missing part must not look like zero)."""
    return statistics.median(values) if values else math.nan


def p95(values: list[float]) -> float:
    """95th percentile by the nearest-rank method: with 25 values that is the 24th."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(0.95 * len(ordered)))
    return ordered[rank - 1]


def ratio(value: float, baseline: float) -> float:
    """Value over baseline; NaN rather than a division error when the baseline is missing."""
    if not baseline or math.isnan(baseline) or math.isnan(value):
        return math.nan
    return value / baseline


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    """Seconds one call of fn takes, with its result (kept so the work cannot be skipped)."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result
