"""Numbering labels of Chinese legal and policy texts, shared by the cleaner and segmenter.

Laws: 第X编/章/节/条 with 款 (paragraphs) and （一） items; policies: 一、/（一）/1./（1）/①.
"""
from __future__ import annotations

import re

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


def match_label(line: str) -> tuple[str, str, int] | None:
    """The numbering label a line starts with: (kind, label, end offset), or None.

    >>> match_label("第十二条 本办法自发布之日起施行。")[:2]
    ('law_article', '第十二条')
    >>> match_label("（三）强化创投风投投资力度。")[:2]
    ('cn_paren', '（三）')
    >>> match_label("2028年，研发经费超过800亿元") is None
    True
    """
    for kind, rx in LABELS:
        m = rx.match(line)
        if m:
            return kind, line[m.start():m.end()].strip(), m.end()
    return None
