"""clean: a file's physical lines -> logical paragraphs (Paras) that map back to source lines.

Steps: tidy each line (spurious spaces between CJK characters, zero-width characters, markdown
``#``/``**`` markers; a leading ``- `` bullet is kept), drop page furniture (data/rules/furniture.yaml),
join hard-wrapped lines (data/rules/layout.yaml: see ``joins``), then give each paragraph its
matching form ``norm``. Blank lines only separate; they never make a paragraph. A table row (a
tab between cells) keeps its tabs and is never joined.

``norm`` has exactly the length of ``text`` (character-for-character), so offsets, and so
``line_map``, are shared. Its normal form:

* traditional -> simplified (OpenCC t2s; phrase-level when that keeps the length, else
  character by character) plus the same-length fixes in layout.yaml ``norm_fixes``;
* digits, Latin letters and ``. % + - / = @ # & *`` half-width (０-９ Ａ-Ｚ ． -> 0-9 A-Z .);
* Chinese punctuation full-width: ，；：！？（） (ASCII , ; : ! ? next to a CJK character and
  every ( ) are made full-width; 1,000 and 10:30 keep theirs); 「」『』 -> “”‘’, straight double
  quotes alternate “ ”; [2024] 【2024】 -> 〔2024〕;
* a dash between digits (2024—2028, 2024－2028) -> ``-``; the ideographic space -> `` ``.

Spaces: ``text`` keeps a space only between two non-CJK characters (``Asahi Kasei``) or between
two agency names (``青岛市科学技术局 青岛市财政局``, so issuers stay apart); ``norm`` the same.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .model import Para, RawText, TextMap
from .patterns import match_label

RULES = Path(__file__).resolve().parent.parent / "data" / "rules"

# Characters that take two columns and behave as CJK for spacing: CJK ideographs, kana, hangul,
# CJK and full-width punctuation, and the quotes/dashes Chinese fonts set full-width.
_WIDE = ("\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f"
         "\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff01-\uff60\uffe0-\uffe6"
         "\U00020000-\U0003fffd\u2014\u2015\u2018\u2019\u201c\u201d\u2026\u00b7")
WIDE_RX = re.compile(f"[{_WIDE}]")
_SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CTRL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\u2028\u2029]")  # a tab is a table's cell separator
_GAP = re.compile(r" {3,}|\u3000{2,}")
_BULLET = re.compile(r"[-*•·][ \u3000]+(?=\S)")
_BARE_BULLET = re.compile(r"[-*•·]")  # a bullet whose item went to the next line (word-wrapped at its space)


@dataclass(frozen=True, slots=True)
class _Rules:
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
    num: dict
    agency_end: str
    drop: dict
    drop_rx: re.Pattern
    md_heading: re.Pattern
    md_bold: re.Pattern
    norm_fixes: tuple[tuple[str, str], ...]


@lru_cache(maxsize=1)
def rules() -> _Rules:
    """The cleaning rules from data/rules/{furniture,layout,doc_types}.yaml (read once)."""
    fur = yaml.safe_load((RULES / "furniture.yaml").read_text(encoding="utf-8"))
    lay = yaml.safe_load((RULES / "layout.yaml").read_text(encoding="utf-8"))
    types = yaml.safe_load((RULES / "doc_types.yaml").read_text(encoding="utf-8"))["doc_types"]
    ends = sorted(set(types) | {"决定", "批复", "函", "报告", "名单", "目录"}, key=len, reverse=True)
    fixes = tuple(lay.get("norm_fixes", {}).items())
    bad = [f"{a}->{b}" for a, b in fixes if len(a) != len(b)]
    if bad:
        raise ValueError(f"data/rules/layout.yaml norm_fixes must keep the length: {bad}")
    num = {k: lay[k] for k in ("min_wrap_width", "prose_chars", "tail_max_chars", "tail_final", "wrap_band",
                               "wrap_min_width", "wrap_min_lines", "wrap_min_share", "agency_min_chars", "loose_share",
                               "indent_min_lines", "indent_min_share", "indent_max_share", "bracket_span",
                               "rewrap_share")}
    return _Rules(
        furniture=tuple(re.compile(p) for p in fur["patterns"]), repeated=fur["repeated"],
        edge_only=tuple(re.compile(p) for p in fur.get("edge_only", ())),
        hard_final=lay["hard_final"], soft_final=lay["soft_final"], open_end=lay["open_end"],
        cont_start=lay["cont_start"], number_unit=re.compile(lay["number_unit"]),
        clause_rx=re.compile(f"[{re.escape(lay['clause_punct'])}]"),
        label_cont=re.compile(lay["label_continuation"]), heading_kinds=frozenset(lay["heading_kinds"]),
        heading_max=lay["heading_max_chars"], date_rx=re.compile(lay["date_line"]),
        docno_rx=re.compile(lay["docno_line"]),
        title_end_rx=re.compile(rf"(?:{'|'.join(map(re.escape, ends))})(?:[（(][^（()）]{{1,16}}[）)])?$"),
        num=num, agency_end=lay["agency_end"], drop={ord(c): None for c in lay["drop_chars"]},
        drop_rx=re.compile(f"[{lay['drop_chars']}]"),
        md_heading=re.compile(lay["markdown_heading"]), md_bold=re.compile(lay["markdown_bold"]),
        norm_fixes=fixes)


def width(s: str) -> int:
    """Display columns of ``s`` (a CJK character counts 2).

    >>> width("科技1")
    5
    """
    return len(s) + len(WIDE_RX.findall(s))


# ---- normalisation ------------------------------------------------------------------------

_HALF = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if chr(c) not in "，；：！？（）"}
_HALF.update({0x3000: " ", 0xFF61: "。", 0xFF64: "、", ord("("): "（", ord(")"): "）",
              ord("「"): "“", ord("」"): "”", ord("『"): "‘", ord("』"): "’", ord("・"): "·", ord("•"): "·"})
_HALF_RX = re.compile("[" + re.escape("".join(map(chr, _HALF))) + "]")
_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_ASCII_PUNCT = re.compile(f"(?<=[{_WIDE}])[,;:!?]|[,;:!?](?=[{_WIDE}])")
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


def normalize(text: str) -> str:
    """The matching form of ``text``, same length (see the module docstring).

    >>> normalize("青島市２０２４年（試行）:科技(2024－2028年)")
    '青岛市2024年（试行）：科技（2024-2028年）'
    """
    s = text.translate(_HALF) if _HALF_RX.search(text) else text  # translate() is slow: skip when idle
    conv, trad = _t2s()
    if not trad.isdisjoint(s):
        out = conv.convert(s)
        s = out if len(out) == len(s) else "".join(_t2s_char(c) for c in s)
    if '"' in s:
        n = iter(range(s.count('"')))
        s = re.sub('"', lambda m: "“" if next(n) % 2 == 0 else "”", s)
    while True:  # "中,?" -> "中，?" -> "中，？": until no ASCII mark touches a wide one
        out = _ASCII_PUNCT.sub(lambda m: _FULL[m.group()], s)
        if out == s:
            break
        s = out
    s = _DIGIT_DASH.sub("-", s)
    s = _YEAR_CLOSE.sub("〕", _YEAR_OPEN.sub("〔", s))
    for a, b in rules().norm_fixes:
        s = s.replace(a, b)
    return s


# ---- one line -----------------------------------------------------------------------------

def _keep_space(line: str, start: int, end: int, r: _Rules) -> bool:
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
    k = r.num["agency_min_chars"]
    left = re.search(r"[\u4e00-\u9fff]+$", line[:start])
    right = re.match(r"[\u4e00-\u9fff]+", line[end:])
    return bool(left and right and len(left.group()) >= k and len(right.group()) >= k
                and not right.group().startswith("关于"))


def tidy_line(line: str) -> str:
    """One physical line without spurious spaces, zero-width characters or markdown markers.

    >>> tidy_line("  科 技 创 新 超过 1200 亿元, Asahi  Kasei ")
    '科技创新超过1200亿元, Asahi Kasei'
    >>> tidy_line("青岛市科学技术局 青岛市财政局")
    '青岛市科学技术局 青岛市财政局'
    """
    r = rules()
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
    line = r.md_bold.sub("", r.md_heading.sub("", line)).rstrip(" \u00a0\u3000")
    bullet = _BULLET.match(line)
    if bullet:  # keep "- " before a list item: the segmenter strips it (ingest.patterns.BULLET)
        rest = tidy_line(line[bullet.end():])
        return line[0] + " " + rest if rest else ""
    if not _SPACES.search(line):
        return line
    out, pos = [], 0
    for m in _SPACES.finditer(line):
        out.append(line[pos:m.start()])
        if _keep_space(line, m.start(), m.end(), r):
            out.append(" ")
        pos = m.end()
    out.append(line[pos:])
    return "".join(out).strip()


# ---- furniture ----------------------------------------------------------------------------

_SQUEEZE = str.maketrans({**{c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}, 0xFF0D: "-", 0x2212: "-"})


def _is_furniture_text(line: str, r: _Rules) -> bool:
    if "\t" in line:
        return False
    s = "".join(line.split()).translate(_SQUEEZE)
    return bool(s) and len(s) <= 16 and any(p.fullmatch(s) for p in r.furniture)


def _page_edges(lines: tuple[str, ...], pages: tuple[int | None, ...], k: int) -> set[int]:
    """Indexes of the first and last ``k`` non-blank lines of each page."""
    by_page: dict[int | None, list[int]] = {}
    for i, (ln, p) in enumerate(zip(lines, pages)):
        if ln.strip():
            by_page.setdefault(p, []).append(i)
    return {i for idx in by_page.values() for i in idx[:k] + idx[-k:]}


def _numbers_in_text(lines: tuple[str, ...], pages: tuple[int | None, ...], found: set[int], r: _Rules) -> set[int]:
    """Those of the ``found`` furniture lines of a PDF that are bare numbers (furniture.yaml ``edge_only``)
    but no page numbers: inside a page, or at its edge but off the sequence the others make (number - page
    the same on ``repeated.min_pages`` pages; a shorter PDF cannot tell)."""
    squeezed = {i: "".join(lines[i].split()).translate(_SQUEEZE) for i in found}
    bare = {i for i, s in squeezed.items() if any(p.fullmatch(s) for p in r.edge_only)}
    edges = _page_edges(lines, pages, r.repeated["edge_lines"]) & bare
    offsets = Counter(int(squeezed[i]) - pages[i] for i in edges)
    need = r.repeated["min_pages"]
    short = len({p for p in pages if p is not None}) < need
    return {i for i in bare if i not in edges or not (short or offsets[int(squeezed[i]) - pages[i]] >= need)}


def furniture_lines(lines: tuple[str, ...], pages: tuple[int | None, ...]) -> frozenset[int]:
    """0-based indexes of page-furniture lines: footer patterns and repeated page headers/footers.

    ``lines`` are tidied lines (see ``tidy_line``). Numbered lines (第3条…) are never headers.

    >>> sorted(furniture_lines(("正文", "— 3 —", "第3页 共10页", "2028年"), (None,) * 4))
    [1, 2]
    """
    r = rules()
    out = {i for i, ln in enumerate(lines) if _is_furniture_text(ln, r)}
    if r.edge_only and any(p is not None for p in pages):  # a PDF: see furniture.yaml edge_only
        out -= _numbers_in_text(lines, pages, out, r)
    pg = [p for p in pages if p is not None]
    if len(set(pg)) < r.repeated["min_pages"]:
        return frozenset(out)
    edges: dict[int | None, list[int]] = {}
    for i, (ln, p) in enumerate(zip(lines, pages)):
        if ln.strip() and i not in out:
            edges.setdefault(p, []).append(i)
    k, seen = r.repeated["edge_lines"], {}
    for p, idx in edges.items():
        for i in set(idx[:k] + idx[-k:]):
            key = re.sub(r"\d+", "#", "".join(lines[i].split()))
            if len(key) <= r.repeated["max_chars"] and not match_label(lines[i]):
                seen.setdefault(key, []).append(i)
    need = max(r.repeated["min_pages"], r.repeated["min_share"] * len(edges))
    first = pages[edges[min(edges, key=lambda q: edges[q][0])][0]]
    for key, idx in seen.items():
        if len({pages[i] for i in idx}) >= need:
            out.update(i for i in idx if pages[i] != first)
    return frozenset(out)


# ---- joining hard-wrapped lines -----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Line:
    no: int  # 1-based source line
    page: int | None
    text: str
    width: int
    label: str | None  # kind of the numbering label the line starts with ("bullet" for "- ")
    block: bool  # a table row, markdown heading, date or 文号 line: never joined
    indent: bool  # the source line is indented (2+ spaces or an ideographic space)


def _line(no: int, page, raw: str, text: str, r: _Rules) -> _Line:
    bullet = _BULLET.match(text) or _BARE_BULLET.fullmatch(text)
    lab = ("bullet",) if bullet else match_label(text)  # a list item may wrap, like an item
    block = ("\t" in text or bool(r.md_heading.match(raw.strip()))
             or bool(r.date_rx.match(text)) or bool(r.docno_rx.match(text)))
    indent = raw.startswith(("  ", "\u3000", " \u3000"))
    return _Line(no, page, text, width(text), lab[0] if lab else None, block, indent)


def indented_paragraphs(lines: list[_Line]) -> bool:
    """Whether indentation marks paragraph starts: some lines are indented, most are not."""
    n = rules().num
    body = [ln for ln in lines if not ln.block]
    k = sum(ln.indent for ln in body)
    return k >= n["indent_min_lines"] and n["indent_min_share"] * len(body) <= k <= n["indent_max_share"] * len(body)


def wrap_width(lines: list[_Line]) -> int | None:
    """The width a hard-wrapped text breaks its lines at, or None when lines are not wrapped.

    The densest ``wrap_band``-column band of the long lines must hold enough of them.
    """
    n = rules().num
    ws = sorted(ln.width for ln in lines if not ln.block and ln.width >= n["wrap_min_width"])
    if len(ws) < n["wrap_min_lines"]:
        return None
    best, lo, j = 0, 0, 0
    for i, w in enumerate(ws):
        while ws[j] < w - n["wrap_band"]:
            j += 1
        if i - j + 1 > best:
            best, lo = i - j + 1, ws[j]
    if best >= n["wrap_min_lines"] and best >= n["wrap_min_share"] * len(ws):
        return lo
    return None


def _is_heading(ln: _Line, r: _Rules) -> bool:
    """A short labelled line without list punctuation: 一、总体要求 / 二、深化改革，激发活力."""
    t = ln.text
    if ln.label not in r.heading_kinds or len(t) > r.heading_max:
        return False
    body = t[match_label(t)[2]:]
    if re.search("[。、；;]", body):
        return False
    halves = re.split("[，,]", body)
    return len(halves) == 1 or (len(halves) == 2 and min(map(len, halves)) >= 5)  # parallel clauses


def _prose(ln: _Line, r: _Rules) -> bool:
    t = ln.text
    return ln.label == "law_article" or len(t) >= r.num["prose_chars"] or bool(r.clause_rx.search(t[:-1]))


def joins(group: list[_Line], nxt: _Line, wrap: int | None, loose: bool = False, indented: bool = False) -> bool:
    """Whether ``nxt`` continues the paragraph ``group`` (lines joined so far), by layout.yaml's rules.

    The wrap width is judged on the group's last line, everything else on the whole paragraph
    so far (a text wrapped twice - a hard-wrapped TXT printed to PDF - ends lines short).

    ``loose``: the text often ends paragraphs without punctuation (newspaper layouts), so only
    the strong signals (continuation characters, the wrap width) count. ``indented``: an indented
    line starts a paragraph, and an unindented one after a full line continues it.
    """
    r = rules()
    last = group[-1]
    prev = last if len(group) == 1 else _Line(group[0].no, group[0].page, "".join(ln.text for ln in group),
                                              sum(ln.width for ln in group), group[0].label, False, group[0].indent)
    a, b = prev.text, nxt.text
    if prev.block or nxt.block:
        return False
    if indented and nxt.indent and b[0] not in r.cont_start:
        return False
    if len(group) == 1 and _BARE_BULLET.fullmatch(a):
        return True
    if len(group) == 1 and prev.label not in (None, "attachment", "box", "bullet") and not nxt.label:
        if _bare_label(a):  # a bare 第一条 / 第一章 / （一） ends a line: its text follows
            return True
    if nxt.label:
        lab = match_label(b)
        if not (nxt.label in ("law_article", "chapter", "section", "part") and lab
                and r.label_cont.match(b[lab[2]:])):
            return False
    if _unclosed(a[-r.num["bracket_span"]:]):  # (2011年…通过 / （责任单位： … ）
        return True
    if a[-1] in r.hard_final:  # even at the margin the next paragraph may start there, unless indents say
        return bool(indented and wrap and last.width >= wrap and a[-1] in "。；;" and _prose(nxt, r))
    if b[0] in r.cont_start or a[-1] in r.open_end:
        return True
    if a[-1].isdigit() and r.number_unit.match(b) and not (len(group) == 1 and _bare_label(a)):
        return True  # a number and its unit: "…之日起15" + "个工作日内" (not 附件1 + 年度…)
    title = bool(r.title_end_rx.search(a)) and prev.label != "law_article"
    if title and not r.clause_rx.search(a):  # a title, even one filling a line
        return False
    if wrap and last.width >= wrap:
        return True
    # a sentence cut mid-word (a PDF writer wrapping at the spaces of the source), unless a title follows
    cut = a[-1].isalnum() and WIDE_RX.search(re.split("[。；！？]", a)[-1]) and not r.title_end_rx.search(b)
    if cut and not loose and (prev.label == "law_article" or (
            prev.width >= r.num["min_wrap_width"] and re.search("[，,；;。]", a) and not _is_heading(prev, r))):
        return True  # "…世界" + "500" / "第二十二条…每人 100" + "万元；"
    if cut and wrap and a[-1].isascii() and nxt.width >= wrap and not b[0].isascii():
        return True  # "…芯片、5G" + a full line: the next word did not fit after the Latin one
    if (a[-1] in r.soft_final or prev.width < r.num["min_wrap_width"] or _is_heading(prev, r)
            or (title and not re.search("[，；。,;]", a))):  # 关于加快科技、人才发展的意见
        return False
    if loose:
        return False
    if r.title_end_rx.search(b) and not r.clause_rx.search(b):
        return False  # a title (…的通知) starts a document, it does not go on with a paragraph
    if _prose(prev, r) and _prose(nxt, r):
        return True
    return (len(b) <= r.num["tail_max_chars"] and (b[-1] in r.num["tail_final"] or b[-1] in r.open_end)
            and not r.clause_rx.search(b[:-1]))  # a short piece of the sentence: 称评定。 / 落户,


def _bare_label(s: str) -> bool:
    """Whether ``s`` is only a numbering label: 第一条 / （一） / 附件1."""
    lab = match_label(s)
    return bool(lab and lab[2] >= len(s))


def _unclosed(s: str) -> bool:
    """Whether ``s`` opens a bracket or quote it does not close: （…  (…  《…  “…"""
    return (s.count("（") + s.count("(") > s.count("）") + s.count(")") or s.count("《") > s.count("》")
            or s.count("“") > s.count("”"))


def rewrap_rests(lines: list[_Line], wrap: int | None) -> frozenset[int]:
    """Source lines of the short lines that finish a line a PDF writer re-wrapped.

    A hard-wrapped text whose lines are wider than the page comes out of a PDF writer as a full
    line plus a short rest for every source line. When most short lines after a full one end
    mid-sentence (layout.yaml ``rewrap_share``), such a rest continues the full line before it even
    when that one ends with 。 (the sentence ended inside the source line) - if the line after the
    rest goes on too (a full line or a sentence end, not a label, date or signature).
    """
    if wrap is None:
        return frozenset()
    r = rules()
    unfinished = punctuated = 0
    rests = []
    for x, y, z in zip(lines, lines[1:], lines[2:] + [None]):
        if x.width >= wrap and y.width < wrap and not y.label and not y.block:
            cut = y.text[-1].isalnum() or y.text[-1] in r.open_end
            unfinished, punctuated = unfinished + cut, punctuated + (not cut)
            if (cut and x.text[-1] in r.hard_final and z is not None and not z.label and not z.block
                    and (z.width >= wrap or z.text[-1] in r.hard_final + r.soft_final)):
                rests.append(y.no)
    n = r.num
    layout = unfinished >= n["wrap_min_lines"] and unfinished >= n["rewrap_share"] * (unfinished + punctuated)
    return frozenset(rests) if layout else frozenset()


def loose_punctuation(lines: list[_Line]) -> bool:
    """Whether many long lines of a text without wrap width end without final punctuation:
    then its paragraphs end that way too (newspaper layouts, truncated exports)."""
    r = rules()
    long = [ln.text[-1] for ln in lines if not ln.block and len(ln.text) >= r.num["prose_chars"]]
    bare = sum(c not in r.hard_final and c not in r.soft_final for c in long)
    return len(long) >= r.num["wrap_min_lines"] and bare > r.num["loose_share"] * len(long)


# ---- the stage ----------------------------------------------------------------------------

def _para(group: list[_Line]) -> Para:
    parts, line_map, off = [], [], 0
    for ln in group:
        t = ln.text
        if parts and parts[-1][-1:].isascii() and parts[-1][-1:].isalpha() and t[:1].isascii() and t[:1].isalpha():
            t = " " + t  # an English word wrapped at a line end
        elif len(parts) == 1 and _BARE_BULLET.fullmatch(parts[0]):
            t = " " + t  # "-" + "十一、…": the bullet's space went with the wrap
        line_map.append((off, ln.no))
        parts.append(t)
        off += len(t)
    text = "".join(parts)
    return Para(text, normalize(text), group[0].no, group[-1].no, group[0].page, tuple(line_map))


def clean(raw: RawText) -> TextMap:
    """Logical paragraphs of a file: furniture removed, hard wraps joined, ``norm`` added.

    >>> tm = clean(RawText("a.txt", "txt", ("第一条 为了促进科技创新，推动经济社会高质量发展，根据", "", "有关法律，制定本条例。",
    ...                                     "— 2 —", "第二条 适用。"), (None,) * 5))
    >>> [(p.text, p.line_start, p.line_end) for p in tm.paras]
    [('第一条为了促进科技创新，推动经济社会高质量发展，根据有关法律，制定本条例。', 1, 3), ('第二条适用。', 5, 5)]
    """
    r = rules()
    pages = raw.pages if len(raw.pages) == len(raw.lines) else (None,) * len(raw.lines)
    tidied = tuple(tidy_line(ln) for ln in raw.lines)
    furniture = furniture_lines(tidied, pages)
    lines = [_line(i + 1, pages[i], raw_line, text, r)
             for i, (raw_line, text) in enumerate(zip(raw.lines, tidied)) if text and i not in furniture]
    wrap = wrap_width(lines)
    loose = wrap is None and loose_punctuation(lines)  # a wrapped layout's short lines may be wraps too
    indented = indented_paragraphs(lines)
    rests = rewrap_rests(lines, wrap)
    groups: list[list[_Line]] = []
    for ln in lines:
        if groups and (ln.no in rests or joins(groups[-1], ln, wrap, loose, indented)):
            groups[-1].append(ln)
        else:
            groups.append([ln])
    paras = tuple(_para(g) for g in groups)
    warnings = []
    if furniture:
        warnings.append(f"{len(furniture)} line(s) of page furniture removed (first: line {min(furniture) + 1})")
    bad = [p.line_start for p in paras if "\ufffd" in p.text]
    if bad:
        warnings.append(f"replacement characters (U+FFFD, text lost by a converter) on {len(bad)} "
                        f"paragraph(s), first at line {bad[0]}")
    return TextMap(raw.source, raw.format, paras, tuple(warnings))
