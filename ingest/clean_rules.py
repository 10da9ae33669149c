"""The cleaning rules (data/rules/{furniture,layout,doc_types}.yaml) and what every cleaning step
shares: display width, the wide (CJK) character class, bullets."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import resources


# Characters that take two columns and behave as CJK for spacing: CJK ideographs, kana, hangul,
# CJK and full-width punctuation, and the quotes/dashes Chinese fonts set full-width.
WIDE = ("\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f"
        "\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff01-\uff60\uffe0-\uffe6"
        "\U00020000-\U0003fffd\u2014\u2015\u2018\u2019\u201c\u201d\u2026\u00b7")
WIDE_RX = re.compile(f"[{WIDE}]")
BULLET = re.compile(r"[-*•·][ \u3000]+(?=\S)")
BARE_BULLET = re.compile(r"[-*•·]")  # a bullet whose item went to the next line (word-wrapped at its space)
CUT_SPAN = 200  # characters before a line end searched for the sentence a word-wrap cut (clean_joins)


@dataclass(frozen=True, slots=True)
class CleanRules:
    furniture: tuple[re.Pattern, ...]
    edge_only: tuple[re.Pattern, ...]  # furniture in a PDF only at a page's edge
    repeated: dict
    hard_final: str
    soft_final: str
    open_end: str
    cont_start: str
    number_unit: re.Pattern
    clause_rx: re.Pattern
    label_cont: re.Pattern
    heading_kinds: frozenset
    heading_max: int
    date_rx: re.Pattern
    docno_rx: re.Pattern
    title_end_rx: re.Pattern
    tail_chars: int  # how much of a paragraph's end the joining rules look at (see clean_joins.Run)
    num: dict
    agency_end: str
    drop: dict
    drop_rx: re.Pattern
    md_heading: re.Pattern
    md_bold: re.Pattern
    norm_fixes: tuple[tuple[str, str], ...]


@lru_cache(maxsize=1)
def rules() -> CleanRules:
    """The cleaning rules from data/rules/{furniture,layout,doc_types}.yaml (read once)."""
    fur, lay = resources.rules("furniture"), resources.rules("layout")
    types = resources.rules("doc_types")["doc_types"]
    ends = sorted(set(types) | {"决定", "批复", "函", "报告", "名单", "目录"}, key=len, reverse=True)
    fixes = tuple(lay.get("norm_fixes", {}).items())
    bad = [f"{a}->{b}" for a, b in fixes if len(a) != len(b)]
    if bad:
        raise ValueError(f"data/rules/layout.yaml norm_fixes must keep the length: {bad}")
    num = {k: lay[k] for k in ("min_wrap_width", "prose_chars", "tail_max_chars", "tail_final", "wrap_band",
                               "wrap_min_width", "wrap_min_lines", "wrap_min_share", "agency_min_chars", "loose_share",
                               "indent_min_lines", "indent_min_share", "indent_max_share", "bracket_span",
                               "rewrap_share")}
    title_max = len(ends[0]) + 18  # the longest ending plus a （试行） of up to 16 characters
    return CleanRules(
        furniture=tuple(re.compile(p) for p in fur["patterns"]), repeated=fur["repeated"],
        edge_only=tuple(re.compile(p) for p in fur.get("edge_only", ())),
        hard_final=lay["hard_final"], soft_final=lay["soft_final"], open_end=lay["open_end"],
        cont_start=lay["cont_start"], number_unit=re.compile(lay["number_unit"]),
        clause_rx=re.compile(f"[{re.escape(lay['clause_punct'])}]"),
        label_cont=re.compile(lay["label_continuation"]), heading_kinds=frozenset(lay["heading_kinds"]),
        heading_max=lay["heading_max_chars"], date_rx=re.compile(lay["date_line"]),
        docno_rx=re.compile(lay["docno_line"]),
        title_end_rx=re.compile(rf"(?:{'|'.join(map(re.escape, ends))})(?:[（(][^（()）]{{1,16}}[）)])?$"),
        tail_chars=max(num["bracket_span"], CUT_SPAN, title_max),
        num=num, agency_end=lay["agency_end"], drop={ord(c): None for c in lay["drop_chars"]},
        drop_rx=re.compile(f"[{lay['drop_chars']}]"),
        md_heading=re.compile(lay["markdown_heading"]), md_bold=re.compile(lay["markdown_bold"]),
        norm_fixes=fixes)


def width(s: str) -> int:
    """Display columns of ``s`` (a CJK character counts 2).

    >>> width("科技1")
    5
    """
    return 2 * len(s) - len(WIDE_RX.sub("", s))  # sub: no list of one-character matches
