"""Series: a break needs a figure before it, and a growth rate names the level it changes."""

from __future__ import annotations

from collections.abc import Iterator

from dashboard.catalogue.checks.context import CheckContext
from dashboard.catalogue.errors import Problem
from dashboard.catalogue.models import Measure


def series_breaks(ctx: CheckContext) -> Iterator[Problem]:
    """A `series_break` sits on a figure with an earlier one to break from."""
    for loc, indicator, obs in ctx.observations():
        if obs.series_break is None:
            continue
        if not any(other.span.end < obs.span.end for other in indicator.observations):
            yield ctx.problem(
                "series-break-first",
                (*loc, "series_break"),
                "a series break on the earliest figure of its indicator breaks from nothing",
                "put it on the first figure of the new wording or scope, or remove it",
            )


def growth_links(ctx: CheckContext) -> Iterator[Problem]:
    """`growth_of` is on a growth rate and names an existing level indicator."""
    known = ctx.catalogue.indicators_by_id
    for loc, indicator in ctx.indicators():
        target_id = indicator.growth_of
        if target_id is None:
            continue
        if indicator.measure is not Measure.growth_rate:
            yield ctx.problem(
                "growth-of-measure",
                (*loc, "growth_of"),
                f"`growth_of` belongs to growth_rate indicators, not {indicator.measure.value}",
                "remove it, or change the indicator's measure",
            )
            continue
        target = known.get(target_id)
        if target is None:
            unknown = ctx.unknown_indicator(target_id, (*loc, "growth_of"))
            if unknown:
                yield unknown
        elif target.unit == "%" or target.measure in (
            Measure.growth_rate,
            Measure.average_growth_rate,
        ):
            yield ctx.problem(
                "growth-of-target",
                (*loc, "growth_of"),
                f"`{target_id}` is itself a rate ({target.measure.value}), not a level",
                "name the indicator whose values this growth rate compares",
            )
