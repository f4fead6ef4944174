"""Values and numbers: each stated value is a number its quote states, with its qualifier."""

from __future__ import annotations

import math
from collections.abc import Iterator

from dashboard.catalogue.checks.context import CheckContext
from dashboard.catalogue.errors import Problem
from dashboard.catalogue.models import Measure, Observation
from dashboard.catalogue.numbers import Mention, fraction_value, same_number, states_share

SIGNED_MEASURES = {Measure.growth_rate, Measure.average_growth_rate}
RANK_UNIT = "名"


def fmt(value: float) -> str:
    """A value as the catalogue writes it (11483, 129.97)."""
    return str(value) if isinstance(value, int) else repr(value)


def negative_values(ctx: CheckContext) -> Iterator[Problem]:
    """Only growth rates may fall below zero."""
    for loc, ind, obs in ctx.observations():
        if obs.value < 0 and ind.measure not in SIGNED_MEASURES:
            yield ctx.problem(
                "negative-value",
                (*loc, "value"),
                f"a {ind.measure.value} cannot be negative",
                "only growth rates may be negative",
            )


def rank_places(ctx: CheckContext) -> Iterator[Problem]:
    """A rank is a place (第一 = 1): unit 名 and whole numbers from 1."""
    for loc, ind in ctx.indicators():
        if ind.measure is not Measure.rank:
            continue
        if ind.unit != RANK_UNIT:
            yield ctx.problem(
                "rank-form",
                (*loc, "unit"),
                f"a rank is counted in places (名), not `{ind.unit}`",
                f"use unit: {RANK_UNIT}",
            )
        for j, obs in enumerate(ind.observations):
            if obs.value < 1 or obs.value != int(obs.value):
                yield ctx.problem(
                    "rank-form",
                    (*loc, "observations", j, "value"),
                    f"a rank is a whole number from 1 (first), not {fmt(obs.value)}",
                    "第一 is 1, 第三 is 3",
                )


def derived_qualifiers(ctx: CheckContext) -> Iterator[Problem]:
    """A derived value is approximate."""
    for loc, _ind, obs in ctx.observations():
        if obs.is_derived and obs.qualifier.value != "about" and _quoted(ctx, obs):
            yield ctx.problem(
                "derived-qualifier",
                (*loc, "qualifier"),
                "a derived value is approximate: its qualifier must be `about`",
            )


def values_in_quotes(ctx: CheckContext) -> Iterator[Problem]:
    """A stated value appears in its quote (万/亿/成 and Chinese numerals understood), and the
    qualifier matches the words around it (超/近/约)."""
    for loc, _ind, obs in ctx.observations():
        if obs.is_derived or not _quoted(ctx, obs):
            continue
        mentions = ctx.mentions(obs.quote)
        matching = [
            m
            for m in mentions
            if any(same_number(v, obs.value) for v in m.values)
            or states_share(m, obs.value, obs.fraction)
        ]
        if not matching:
            stated = ", ".join(m.text.strip() for m in mentions) or "no numbers"
            yield ctx.problem(
                "value-not-in-quote",
                (*loc, "value"),
                f"the quote does not state {fmt(obs.value)}"
                + (f" as {obs.fraction}" if obs.fraction else ""),
                f"the quote states: {stated}" + _fraction_hint(mentions, obs),
            )
            continue
        qualifiers = {m.qualifier or "exact" for m in matching}
        if obs.qualifier.value not in qualifiers:
            yield ctx.problem(
                "qualifier-mismatch",
                (*loc, "qualifier"),
                f"the quote says {' / '.join(sorted(qualifiers))} "
                f"(“{matching[0].text.strip()}”), not {obs.qualifier.value}",
                "more_than for 超过/超/逾/余/多, nearly for 近, about for 约/左右, else exact",
            )


def _quoted(ctx: CheckContext, obs: Observation) -> bool:
    """The value checks need a known source and a quote found in it (else those problems
    are already reported, and comparing numbers with a wrong quote says nothing)."""
    return ctx.source_of(obs.source) is not None and ctx.quote_found(obs.source, obs.quote)


def _fraction_hint(mentions: list[Mention], obs: Observation) -> str:
    """For a quote stating a fraction (三分之二): how to record it."""
    for m in mentions:
        if m.fraction is None or _finite(*m.fraction):
            continue
        n, d = m.fraction
        shown = fraction_value(n, d, 1)
        return (
            f' ({m.text.strip()} is {n}/{d}: write `fraction: "{n}/{d}"` and the value as the '
            f"percentage to the places you show, e.g. value: {shown})"
        )
    return ""


def _finite(numerator: int, denominator: int) -> bool:
    """Whether the fraction is a finite percentage (1/4 = 25 %, 1/8 = 12.5 %; 2/3 is not)."""
    d = denominator // math.gcd(numerator, denominator)
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1
