"""Benefit measures of one provision: one per benefit-granting clause, tiers grouped.

A clause (；-piece) is cut again before each ，对 (对牵头组建单位给予…，对参与…给予…); pieces without a
benefit amount are context whose conditions carry over to the benefit pieces after them (研发投入在…
之间，且…增长30%及以上的企业，对增量排名前50位的按…给予奖补). Clauses of one sentence whose measures
all bound the same field (rd_expense between …) are tiers of one measure: a firm gets one tier.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

from ..model import Amount, Condition, Measure
from .amounts import BENEFIT_KINDS
from .beneficiaries import entity_type, find_beneficiaries, find_industries
from .conditions import find_conditions
from .formulas import benefit_formula
from .text import clauses, pieces

_NEW_OBJECT = re.compile(r"[，,](?=对)")
_INDUSTRY_CUE = re.compile(r"(?:围绕|聚焦|面向|属于)[^。；，]*?(?:产业|领域)")
_CAPS = ("cap", "annual_cap")


def _segments(text: str, c0: int, c1: int) -> list[tuple[int, int]]:
    cuts = [c0] + [c0 + m.end() for m in _NEW_OBJECT.finditer(text[c0:c1])] + [c1]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if text[a:b].strip()]


def _group(amounts: list[Amount]) -> list[list[Amount]]:
    """A ratio and the caps that bound it are one benefit; other benefit amounts stand alone."""
    groups: list[list[Amount]] = []
    for a in amounts:
        last = groups[-1] if groups else None
        kinds = {x.kind for x in last} if last else set()
        ratio_in = bool(kinds & {"ratio", "fraction"})
        if last and ((ratio_in and a.kind in _CAPS and a.kind not in kinds)
                     or (a.kind in ("ratio", "fraction") and kinds <= set(_CAPS) and not ratio_in
                         and len(last) == 1)
                     or (a.kind == "annual_cap" and kinds == {"cap"} and len(last) == 1)):
            last.append(a)
        else:
            groups.append([a])
    return groups


def build_measures(text: str, norm: str, amounts: list[tuple[int, int, Amount]], pid: str,
                   region: str | None, line_of: Callable[[int], int | None]) -> tuple[Measure, ...]:
    """Measures of a provision from its text, matching form and located amounts."""
    out: list[Measure] = []
    if not any(x[2].kind in BENEFIT_KINDS for x in amounts):
        return ()
    n_tier = 0
    for s0, s1 in pieces(norm):
        per_clause: list[list[Measure]] = []
        for c0, c1 in clauses(norm, s0, s1):
            per_clause.append(_clause_measures(text, norm, amounts, c0, c1, s0, region, line_of))
        with_measures = [ms for ms in per_clause if ms]
        if len(with_measures) >= 2 and _tiered(with_measures):
            n_tier += 1
            group = f"{pid}#tier{n_tier}"
            with_measures = [[replace(m, tier_group=group) for m in ms] for ms in with_measures]
        for ms in with_measures:
            out.extend(ms)
    return tuple(out)


def _tiered(clause_measures: list[list[Measure]]) -> bool:
    def bounded(ms: list[Measure]) -> set[str]:
        return {c.field for m in ms for c in m.conditions if c.op in ("between", ">=", ">")
                and c.field not in ("qualifications",)}
    common = set.intersection(*(bounded(ms) for ms in clause_measures))
    return any(f in ("rd_expense", "revenue", "investment", "loan_amount", "raised_capital", "employees")
               for f in common)


def _clause_measures(text, norm, amounts, c0, c1, s0, region, line_of) -> list[Measure]:
    measures: list[Measure] = []
    context: list[tuple[int, int]] = []
    for a, b in _segments(norm, c0, c1):
        mine = [x for x in amounts if a <= x[0] < b and x[2].kind in BENEFIT_KINDS]
        if not mine:
            context.append((a, b))
            continue
        ctx_text = "".join(norm[x:y] for x, y in context)
        start = context[0][0] if context else a
        shown = text[start:b] if not context or context[-1][1] == a else \
            "".join(text[x:y] for x, y in context) + text[a:b]
        for group in _group([x[2] for x in mine]):
            first = next(x for x in mine if x[2] is group[0])
            line = line_of(first[0])
            conds = find_conditions(ctx_text + norm[a:b], region, line)
            who = next((x.beneficiary for x in group if x.beneficiary), None)
            what = next((x.purpose for x in group if x.purpose), None)
            types = find_beneficiaries(who or "") or find_beneficiaries((ctx_text + norm[a:first[0]])[-40:])
            if types and entity_type(types[-1]):
                conds.append(Condition("entity_type", "==", entity_type(types[-1]), None, who or types[-1], line))
                who = who or types[-1]
            industries = _industries(norm[s0:first[0]])
            if industries:
                conds.append(Condition("industries", "in", industries, None, "、".join(industries), line))
            measures.append(Measure(text=shown.strip(), conditions=tuple(conds), amounts=tuple(group),
                                    benefit_formula=benefit_formula(tuple(group)), beneficiary=who,
                                    purpose=what, line=line))
    return measures


def _industries(before: str) -> tuple[str, ...]:
    found = (i for m in _INDUSTRY_CUE.finditer(before) for i in find_industries(m.group()))
    return tuple(dict.fromkeys(found))
