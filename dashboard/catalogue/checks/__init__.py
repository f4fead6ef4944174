"""The cross-checks, one small function per rule, grouped by what they look at.

Each check takes the shared CheckContext and yields Problems. `source_files` runs first:
it reads the texts every quote check uses. To add a rule: write one function in the
group it belongs to, list it in CHECKS, add one broken fixture and one test row
(tests/test_validator_rules.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from dashboard.catalogue.checks import (
    crossdoc,
    derived,
    events,
    periods,
    quotes,
    references,
    series,
    sources,
    topics,
    values,
    vocabulary,
)
from dashboard.catalogue.checks.context import CheckContext
from dashboard.catalogue.errors import Problem

Check = Callable[[CheckContext], Iterable[Problem]]

CHECKS: tuple[Check, ...] = (
    sources.source_files,  # first: fills ctx.texts
    references.duplicate_ids,
    sources.document_dates,
    sources.dismissals_found,
    vocabulary.units_and_topics,
    vocabulary.rate_units,
    vocabulary.fractions,
    vocabulary.count_nouns,
    vocabulary.short_labels,
    references.indicator_references,
    references.duplicate_observations,
    references.source_references,
    periods.compared_with,
    periods.period_forms,
    periods.periods_before_source,
    values.negative_values,
    values.rank_places,
    quotes.observation_quotes,
    values.derived_qualifiers,
    values.values_in_quotes,
    derived.derived_values,
    quotes.event_quotes,
    events.event_dates,
    series.series_breaks,
    series.growth_links,
    topics.topic_lists,
    topics.statements,
    # Warnings (severity "warning"): doubts across documents, never make the file invalid.
    crossdoc.cumulative_falls,
    crossdoc.bound_contradicted,
    crossdoc.same_number_other_meaning,
    crossdoc.annual_exceeds_cumulative,
    crossdoc.ten_thousand_jump,
    topics.statements_current,
)


def run_checks(ctx: CheckContext, checks: Iterable[Check] = CHECKS) -> list[Problem]:
    """Every problem every check finds (unsorted: the caller orders them by position)."""
    problems: list[Problem] = []
    for check in checks:
        problems.extend(check(ctx))
    return problems
