"""Derived values: each formula runs over existing observations and gives the value."""

from __future__ import annotations

from collections.abc import Iterator

from dashboard.catalogue.checks.context import CheckContext
from dashboard.catalogue.checks.values import fmt
from dashboard.catalogue.errors import Problem
from dashboard.catalogue.formula import FormulaError, evaluate_formula, round_like, tolerance
from dashboard.catalogue.models import Observation


def derived_values(ctx: CheckContext) -> Iterator[Problem]:
    for loc, _ind, obs in ctx.observations():
        if obs.derived is None:
            continue
        env: dict[str, float] = {}
        for name, inp in obs.derived.inputs.items():
            found = ctx.resolve(inp, (*loc, "derived", "inputs", name))
            if isinstance(found, Observation):
                env[name] = float(found.value)
            elif found is not None:
                yield found
        if len(env) != len(obs.derived.inputs):
            continue
        try:
            result = evaluate_formula(obs.derived.formula, env)
        except FormulaError as exc:
            yield ctx.problem(
                "invalid-formula",
                (*loc, "derived", "formula"),
                str(exc),
                "use numbers, + - * / ( ) and the input names only",
            )
            continue
        tol = tolerance(obs.value)
        if abs(result - obs.value) > tol + 1e-9 * max(1.0, abs(result)):
            yield ctx.problem(
                "derived-mismatch",
                (*loc, "value"),
                f"the formula gives {result:.6g}, not {fmt(obs.value)} (within {fmt(tol)})",
                f"write {round_like(result, obs.value)}",
            )
