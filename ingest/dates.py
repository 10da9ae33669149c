"""Dates, revision histories and validity clauses of Chinese policy texts.

Pure functions over strings (matching form, ``Para.norm``); ``ingest.meta`` decides which
paragraphs to feed them.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from .patterns import cn_numeral

_CN_DIGITS = "〇零一二三四五六七八九十"
_Y = rf"(\d{{4}}|[{_CN_DIGITS}○Ｏ]{{4}})"
_MD = rf"(\d{{1,2}}|[{_CN_DIGITS}]{{1,3}})"
# 2024年7月31日 / 2024 年 11 月 1 日 / 二〇二四年七月三十一日
DATE_RX = re.compile(rf"{_Y}\s*年\s*{_MD}\s*月\s*{_MD}\s*日")
# A paragraph that is only a date (a 落款 date, possibly "…印发"/"…通过").
DATE_LINE = re.compile(rf"^\s*[（(]?\s*{DATE_RX.pattern}\s*(?:印发|发布|通过|公布)?\s*[）)]?\s*$")


def _num(s: str) -> int:
    if s.isdigit():
        return int(s)
    s = s.replace("○", "〇").replace("Ｏ", "〇")
    if len(s) == 4 and "十" not in s:  # a year written digit by digit: 二〇二四
        return int("".join(str("〇一二三四五六七八九".index(c)) if c != "零" else "0" for c in s))
    n = cn_numeral(s)
    if n is None:
        raise ValueError(f"not a number: {s!r}")
    return int(n)


def parse_date(text: str) -> date | None:
    """The first full date in ``text``, or None (also None for an impossible date).

    >>> parse_date("2024 年 11 月 1 日起施行"), parse_date("二〇二四年七月三十一日")
    (datetime.date(2024, 11, 1), datetime.date(2024, 7, 31))
    >>> parse_date("2024年2月30日") is None
    True
    """
    m = DATE_RX.search(text)
    if not m:
        return None
    try:
        return date(_num(m.group(1)), _num(m.group(2)), _num(m.group(3)))
    except ValueError:
        return None


def add_years(start: date, years: int, months: int = 0) -> date:
    """The last day of a term of ``years`` (and ``months``) beginning on ``start``.

    >>> add_years(date(2024, 8, 1), 3)
    datetime.date(2027, 7, 31)
    >>> add_years(date(2024, 2, 29), 1)
    datetime.date(2025, 2, 28)
    """
    y, m = start.year + years + (start.month - 1 + months) // 12, (start.month - 1 + months) % 12 + 1
    try:
        return date(y, m, start.day) - timedelta(days=1)
    except ValueError:  # no such anniversary (29 Feb, 31st): the term ends at that month's end
        nxt = date(y + m // 12, m % 12 + 1, 1)
        return nxt - timedelta(days=1)


# ---- validity -------------------------------------------------------------------------------

_CN_COUNT = r"(\d+|[一二两三四五六七八九十]+)"
START_RX = re.compile(rf"自\s*(?P<date>{DATE_RX.pattern})\s*(?:起|开始)?\s*(?:施行|实施|执行|生效)"
                      rf"|(?P<date2>{DATE_RX.pattern})\s*(?:起|开始)\s*(?:施行|实施|执行|生效)"
                      r"|自\s*(?P<pub>(?:印发|发布|公布|颁布|下发|公开发布)之日)\s*起")
END_AT_RX = re.compile(rf"有效期(?:限)?(?:为|截)?至\s*(?P<date>{DATE_RX.pattern})")
TERM_RX = re.compile(rf"(?:有效期(?:限)?(?:为|暂定为?)?|暂定|试行(?:期)?(?:为)?)\s*{_CN_COUNT}\s*(?P<unit>年|个月)")
SAME_AS_RX = re.compile(r"与\s*《[^》]+》\s*(?:[（(][^）)]{0,30}[）)])?\s*同步(?:施行|实施|执行|生效)")
# An 有效期 or term that belongs to a licence, certificate, approval or qualification.
TRAP_RX = re.compile(r"(证书|许可|资质|资格|认定|备案|批复|批准文件|牌照|证照|登记|证明|意见书|证件|称号|授牌|协议|合同|项目)"
                     r"[^，。；]{0,8}(?:的)?有效期")
SUBJECT_RX = re.compile(r"本(?:条例|办法|细则|规定|政策|措施|方案|意见|通知|文件|计划|决定|规则|规划|法|实施细则|指引|暂行办法|若干措施)")
VALIDITY_HINT = re.compile(r"施行|实施|执行|生效|有效期|暂定")


def _count(s: str) -> int:
    return int(s) if s.isdigit() else _num(s.replace("两", "二"))


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pieces of a paragraph, cut after 。；;！ (the mark kept)."""
    out, start = [], 0
    for m in re.finditer(r"[。；;！!]", text):
        out.append((start, text[start:m.end()]))
        start = m.end()
    if text[start:].strip():
        out.append((start, text[start:]))
    return out


def validity_of(sentence: str, issue_date: date | None) -> tuple[date | None, date | None, bool]:
    """(start, end, found) of one sentence; found is False when it says nothing on validity.

    >>> validity_of("本办法自2024年8月1日起施行，有效期三年。", None)
    (datetime.date(2024, 8, 1), datetime.date(2027, 7, 31), True)
    >>> validity_of("本措施自发布之日起实施，有效期至2028年12月31日。", date(2024, 8, 1))
    (datetime.date(2024, 8, 1), datetime.date(2028, 12, 31), True)
    >>> validity_of("证书有效期三年。", None)
    (None, None, False)
    """
    s = TRAP_RX.sub("", sentence)
    start = end = None
    found = False
    m = START_RX.search(s)
    if m:
        found = True
        if m.group("pub"):
            start = issue_date
        else:
            start = parse_date(m.group("date") or m.group("date2"))
    m = END_AT_RX.search(s)
    if m:
        found, end = True, parse_date(m.group("date"))
    else:
        m = TERM_RX.search(s)
        if m:
            found = True
            n = _count(m.group(1))
            base = start or issue_date
            if base:
                end = add_years(base, n) if m.group("unit") == "年" else add_years(base, 0, n)
    return start, end, found
