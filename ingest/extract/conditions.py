"""Eligibility conditions of a benefit clause as comparable data (fields of condition_fields.yaml).

>>> [(c.field, c.op, c.value) for c in find_conditions("对新引进且年研发投入额达1000万元及以上的研发总部")]
[('new_arrival', 'is', True), ('rd_expense', '>=', 10000000)]
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..model import Condition
from ..patterns import cn_numeral
from .amounts import NUM, UNIT, money_value
from .beneficiaries import qualification_terms
from ..places import gazetteer, level_names
from ..rules import alternation, load

_M = rf"(?:{NUM})\s*(?:{UNIT})?\s*元?"
_INCL = r"(?:（含）|含)"
# money fields and the nouns naming them (longest first inside each alternation)
_MONEY_FIELDS = (
    ("rd_expense", r"(?:年度?)?研发(?:投入|经费|费用)(?:经费|总量|总额|额|支出)?"),
    ("revenue", r"(?:上年度|年度?)?(?:主营业务收入|营业收入|销售收入|营收)"),
    ("investment", r"(?:项目)?(?:总投资额?|实际投资额|固定资产投资|投资额)"),
    ("loan_amount", r"贷款(?:额|金额|规模)?"),
    ("raised_capital", r"(?:上市)?募集资金"),
)
_BOOLS = (
    ("new_arrival", re.compile(r"新引进|新落户|新迁入|新引入")),
    ("first_rd_activity", re.compile(r"首次开展研发活动")),
    ("first_above_scale", re.compile(r"首次升规纳统|首次纳入规上|首次纳入规模以上|新升规")),
)
_GROWTH = re.compile(r"(?:较上年度?|比上年度?|同比)增长\s*(\d+(?:\.\d+)?)\s*%\s*(及以上|以上)?")
_RANK = re.compile(r"增量排名前\s*(\d+)\s*[位名]")
_INTENSITY = re.compile(
    r"研发(?:经费|费用)?(?:投入|经费|费用|支出)?(?:支出)?占(?:其)?(?:主营业务收入|营业收入|销售收入)(?:的)?(?:比重|比例)?"
    r"\s*(超过|达到|不低于|高于|达|在)?\s*(\d+(?:\.\d+)?)\s*%\s*(（含）|及以上|以上)?")
_EMPLOYEES = re.compile(r"(?:职工|从业人员|员工)(?:人数)?(?:在|达到?|不少于|超过)?\s*(\d+)\s*人\s*(及以上|以上)?")


@lru_cache(maxsize=1)
def _money_nouns() -> tuple[tuple[str, re.Pattern], ...]:
    """(field, its noun) for every money condition: the code's and data/rules/conditions.yaml's."""
    return tuple((field, re.compile(noun)) for field, noun in _MONEY_FIELDS + tuple(load("conditions")["money_fields"].items()))


@lru_cache(maxsize=None)
def _money_patterns(noun: str) -> tuple[re.Pattern, re.Pattern]:
    """(between, single) patterns of one money field, compiled when a text first names its noun:
    all of them at once cost ~40 ms of every process, and most texts name few of these nouns."""
    gap = r"[^，。；\d%]{0,3}?"
    between = re.compile(rf"{noun}{gap}(?:在|达到?)?\s*({_M})\s*{_INCL}?\s*[-—–~至到]+\s*({_M})\s*({_INCL})?\s*之间?")
    single = re.compile(rf"{noun}{gap}(在|达到?|超过|突破|不低于|不少于|高于|低于|不超过|不高于)?\s*({_M})\s*"
                        rf"({_INCL})?\s*(及以上|以上|以下|及以下)?")
    return between, single


_REGISTERED = re.compile(r"(?:注册|落户|注册地)(?:地)?(?:在|于|为)?\s*")
_SELF_PLACE = ("本市", "我市", "本区", "本县", "本省")
_REGISTERED_SELF = re.compile(r"在(本市|我市|本区|本县|本省)注册")


@lru_cache(maxsize=1)
def _abbrev_rx() -> tuple[re.Pattern, dict]:
    abbrev = load("places")["city_abbrev"]
    return re.compile(rf"在({alternation(abbrev)})注册"), abbrev


def _registration(text: str, region: str | None, add) -> None:
    """注册在本市 / 注册地在广州市 / 在青注册: the place a registration condition names (divisions from
    the dataset, one-character city abbreviations from data/rules/places.yaml)."""
    for m in _REGISTERED.finditer(text):
        here = text[m.end():m.end() + 2]
        span: _Span | None
        if here in _SELF_PLACE:
            value = level_names(region).get(here[-1], region) if region else None
            span = _Span(m.start(), m.end() + 2, text)
        else:
            d, end = gazetteer().chain_at(text, m.end())
            value, span = (d.name, _Span(m.start(), end, text)) if d is not None else (None, None)
        if value:
            add(span, "region", "==", value)
    rx, abbrev = _abbrev_rx()
    for m in rx.finditer(text):
        add(m, "region", "==", abbrev[m.group(1)])
    for m in _REGISTERED_SELF.finditer(text) if region else ():  # 在本市注册
        add(m, "region", "==", level_names(region).get(m.group(1)[-1], region))


def _single_op(word: str | None, incl: str | None, tail: str | None) -> str | None:
    if tail in ("及以上", "以上") or word in ("达", "达到", "突破", "不低于", "不少于") or (word == "超过" and incl):
        return ">="
    if word in ("超过", "高于"):
        return ">"
    if tail in ("以下", "及以下") or word in ("不超过", "不高于"):
        return "<="
    if word == "低于":
        return "<"
    return None


def find_conditions(text: str, region: str | None = None, line: int | None = None) -> list[Condition]:
    """Conditions stated in ``text`` (one benefit clause and the context it carries), in order."""
    found: list[tuple[int, Condition]] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match, field: str, op: str, value, unit: str | None = None) -> None:
        if any(a < m.end() and m.start() < b for a, b in taken):
            return
        taken.append((m.start(), m.end()))
        found.append((m.start(), Condition(field, op, value, unit, m.group().strip(), line)))

    for field, noun in _money_nouns():
        if not noun.search(text):  # both patterns start with the noun
            continue
        between, single = _money_patterns(noun.pattern)
        for m in between.finditer(text):
            hi = money_value(m.group(2))
            lo_txt = m.group(1)
            lo = money_value(lo_txt if re.search(UNIT, lo_txt) else lo_txt.rstrip("元") + _unit_of(m.group(2)))
            if lo is not None and hi is not None:
                add(m, field, "between", (lo, hi), "yuan")
        for m in single.finditer(text):
            op = _single_op(m.group(1), m.group(3), m.group(4))
            value = money_value(m.group(2))
            if op and value is not None and re.search(UNIT + "|元", m.group(2)):
                add(m, field, op, value, "yuan")
    for m in _GROWTH.finditer(text):
        growth = _growth_subject(text, m.start())
        if growth:
            add(m, growth, ">=", _ratio(m.group(1)), "ratio")
    _vocabulary_conditions(text, add)
    for m in _RANK.finditer(text):
        add(m, "rd_increment_rank", "<=", int(m.group(1)))
    for m in _INTENSITY.finditer(text):
        op = ">" if m.group(1) in ("超过", "高于") and not m.group(3) else ">="
        add(m, "rd_intensity", op, _ratio(m.group(2)), "ratio")
    for m in _EMPLOYEES.finditer(text):
        add(m, "employees", ">=", int(m.group(1)))
    for field, rx in _BOOLS:
        for m in rx.finditer(text):
            add(m, field, "is", True)
            break
    _registration(text, region, add)
    _qualifications(text, add)
    found.sort(key=lambda x: x[0])
    seen, out = set(), []
    for _, c in found:
        key = (c.field, c.op, c.value)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


@lru_cache(maxsize=1)
def _vocab() -> dict:
    r = load("conditions")
    subjects = {w: f for f, words in r["growth_subjects"].items() for w in words}
    return {"subject": re.compile(f"(?:{alternation(subjects)})"), "subjects": subjects,
            "years": re.compile(r["years_established"]), "listed": re.compile(r["listed"]),
            "cert": {k: re.compile(alternation(v)) for k, v in r["certification"].items()}}


def _growth_subject(text: str, at: int) -> str | None:
    """The field of a growth rate: the nearest subject noun before it in its clause (营业收入较上年
    增长20% → revenue_growth), None when the clause names none.

    >>> _growth_subject("研发投入500万元以上且营业收入较上年增长20%", 19), _growth_subject("同比增长20%", 0)
    ('revenue_growth', None)
    """
    head = re.split(r"[，。；,;]", text[max(0, at - 30):at])[-1]
    found = list(_vocab()["subject"].finditer(head))
    return _vocab()["subjects"][found[-1].group()] if found else None


def _vocabulary_conditions(text: str, add) -> None:
    """成立/注册 N 年 (years_established), 上市 (listed), 首次认定 / 复审 (certification)."""
    v = _vocab()
    for m in v["years"].finditer(text):
        n = cn_numeral(m.group("n"))
        if n is None:
            continue
        word, tail = m.group("word") or "", m.group("tail") or ""
        op = "<" if word in ("不满", "未满", "不足", "不到") else "<=" if word == "不超过" or tail in ("以内", "以下") \
            else ">"  if word == "超过" and not tail else ">="
        add(m, "years_established", op, int(n), "year")
    for m in v["listed"].finditer(text):
        add(m, "listed", "is", True)
        break
    for stage, rx in v["cert"].items():
        m = rx.search(text)
        if m:
            add(m, "certification", "==", stage)
            break


_EITHER = re.compile(r"^(?:(?!且|同时|并)[^，。；]){0,24}?(?:或者|或|、|以及|和|及)(?:(?!且|同时|并)[^，。；]){0,6}$")


def _qualifications(text: str, add) -> None:
    """Qualifications the text asks for; terms listed together (省级专精特新中小企业或国家高新技术企业,
    对高新技术企业、科技型中小企业给予) are one condition met by either — not when 且/同时 joins them."""
    terms = list(qualification_terms(text))
    i = 0
    while i < len(terms):
        group = [terms[i]]
        while i + 1 < len(terms) and _EITHER.match(text[group[-1][1].end():terms[i + 1][1].start()]):
            i += 1
            group.append(terms[i])
        names = tuple(dict.fromkeys(t for t, _ in group))
        if len(names) > 1 and re.search(r"(?:同时|既是|均为|且为)[^，。；]{0,4}$", text[:group[0][1].start()]):
            for t, m in group:  # 同时为A和B: both
                add(m, "qualifications", "has", t)
        elif len(names) == 1:
            add(group[0][1], "qualifications", "has", names[0])
        else:
            add(_Span(group[0][1].start(), group[-1][1].end(), text), "qualifications", "in", names)
        i += 1


class _Span:
    """A match-like span over several matches (start, end, group)."""

    def __init__(self, start: int, end: int, text: str):
        self._s, self._e, self._t = start, end, text

    def start(self) -> int:
        return self._s

    def end(self) -> int:
        return self._e

    def group(self) -> str:
        return self._t[self._s:self._e]


def _unit_of(money_text: str) -> str:
    m = re.search(rf"(?:{UNIT})?\s*元?$", money_text)
    return m.group() if m else "元"


def _ratio(s: str) -> float:
    return round(float(s) / 100, 6)
