"""Benefit formulas (grammar of data/rules/condition_fields.yaml) from the amounts of one measure.

>>> from ingest.model import Amount
>>> benefit_formula((Amount("10%", None, "ratio", ratio=0.1, base="新增额"), Amount("150万元", 1500000, "cap")))
'min(0.10 * rd_increment, 1500000)'
>>> benefit_formula((Amount("500万元", 5000000, "fixed"),))
'5000000'
"""
from __future__ import annotations

from fractions import Fraction
from typing import cast

from ..model import Amount
from ..rules import load


def _number(x: float) -> str:
    """0.1 → '0.10', 0.05 → '0.05', 1/3 → '1 / 3'."""
    f = Fraction(x).limit_denominator(1000)
    if abs(float(f) - x) < 1e-9 and f.denominator not in (1, 2, 4, 5, 10, 20, 25, 50, 100):
        return f"{f.numerator} / {f.denominator}"
    return f"{x:.2f}" if round(x, 2) == x else f"{x:g}"


def base_field(base: str | None) -> str | None:
    """The profile field a ratio's base names (新增额 → rd_increment), from data/rules/amounts.yaml."""
    if not base:
        return None
    bases = load("amounts").get("bases", {})
    for word in sorted(bases, key=len, reverse=True):
        if base.endswith(word) or base == word:
            return bases[word]
    return None


def benefit_formula(amounts: tuple[Amount, ...]) -> str | None:
    """What a firm gets: a fixed sum, or ratio × base capped; None when it is not evaluable
    (a cap alone says only the most one may get, a base that is no profile field)."""
    fixed = [a for a in amounts if a.kind == "fixed" and a.value_yuan]
    ratios = [a for a in amounts if a.kind in ("ratio", "fraction") and a.ratio]
    caps = [a.value_yuan for a in amounts if a.kind in ("cap", "annual_cap") and a.value_yuan]
    if ratios:
        field = base_field(ratios[0].base)
        if field is None:
            return None
        term = f"{_number(cast(float, ratios[0].ratio))} * {field}"  # ratios have a ratio
        return f"min({term}, {min(caps)})" if caps else term
    if len(fixed) == 1 and not caps:
        return str(fixed[0].value_yuan)
    return None
