"""One string at a time: ``tidy_line`` (a physical line without spurious spaces, zero-width
characters or markdown markers) and ``normalize`` (a paragraph's matching form, same length).

Normal form: traditional -> simplified (OpenCC t2s; phrase-level when that keeps the length, else
character by character) plus the same-length fixes in layout.yaml ``norm_fixes``; digits, Latin
letters and ``. % + - / = @ # & *`` half-width (０-９ Ａ-Ｚ ． -> 0-9 A-Z .); Chinese punctuation
full-width: ，；：！？（） (ASCII , ; : ! ? next to a CJK character and every ( ) are made full-width;
1,000 and 10:30 keep theirs); 「」『』 -> “”‘’, straight double quotes alternate “ ”; [2024] 【2024】
-> 〔2024〕; a dash between digits (2024—2028, 2024－2028) -> ``-``; the ideographic space -> `` ``.

Spaces: a line keeps a space only between two non-CJK characters (``Asahi Kasei``) or between
two agency names (``青岛市科学技术局 青岛市财政局``, so issuers stay apart).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .clean_rules import BULLET, WIDE, WIDE_RX, CleanRules, rules

_SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CTRL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\u2028\u2029]")  # a tab is a table's cell separator
_GAP = re.compile(r" {3,}|\u3000{2,}")
_HAN = re.compile(r"[\u4e00-\u9fff]+")

# ---- normalisation ------------------------------------------------------------------------

_HALF: dict[int, int | str] = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if chr(c) not in "，；：！？（）"}
_HALF.update({0x3000: " ", 0xFF61: "。", 0xFF64: "、", ord("("): "（", ord(")"): "）",
              ord("「"): "“", ord("」"): "”", ord("『"): "‘", ord("』"): "’", ord("・"): "·", ord("•"): "·"})
_HALF_RX = re.compile("[" + re.escape("".join(map(chr, _HALF))) + "]")
_FULL = str.maketrans({",": "，", ";": "；", ":": "：", "!": "！", "?": "？"})
# A run of ASCII marks touching a wide character turns full-width as a whole: each mark made
# full-width is wide itself, so "中,?" -> "中，？" (one pass, not one pass per mark).
_ASCII_PUNCT = re.compile(f"(?<=[{WIDE}])[,;:!?]+|[,;:!?]+(?=[{WIDE}])")
_ASCII_MARK = re.compile("[,;:!?]")
_DASH = re.compile("[-–—－~～]")
_BRACKET = re.compile("[\\[［【\\]］】]")
_DIGIT_DASH = re.compile(r"(?<=\d)[-–—－~～](?=\d)")
_YEAR_OPEN = re.compile(r"[\[［【](?=\d{4}[\]］】])")
_YEAR_CLOSE = re.compile(r"(?<=〔\d{4})[\]］】]")


@lru_cache(maxsize=1)
def _t2s():
    """(OpenCC t2s converter, the characters it changes) - loaded on first use."""
    import opencc
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    trad = []
    for row in path.read_text(encoding="utf-8").splitlines():
        key, _, vals = row.partition("\t")
        if len(key) == 1 and vals.split() and vals.split()[0] != key:
            trad.append(key)
    return opencc.OpenCC("t2s"), frozenset(trad)


@lru_cache(maxsize=4096)
def _t2s_char(c: str) -> str:
    out = _t2s()[0].convert(c)
    return out if len(out) == 1 else c


def simplified(s: str) -> str:
    """``s`` in simplified characters, same length (OpenCC t2s, phrase-level when that keeps the
    length, else character by character).

    >>> simplified("分別給予一次性獎勵")
    '分别给予一次性奖励'
    """
    conv, trad = _t2s()
    if trad.isdisjoint(s):
        return s
    out = conv.convert(s)
    return out if len(out) == len(s) else "".join(_t2s_char(c) for c in s)


def normalize(text: str) -> str:
    """The matching form of ``text``, same length (see the module docstring).

    >>> normalize("青島市２０２４年（試行）:科技(2024－2028年)")
    '青岛市2024年（试行）：科技（2024-2028年）'
    """
    s = text.translate(_HALF) if _HALF_RX.search(text) else text  # translate() is slow: skip when idle
    s = simplified(s)
    if '"' in s:
        n = iter(range(s.count('"')))
        s = re.sub('"', lambda m: "“" if next(n) % 2 == 0 else "”", s)
    # each substitution only where its mark occurs: a pattern that opens with a look-behind is
    # tried at every position, a plain character class is a fast scan
    if _ASCII_MARK.search(s):
        s = _ASCII_PUNCT.sub(lambda m: m.group().translate(_FULL), s)
    if _DASH.search(s):
        s = _DIGIT_DASH.sub("-", s)
    if _BRACKET.search(s):
        s = _YEAR_CLOSE.sub("〕", _YEAR_OPEN.sub("〔", s))
    for a, b in rules().norm_fixes:
        s = s.replace(a, b)
    return s


# ---- one line -----------------------------------------------------------------------------

def _keep_space(line: str, start: int, end: int, r: CleanRules) -> bool:
    """Whether the space run line[start:end] is meaningful (see the module docstring)."""
    if start == 0 or end == len(line):
        return False
    a, b = line[start - 1], line[end]
    if a == "\t" or b == "\t":
        return False
    wa, wb = bool(WIDE_RX.match(a)), bool(WIDE_RX.match(b))
    if not wa and not wb:
        return True
    if not (wa and wb) or a not in r.agency_end:
        return False
    k = max(r.num["agency_min_chars"], 1)  # both Han runs at least k long: look at k characters only
    return bool(start >= k and end + k <= len(line) and _HAN.fullmatch(line, start - k, start)
                and _HAN.fullmatch(line, end, end + k) and not line.startswith("关于", end))


def _tidy_marks(line: str, r: CleanRules) -> str:
    """``line`` without dropped/control characters, edge spaces and markdown markers; layout gaps
    between 3+ cells made tabs."""
    line = _CTRL.sub("", line.translate(r.drop) if r.drop_rx.search(line) else line)
    line = line.strip(" \u00a0\u3000\r\n")
    if not line.strip():
        return ""
    cells = _GAP.split(line)
    if len(cells) >= 3 and max(map(len, cells)) > 1:  # a layout table row: wide gaps between cells
        line = "\t".join(cells)                       # (not 科   技   创   新, which is letter spacing)
    if line.strip("\t").count("\t") == 0 and (line.count("\t") < 2 or not line.startswith("\t")):
        line = line.strip("\t")  # a table row (a tab between cells, or several) keeps its empty cells;
        # a row of one first cell and empty ones is a heading across the table (一、成果基本信息\t\t\t)
    return r.md_bold.sub("", r.md_heading.sub("", line)).rstrip(" \u00a0\u3000")


# OCR spaces inside a label's number: 第 1 0 条 / 第1 0条 → 第10条 (the CJK spaces are gone already)
_LABEL_DIGITS = re.compile(r"第\s*(\d(?:[ \u3000]+\d)+)\s*(?=[条章节编款项])")  # starts at 第: fast scan


def tidy_line(line: str) -> str:
    """One physical line without spurious spaces, zero-width characters or markdown markers.

    A leading ``- `` bullet is kept (the segmenter strips it, ingest.patterns.BULLET); the item
    after it is tidied as a line of its own, and so on for nested bullets.

    >>> tidy_line("  科 技 创 新 超过 1200 亿元, Asahi  Kasei ")
    '科技创新超过1200亿元, Asahi Kasei'
    >>> tidy_line("青岛市科学技术局 青岛市财政局"), tidy_line("第 1 0 条 为了规范")
    ('青岛市科学技术局 青岛市财政局', '第10条为了规范')
    """
    r = rules()
    line, bullets, plain = _tidy_marks(line, r), [], False
    while bullet := BULLET.match(line):
        bullets.append(line[0] + " ")
        # without tabs, gaps or bold markers (none in any rest of it either) tidying the rest only
        # drops a heading marker: no rescan of the whole line per bullet on "- - - - …"
        plain = plain or not ("\t" in line or _GAP.search(line) or r.md_bold.search(line))
        rest = line[bullet.end():]
        line = r.md_heading.sub("", rest).rstrip(" \u00a0\u3000") if plain else _tidy_marks(rest, r)
    if _SPACES.search(line):
        out, pos = [], 0
        for m in _SPACES.finditer(line):
            out.append(line[pos:m.start()])
            if _keep_space(line, m.start(), m.end(), r):
                out.append(" ")
            pos = m.end()
        out.append(line[pos:])
        line = "".join(out).strip()
        if "第" in line:
            line = _LABEL_DIGITS.sub(lambda m: "第" + re.sub(r"\s", "", m.group(1)), line)
    return "".join(bullets) + line if line else ""
