"""Events: dated no later than their source, with the date's parts in the quote."""

from __future__ import annotations

from collections.abc import Iterator

from dashboard.catalogue.checks.context import CheckContext
from dashboard.catalogue.checks.dates import date_parts_missing
from dashboard.catalogue.errors import Problem


def event_dates(ctx: CheckContext) -> Iterator[Problem]:
    for loc, event in ctx.events():
        source = ctx.source_of(event.source)
        if source is None:
            continue
        # An event dated only to the month may fall before a source dated within it.
        if event.span.start is not None and event.span.start > source.as_of:
            yield ctx.problem(
                "event-after-source",
                (*loc, "date"),
                f"the event's date {event.date} is after the source's date "
                f"{source.as_of.isoformat()}",
            )
        if not ctx.quote_found(event.source, event.quote):
            continue
        # An inferred date's year is what the source leaves out; the rest must be quoted.
        missing = date_parts_missing(event.span, event.quote, with_year=not event.date_inferred)
        if missing:
            yield ctx.problem(
                "event-date-not-in-quote",
                (*loc, "date"),
                f"the quote does not state {', '.join(map(str, missing))} of {event.date}",
                "quote the passage that states the date",
            )
