"""How precisely a derived value is known, from how precisely its inputs are written.

Each input is known to half a unit of its last written digit (129.97 ± 0.005, 33.6 ±
0.05). The formula is evaluated with every input moved by that much, one at a time; the
sum of the moves it causes is the value's uncertainty, and the value is shown rounded to
the first power of ten above it (11483 / (1 + 33.6 / 100) = 8595.06 ± 3.2: "约 8600").
So a derived number never looks more exact than its inputs (docs/charts.md).
"""

from __future__ import annotations

import math

from dashboard.catalogue.formula import FormulaError, evaluate_formula, tolerance
from dashboard.catalogue.models import Catalogue, Observation


def input_values(catalogue: Catalogue, obs: Observation) -> dict[str, float] | None:
    """The values a derived observation's formula reads, or None if one is missing."""
    if obs.derived is None:
        return None
    index = catalogue.indicators_by_id
    env: dict[str, float] = {}
    written: dict[str, float] = {}
    for name, inp in obs.derived.inputs.items():
        indicator = index.get(inp.indicator)
        if indicator is None:
            return None
        found = [
            o
            for o in indicator.observations
            if o.span.label == inp.period and (inp.source is None or o.source == inp.source)
        ]
        if len(found) != 1:
            return None
        env[name] = float(found[0].value)
        written[name] = found[0].value
    return env if written else None


def uncertainty(catalogue: Catalogue, obs: Observation) -> float | None:
    """How far the derived value may be from the truth given its inputs' written digits."""
    if obs.derived is None:
        return None
    env = input_values(catalogue, obs)
    if env is None:
        return None
    index = catalogue.indicators_by_id
    try:
        centre = evaluate_formula(obs.derived.formula, env)
        total = 0.0
        for name, inp in obs.derived.inputs.items():
            found = next(
                o
                for o in index[inp.indicator].observations
                if o.span.label == inp.period and (inp.source is None or o.source == inp.source)
            )
            half = tolerance(found.value)
            moved = [
                abs(evaluate_formula(obs.derived.formula, {**env, name: env[name] + d}) - centre)
                for d in (-half, half)
            ]
            total += max(moved)
    except FormulaError:
        return None
    return total


def derived_place(catalogue: Catalogue, obs: Observation) -> int | None:
    """The power of ten to round a derived value to (-1: tenths, 1: tens); None when the
    value is stated, or its inputs cannot be found (then it is shown as written)."""
    spread = uncertainty(catalogue, obs)
    if spread is None or spread <= 0:
        return None
    place = math.floor(math.log10(spread)) + 1
    # Never more digits than the value is written with.
    written = -len(repr(obs.value).split(".")[1]) if isinstance(obs.value, float) else 0
    return max(place, written)
