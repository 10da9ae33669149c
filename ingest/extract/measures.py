"""Benefit measures of one provision: one per benefit-granting clause, tiers grouped.

A clause (；-piece) is cut again before each ，对 (对牵头组建单位给予…，对参与…给予…); pieces without a
benefit amount are context whose conditions carry over to the benefit pieces after them (研发投入在…
之间，且…增长30%及以上的企业，对增量排名前50位的按…给予奖补). Clauses of one sentence whose measures
all bound the same field (rd_expense between …) are tiers of one measure: a firm gets one tier.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Callable

from ..model import Amount, Condition, Measure
from .amounts import is_benefit
from .beneficiaries import entity_type, find_beneficiaries, find_industries, qualification_terms
from .conditions import find_conditions
from .formulas import benefit_formula
from ..rules import load, trie_pattern
from .text import clauses, pieces

_NEW_OBJECT = re.compile(r"[，,](?=对)")
_INDUSTRY_CUE = re.compile(r"(?:围绕|聚焦|面向|属于)[^。；，]*?(?:产业|领域)")
_CAPS = ("cap", "annual_cap")
# 一批X: what a measure funds (项目/工程) or whom (平台/基地/中心 …), named before the amount
_BATCH = re.compile(r"一批([^，。；、“”]{2,24}?(?:项目|工程|平台|基地|中心|实验室|机构|园区|孵化器|载体|产品))")
_ENTITY_END = ("平台", "基地", "中心", "实验室", "机构", "园区", "孵化器", "载体")
_QUOTED = re.compile(r"“((?![十]\S五)[^“”\d]{2,10})”")  # not a period (“十四五”)
_PRIZE = re.compile(r"([^，。；、\d]{2,16}奖)(?:的)?(?:每项|每人)?奖金")
_ITEM_SEP = re.compile(r"[、，,]|以及|和|及|与|(?<=”)(?=“)")
_BAD_ITEM = re.compile(r"(?:时|可|后)$|^(?:在|最|按|以|根据|通过)")  # a clause, not a listed item
_LEAD_VERBS = re.compile(r"^(?:每年)?(?:组织实施|实施|打造|建设|培育|开展|支持|推动|新认定的?|新获批的?)?(?:一批)?")
_ITEM_TAIL = re.compile(r"(?:每项|每人|每个|每家)?(?:奖金|奖励)?$")
_HEAD_PUNCT = re.compile(r"^[\d一二三四五六七八九十]+[.、．]|[。；：:，,\s]+$")


@lru_cache(maxsize=1)
def _purpose_terms() -> tuple[re.Pattern, dict[str, str]]:
    surface = {s: name for name, forms in load("purposes")["terms"].items() for s in forms}
    return re.compile(trie_pattern(surface)), surface


def purpose_term(norm: str, a: int, at: int, b: int) -> str | None:
    """The canonical purpose (data/rules/purposes.yaml) named nearest before the amount at ``at``
    in ``norm[a:b]``, else the first one after it.

    >>> s = "支持科技型中小企业使用创新券购买服务，按实际支付最高50%予以兑付"
    >>> purpose_term(s, 0, s.index("50%"), len(s))
    '创新券'
    """
    rx, surface = _purpose_terms()
    found = [m for m in rx.finditer(norm, a, b) if not _one_of_forms(norm, m)]
    before = [m for m in found if m.start() < at]
    m = before[-1] if before else next(iter(found), None)
    return surface[m.group()] if m else None


def _one_of_forms(norm: str, m: re.Match) -> bool:
    """通过贷款贴息、股权投资等形式给予…: one of several forms of support, not what it is for."""
    tail = norm[m.end():m.end() + 12]
    return bool(re.match(r"[^，。；]{0,10}等(?:形式|方式)", tail)) and (
        tail.startswith("、") or norm[m.start() - 1:m.start()] == "、")


def purpose_key(text: str | None) -> str | None:
    """A short matching key for what a benefit is for: quotes, 的, leading verbs and 等 dropped.

    >>> purpose_key("组织实施一批“行业共性技术攻关项目”等"), purpose_key("1.实施“强链计划”。")
    ('行业共性技术攻关项目', '强链计划')
    """
    if not text:
        return None
    t = _HEAD_PUNCT.sub("", text.strip())
    t = re.sub(r"[“”\"'‘’《》]", "", t)
    t = _LEAD_VERBS.sub("", t)
    t = re.sub(r"等$", "", t).strip()
    return t if len(t) >= 2 else None


def respective(norm: str, a: int, first: int, n: int) -> tuple[str | None, list[str]] | None:
    """The n items a 分别 pairs with n amounts, in order, and their role: ``("beneficiary", items)``
    after 对 (对国家级、省级…市级基地分别给予…), else ``("purpose", items)`` (实施一批A和B，分别给予…).

    >>> respective("对新认定的国家级、省级，以及建设成效显著的市级基地分别给予最高50万元、30万元、20万元", 0, 28, 3)
    ('beneficiary', ['国家级基地', '省级基地', '市级基地'])
    >>> respective("每年组织实施一批行业共性技术攻关项目和科技示范工程，分别给予最高500万元和1000万元支持", 0, 32, 2)
    ('purpose', ['行业共性技术攻关项目', '科技示范工程'])
    """
    cut = norm.rfind("分别", a, first)
    if cut < 0 or n < 2:
        return None
    head = norm[a:cut].rstrip("，, ")
    to = head.rfind("对")
    role = "beneficiary" if to >= 0 and not re.match(r"对(?:接|外|标|照)", head[to:]) else "purpose"
    phrase = head[to + 1:] if role == "beneficiary" else re.split(r"[，,]", head)[-1]
    phrase = _ITEM_TAIL.sub("", re.sub(r"（[^（）]*）", "", phrase))
    items = [x for x in (_ITEM_SEP.split(phrase)) if x.strip()]
    if len(items) < n:
        return None
    items = [re.sub(r"^.*的", "", purpose_key(x.rstrip("的")) or x) for x in items[-n:]]
    if any(_BAD_ITEM.search(x) for x in items):
        return None
    last = items[-1]
    level = re.match(r"^([\u4e00-\u9fff]{1,2}级)", last)
    if level:  # 国家级、省级…市级X → the shared noun X after each level
        noun = last[len(level.group(1)):]
        items = [x + noun if x.endswith("级") else x for x in items]
    return (role, items) if all(items) else None


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
                   region: str | None, line_of: Callable[[int], int | None],
                   heading: str | None = None) -> tuple[Measure, ...]:
    """Measures of a provision from its text, matching form and located amounts; ``heading`` (the
    provision's own) is the purpose of last resort."""
    out: list[Measure] = []
    if not any(is_benefit(x[2]) for x in amounts):
        return ()
    n_tier = 0
    for s0, s1 in pieces(norm):
        per_clause: list[list[Measure]] = []
        for c0, c1 in clauses(norm, s0, s1):
            per_clause.append(_clause_measures(text, norm, amounts, c0, c1, s0, region, line_of, heading))
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


def _context_purpose(norm: str, s0: int, a: int, b: int, at: int, heading: str | None):
    """(beneficiary, purpose) from the sentence when the amount's own words name none: the last
    一批X before the amount (an entity X is the beneficiary, a project X the purpose), a quoted
    name in the clause (“青科保”), else the provision's heading."""
    who = what = None
    batch = list(_BATCH.finditer(norm, s0, at))
    if batch:
        x = batch[-1].group(1)
        if x.endswith(_ENTITY_END):
            who = x
        else:
            what = x
    if what is None:
        q = _PRIZE.search(norm, a, at) or _QUOTED.search(norm, a, b)
        what = q.group(1) if q else heading
    return who, purpose_key(what)


def _clause_measures(text, norm, amounts, c0, c1, s0, region, line_of, heading=None) -> list[Measure]:
    measures: list[Measure] = []
    context: list[tuple[int, int]] = []
    for a, b in _segments(norm, c0, c1):
        mine = [x for x in amounts if a <= x[0] < b and is_benefit(x[2])]
        if not mine:
            context.append((a, b))
            continue
        ctx_text = "".join(norm[x:y] for x, y in context)
        start = context[0][0] if context else a
        shown = text[start:b] if not context or context[-1][1] == a else \
            "".join(text[x:y] for x, y in context) + text[a:b]
        groups = _group([x[2] for x in mine])
        resp = respective(norm, a, mine[0][0], len(groups))
        for i, group in enumerate(groups):
            first = next(x for x in mine if x[2] is group[0])
            line = line_of(first[0])
            conds = find_conditions(ctx_text + norm[a:b], region, line)
            who = next((x.beneficiary for x in group if x.beneficiary), None)
            what = purpose_key(next((x.purpose for x in group if x.purpose), None))
            what = purpose_term(norm, start, first[0], b) or what
            if resp:  # 分别: the i-th listed item goes with the i-th amount
                who, what = (resp[1][i], what) if resp[0] == "beneficiary" else (who, resp[1][i])
                if resp[0] == "beneficiary":
                    conds = _own_qualifications(conds, resp[1][i], line)
            if who is None or what is None:
                c_who, c_what = _context_purpose(norm, s0, a, b, first[0], heading)
                who, what = who or c_who, what or c_what
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


def _own_qualifications(conds: list[Condition], item: str, line) -> list[Condition]:
    """Under 分别, a measure asks only for the qualification of its own listed item (专精特新“小巨人”
    企业、省隐形冠军企业…分别给予: the second amount is the 隐形冠军's)."""
    own = tuple(dict.fromkeys(t for t, _ in qualification_terms(item)))
    out = [c for c in conds if c.field != "qualifications"]
    if len(own) == 1:
        out.append(Condition("qualifications", "has", own[0], None, item, line))
    return out


def _industries(before: str) -> tuple[str, ...]:
    found = (i for m in _INDUSTRY_CUE.finditer(before) for i in find_industries(m.group()))
    return tuple(dict.fromkeys(found))
