"""Derived values' formulas: + - * / ( ) over numbers and named inputs, nothing else."""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from decimal import Decimal


class FormulaError(ValueError):
    """A derived formula that is not plain arithmetic over its inputs."""


_BINARY: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def evaluate_formula(formula: str, env: dict[str, float]) -> float:
    """Evaluate + - * / ( ) over numbers and named inputs; nothing else is ever run."""
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"cannot read the formula: {exc.msg}") from None

    def ev(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            left, right = ev(node.left), ev(node.right)
            try:
                return _BINARY[type(node.op)](left, right)
            except ZeroDivisionError:
                raise FormulaError("the formula divides by zero") from None
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            value = ev(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            assert isinstance(node.value, int | float)
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id not in env:
                raise FormulaError(f"`{node.id}` is not one of the inputs ({', '.join(env)})")
            return env[node.id]
        raise FormulaError(f"`{ast.unparse(node)}` is not allowed in a formula")

    result = ev(tree)
    if not math.isfinite(result):
        raise FormulaError("the formula does not give a finite number")
    return result


def tolerance(value: float) -> float:
    """Half a unit of the last digit written: 8595 -> 0.5, 129.97 -> 0.005."""
    if isinstance(value, int):
        return 0.5
    exponent = Decimal(repr(value)).as_tuple().exponent
    return 0.5 * 10.0 ** int(exponent)


def round_like(result: float, value: float) -> str:
    """`result` written to as many decimals as `value` is."""
    if isinstance(value, int):
        return str(round(result))
    exponent = -int(Decimal(repr(value)).as_tuple().exponent)
    return f"{result:.{max(exponent, 0)}f}"
