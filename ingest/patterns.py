"""Numbering labels of Chinese legal and policy texts, shared by the cleaner and segmenter.

Laws: 第X编/章/节/条 with 款 (paragraphs) and （一） items; policies: 一、/（一）/1./（1）/①.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

CN_NUM = "零〇一二三四五六七八九十百千两"
_CN = f"[{CN_NUM}]+"

# (kind, regex) in the order they are tried; every regex matches at the start of a line.
LABELS: tuple[tuple[str, re.Pattern], ...] = (
    ("part", re.compile(rf"^\s*第\s*({_CN}|\d+)\s*编\s*")),
    ("chapter", re.compile(rf"^\s*第\s*({_CN}|\d+)\s*章\s*")),
    ("section", re.compile(rf"^\s*第\s*({_CN}|\d+)\s*节\s*")),
    ("law_article", re.compile(rf"^\s*第\s*({_CN}|\d+)\s*条(?:之[{CN_NUM}]+)?[\s　]*")),
    ("cn_top", re.compile(rf"^\s*({_CN})\s*[、，．.]\s*")),  # 一、
    ("cn_paren", re.compile(rf"^\s*[（(]\s*({_CN})\s*[）)]\s*")),  # （一）
    ("arabic", re.compile(r"^\s*(\d{1,3})\s*[.．、](?!\d)\s*")),  # 1.  1、 (not 1.5亿)
    ("arabic_paren", re.compile(r"^\s*[（(]\s*(\d{1,3})\s*[）)]\s*")),  # （1）
    ("circled", re.compile(r"^\s*([①-⑳])\s*")),  # ①
    ("box", re.compile(r"^\s*专栏\s*(\d+|[一二三四五六七八九十]+)?")),
    ("attachment", re.compile(r"^\s*附\s*件\s*(\d+)?\s*[:：]?")),
)

# What a label can start with, after spaces (\d: any decimal digit, checked apart)
_LABEL_FIRST = frozenset("第（(专附" + CN_NUM + "".join(map(chr, range(ord("①"), ord("⑳") + 1))))


def match_label(line: str) -> tuple[str, str, int] | None:
    """The numbering label a line starts with: (kind, label, end offset), or None.

    >>> match_label("第十二条 本办法自发布之日起施行。")[:2]
    ('law_article', '第十二条')
    >>> match_label("（三）强化创投风投投资力度。")[:2]
    ('cn_paren', '（三）')
    >>> match_label("2028年，研发经费超过800亿元") is None
    True
    """
    head = line[:1]
    if head.isspace():
        head = line.lstrip()[:1]
    if head not in _LABEL_FIRST and not head.isdecimal():  # most lines: no label, no 11 regexes tried
        return None
    for kind, rx in LABELS:
        m = rx.match(line)
        if m:
            return kind, line[m.start():m.end()].strip(), m.end()
    return None


# ---- helpers for the segmenter and describer -------------------------------------------------

# Markdown/list furniture some converters put before a label: "- （一）", "* 1.", "• 一、".
BULLET = re.compile(r"^\s*(?:[-*•·]\s+)")
# An attachment heading on its own line: 附件 / 附件1 / 附件 1-2 / 附件1：
ATT_HEADER = re.compile(r"^\s*附\s*件\s*([0-9０-９]+(?:\s*[-－—]\s*[0-9]+)*)?\s*[:：]?\s*$")
# An attachment list at the end of a body: 附件：1.《…》 / 附件：负面清单
ATT_LIST = re.compile(r"^\s*附\s*件\s*[:：]\s*\S")
# A table-of-contents line: dot leaders and/or a trailing page number after a tab.
TOC_LINE = re.compile(r"(?:\.{3,}|…{2,}|·{3,})\s*\d*\s*$|\t\s*\d{1,4}\s*$")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


@lru_cache(maxsize=8192)  # label numbers repeat (第一条 …): cn2an costs ~0.3 ms a call
def cn_numeral(s: str) -> Decimal | None:
    """Digits (thousands commas allowed) or Chinese numerals as a Decimal; None when the run is no
    number. The one place that calls cn2an, so every stage reads numerals alike.

    >>> cn_numeral("1,500"), cn_numeral("三千"), cn_numeral("两百"), cn_numeral("千万"), cn_numeral("一十零")
    (Decimal('1500'), Decimal('3000'), Decimal('200'), Decimal('10000000'), None)
    """
    s = s.strip().replace(",", "")
    if _DIGITS.fullmatch(s):
        return Decimal(s)
    if not s:
        return None
    if s[0] in "十百千":
        s = "一" + s  # 千万元 = 一千万元
    s = s.replace("两", "二")
    n = plain_numeral(s)
    if n is not None:
        return Decimal(n)
    import cn2an  # the other shapes (一万二, 1.5万, 叁佰): importing it costs ~0.3 s, most runs never need it
    try:
        return Decimal(str(cn2an.cn2an(s, "smart")))
    except (ValueError, KeyError):  # cn2an raises KeyError on some malformed runs (一十零)
        return None


_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
_UNIT = {"十": 10, "百": 100, "千": 1000}
_SMALL_UNITS = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))


def plain_numeral(s: str) -> int | None:
    """The value of a numeral written the one standard way (一十五, 一百零五, 三千万, 二〇二一), else None.

    A value is accepted only when writing it back gives ``s`` again, so every numeral taken here
    reads as cn2an reads it (checked against cn2an in tests/test_startup.py); others go to cn2an.

    >>> plain_numeral("一千零五十"), plain_numeral("二〇二一"), plain_numeral("一万二"), plain_numeral("一十零")
    (1050, 2021, None, None)
    """
    if len(s) > 32:  # no standard numeral is this long (and int() refuses > 4,300 digits): cn2an's call
        return None
    if len(s) > 1 and all(c in _DIGIT for c in s):  # digit by digit: 二〇二一
        return int("".join(str(_DIGIT[c]) for c in s))
    total = section = digit = 0
    for c in s:
        if c in _DIGIT:
            digit = _DIGIT[c]
        elif c in _UNIT:
            section, digit = section + digit * _UNIT[c], 0
        elif c == "万":
            total, section, digit = total + (section + digit) * 10_000, 0, 0
        elif c == "亿":
            total, section, digit = (total + section + digit) * 100_000_000, 0, 0
        else:
            return None
    n = total + section + digit
    return n if n < 10**16 and standard_numeral(n) == s else None


def standard_numeral(n: int) -> str:
    """``n`` in the standard form (一十, not 十: callers put the 一 before a leading 十).

    >>> [standard_numeral(n) for n in (15, 1050, 10500, 105_000_000, 0)]
    ['一十五', '一千零五十', '一万零五百', '一亿五百万', '零']
    """
    if n >= 100_000_000:
        high, low = divmod(n, 100_000_000)
        return standard_numeral(high) + "亿" + ("" if not low else ("零" if low < 10_000 else "") + standard_numeral(low))
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        return standard_numeral(high) + "万" + ("" if not low else ("零" if low < 1000 else "") + standard_numeral(low))
    out, gap = "", False
    for value, unit in _SMALL_UNITS:
        d = n // value % 10
        if d:
            out += ("零" if gap else "") + "零一二三四五六七八九"[d] + unit
            gap = False
        elif out:
            gap = True
    return out or "零"


def cn_int(s: str) -> int | None:
    """An integer written in Arabic or Chinese numerals, else None.

    >>> cn_int("二十三"), cn_int("12"), cn_int("③"), cn_int("x")
    (23, 12, 3, None)
    """
    s = s.strip()
    if len(s) == 1 and s in _CIRCLED:
        return _CIRCLED.index(s) + 1
    if s.isascii() and s.isdigit():
        return int(s)
    if s and all(c in CN_NUM for c in s):
        n = cn_numeral(s)
        return None if n is None else int(n)
    return None


def label_number(label: str) -> int | None:
    """The number a label carries: 第十二条 -> 12, （三） -> 3, 1. -> 1, ① -> 1.

    >>> label_number("第十二条"), label_number("（三）"), label_number("28."), label_number("专栏 6")
    (12, 3, 28, 6)
    """
    m = re.search(rf"[0-9]+|[{CN_NUM}]+|[{_CIRCLED}]", label.replace("第", "", 1) if label.startswith("第") else label)
    return cn_int(m.group(0)) if m else None


def strip_bullet(line: str) -> str:
    """The line without a leading markdown bullet ("- （一）…" -> "（一）…")."""
    return BULLET.sub("", line, count=1)
