"""Matching form of a provision's text and its sentence/clause pieces (offsets preserved)."""
from __future__ import annotations

import re
from functools import lru_cache

from ..clean_text import simplified

# Length-preserving: full-width digits/signs and a few traditional money characters, so regex
# offsets stay offsets of the original text (and so map to source lines).
_TABLE = str.maketrans("０１２３４５６７８９％．／－～()萬億兩圓", "0123456789%./-~（）万亿两元")

_NEEDS = re.compile("[０-９％．／－～()萬億兩圓]")
_SENT = re.compile(r"[^。！？!?]+[。！？!?]?")
_CLAUSE = re.compile(r"[^；;]+[；;]?")


@lru_cache(maxsize=4096)  # a one-paragraph article's text is its paragraph's: relations() and enrich() share it
def extract_form(text: str) -> str:
    """The form the extractors match: same length as ``text``, half-width digits, simplified
    characters (給予 → 给予), so rules written in simplified Chinese read a traditional text too
    (cleaning's ``ingest.clean.normalize`` also converts punctuation, which these rules do not expect).

    >>> extract_form("最高５００萬元"), extract_form("分別給予獎勵")
    ('最高500万元', '分别给予奖励')
    """
    text = text.translate(_TABLE) if _NEEDS.search(text) else text  # translate is slow on long text
    return simplified(text)


def pieces(text: str, rx: re.Pattern = _SENT, start: int = 0) -> list[tuple[int, int]]:
    """(start, end) of the sentences (or clauses with ``_CLAUSE``) of ``text``, offsets absolute."""
    return [(start + m.start(), start + m.end()) for m in rx.finditer(text) if m.group().strip()]


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The ；-clauses of ``text[start:end]``."""
    return pieces(text[start:end], _CLAUSE, start)
