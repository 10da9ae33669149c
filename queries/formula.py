"""Benefit formulas (``min(0.10 * rd_increment, 1500000)``) evaluated safely, without ``eval``.

The grammar (data/rules/condition_fields.yaml): numbers, vocabulary field names, ``+ - * /``,
unary minus, ``min(...)``, ``max(...)``. Evaluation is over intervals so that a formula
whose field is unknown still yields its upper bound (the cap) when it has one.
"""
from __future__ import annotations

import ast
import math
import re
import unicodedata
from datetime import date
from functools import lru_cache

from ingest import resources


INF = math.inf


@lru_cache(maxsize=1)
def condition_fields() -> dict:
    """The condition/profile vocabulary: field name → {type, text, values?}."""
    return resources.rules("condition_fields")["fields"]


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


@lru_cache(maxsize=4096)
def formula_fields(formula: str) -> frozenset[str]:
    """The profile fields a formula reads.

    >>> sorted(formula_fields("min(0.1 * rd_increment, 1500000)"))
    ['rd_increment']
    """
    return frozenset(n.id for n in ast.walk(parse_formula(formula))
                     if isinstance(n, ast.Name) and n.id not in ("min", "max"))


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
        return (float(node.value), float(node.value))  # type: ignore[arg-type]  # a number: the grammar has no other constants
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


# ---- conditions ------------------------------------------------------------------------------------
# Compiled once per measure into a closure over a *normalised* profile, so that a query over a
# large catalog costs one dict lookup and one comparison per condition.

MET, UNMET, UNKNOWN = "met", "unmet", "unknown"
_BLANK = re.compile(r"\s+")
_UPPER_INCLUSIVE = re.compile(r"[-—–~至到]\s*[\d.,]+\s*[万亿千百]*元?\s*[（(]含[)）]")
_PLACE_SUFFIX = re.compile(r"(省|市|区|县|自治区|新区)$")


def _norm(s) -> str:
    return _BLANK.sub("", unicodedata.normalize("NFKC", str(s)))


def place_form(s) -> str:
    """A place name without its 省/市/区/县 suffix, in matching form."""
    return _PLACE_SUFFIX.sub("", _norm(s))


def _as(t: str, v):
    """A profile or condition value in the comparable form of its field type."""
    if v is None:
        return None
    if t == "date":
        return v if isinstance(v, date) else date.fromisoformat(str(v))
    if isinstance(v, bool):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def normalise_profile(prof: dict) -> dict:
    """The profile in matching form: sets of normalised names, places without 市/区, numbers
    as floats, dates as dates. Unknown fields are dropped."""
    fields = condition_fields()
    out: dict[str, object] = {}
    for k, v in prof.items():
        spec = fields.get(k)
        if spec is None or v is None:
            continue
        t = spec["type"]
        if t == "set":
            out[k] = frozenset(_norm(x) for x in ([v] if isinstance(v, str) else v))
        elif t == "bool":
            out[k] = bool(v)
        elif t == "str":
            out[k] = place_form(v) if k in ("region", "district") else _norm(v)
        else:
            out[k] = _as(t, v)
    return out


def compile_condition(c):
    """A function normalised-profile → met | unmet | unknown for one Condition."""
    spec = condition_fields().get(c.field)
    if spec is None:
        return lambda p: UNKNOWN
    f, t, op, want = c.field, spec["type"], c.op, c.value
    many = want if isinstance(want, tuple | list) else (want,)
    if t == "set":
        wants = frozenset(_norm(w) for w in many)
        return lambda p: UNKNOWN if (v := p.get(f)) is None else (MET if wants & v else UNMET)
    if t == "bool":
        b = bool(want) if op in ("is", "==") and want is not None else True
        return lambda p: UNKNOWN if (v := p.get(f)) is None else (MET if v == b else UNMET)
    if t == "str":
        form = place_form if f in ("region", "district") else _norm
        wants, neg = frozenset(form(w) for w in many), op == "!="
        return lambda p: UNKNOWN if (v := p.get(f)) is None else (MET if (v in wants) != neg else UNMET)
    if op == "between":
        lo, hi = (tuple(want) + (None, None))[:2] if want else (None, None)
        lo, hi = _as(t, lo), _as(t, hi)
        incl = bool(_UPPER_INCLUSIVE.search(c.text or ""))
        return lambda p: UNKNOWN if (x := p.get(f)) is None else (
            MET if (lo is None or x >= lo) and (hi is None or (x <= hi if incl else x < hi)) else UNMET)
    if op == "in":
        wants = frozenset(_as(t, w) for w in many)
        return lambda p: UNKNOWN if (x := p.get(f)) is None else (MET if x in wants else UNMET)
    y = _as(t, want)
    cmp = {">=": lambda x: x >= y, ">": lambda x: x > y, "<=": lambda x: x <= y, "<": lambda x: x < y,
           "==": lambda x: x == y}.get(op)
    if y is None or cmp is None:
        return lambda p: UNKNOWN
    return lambda p: UNKNOWN if (x := p.get(f)) is None else (MET if cmp(x) else UNMET)


def condition_state(c, prof: dict) -> str:
    """met | unmet | unknown for one condition and a (derived, raw) profile.

    >>> from ingest.model import Condition
    >>> condition_state(Condition("rd_expense", "between", (10e6, 50e6)), {"rd_expense": 50e6})
    'unmet'
    >>> condition_state(Condition("rd_growth", ">=", 0.3), {})
    'unknown'
    >>> condition_state(Condition("region", "==", "青岛市"), {"region": "青岛"})
    'met'
    """
    return compile_condition(c)(normalise_profile(prof))


class ConditionTable:
    """The conditions of many measures as numpy columns: one profile is checked against all of
    them in a few vectorised passes (the closures of :func:`compile_condition` are the reference
    and give the per-condition detail of the measures that are shown).

    >>> from ingest.model import Condition as C
    >>> t = ConditionTable([[C("rd_expense", ">=", 1e7)], [C("qualifications", "has", "高企")], []])
    >>> t.states(normalise_profile({"rd_expense": 2e7})).tolist()
    [0, 1, 0]
    """

    def __init__(self, condition_lists):
        fields = list(condition_fields())
        self.fid = {f: i for i, f in enumerate(fields)}
        self.types = [condition_fields()[f]["type"] for f in fields]
        self.tokens: dict = {}
        rows_cond, rows_field, rows_lo, rows_hi, rows_tok, neg, cond_measure = [], [], [], [], [], [], []
        for mi, conds in enumerate(condition_lists):
            for c in conds:
                ci = len(neg)
                cond_measure.append(mi)
                neg.append(c.op == "!=")
                for f, lo, hi, tok in self._rows(c):
                    rows_cond.append(ci)
                    rows_field.append(f)
                    rows_lo.append(lo)
                    rows_hi.append(hi)
                    rows_tok.append(tok)
        import numpy as np
        self.np = np
        nf = len(fields)
        self.n_measures = len(condition_lists)
        self.row_field = np.array(rows_field, dtype=np.int64) if rows_field else np.zeros(0, np.int64)
        self.row_field[self.row_field < 0] = nf  # the always-unknown slot
        self.row_lo, self.row_hi = np.array(rows_lo, dtype=float), np.array(rows_hi, dtype=float)
        self.row_tok = np.array(rows_tok, dtype=np.int64)
        self.cond_start = np.flatnonzero(np.r_[True, np.diff(np.array(rows_cond, dtype=np.int64)) != 0]) \
            if rows_cond else np.zeros(0, np.int64)
        self.cond_neg = np.array(neg, dtype=bool)
        cm = np.array(cond_measure, dtype=np.int64)
        self.measure_has = np.zeros(self.n_measures, dtype=bool)
        self.measure_has[cm] = True
        self.measure_start = np.flatnonzero(np.r_[True, np.diff(cm) != 0]) if len(cm) else cm
        self.measure_of_group = cm[self.measure_start] if len(cm) else cm

    def _token(self, f: str, v) -> int:
        return self.tokens.setdefault((f, v), len(self.tokens))

    def _rows(self, c):
        """(field id, lo, hi, token) rows of one condition; several rows are alternatives."""
        unknown = [(-1, 0.0, 0.0, -1)]
        if c.field not in self.fid:
            return unknown
        f, t, op, want = self.fid[c.field], condition_fields()[c.field]["type"], c.op, c.value
        many = want if isinstance(want, tuple | list) else (want,)
        if t in ("set", "str"):
            form = place_form if c.field in ("region", "district") else _norm
            return [(f, 0.0, 0.0, self._token(c.field, form(w))) for w in many]
        if t == "bool":
            b = float(bool(want) if op in ("is", "==") and want is not None else True)
            return [(f, b, b + 0.5, -1)]
        num = (lambda v: float(_as(t, v).toordinal())) if t == "date" else (lambda v: _as(t, v))
        up = math.nextafter
        if op == "between":
            lo, hi = (tuple(want) + (None, None))[:2] if want else (None, None)
            lo = -INF if lo is None else num(lo)
            hi = INF if hi is None else num(hi)
            if hi != INF and _UPPER_INCLUSIVE.search(c.text or ""):
                hi = up(hi, INF)
            return [(f, lo, hi, -1)] if lo is not None and hi is not None else unknown
        if op == "in":
            vals = [num(w) for w in many]
            return [(f, v, up(v, INF), -1) for v in vals if v is not None] or unknown
        y = num(want) if want is not None else None
        if y is None:
            return unknown
        bounds = {">=": (y, INF), ">": (up(y, INF), INF), "<=": (-INF, up(y, INF)), "<": (-INF, y),
                  "==": (y, up(y, INF)), "!=": (y, up(y, INF))}.get(op)
        return [(f, *bounds, -1)] if bounds else unknown

    def states(self, norm: dict):
        """Per measure: 0 every condition met, 1 none unmet but some unknown, 2 one unmet."""
        np = self.np
        nf = len(self.fid)
        known = np.zeros(nf + 1, dtype=bool)
        val = np.zeros(nf + 1, dtype=float)
        toks = []
        for k, v in norm.items():
            i = self.fid.get(k)
            if i is None or v is None:
                continue
            known[i] = True
            t = self.types[i]
            if t == "set":
                toks += [self.tokens[(k, x)] for x in v if (k, x) in self.tokens]
            elif t == "str":
                if (k, v) in self.tokens:
                    toks.append(self.tokens[(k, v)])
            elif t == "date":
                val[i] = float(v.toordinal())
            else:
                val[i] = float(v)
        out = np.zeros(self.n_measures, dtype=np.int8)
        if not len(self.row_field):
            return out
        x = val[self.row_field]
        met = np.where(self.row_tok >= 0, np.isin(self.row_tok, np.array(toks, dtype=np.int64)),
                       (x >= self.row_lo) & (x < self.row_hi))
        cond_met = np.logical_or.reduceat(met, self.cond_start) ^ self.cond_neg
        cond_known = known[self.row_field[self.cond_start]]
        cond_state = np.where(cond_known, np.where(cond_met, 0, 2), 1).astype(np.int8)
        out[self.measure_of_group] = np.maximum.reduceat(cond_state, self.measure_start)
        return out
