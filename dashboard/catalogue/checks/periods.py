"""Periods: each has the form its measure needs and ends by its source's date."""

from __future__ import annotations

from collections.abc import Iterator

from dashboard.catalogue.checks.context import CheckContext
from dashboard.catalogue.errors import Problem
from dashboard.catalogue.models import Measure
from dashboard.catalogue.periods import Period, parse_period


def compared_with(ctx: CheckContext) -> Iterator[Problem]:
    """A growth rate names its earlier base period; nothing else has one."""
    for loc, ind, obs in ctx.observations():
        if ind.measure is Measure.growth_rate and obs.compared_with is None:
            yield ctx.problem(
                "missing-compared-with",
                loc,
                "a growth_rate observation needs `compared_with` (its base period)",
                'e.g. compared_with: "2016" for 与2016年相比',
            )
        elif ind.measure is not Measure.growth_rate and obs.compared_with is not None:
            yield ctx.problem(
                "unexpected-compared-with",
                (*loc, "compared_with"),
                f"`compared_with` belongs to growth_rate indicators, not {ind.measure.value}",
                "remove it, or change the indicator's measure",
            )
        elif obs.compared_with is not None:
            base = parse_period(obs.compared_with)
            if obs.span.start is None or base.end >= obs.span.start:
                yield ctx.problem(
                    "compared-with-not-earlier",
                    (*loc, "compared_with"),
                    f"the base period {obs.compared_with} does not end before {obs.period}",
                    "compared_with is the earlier period the growth is measured from",
                )


def period_forms(ctx: CheckContext) -> Iterator[Problem]:
    """A year for an annual flow, part of one year for a partial-year flow, and so on."""
    for loc, ind, obs in ctx.observations():
        form = form_problem(ind.measure, obs.span)
        if form:
            yield ctx.problem("period-form-mismatch", (*loc, "period"), form[0], form[1])


def periods_before_source(ctx: CheckContext) -> Iterator[Problem]:
    """No figure is for a period that ends after the document stating it."""
    for loc, _ind, obs in ctx.observations():
        source = ctx.source_of(obs.source)
        if source is not None and obs.span.end > source.as_of:
            yield ctx.problem(
                "period-after-source",
                (*loc, "period"),
                f"the period ends {obs.span.end.isoformat()}, after the source's date "
                f"{source.as_of.isoformat()}",
                "a cumulative figure ends at the source's date: ../" + source.as_of.isoformat(),
            )


def form_problem(measure: Measure, span: Period) -> tuple[str, str] | None:
    """(message, hint) when `span` is not a period a `measure` can have."""
    if measure is Measure.annual_flow and not span.is_single_year:
        return "an annual_flow covers one calendar year", 'write period: "2020"'
    if measure is Measure.partial_year_flow and (
        span.start is None or span.is_single_year or span.start.year != span.end.year
    ):
        return "a partial_year_flow covers part of one year", 'e.g. period: "2024-01/2024-11"'
    if measure is Measure.cumulative and not span.is_interval:
        return (
            "a cumulative figure runs from a start to an as-of date",
            'e.g. "2020-10-28/2023-05-16", or "../2025-06-25" when the start is not stated',
        )
    if measure is Measure.stock and span.is_interval:
        return "a stock is a level at one date", 'e.g. period: "2023-05-16" or "2023"'
    if measure is Measure.average_growth_rate and (not span.is_interval or span.start is None):
        return "an average_growth_rate spans START/END", 'e.g. period: "2016/2020"'
    return None
