"""Cross-document doubts: figures of one indicator (or of a flow and its running total) that
cannot all hold. They are warnings: the documents may really disagree, and the catalogue
records what each one says (`check --strict` turns them into errors)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import combinations, pairwise

from dashboard.catalogue.checks.context import CheckContext, Loc
from dashboard.catalogue.checks.values import fmt
from dashboard.catalogue.errors import Problem
from dashboard.catalogue.models import Indicator, Measure, Observation, Qualifier
from dashboard.catalogue.periods import Period

# "近 v" (nearly) is read as [NEARLY_FLOOR * v, v): close below v. "约 v" (about) as
# v ± ABOUT_SPREAD. Looser readings would miss a fall; tighter ones would cry wolf.
NEARLY_FLOOR = 0.8
ABOUT_SPREAD = 0.2
# A forgotten (or doubled) 万 multiplies a figure by 10**4; neighbouring figures further
# apart than 10**3.5 are closer to that than to any plausible change.
JUMP_RATIO = 10**3.5
_BOUNDS = {Qualifier.more_than, Qualifier.nearly}
_SIGNED = {Measure.growth_rate, Measure.average_growth_rate}


@dataclass(frozen=True)
class _Range:
    """The values a figure allows: low..high, each end open or closed."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def below(self, other: _Range) -> bool:
        """Every value of self is below every value of other."""
        if self.high < other.low:
            return True
        return self.high == other.low and (self.high_open or other.low_open)


def _range(obs: Observation) -> _Range:
    v = float(obs.value)
    if obs.qualifier is Qualifier.more_than:
        return _Range(v, math.inf, low_open=True)
    if obs.qualifier is Qualifier.nearly:
        return _Range(v * NEARLY_FLOOR, v, high_open=True)
    if obs.qualifier is Qualifier.about:
        return _Range(v * (1 - ABOUT_SPREAD), v * (1 + ABOUT_SPREAD))
    return _Range(v, v)


def _said(ind: Indicator, obs: Observation) -> str:
    """How a warning names a figure: value, qualifier, unit, period and source."""
    words = {"exact": "", "more_than": "more than ", "nearly": "nearly ", "about": "about "}
    value = f"{words[obs.qualifier.value]}{fmt(obs.value)} {ind.unit}"
    return f"{value} ({obs.period}, `{obs.source}`)"


def _noted(obs: Observation, other: Observation) -> str:
    """The recorded ambiguity, so the warning shows that the doubt is known and what it is."""
    for o in (obs, other):
        if o.ambiguity is not None:
            return f"; recorded ambiguity: {o.ambiguity.en}"
    return ""


def _hint(obs: Observation, other: Observation, check: str) -> str:
    if obs.ambiguity is not None or other.ambiguity is not None:
        return "the disagreement is recorded: keep the `ambiguity` while the documents disagree"
    return f"{check}; if the documents really disagree, say so in both observations' `ambiguity`"


def _located(ind_loc: Loc, ind: Indicator) -> list[tuple[Loc, Observation]]:
    return [
        ((*ind_loc, "observations", j), obs)
        for j, obs in enumerate(ind.observations)
        if not obs.is_derived
    ]


def cumulative_falls(ctx: CheckContext) -> Iterator[Problem]:
    """A running total never falls: a later document's total is not below an earlier one's
    (unless the later total starts later)."""
    for ind_loc, ind in ctx.indicators():
        if ind.measure is not Measure.cumulative:
            continue
        figures = _located(ind_loc, ind)
        for (_, a), (loc_b, b) in combinations(sorted(figures, key=_by_end), 2):
            if a.span.end >= b.span.end or _starts_later(b.span, a.span):
                continue
            if _range(b).below(_range(a)):
                yield ctx.problem(
                    "cumulative-falls",
                    (*loc_b, "value"),
                    f"the running total falls from {_said(ind, a)} to {_said(ind, b)}"
                    + _noted(b, a),
                    _hint(b, a, "check both values and qualifiers"),
                    severity="warning",
                )


def bound_contradicted(ctx: CheckContext) -> Iterator[Problem]:
    """Two figures of one indicator for the same date, one of them a bound (超/近), that
    cannot both hold: exact 8 vs 超8, or 近8 vs 超8."""
    for ind_loc, ind in ctx.indicators():
        figures = [
            (loc, obs)
            for loc, obs in _located(ind_loc, ind)
            if obs.qualifier is not Qualifier.about
        ]
        for (_, a), (loc_b, b) in combinations(figures, 2):
            if not (_BOUNDS & {a.qualifier, b.qualifier}) or not _same_date(a.span, b.span):
                continue
            ra, rb = _range(a), _range(b)
            if ra.below(rb) or rb.below(ra):
                yield ctx.problem(
                    "bound-contradicted",
                    (*loc_b, "qualifier"),
                    f"{_said(ind, a)} and {_said(ind, b)} cannot both hold for "
                    f"{b.span.end.isoformat()}" + _noted(b, a),
                    _hint(b, a, "check both values and qualifiers"),
                    severity="warning",
                )


def annual_exceeds_cumulative(ctx: CheckContext) -> Iterator[Problem]:
    """A year's flow is not larger than a running total (same subject and unit, not marked
    not_comparable_with) that covers the whole of that year."""
    totals = _totals_by_subject(ctx)
    for ind_loc, ind in ctx.indicators():
        if ind.measure is not Measure.annual_flow:
            continue
        by_figure = totals.get((ind.subject.zh, ind.unit))
        if not by_figure:
            continue
        apart = {r.indicator for r in ind.not_comparable_with}
        for loc, obs in _located(ind_loc, ind):
            flow = _range(obs)
            found = [
                total
                for (_, _, total_range), group in by_figure.items()
                if _covers(group[0][2].span, obs.span) and total_range.below(flow)
                for total in group
                if total[1].id not in apart
                and ind.id not in {r.indicator for r in total[1].not_comparable_with}
            ]
            for _, total_ind, total in sorted(found, key=lambda t: t[0]):
                yield ctx.problem(
                    "annual-exceeds-cumulative",
                    (*loc, "value"),
                    f"the flow for {obs.period}, {_said(ind, obs)}, is larger than the "
                    f"running total `{total_ind.id}` that covers it, "
                    f"{_said(total_ind, total)}" + _noted(obs, total),
                    "check the values and units (万/亿), or mark the two indicators "
                    "not_comparable_with each other",
                    severity="warning",
                )


_Total = tuple[int, Indicator, Observation]  # catalogue order, indicator, figure


def _totals_by_subject(
    ctx: CheckContext,
) -> dict[tuple[str, str], dict[tuple[date | None, date, _Range], list[_Total]]]:
    """Stated running totals by what the rule compares (subject, unit), then by what
    decides a finding (span and range of values): a flow is tested once per distinct
    figure, not once per indicator, so many alike indicators are never compared pairwise
    (at 100x this rule took 13 of check's 20 s; at 1000x, minutes)."""
    out: dict[tuple[str, str], dict[tuple[date | None, date, _Range], list[_Total]]] = {}
    order = 0
    for _, ind in ctx.indicators():
        if ind.measure is not Measure.cumulative:
            continue
        for obs in ind.observations:
            if obs.is_derived:
                continue
            figure = (obs.span.start, obs.span.end, _range(obs))
            group = out.setdefault((ind.subject.zh, ind.unit), {})
            group.setdefault(figure, []).append((order, ind, obs))
            order += 1
    return out


def ten_thousand_jump(ctx: CheckContext) -> Iterator[Problem]:
    """Neighbouring figures of one indicator about 10**4 apart: a 万 forgotten or added."""
    for ind_loc, ind in ctx.indicators():
        if ind.measure in _SIGNED:
            continue
        ordered = sorted(
            ((loc, obs) for loc, obs in _all(ind_loc, ind) if obs.value > 0), key=_by_end
        )
        for (_, a), (loc_b, b) in pairwise(ordered):
            ratio = max(a.value, b.value) / min(a.value, b.value)
            if ratio >= JUMP_RATIO:
                yield ctx.problem(
                    "ten-thousand-jump",
                    (*loc_b, "value"),
                    f"{_said(ind, b)} is {ratio:,.0f} times its neighbour "
                    f"{_said(ind, a)}" + _noted(b, a),
                    "was a 万 (10,000) or 亿 forgotten in the value or the unit?",
                    severity="warning",
                )


def _all(ind_loc: Loc, ind: Indicator) -> list[tuple[Loc, Observation]]:
    return [((*ind_loc, "observations", j), obs) for j, obs in enumerate(ind.observations)]


def _by_end(item: tuple[Loc, Observation]) -> tuple[date, date]:
    span = item[1].span
    return span.end, span.start or date.min


def _same_date(a: Period, b: Period) -> bool:
    return a.end == b.end and a.precision == b.precision


def _starts_later(later: Period, earlier: Period) -> bool:
    """The later total counts from a later start, so it may legitimately be smaller."""
    return later.start is not None and (earlier.start is None or later.start > earlier.start)


def _covers(total: Period, year: Period) -> bool:
    """A running total with a stated start that spans the whole flow period."""
    if year.start is None or total.start is None:
        return False
    return total.start <= year.start and total.end >= year.end
