"""split: a cleaned file -> the documents it holds.

A compilation (汇编) lists its documents in a table of contents (目录): each entry is found in
the body, in order, and the document runs from there to the next entry's start. The cover, the
TOC and part headings (第三部分 / 一、科技成果转化类) belong to no document. A wrapper
(印发…的通知 or 关于批准《…》的决定 followed by what it issues) stays one document. A file
without such a TOC is one document (a law's own 目录 of 第X章 lines is not a compilation's).
Rules live in data/rules/layout.yaml.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from . import resources
from .clean import rules as clean_rules
from .model import Para, TextMap
from .history import history_at, starts_with_date
from .meta import doc_type_of
from .patterns import label_number, match_label

log = logging.getLogger(__name__)

# "1.青岛市科技创新促进条例\t4", "…的通知.....\t110", "二、知识产权管理类……233", "…措施 12"
_PAGE = re.compile(r"^(?P<title>.*?[^\d\s.·…_\-])[\s.·…_\-]*(?P<page>\d{1,4})$")
_LEADERS = re.compile(r"[\s.·…_\-]+$")
_NOTE = re.compile(r"^[（(].*[）)]$")
_TITLE_HEADS = ("关于", "关于印发", "关于转发")  # not "2024年12月16日印发"
_INNER = re.compile(r"《([^《》]{4,})》")
BODY_GAP = 3  # paragraphs allowed between a history block and the 第一章/第一条 of the body


@dataclass(frozen=True, slots=True)
class TocEntry:
    """One line (or wrapped lines) of a table of contents, in norm form."""

    title: str  # label, dot leaders and page number removed
    kind: str | None  # its numbering label's kind (ingest.patterns), "toc_part" for 第X部分
    page: int | None
    index: int  # paragraph index of its first line
    is_document: bool = True


@dataclass(frozen=True, slots=True)
class _Rules:
    heading: re.Pattern
    part: re.Pattern
    drop: dict
    words: tuple[str, ...]
    ratio: float
    max_chars: int
    own_kinds: frozenset
    decision: re.Pattern
    decision_max: int


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    lay = resources.rules("layout")
    return _Rules(re.compile(lay["toc_heading"]), re.compile(lay["toc_part"]),
                  {ord(c): None for c in lay["title_ignore"]}, tuple(lay["title_ignore_words"]),
                  float(lay["title_fuzzy_ratio"]), int(lay["title_max_chars"]), frozenset(lay["toc_own_kinds"]),
                  re.compile(lay["decision_title"]), int(lay["decision_max_paras"]))


def title_key(s: str) -> str:
    """A title reduced for matching: no brackets, quotes, spaces or 印发.

    >>> title_key("关于印发《青岛市科技示范工程管理实施细则》 的通知")
    '关于青岛市科技示范工程管理实施细则的通知'
    """
    r = _rules()
    s = s.translate(r.drop)
    for w in r.words:
        s = s.replace(w, "")
    return s


def _label(t: str) -> tuple[str | None, str]:
    """(label kind, the text after the label) of a TOC line."""
    m = _rules().part.match(t)
    if m:
        return "toc_part", t[m.end():].lstrip("：: ")
    lab = match_label(t)
    return (lab[0], t[lab[2]:]) if lab else (None, t)


def _same(a: str, b: str) -> bool:
    """Whether two title keys name the same thing (one may carry an issuer or wrapper)."""
    if not a or not b:
        return False
    if a == b or (len(a) >= 4 and a in b and len(b) <= len(a) + 120):
        return True
    if len(b) >= 6 and b in a and len(b) >= 0.5 * len(a):
        return True
    from rapidfuzz import fuzz  # only when the cheap tests fail: most files never get here
    return fuzz.ratio(a, b) >= _rules().ratio


def parse_toc(paras: tuple[Para, ...]) -> tuple[int, int, tuple[TocEntry, ...]] | None:
    """(index of the 目录 line, index of the first paragraph after the TOC, entries), or None."""
    r = _rules()
    head = next((i for i, p in enumerate(paras) if r.heading.match("".join(p.norm.split()))), None)
    if head is None:
        return None
    paged = sum(bool(_PAGE.match(p.norm.strip())) for p in paras[head + 1:head + 6]) >= 2
    entries: list[TocEntry] = []
    pending: list[tuple[int, str]] = []  # unpaged lines waiting for the page number of their entry
    j = head + 1
    while j < len(paras):
        t = paras[j].norm.strip()
        if not t or len(t) > r.max_chars or t[-1] in "。；;":
            break
        m = _PAGE.match(t) if paged else None
        kind, core = _label(t)
        if m:
            title, start = _LEADERS.sub("", m["title"]), j
            if pending and kind is None:  # the end of a wrapped entry: "…的通" + "知.....211"
                title, start = "".join(x for _, x in pending) + title, pending[0][0]
            elif pending and _label(pending[0][1])[0] is not None:  # an entry whose page number went
                lost = "".join(x for _, x in pending)  # to a line of its own ("…的通知....." + "173") or was lost
                pm = _PAGE.match(lost)
                lost_kind, lost_core = _label(_LEADERS.sub("", pm["title"]) if pm else lost)
                entries.append(TocEntry(lost_core, lost_kind, int(pm["page"]) if pm else None, pending[0][0]))
            pending = []
            kind, core = _label(title)
            entries.append(TocEntry(core, kind, int(m["page"]), start))
        elif kind is None and _NOTE.match(t):
            pass  # (信息来自公开渠道…)
        elif paged:
            if len(pending) >= 2:
                break
            pending.append((j, _LEADERS.sub("", t)))
        else:  # no page numbers: one entry a line, until the body repeats one of them
            key = title_key(core)
            if any(_same(title_key(e.title), key) for e in entries):
                break
            labelled = sum(e.kind is not None for e in entries) > len(entries) / 2
            if entries and labelled and kind is None:  # a wrapped entry's second line
                e = entries[-1]
                entries[-1] = TocEntry(e.title + _LEADERS.sub("", core), e.kind, None, e.index)
            else:
                entries.append(TocEntry(_LEADERS.sub("", core), kind, None, j))
        j += 1
    end = pending[0][0] if pending else j
    if len(entries) < 2:
        return None
    kinds = Counter(e.kind for e in entries)
    doc_kind = max(kinds, key=lambda k: (kinds[k], k is not None))
    entries = [TocEntry(e.title, e.kind, e.page, e.index, e.kind == doc_kind and e.kind != "toc_part")
               for e in entries]
    return head, end, tuple(entries)


def _titles_of_documents(entries: list[TocEntry]) -> bool:
    """Whether most entries name documents: end with a document type (办法, 通知 …)."""
    end = clean_rules().title_end_rx
    return sum(bool(end.search(e.title.rstrip("》”\"' "))) for e in entries) >= 0.5 * len(entries)


def _title_like(p: Para, r: _Rules) -> bool:
    t = p.norm.strip()
    return bool(t) and len(t) <= r.max_chars and "。" not in t and t[-1] not in "，；,;" and "\t" not in t


def _matches(e_key: str, inner: str | None, w_key: str) -> bool:
    return _same(e_key, w_key) or bool(inner and len(inner) >= 6 and inner in w_key
                                       and len(w_key) <= len(e_key) + 120)


def locate(entry: TocEntry, paras: tuple[Para, ...], start: int, keys: list[str | None]) -> int | None:
    """Index of the paragraph (from ``start`` on) where ``entry``'s document begins, or None.

    A title split over two or three paragraphs matches through its first one, but only when
    that one is part of the title (not a part heading just before it).
    """
    e_key = title_key(entry.title)
    m = _INNER.search(entry.title)
    inner = title_key(m.group(1)) if m else None
    for q in range(start, len(paras)):
        key = keys[q]
        if key is None:
            continue
        if _matches(e_key, inner, key):
            if q > start and keys[q - 1] and paras[q - 1].norm.rstrip().endswith(_TITLE_HEADS):
                return q - 1  # the title's first line: 甲市人民政府关于印发 / 《…》的通知
            return q
        w = key
        for k in (1, 2):
            nxt = keys[q + k] if q + k < len(paras) else None
            if nxt is None:
                break
            w += nxt
            if _matches(e_key, inner, w) and key in e_key and not _matches(e_key, inner, cast(str, keys[q + 1])):
                return q
    return None


def split_documents(tm: TextMap) -> tuple[tuple[Para, ...], ...]:
    """One tuple of paragraphs per document of the file (see the module docstring).

    >>> from ingest.model import Para
    >>> ps = tuple(Para(t, t, i, i, None, ((0, i),)) for i, t in enumerate(
    ...     ["汇编", "目录", "1.甲办法\\t1", "2.乙规定\\t5", "甲办法", "第一条 甲。", "乙规定", "第一条 乙。"], 1))
    >>> [[p.text for p in d] for d in split_documents(TextMap("x", "txt", ps))]
    [['甲办法', '第一条 甲。'], ['乙规定', '第一条 乙。']]
    """
    paras = tm.paras
    toc = parse_toc(paras) if paras else None
    r = _rules()
    if toc is None:
        if not paras:
            return ()
        parts = split_decision(paras, r)
        return split_concatenated(paras, r) if len(parts) == 1 else parts
    _, end, entries = toc
    docs = [e for e in entries if e.is_document]
    if not docs or docs[0].kind in r.own_kinds or not _titles_of_documents(docs):
        return (paras,)  # a document's own TOC (第一章… / 一、发展基础…), not a compilation's
    keys = [title_key(p.norm) if _title_like(p, r) else None for p in paras]
    starts: list[int] = []
    pos, missed_first = end, False
    for e in docs:
        q = locate(e, paras, pos, keys)
        if q is None:  # its text stays in the document before it (or see below): never dropped
            log.warning("%s: TOC entry %r not found in the body", tm.source, e.title)
            missed_first = missed_first or not starts
            continue
        starts.append(q)
        pos = q + 1
    if not starts:
        log.warning("%s: no TOC entry found in the body; kept as one document", tm.source)
        return (paras,)
    groups = [title_key(e.title) for e in entries if not e.is_document]
    lead = end  # text between the TOC and the first document found: the entries not found
    while missed_first and lead < starts[0] and _is_group_heading(paras[lead], keys[lead], groups, r):
        lead += 1
    if missed_first and lead < starts[0] and any(not _title_like(p, r) for p in paras[lead:starts[0]]):
        log.warning("%s: text before the first TOC entry found (line %d) kept as a document",
                    tm.source, paras[lead].line_start)
        starts.insert(0, lead)
    out = []
    for k, s in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else len(paras)
        while stop - 1 > s and _is_group_heading(paras[stop - 1], keys[stop - 1], groups, r):
            stop -= 1
        out.append(paras[s:stop])
    return tuple(out)


def split_decision(paras: tuple[Para, ...], r: _Rules | None = None) -> tuple[tuple[Para, ...], ...]:
    """A file opening with 关于批准/修改《X》的决定 and then giving X in full: (decision, X); else (paras,).

    >>> from ingest.model import Para
    >>> ps = tuple(Para(t, t, i, i, None, ((0, i),)) for i, t in enumerate(
    ...     ["关于批准《甲市科技条例》的决定", "批准《甲市科技条例》。", "甲市科技条例", "第一条 为了科技。"], 1))
    >>> [len(d) for d in split_decision(ps)]
    [2, 2]
    """
    r = r or _rules()
    head = next(((i, m) for i, p in enumerate(paras[:3]) if (m := r.decision.search(p.norm))), None)
    if head is None:
        return (paras,)
    i, m = head
    inner = title_key(m["inner"])
    for q in range(i + 1, min(len(paras) - 1, i + r.decision_max)):
        after = paras[q + 1].norm  # X given in full: its 通过 note or its first 第一章/第一条 follows
        if title_key(paras[q].norm) == inner and (after.startswith("（") or match_label(after)):
            return paras[:q], paras[q:]
    return (paras,)


def split_concatenated(paras: tuple[Para, ...], r: _Rules | None = None) -> tuple[tuple[Para, ...], ...]:
    """Documents given one after another with no TOC (a PDF of several regulations, a download of a
    database's texts): each opens with its title, its history (…通过 / …批准 / …公布) and a body
    numbered from 第一章 or 第一条 again. Two such openings at least, else (paras,); what comes
    before the first one (a cover) stays with the first document.

    >>> from ingest.model import Para
    >>> ps = tuple(Para(t, t, i, i, None, ((0, i),)) for i, t in enumerate(
    ...     ["甲市科技条例", "2019年5月28日甲市人民代表大会常务委员会通过", "第一条 甲。", "第二条 甲二。",
    ...      "乙市物业条例", "（2020年1月1日乙市人民代表大会常务委员会通过）", "第一章 总则", "第一条 乙。"], 1))
    >>> [[p.text for p in d][:1] for d in split_concatenated(ps)]
    [['甲市科技条例'], ['乙市物业条例']]
    """
    r = r or _rules()
    starts = [i for i in range(len(paras) - 2) if _opens_document(paras, i, r)]
    if len(starts) < 2:
        return (paras,)
    starts[0] = 0
    return tuple(paras[a:b] for a, b in zip(starts, starts[1:] + [len(paras)]))


def _opens_document(paras: tuple[Para, ...], i: int, r: _Rules) -> bool:
    """A title (a document type's ending, no numbering label), history paragraphs right after it,
    then within BODY_GAP paragraphs a 第一章 / 第一条 (a 目录 line or a note may come between)."""
    p = paras[i]
    if not _title_like(p, r) or not starts_with_date(paras[i + 1].norm) or starts_with_date(p.norm) \
            or match_label(p.norm) or doc_type_of(p.norm) is None:
        return False
    j = i + 1
    while j < len(paras) and (used := history_at(paras, j, min(len(paras), j + 4))[0]):
        j += used
    if j == i + 1:
        return False
    for q in range(j, min(j + BODY_GAP + 1, len(paras))):
        hit = match_label(paras[q].norm)
        if hit and hit[0] in ("part", "chapter", "law_article") and label_number(hit[1]) == 1:
            return True
    return False


def _is_group_heading(p: Para, key: str | None, groups: list[str], r: _Rules) -> bool:
    """A part heading between two documents: 第三部分 / 二、知识产权管理类 (or a piece of one)."""
    if key is None or len(p.norm) > 40:
        return False
    if r.part.match(p.norm):
        return True
    core = title_key(_label(p.norm)[1])
    return any(core and (core == g or (len(core) >= 4 and core in g)) for g in groups)
