"""Joining hard-wrapped lines into paragraphs (data/rules/layout.yaml).

A paragraph being built is a ``Run``: what the rules look at (its first and last line, length,
width, the last ``tail_chars`` characters, whether clause punctuation occurred) is carried from
line to line, so judging the next line costs the same however long the paragraph already is -
cleaning is linear in the file, also for a file of one unpunctuated 100,000-line paragraph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .clean_rules import BARE_BULLET, BULLET, CUT_SPAN, WIDE_RX, CleanRules, rules, width
from .patterns import match_label

_STOPS = re.compile("[，,；;。]")  # a line holding one is a sentence, not a heading or title


# Line and Run are built once per source line: plain slotted classes (a frozen dataclass's
# __init__ sets each field through object.__setattr__, ~4 % of a parse); nothing mutates them.
@dataclass(slots=True)
class Line:
    no: int  # 1-based source line
    page: int | None
    text: str
    width: int
    label: str | None  # kind of the numbering label the line starts with ("bullet" for "- ")
    block: bool  # a table row, markdown heading, date or 文号 line: never joined
    indent: bool  # the source line is indented (2+ spaces or an ideographic space)


def line(no: int, page, raw: str, text: str, r: CleanRules) -> Line:
    """The ``Line`` of tidied ``text`` (source line ``raw``)."""
    bullet = BULLET.match(text) or BARE_BULLET.fullmatch(text)
    lab = ("bullet",) if bullet else match_label(text)  # a list item may wrap, like an item
    block = ("\t" in text or bool(r.md_heading.match(raw.strip()))
             or bool(r.date_rx.match(text)) or bool(r.docno_rx.match(text)))
    indent = raw.startswith(("  ", "\u3000", " \u3000"))
    return Line(no, page, text, width(text), lab[0] if lab else None, block, indent)


@dataclass(slots=True)
class Run:
    """The paragraph so far, as far as ``joins`` looks at it (its text is the lines' texts joined)."""
    first: Line
    last: Line
    lines: int
    chars: int  # length of the text
    width: int
    tail: str  # the text's last ``tail_chars`` characters
    head: str | None  # the whole text while it is no longer than a heading can be (else None)
    clause_before: bool  # clause punctuation in the lines before the last
    stop_before: bool  # _STOPS in the lines before the last

    @staticmethod
    def of(ln: Line) -> Run:
        r = rules()
        return Run(ln, ln, 1, len(ln.text), ln.width, ln.text[-r.tail_chars:],
                   ln.text if len(ln.text) <= r.heading_max else None, False, False)

    def then(self, ln: Line) -> Run:
        """This run with ``ln`` appended."""
        r, t = rules(), self.last.text
        chars = self.chars + len(ln.text)
        head = self.head + ln.text if self.head is not None and chars <= r.heading_max else None
        return Run(self.first, ln, self.lines + 1, chars, self.width + ln.width,
                   (self.tail[-r.tail_chars:] + ln.text[-r.tail_chars:])[-r.tail_chars:], head,
                   self.clause_before or bool(r.clause_rx.search(t)), self.stop_before or bool(_STOPS.search(t)))

    def clause(self, r: CleanRules, but_last_char: bool = False) -> bool:
        """Whether the text (without its last character) holds clause punctuation."""
        return self.clause_before or bool(r.clause_rx.search(self.last.text[:-1] if but_last_char else self.last.text))


def indented_paragraphs(lines: list[Line]) -> bool:
    """Whether indentation marks paragraph starts: some lines are indented, most are not."""
    n = rules().num
    body = [ln for ln in lines if not ln.block]
    k = sum(ln.indent for ln in body)
    return k >= n["indent_min_lines"] and n["indent_min_share"] * len(body) <= k <= n["indent_max_share"] * len(body)


def wrap_width(lines: list[Line]) -> int | None:
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


def _is_heading(label: str | None, text: str | None, r: CleanRules) -> bool:
    """A short labelled line without list punctuation: 一、总体要求 / 二、深化改革，激发活力.
    ``text`` is None when it is longer than a heading can be."""
    if label not in r.heading_kinds or text is None or len(text) > r.heading_max:
        return False
    lab = match_label(text)
    if not lab:  # the first line's label reads otherwise once joined: 1、 + 1条… (no label at all)
        return False
    body = text[lab[2]:]
    if re.search("[。、；;]", body):
        return False
    halves = re.split("[，,]", body)
    return len(halves) == 1 or (len(halves) == 2 and min(map(len, halves)) >= 5)  # parallel clauses


def _prose(label: str | None, chars: int, clause: bool, r: CleanRules) -> bool:
    """A law article, a long text or one with clause punctuation before its last character."""
    return label == "law_article" or chars >= r.num["prose_chars"] or clause


def _line_prose(ln: Line, r: CleanRules) -> bool:
    return _prose(ln.label, len(ln.text), bool(r.clause_rx.search(ln.text[:-1])), r)


def joins(run: Run, nxt: Line, wrap: int | None, loose: bool = False, indented: bool = False) -> bool:
    """Whether ``nxt`` continues the paragraph ``run``, by layout.yaml's rules.

    The wrap width is judged on the paragraph's last line, everything else on the whole paragraph
    so far (a text wrapped twice - a hard-wrapped TXT printed to PDF - ends lines short).

    ``loose``: the text often ends paragraphs without punctuation (newspaper layouts), so only
    the strong signals (continuation characters, the wrap width) count. ``indented``: an indented
    line starts a paragraph, and an unindented one after a full line continues it.
    """
    r = rules()
    last, one = run.last, run.lines == 1
    label, a, b = run.first.label, run.tail, nxt.text  # ``a``: the paragraph's end, enough for every test
    if (one and last.block) or nxt.block:
        return False
    if indented and nxt.indent and b[0] not in r.cont_start:
        return False
    if one and BARE_BULLET.fullmatch(last.text):
        return True
    if one and label not in (None, "attachment", "box", "bullet") and not nxt.label:
        if _bare_label(last.text):  # a bare 第一条 / 第一章 / （一） ends a line: its text follows
            return True
    if nxt.label:
        lab = match_label(b)
        if not (nxt.label in ("law_article", "chapter", "section", "part") and lab
                and r.label_cont.match(b[lab[2]:])):
            return False
    if _unclosed(a[-r.num["bracket_span"]:]):  # (2011年…通过 / （责任单位： … ）
        return True
    if a[-1] in r.hard_final:  # even at the margin the next paragraph may start there, unless indents say
        return bool(indented and wrap and last.width >= wrap and a[-1] in "。；;" and _line_prose(nxt, r))
    if b[0] in r.cont_start or a[-1] in r.open_end:
        return True
    if a[-1].isdigit() and r.number_unit.match(b) and not (one and _bare_label(last.text)):
        return True  # a number and its unit: "…之日起15" + "个工作日内" (not 附件1 + 年度…)
    title = bool(r.title_end_rx.search(a)) and label != "law_article"
    if title and not run.clause(r):  # a title, even one filling a line
        return False
    if wrap and last.width >= wrap:
        return True
    stops = run.stop_before or bool(_STOPS.search(last.text))
    # a sentence cut mid-word (a PDF writer wrapping at the spaces of the source), unless a title follows
    cut = a[-1].isalnum() and WIDE_RX.search(re.split("[。；！？]", a[-CUT_SPAN:])[-1]) and not r.title_end_rx.search(b)
    if cut and not loose and (label == "law_article" or (
            run.width >= r.num["min_wrap_width"] and stops and not _is_heading(label, run.head, r))):
        return True  # "…世界" + "500" / "第二十二条…每人 100" + "万元；"
    if cut and wrap and a[-1].isascii() and nxt.width >= wrap and not b[0].isascii():
        return True  # "…芯片、5G" + a full line: the next word did not fit after the Latin one
    if (a[-1] in r.soft_final or run.width < r.num["min_wrap_width"] or _is_heading(label, run.head, r)
            or (title and not stops)):  # 关于加快科技、人才发展的意见
        return False
    if loose:
        return False
    if r.title_end_rx.search(b) and not r.clause_rx.search(b):
        return False  # a title (…的通知) starts a document, it does not go on with a paragraph
    if _prose(label, run.chars, run.clause(r, but_last_char=True), r) and _line_prose(nxt, r):
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


def rewrap_rests(lines: list[Line], wrap: int | None) -> frozenset[int]:
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


def loose_punctuation(lines: list[Line]) -> bool:
    """Whether many long lines of a text without wrap width end without final punctuation:
    then its paragraphs end that way too (newspaper layouts, truncated exports)."""
    r = rules()
    long = [ln.text[-1] for ln in lines if not ln.block and len(ln.text) >= r.num["prose_chars"]]
    bare = sum(c not in r.hard_final and c not in r.soft_final for c in long)
    return len(long) >= r.num["wrap_min_lines"] and bare > r.num["loose_share"] * len(long)


def paragraphs(lines: list[Line]) -> list[list[Line]]:
    """``lines`` grouped into paragraphs: hard wraps joined (see ``joins`` and ``rewrap_rests``)."""
    wrap = wrap_width(lines)
    loose = wrap is None and loose_punctuation(lines)  # a wrapped layout's short lines may be wraps too
    indented = indented_paragraphs(lines)
    rests = rewrap_rests(lines, wrap)
    groups: list[list[Line]] = []
    run = None
    for ln in lines:
        if run is not None and (ln.no in rests or joins(run, ln, wrap, loose, indented)):
            groups[-1].append(ln)
            run = run.then(ln)
        else:
            groups.append([ln])
            run = Run.of(ln)
    return groups
