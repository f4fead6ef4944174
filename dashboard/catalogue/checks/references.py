"""References and duplicates: ids are unique, and every id an entry names exists."""

from __future__ import annotations

from collections.abc import Iterator

from dashboard.catalogue.checks.context import CheckContext
from dashboard.catalogue.errors import Problem

SECTIONS = ("sources", "indicators", "events", "topics", "dismissal_rules")


def duplicate_ids(ctx: CheckContext) -> Iterator[Problem]:
    """Each section's ids are unique (indicator ids are URLs)."""
    for section in SECTIONS:
        seen: dict[str, int] = {}
        for k, item in enumerate(getattr(ctx.catalogue, section)):
            index = ctx.index(section, k)
            if item.id in seen:
                yield ctx.problem(
                    "duplicate-id",
                    (section, index, "id"),
                    f"id `{item.id}` is already used by {section}[{seen[item.id]}]",
                    "ids must be unique: rename the new one (indicator ids are URLs)",
                )
            else:
                seen[item.id] = index


def duplicate_observations(ctx: CheckContext) -> Iterator[Problem]:
    """One source gives one figure per period of an indicator."""
    for loc, indicator in ctx.indicators():
        seen: dict[tuple[str, str], int] = {}
        for j, obs in enumerate(indicator.observations):
            key = (obs.span.label, obs.source)
            if key in seen:
                yield ctx.problem(
                    "duplicate-observation",
                    (*loc, "observations", j, "period"),
                    f"observations[{seen[key]}] already has period {obs.period} "
                    f"from source `{obs.source}`",
                    "one source, one figure per period: remove one or split the indicator",
                )
            else:
                seen[key] = j


def indicator_references(ctx: CheckContext) -> Iterator[Problem]:
    """`not_comparable_with` and events' `indicators` name existing indicators."""
    known = ctx.catalogue.indicators_by_id
    for loc, indicator in ctx.indicators():
        for j, rel in enumerate(indicator.not_comparable_with):
            if rel.indicator not in known:
                found = ctx.unknown_indicator(
                    rel.indicator, (*loc, "not_comparable_with", j, "indicator")
                )
                if found:
                    yield found
    for loc, event in ctx.events():
        for j, ident in enumerate(event.indicators):
            if ident not in known:
                found = ctx.unknown_indicator(ident, (*loc, "indicators", j))
                if found:
                    yield found


def source_references(ctx: CheckContext) -> Iterator[Problem]:
    """Every observation and event names an existing source."""
    for loc, _indicator, obs in ctx.observations():
        if ctx.source_of(obs.source) is None:
            found = ctx.unknown_source(obs.source, (*loc, "source"))
            if found:
                yield found
    for loc, event in ctx.events():
        if ctx.source_of(event.source) is None:
            found = ctx.unknown_source(event.source, (*loc, "source"))
            if found:
                yield found
