"""Benefit formulas (``min(0.10 * rd_increment, 1500000)``) evaluated safely, without ``eval``.

The grammar (data/rules/condition_fields.yaml): numbers, vocabulary field names, ``+ - * /``,
unary minus, ``min(...)``, ``max(...)``. Evaluation is over intervals so that a formula
whose field is unknown still yields its upper bound (the cap) when it has one.
"""
from __future__ import annotations

import ast
import math
from functools import lru_cache
from pathlib import Path

import yaml

RULES = Path(__file__).resolve().parent.parent / "data" / "rules"
INF = math.inf


@lru_cache(maxsize=1)
def condition_fields() -> dict:
    """The condition/profile vocabulary: field name → {type, text, values?}."""
    data = yaml.safe_load((RULES / "condition_fields.yaml").read_text(encoding="utf-8"))
    return data["fields"]


_BIN = (ast.Add, ast.Sub, ast.Mult, ast.Div)


@lru_cache(maxsize=4096)
def parse_formula(formula: str) -> ast.Expression:
    """Parse and check a formula against the grammar; ValueError quoting what is not allowed.

    >>> parse_formula("min(0.1 * rd_increment, 1500000)") is not None
    True
    >>> parse_formula("open(1)")
    Traceback (most recent call last):
    ...
    ValueError: benefit formula 'open(1)': open(1) is not allowed (numbers, fields, + - * /, min, max)
    """
    try:
        tree = ast.parse(formula.strip(), mode="eval")
    except SyntaxError:
        raise ValueError(f"benefit formula {formula!r} is not valid syntax") from None
    fields = condition_fields()

    def bad(node):
        what = ast.unparse(node) if not isinstance(node, ast.Constant) else repr(node.value)
        raise ValueError(f"benefit formula {formula!r}: {what} is not allowed "
                         "(numbers, fields, + - * /, min, max)")

    for node in ast.walk(tree):
        if isinstance(node, ast.Expression | ast.Load):
            continue
        if isinstance(node, ast.BinOp):
            if not isinstance(node.op, _BIN):
                bad(node)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub | ast.UAdd):
                bad(node)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                bad(node)
        elif isinstance(node, ast.Name):
            if node.id not in fields and node.id not in ("min", "max"):
                raise ValueError(f"benefit formula {formula!r}: unknown field {node.id!r}")
        elif isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Name) and node.func.id in ("min", "max")) \
                    or node.keywords or not node.args:
                bad(node)
        elif isinstance(node, ast.operator | ast.unaryop):
            continue
        else:
            bad(node)
    return tree


def formula_fields(formula: str) -> set[str]:
    """The profile fields a formula reads.

    >>> sorted(formula_fields("min(0.1 * rd_increment, 1500000)"))
    ['rd_increment']
    """
    return {n.id for n in ast.walk(parse_formula(formula))
            if isinstance(n, ast.Name) and n.id not in ("min", "max")}


def _mul(a, b):
    prods = [0.0 if (x == 0 or y == 0) else x * y for x in a for y in b]
    return (min(prods), max(prods))


def _div(a, b):
    if b[0] <= 0 <= b[1]:
        return (-INF, INF)
    return _mul(a, (1 / b[1], 1 / b[0]))


def _ival(node, values: dict) -> tuple[float, float]:
    if isinstance(node, ast.Expression):
        return _ival(node.body, values)
    if isinstance(node, ast.Constant):
        return (float(node.value), float(node.value))
    if isinstance(node, ast.Name):
        v = values.get(node.id)
        if isinstance(v, int | float) and not isinstance(v, bool):
            return (float(v), float(v))
        return (-INF, INF)
    if isinstance(node, ast.UnaryOp):
        lo, hi = _ival(node.operand, values)
        return (-hi, -lo) if isinstance(node.op, ast.USub) else (lo, hi)
    if isinstance(node, ast.BinOp):
        a, b = _ival(node.left, values), _ival(node.right, values)
        if isinstance(node.op, ast.Add):
            return (a[0] + b[0], a[1] + b[1])
        if isinstance(node.op, ast.Sub):
            return (a[0] - b[1], a[1] - b[0])
        return _mul(a, b) if isinstance(node.op, ast.Mult) else _div(a, b)
    args = [_ival(a, values) for a in node.args]  # min / max (checked by parse_formula)
    f = min if node.func.id == "min" else max
    return (f(a[0] for a in args), f(a[1] for a in args))


def evaluate_bounds(formula: str, values: dict) -> tuple[float, float]:
    """(lowest, highest) value of the formula for a profile; unknown fields span everything.

    >>> evaluate_bounds("min(0.10 * rd_increment, 1500000)", {"rd_increment": 8_000_000})
    (800000.0, 800000.0)
    >>> evaluate_bounds("min(0.10 * rd_increment, 1500000)", {})
    (-inf, 1500000.0)
    """
    return _ival(parse_formula(formula), values)


def evaluate(formula: str, values: dict) -> float | None:
    """The formula's value, or None when a field it needs is unknown.

    >>> evaluate("max(500000, 0.05 * rd_expense)", {"rd_expense": 20_000_000})
    1000000.0
    >>> evaluate("0.05 * rd_expense", {}) is None
    True
    """
    lo, hi = evaluate_bounds(formula, values)
    return lo if lo == hi and math.isfinite(lo) else None


def max_yuan(formula: str, values: dict) -> int | None:
    """The most the firm can get under the formula (≥ 0), the cap when a field is unknown,
    None when unbounded.

    >>> max_yuan("min(0.10 * rd_increment, 1500000)", {"rd_increment": 40_000_000})
    1500000
    >>> max_yuan("0.10 * rd_increment", {}) is None
    True
    """
    hi = evaluate_bounds(formula, values)[1]
    return max(0, int(round(hi))) if math.isfinite(hi) else None
