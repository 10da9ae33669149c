"""`policygraph ask`: a Chinese question → a firm profile (rules + jieba, no LLM) → eligibility.

The rules live in data/rules/ask_profile.yaml and entity_types.yaml; every value the rules
take from the question is reported under ``understood`` with the words it came from.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import cast

from ingest import resources
from ingest.patterns import cn_numeral
from ingest.places import gazetteer

from .catalog import Catalog
from .contract import AskReport
from .eligibility import eligibility, eligibility_for_store
from .eligibility_measures import entity_rules

_CN_DIGITS = "零〇一二三四五六七八九十百千万亿两点"
_NUM = rf"(?:\d+(?:[.,]\d+)*|[{_CN_DIGITS}]+)"
MONEY = re.compile(rf"({_NUM})\s*(亿|千万|百万|万|千)?\s*(?:元|块)")
MONEY_BARE = re.compile(rf"({_NUM})\s*(亿|千万|百万|万)(?!\w*[%％])")
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]|百分之([零〇一二三四五六七八九十百点]+)")
COUNT = re.compile(rf"({_NUM})\s*(?:名|人|个)?\s*(?:员工|职工|雇员|人)")
RANK = re.compile(rf"排名(?:第|前)?\s*({_NUM})")
FOUNDED = re.compile(r"((?:19|20)\d{2})\s*年(?:\s*(\d{1,2})\s*月)?\s*(?:成立|注册|创立|设立)|成立于\s*((?:19|20)\d{2})\s*年")
_CLAUSE = re.compile(r"[，,。；;？?！!\n]")


@lru_cache(maxsize=1)
def ask_rules() -> dict:
    return resources.rules("ask_profile")


def cn_number(s: str) -> float:
    """A number written in digits or Chinese numerals.

    >>> cn_number("三千"), cn_number("1,500"), cn_number("2.5")
    (3000.0, 1500.0, 2.5)
    """
    n = cn_numeral(s)
    if n is None:
        raise ValueError(f"cannot read the number {s!r} in the question")
    return float(n)


_UNIT = {"亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3, None: 1, "": 1}


def _yuan(num: str, unit: str | None) -> int:
    return int(round(cn_number(num) * _UNIT[unit]))


def _keyword(clause: str, table: dict) -> str | None:
    """The field whose (longest) keyword occurs in the clause."""
    best = None
    for fld, words in table.items():
        for w in words:
            if w in clause and (best is None or len(w) > best[1]):
                best = (fld, len(w))
    return best[0] if best else None


def _regions(question: str) -> tuple[dict, list]:
    """The firm's location: the most precise province, city, district, county or zone the question
    names (data/divisions, data/rules/zones.yaml)."""
    d, words = gazetteer().place_in(question)
    if d is None:
        return {}, []
    chain = [a.name for a in reversed(gazetteer().ancestors(d.key)) if a.level != "national"]
    return {"location": "".join(chain)}, [{"field": "location", "value": "".join(chain), "text": words}]


def parse_question(question: str) -> tuple[dict, list[dict]]:
    """(profile, understood notes) from a Chinese question.

    >>> p, _ = parse_question("我们是青岛的高新技术企业，去年研发投入3000万元，比前年增长50%")
    >>> p["location"], p["qualifications"], p["rd_expense"], p["rd_growth"], p["entity_type"]
    ('山东省青岛市', ['高新技术企业'], 30000000, 0.5, 'enterprise')
    """
    rules, ents = ask_rules(), entity_rules()
    prof, notes = _regions(question)

    def put(fld, value, text):
        prof[fld] = value
        notes.append({"field": fld, "value": value, "text": text})

    quals = [q for q, words in ents["qualifications"].items() if any(w in question for w in words)]
    if quals:
        put("qualifications", sorted(quals), "、".join(quals))
    kinds = [k for k, words in ents["entity_types"].items() if any(w in question for w in words)]
    if quals or "enterprise" in kinds:
        put("entity_type", "enterprise", "企业" if not quals else quals[0])
    elif kinds:
        put("entity_type", kinds[0], kinds[0])
    inds = [i for i in rules["industries"] if i in question]
    if inds:
        put("industries", inds, "、".join(inds))
    for fld, words in rules["flags"].items():
        hit = next((w for w in words if w in question), None)
        if hit:
            put(fld, True, hit)
    for fld, values in rules.get("choices", {}).items():
        hit = next(((v, w) for v, words in values.items() for w in words if w in question), None)
        if hit:
            put(fld, hit[0], hit[1])
    last_money = None
    for clause in _CLAUSE.split(question):
        if not clause.strip():
            continue
        base = _keyword(clause, rules["money"]) or last_money
        prev_year = any(w in clause for w in rules["previous_year"])
        for m in list(MONEY.finditer(clause)) or list(MONEY_BARE.finditer(clause)):
            if not base:
                notes.append({"field": None, "value": _yuan(m.group(1), m.group(2)), "text": m.group(0),
                              "note": "金额未对应到字段"})
                continue
            fld = rules["previous_field"].get(base, base) if prev_year and not (
                "比前年" in clause or "较前年" in clause) else base
            put(fld, _yuan(m.group(1), m.group(2)), m.group(0))
            last_money = base
        pct = PERCENT.search(clause)
        if pct and base in rules["growth_field"]:
            value = float(pct.group(1)) / 100 if pct.group(1) else cn_number(pct.group(2)) / 100
            sign = -1 if any(w in clause for w in rules["decline_words"]) else 1
            if sign < 0 or any(w in clause for w in rules["growth_words"]):
                put(rules["growth_field"][base], round(sign * value, 6), pct.group(0))
        r = RANK.search(clause)
        if r:
            put("rd_increment_rank", int(cn_number(r.group(1))), r.group(0))
        c = COUNT.search(clause)
        if c and not MONEY.search(clause) and ("员工" in clause or "职工" in clause or "人" in c.group(0)):
            put("employees", int(cn_number(c.group(1))), c.group(0))
        f = FOUNDED.search(clause)
        if f:
            y, mth = f.group(1) or f.group(3), f.group(2) or "1"
            put("founded", f"{y}-{int(mth):02d}-01", f.group(0))
    return prof, notes


def answer(catalog: Catalog, question: str, as_of=None) -> AskReport:
    """The eligibility answer for the profile understood from the question."""
    return _answer(question, lambda prof: eligibility(catalog, prof, as_of))


def ask(store: str, question: str, as_of=None) -> AskReport:
    """:func:`answer` from a store, reading only the documents the question needs."""
    return _answer(question, lambda prof: eligibility_for_store(store, prof, as_of))


def _answer(question: str, check) -> AskReport:
    if not question or not question.strip():
        raise ValueError("ask: the question is empty")
    prof, notes = parse_question(question)
    return cast(AskReport, dict(check(prof), question=question, understood=notes, profile=prof))

