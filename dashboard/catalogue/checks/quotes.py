"""Quotes: every observation's and event's quote is a passage of its source's text."""

from __future__ import annotations

from collections.abc import Iterator

from dashboard.catalogue.checks.context import CheckContext
from dashboard.catalogue.errors import Problem


def observation_quotes(ctx: CheckContext) -> Iterator[Problem]:
    for loc, _indicator, obs in ctx.observations():
        if ctx.source_of(obs.source) is None:
            continue  # references.source_references says so
        problem = ctx.quote_problem(obs.source, obs.quote, (*loc, "quote"))
        if problem is not None:
            yield problem


def event_quotes(ctx: CheckContext) -> Iterator[Problem]:
    for loc, event in ctx.events():
        if ctx.source_of(event.source) is None:
            continue
        problem = ctx.quote_problem(event.source, event.quote, (*loc, "quote"))
        if problem is not None:
            yield problem
