"""Money amounts, benefit ratios and fractions of one provision, each with its kind.

Regex, not NLP: the context words that decide the kind (最高, 每年最高, 以上, 设立…基金,
到2028年…) sit right beside the number. Context words live in data/rules/amounts.yaml.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import cast

from ..model import Amount
from ..patterns import cn_numeral
from .beneficiaries import find_beneficiaries
from ..rules import alternation, load
from .text import clauses, pieces

_UNITS = {"万亿": 10**12, "千亿": 10**11, "百亿": 10**10, "亿": 10**8, "千万": 10**7, "百万": 10**6,
          "十万": 10**5, "万": 10**4, "千": 10**3, "百": 100, "": 1}
_CN = "〇零一二两三四五六七八九十百千"
NUM = rf"\d+(?:,\d{{3}})*(?:\.\d+)?|[{_CN}]+"
UNIT = "万亿|千亿|百亿|亿|千万|百万|十万|万|千"
# an amount of yuan: 500万元, 1.5亿元, 五百万元, 千万元; not 多元化/元器件/美元
MONEY = rf"(?:{NUM})\s*(?:{UNIT})?\s*元(?:人民币)?(?![化素件器旦首宵老帅气])"
_MONEY_PARTS = re.compile(rf"({NUM})?\s*({UNIT})?\s*元?")
_RANGE_SEP = r"\s*(?:（含）)?\s*[-—–~至到]+\s*"
# a range first (10万元—100万元, 10-100万元), else one amount
_AMOUNT_RX = re.compile(
    rf"(?P<lo>(?:{NUM})\s*(?:{UNIT})?\s*元?){_RANGE_SEP}(?P<hi>{MONEY})|(?P<one>{MONEY})")
_PCT_RX = re.compile(r"(?P<pct>\d+(?:\.\d+)?)\s*%|百分之(?P<cnpct>[" + _CN + r"]+)")
_FRAC_RX = re.compile(r"(?<![\d/])(?P<num>\d+)\s*/\s*(?P<den>\d+)(?![\d/])"
                      r"|(?P<cden>[" + _CN + r"]+)分之(?P<cnum>[" + _CN + r"]+)")

_ANY = re.compile(r"元|%|/|分之")
BENEFIT_KINDS = frozenset({"cap", "annual_cap", "fixed", "range", "ratio", "fraction"})


def is_benefit(a: Amount) -> bool:
    """Money a firm may get: a grant of a benefit kind whose role is benefit (not a fine or fee)."""
    return a.role == "benefit" and a.kind in BENEFIT_KINDS


_KIND_ROLE = {"threshold": "threshold", "target": "target", "fund": "fund", "other": "other"}


def money_value(text: str) -> int | None:
    """Exact yuan of a money expression, or None when it has no number.

    >>> money_value("1.5亿元"), money_value("五百万元"), money_value("千万元"), money_value("1,000万")
    (150000000, 5000000, 10000000, 10000000)
    """
    m = _MONEY_PARTS.search(text.replace(" ", ""))
    if not m or not m.group(1):
        return None
    num, unit = m.group(1), m.group(2) or ""
    n = cn_numeral(num)
    return None if n is None else int(n * _UNITS[unit])


@lru_cache(maxsize=1)
def _ctx() -> dict[str, re.Pattern]:
    r = load("amounts")
    verbs = alternation(r["benefit_verbs"])
    return {
        "benefit": re.compile(verbs),
        "annual": re.compile(rf"(?:{alternation(r['annual_before'])})(?:{verbs}|可|为)*\s*$"),
        "cap": re.compile(rf"(?:{alternation(r['cap_before'])})(?:{verbs}|可|为|达|不超过)*\s*$"),
        "fixed": re.compile(rf"(?:{alternation(r['fixed_before'])})(?:{verbs})*\s*$"),
        "thr_after": re.compile(rf"^\s*(?:{alternation(r['threshold_after'])})"),
        "thr_before": re.compile(rf"(?:{alternation(r['threshold_before'])})\s*$"),
        "fund_after": re.compile(rf"^\s*(?:的)?[^，。；]{{0,8}}?(?:{alternation(r['fund_words'])})"),
        "fund_before": re.compile(rf"(?:{alternation(r['fund_before'])})[^，。；]{{0,6}}$"),
        "target": re.compile("|".join(r["target_patterns"])),
        "cond_noun": re.compile(rf"(?:{alternation(r['condition_nouns'])})(?P<gap>[^，。；、]{{0,8}})$"),
        "per_year": re.compile(r"每年|年累计|(?<![上本当前])年度"),  # 上年度成交额 is a base, not a period
        "list_join": re.compile(r"^\s*(?:[、和及与或]|以及)\s*$"),
        "ratio_before": re.compile(r"(?:按照?|根据|依据|不超过|不高于|最高|给予|补助|补贴)[^，。；]{0,30}$"
                                   r"|以[^，。；]{1,12}的\s*$"),
        "not_ratio": re.compile(r"(?:增长|增幅|比重|占比|比例|覆盖率|提升到|提高到|达到|超过|不低于)\s*$"),
        **{f"role_{k}": re.compile("|".join(v)) for k, v in r["role_words"].items()},
        "role_guard": re.compile(alternation(r["role_benefit_guard"])),
        "role_benefit": re.compile(alternation(r["role_benefit_words"])),
    }


def _kind_money(before: str, after: str, sentence_before: str, prev_kind: str | None, between: str) -> str:
    """The kind of a money amount from the text around it (same clause)."""
    c = _ctx()
    if prev_kind and c["list_join"].match(between):
        return prev_kind  # 分别给予最高50万元、30万元 → all caps
    if c["fund_after"].match(after) or c["fund_before"].search(before):
        return "fund"
    cond = c["cond_noun"].search(before)  # 资产总额和年销售收入不超过5000万元: what the applicant has
    if cond and not c["benefit"].search(cond.group("gap")):
        # 力争营收5000万元以上企业…清零: a class of firms (threshold) even inside a goal sentence
        return "target" if c["target"].search(sentence_before) and not c["thr_after"].match(after) else "threshold"
    if c["annual"].search(before):
        return "annual_cap"
    if c["cap"].search(before):
        return "annual_cap" if c["per_year"].search(before) else "cap"
    if c["fixed"].search(before):
        return "fixed"
    if c["thr_after"].match(after):
        return "threshold"
    benefit_near = c["benefit"].search(before[-8:]) or c["benefit"].match(after.lstrip("的"))
    if c["target"].search(sentence_before) and not benefit_near:
        return "target"
    if c["thr_before"].search(before) and not benefit_near:
        return "threshold"
    return "fixed" if benefit_near or c["benefit"].search(before) else "other"


def amount_role(kind: str, clause: str, sentence_before: str, lead: str = "") -> str:
    """What an amount is to a firm: a penalty (罚款, 罚金, 没收), a liability limit (赔偿限额), money
    it must pay others (用人单位应当支付), a fee or charge (收费, 缴纳), else by its kind (threshold,
    target, fund); a grant only with a benefit word in its sentence or in the lead-in of its list
    (``lead``, the text of the provision above an item).

    >>> amount_role("cap", "最高不超过五千万元", "违反本条例规定的，处罚款，")
    'penalty'
    >>> amount_role("cap", "给予最高50万元奖励", ""), amount_role("fixed", "每立方米收取0.5元", "")
    ('benefit', 'fee')
    >>> amount_role("cap", "不超过十万元的，应当报宗教事务部门备案", "接受捐赠金额在五万元以上、")
    'other'
    >>> amount_role("range", "1、有林地每平方米二元至四元", "", "（四）森林植被恢复费：")
    'fee'
    """
    c = _ctx()
    context = lead[-120:] + sentence_before
    guarded = c["role_guard"].search(clause)
    for role in ("penalty", "liability_limit", "obligation"):
        if c[f"role_{role}"].search(clause):
            return role
    if c["role_fee"].search(clause) and not guarded:
        return "fee"
    if c["role_fund_source"].search(context):  # 专项资金的主要来源：…补助费的10%
        return "fund"
    if not guarded:
        for role in ("penalty", "liability_limit", "obligation", "fee"):
            if c[f"role_{role}"].search(context if role != "fee" else lead[-40:]):
                return role
    role = _KIND_ROLE.get(kind, "benefit")
    if role == "benefit" and not c["role_benefit"].search(context + clause):
        return "other"
    return role


def _base(before: str) -> str | None:
    m = re.search(r"(?:按照?|根据|依据|不超过)(?:不超过|最高)?([^，。；、按据照]{1,16}?)(?:的)?(?:最高|不超过)?\s*$", before)
    if not m:
        return None
    base = m.group(1).strip()
    return base or None


def _ratio_ok(before: str, sentence: str) -> bool:
    c = _ctx()
    return bool(c["ratio_before"].search(before) and not c["not_ratio"].search(before)
                and c["benefit"].search(sentence))


_VERBS = re.compile(r"给予|奖补|支持|奖励|补助|资助|补贴|予以兑付|兑付|予以|标准|一次性|资金|元|的|等")
# 对 that opens a beneficiary: not 面对/针对/相对/核对 …, not 对接/对外/对标/对照 …
_TO = r"(?<![面针相核比应反绝派配校])对(?![接外标照话比称口于])"
_WHO_RX = re.compile(_TO + r"((?:(?!对)[^。；])+?)[，,]?(?:分别|均)?(?:给予|奖补|奖励|补助|按(?![期时月年季])照?|一次性)"
                     r"(?:(?!对)[^。；])*$")  # 按期还本付息 is no 按-clause
_NOT_WHO = re.compile(r"根据|通过|按照?|予以|依据|采取|形式|方式|[\d%且或]")
_WHAT_RX = re.compile(r"\s*(?:的|给予|予以)?([^，。；、（(和及或\d]{1,12}?)(?=支持|奖补|奖励|补助|补贴|资助|资金|[，。；、]|$)")


@lru_cache(maxsize=1)
def _purpose_stop() -> frozenset[str]:
    return frozenset(load("amounts")["purpose_stop"])


def _who_and_what(sentence: str, start: int, end: int) -> tuple[str | None, str | None]:
    """Beneficiary (the head of 对X给予/对X按) and purpose (用于X, or the noun after the amount:
    最高50万元项目经费支持 → 项目经费). A qualifier without a noun (对符合条件的给予, 对建设成效
    显著的给予) names no beneficiary: the caller looks for one in the context.

    >>> _who_and_what("对建设成效显著的给予最高50万元奖补", 10, 15)
    (None, None)
    >>> _who_and_what("对在青落户的外地获奖企业给予最高100万元落户奖励", 16, 21)
    ('外地获奖企业', '落户')
    """
    before, after = sentence[:start], sentence[end:]
    aside = re.sub(r"（[^（）]*）", "", before)  # （基础研究支出可按2倍计入） is no 按-clause
    who = None
    m = _WHO_RX.search(aside)
    if m:
        phrase = re.sub(r"(?:最高|不超过)$", "", m.group(1).rstrip("，, "))
        head = "" if phrase.endswith("的") else \
            re.sub(r"^(?:单个|每个|每家|每项)", "", phrase.split("的")[-1].split("，")[-1])
        if not head or len(head) > 20 or _NOT_WHO.search(head):
            types = find_beneficiaries(phrase)
            head = types[-1] if types else ""
        who = head or None
    what = None
    if who and re.search(r"(?:费用|费|支出|成本)$", who):  # 对…检验检测费用，按…的20%: the base, not a who
        who, what = None, who
    m = _WHAT_RX.match(after) if what is None else None
    if m:
        what = _VERBS.sub("", m.group(1)).strip("“”\" ") or None
        if what and (what in _purpose_stop() or len(what) < 2):
            what = None
    use = re.search(r"用于([^，。；]{2,20})", sentence[start:])
    if use:
        what = use.group(1)
    return who, what


def find_amounts(text: str, start: int = 0, end: int | None = None,
                 line_of=None, lead: str = "") -> list[tuple[int, int, Amount]]:
    """(start, end, Amount) for every amount in ``text[start:end]`` (normalised text), in order;
    ``line_of(offset)`` gives each Amount its source line; ``lead`` is the text of the provision
    above (an item's 下列规定处理：), read for the amounts' roles.

    >>> [(a.value_yuan, a.kind) for _, _, a in find_amounts("每个项目给予最高500万元支持。")]
    [(5000000, 'cap')]
    """
    end = len(text) if end is None else end
    found: list[tuple[int, int, Amount]] = []
    if not _ANY.search(text, start, end):  # most paragraphs: no 元, %, / or 分之 at all
        return found
    for s0, s1 in pieces(text[start:end], start=start):
        for c0, c1 in clauses(text, s0, s1):
            if _ANY.search(text, c0, c1):
                found.extend(_clause_amounts(text, s0, c0, c1, line_of, lead))
    return found


def _clause_amounts(text: str, s0: int, c0: int, c1: int, line_of, lead: str = "") -> list[tuple[int, int, Amount]]:
    clause = text[c0:c1]
    hits: list[tuple[int, int, str, re.Match]] = []
    for m in _AMOUNT_RX.finditer(clause):
        hits.append((m.start(), m.end(), "money", m))
    taken = [(a, b) for a, b, _, _ in hits]
    for rx, tag in ((_PCT_RX, "pct"), (_FRAC_RX, "frac")):
        for m in rx.finditer(clause):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                hits.append((m.start(), m.end(), tag, m))
                taken.append((m.start(), m.end()))
    hits.sort(key=lambda h: h[0])
    out: list[tuple[int, int, Amount]] = []
    prev_kind, prev_end = None, 0
    for a, b, tag, m in hits:
        before, after = clause[:a], clause[b:]
        seg_before = re.split(r"[，,]", re.sub(r"（[^（）]*）", "", before))[-1]  # （LPR，下同） is one aside
        fields = None
        if tag == "money":
            fields = _money_fields(m, seg_before, after, text[s0:c0 + a], prev_kind, clause[prev_end:a])
        elif _ratio_ok(seg_before, clause):
            ratio = _pct(m) if tag == "pct" else _frac(m)
            if ratio is not None:
                fields = dict(text=m.group(), value_yuan=None, kind="ratio" if tag == "pct" else "fraction",
                              ratio=ratio, base=_base(seg_before))
        if fields is None:
            continue
        fields["role"] = amount_role(fields["kind"], clause, text[s0:c0], lead)
        if fields["role"] == "benefit":
            fields["beneficiary"], fields["purpose"] = _who_and_what(clause, a, b)
        out.append((c0 + a, c0 + b, Amount(**fields, line=line_of(c0 + a) if line_of else None)))
        prev_kind, prev_end = fields["kind"], b
    return out


def _money_fields(m: re.Match, before: str, after: str, sentence_before: str, prev_kind, between) -> dict | None:
    if m.group("one"):
        value = money_value(m.group("one"))
        if value is None:
            return None
        kind = _kind_money(before, after, sentence_before, prev_kind, between)
        return dict(text=m.group().strip(), value_yuan=value, kind=kind)
    hi_text, lo_text = m.group("hi"), m.group("lo")
    hi = money_value(hi_text)
    lo_unit = re.search(rf"(?:{UNIT})", lo_text)
    lo = money_value(lo_text if lo_unit else lo_text.rstrip("元") + cast(re.Match[str], re.search(rf"(?:{UNIT})?\s*元", hi_text)).group())
    kind = _kind_money(before, after, sentence_before, prev_kind, between)
    kind = {"fixed": "range", "cap": "range", "other": "range"}.get(kind, kind)
    return dict(text=m.group().strip(), value_yuan=hi, kind=kind, min_yuan=lo)


def _pct(m: re.Match) -> float | None:
    if m.group("pct"):
        return float(Decimal(m.group("pct")) / 100)
    n = cn_numeral(m.group("cnpct"))
    return None if n is None else float(n / 100)


def _frac(m: re.Match) -> float | None:
    num: int | Decimal | None
    den: int | Decimal | None
    if m.group("num"):
        num, den = int(m.group("num")), int(m.group("den"))
    else:
        num, den = cn_numeral(m.group("cnum")), cn_numeral(m.group("cden"))
        if num is None or den is None:
            return None
        num, den = int(num), int(den)
    return num / den if den and 0 < num < den else None
