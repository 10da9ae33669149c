"""Matching form of a provision's text and its sentence/clause pieces (offsets preserved)."""
from __future__ import annotations

import re

# Length-preserving: full-width digits/signs and a few traditional money characters, so regex
# offsets stay offsets of the original text (and so map to source lines).
_TABLE = str.maketrans("０１２３４５６７８９％．／－～()萬億兩圓", "0123456789%./-~（）万亿两元")

_NEEDS = re.compile("[０-９％．／－～()萬億兩圓]")
_SENT = re.compile(r"[^。！？!?]+[。！？!?]?")
_CLAUSE = re.compile(r"[^；;]+[；;]?")


def extract_form(text: str) -> str:
    """The form the extractors match: same length as ``text``, half-width digits, simplified money
    characters — only that (the matching form of cleaning, ``ingest.clean.normalize``, also
    converts traditional characters and punctuation, which the extraction rules do not expect).

    >>> extract_form("最高５００萬元")
    '最高500万元'
    """
    return text.translate(_TABLE) if _NEEDS.search(text) else text  # translate is slow on long text


def pieces(text: str, rx: re.Pattern = _SENT, start: int = 0) -> list[tuple[int, int]]:
    """(start, end) of the sentences (or clauses with ``_CLAUSE``) of ``text``, offsets absolute."""
    return [(start + m.start(), start + m.end()) for m in rx.finditer(text) if m.group().strip()]


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The ；-clauses of ``text[start:end]``."""
    return pieces(text[start:end], _CLAUSE, start)
