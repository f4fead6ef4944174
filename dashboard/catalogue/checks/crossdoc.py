"""Cross-document doubts: figures of one indicator (or of a flow and its running total, or
one number under two meanings) that cannot all hold. They are warnings: the documents may
really disagree, and the catalogue records what each one says. A warning whose
disagreement is recorded (an `ambiguity` naming the other document) is acknowledged;
`check --strict` fails only on the others. What a contradiction is lives in
catalogue/contradictions.py, which the charts use too."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import pairwise

from dashboard.catalogue.checks.context import CheckContext, Loc
from dashboard.catalogue.checks.values import fmt
from dashboard.catalogue.contradictions import (
    Contradiction,
    Range,
    acknowledged,
    bounds,
    falls,
    meanings,
    records,
    value_range,
)
from dashboard.catalogue.errors import Problem
from dashboard.catalogue.models import Indicator, Measure, Observation
from dashboard.catalogue.periods import Period

# A forgotten (or doubled) 万 multiplies a figure by 10**4; neighbouring figures further
# apart than 10**3.5 are closer to that than to any plausible change.
JUMP_RATIO = 10**3.5
_SIGNED = {Measure.growth_rate, Measure.average_growth_rate}


def document(ctx: CheckContext, source_id: str) -> str:
    """A document as warnings name it: its reference (else its short label) and its id."""
    source = ctx.source_of(source_id)
    if source is None:
        return f"`{source_id}`"
    return f"{source.reference or source.short.zh} `{source_id}`"


def _said(ctx: CheckContext, ind: Indicator, obs: Observation) -> str:
    """How a warning names a figure: value, qualifier, unit, period and document."""
    words = {"exact": "", "more_than": "more than ", "nearly": "nearly ", "about": "about "}
    value = f"{words[obs.qualifier.value]}{fmt(obs.value)} {ind.unit}"
    return f"{value} ({obs.period}, {document(ctx, obs.source)})"


def _noted(ctx: CheckContext, obs: Observation, other: Observation) -> str:
    """The ambiguity that records the disagreement, so the warning shows what it says."""
    for a, b in ((obs, other), (other, obs)):
        if a.ambiguity is not None and records(ctx.catalogue, a, b):
            return f"; recorded ambiguity: {a.ambiguity.en}"
    return ""


def _hint(ctx: CheckContext, obs: Observation, other: Observation, check: str) -> str:
    if acknowledged(ctx.catalogue, obs, other):
        return "the disagreement is recorded: keep the `ambiguity` while the documents disagree"
    name = document(ctx, other.source)
    return (
        f"{check}; if the documents really disagree, record it: an `ambiguity: {{zh, en}}` on "
        f"this observation that names {name} (the warning is then acknowledged and "
        "`check --strict` passes)"
    )


def _warn(
    ctx: CheckContext,
    type_: str,
    found: Contradiction,
    ind_loc: Loc,
    message: str,
    check: str,
    field: str = "value",
) -> Problem:
    """The warning, at the newer figure (`ind_loc` is where its indicator is written)."""
    a, b = found.earlier.obs, found.later.obs
    return ctx.problem(
        type_,
        (*ind_loc, "observations", found.later.index, field),
        message + _noted(ctx, b, a),
        _hint(ctx, b, a, check),
        severity="warning",
        acknowledged=found.acknowledged,
    )


def cumulative_falls(ctx: CheckContext) -> Iterator[Problem]:
    """A running total never falls: a later document's total is not below an earlier one's
    (unless the later total starts later)."""
    for ind_loc, ind in ctx.indicators():
        for found in falls(ctx.catalogue, ind, ctx.units):
            a, b = found.earlier.obs, found.later.obs
            yield _warn(
                ctx,
                "cumulative-falls",
                found,
                ind_loc,
                f"the running total falls from {_said(ctx, ind, a)} to {_said(ctx, ind, b)}",
                "check both values and qualifiers",
            )


def bound_contradicted(ctx: CheckContext) -> Iterator[Problem]:
    """Two figures of one indicator for the same date, one of them a bound (超/近), that
    cannot both hold: exact 8 vs 超8, or 近8 vs 超8."""
    for ind_loc, ind in ctx.indicators():
        for found in bounds(ctx.catalogue, ind, ctx.units):
            a, b = found.earlier.obs, found.later.obs
            yield _warn(
                ctx,
                "bound-contradicted",
                found,
                ind_loc,
                f"{_said(ctx, ind, a)} and {_said(ctx, ind, b)} cannot both hold for "
                f"{b.span.end.isoformat()}",
                "check both values and qualifiers",
                field="qualifier",
            )


def same_number_other_meaning(ctx: CheckContext) -> Iterator[Problem]:
    """One specific number (339) that an older document gives one indicator and a newer
    document another, in the same topic and unit: likely the same count under another
    word (signed deals, then matches)."""
    where = {id(ind): loc for loc, ind in ctx.indicators()}
    for found in meanings(ctx.catalogue):
        (ia, a), (ib, b) = ((f.indicator, f.obs) for f in found.figures)
        yield _warn(
            ctx,
            "same-number-other-meaning",
            found,
            where[id(ib)],
            f"{_said(ctx, ib, b)} is `{ib.id}` ({ib.name.en}), but "
            f"{document(ctx, a.source)} gives the same number as `{ia.id}` ({ia.name.en}): "
            f"{_said(ctx, ia, a)}",
            f"check which of the two the newer document means (it may name {ia.name.en} "
            "with another word)",
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
            try:
                flow = value_range(obs, ind, ctx.units)
            except ValueError:  # not a listed scale of its indicator's unit: named elsewhere
                continue
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
                    f"the flow for {obs.period}, {_said(ctx, ind, obs)}, is larger than the "
                    f"running total `{total_ind.id}` that covers it, "
                    f"{_said(ctx, total_ind, total)}" + _noted(ctx, obs, total),
                    "check the values and units (万/亿), or mark the two indicators "
                    "not_comparable_with each other",
                    severity="warning",
                    acknowledged=acknowledged(ctx.catalogue, obs, total),
                )


_Total = tuple[int, Indicator, Observation]  # catalogue order, indicator, figure


def _totals_by_subject(
    ctx: CheckContext,
) -> dict[tuple[str, str], dict[tuple[date | None, date, Range], list[_Total]]]:
    """Stated running totals by what the rule compares (subject, unit), then by what
    decides a finding (span and range of values): a flow is tested once per distinct
    figure, not once per indicator, so many alike indicators are never compared pairwise
    (at 100x this rule took 13 of check's 20 s; at 1000x, minutes)."""
    out: dict[tuple[str, str], dict[tuple[date | None, date, Range], list[_Total]]] = {}
    order = 0
    for _, ind in ctx.indicators():
        if ind.measure is not Measure.cumulative:
            continue
        for obs in ind.observations:
            if obs.is_derived:
                continue
            try:
                figure = (obs.span.start, obs.span.end, value_range(obs, ind, ctx.units))
            except ValueError:  # not a listed scale of its indicator's unit: named elsewhere
                continue
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
                    f"{_said(ctx, ind, b)} is {ratio:,.0f} times its neighbour "
                    f"{_said(ctx, ind, a)}" + _noted(ctx, b, a),
                    "was a 万 (10,000) or 亿 forgotten in the value or the unit?",
                    severity="warning",
                    acknowledged=acknowledged(ctx.catalogue, a, b),
                )


def _located(ind_loc: Loc, ind: Indicator) -> list[tuple[Loc, Observation]]:
    return [
        ((*ind_loc, "observations", j), obs)
        for j, obs in enumerate(ind.observations)
        if not obs.is_derived
    ]


def _all(ind_loc: Loc, ind: Indicator) -> list[tuple[Loc, Observation]]:
    return [((*ind_loc, "observations", j), obs) for j, obs in enumerate(ind.observations)]


def _by_end(item: tuple[Loc, Observation]) -> tuple[date, date]:
    span = item[1].span
    return span.end, span.start or date.min


def _covers(total: Period, year: Period) -> bool:
    """A running total with a stated start that spans the whole flow period."""
    if year.start is None or total.start is None:
        return False
    return total.start <= year.start and total.end >= year.end
