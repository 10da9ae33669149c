"""References (《…》 with their 文号) and lineage relations of one document, from its paragraphs.

Lineage types: repeals (《X》同时废止), replaces (此前出台的…政策同时废止: no name), amends / revises
(《关于修改〈X〉的决定》, 修正/修订 history), overrides_inconsistent (与本文件不一致的，按本文件执行),
implements (为贯彻落实《X》, 按照《X》部署) and based_on (根据《X》 … 制定).
"""
from __future__ import annotations

import re

from ..meta import normalise_doc_number
from ..model import Lineage, LineageType, Para, Reference
from .text import extract_form, pieces

_DOCNO = r"[\u4e00-\u9fa5]{1,12}\s*[〔\[［【（(]\s*\d{4}\s*[〕\]］】）)]\s*第?\s*\d+\s*号"
_TITLE = re.compile(rf"《([^《》]{{2,120}})》(?:\s*[（(]\s*({_DOCNO})\s*[）)])?")
_REPEAL = re.compile(r"(?:同时|予以|即行|一并|自行)?(?:废止|停止执行)")
_GENERIC_REPEAL = re.compile(r"(?:此前|以前|之前|原|过去)[^。]{0,40}?(?:政策|文件|规定|办法|措施|意见)[^。]{0,10}?"
                             r"(?:同时|予以|即行|一并)?(?:废止|停止执行)")
_AMEND = re.compile(r"关于修改〈([^〈〉]{2,100})〉")
_AMEND_TITLE = re.compile(r"关于修改《([^《》]{2,100})》[^。《》]{0,20}?的决定")
_HISTORY = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[^。；，《》]{0,40}?(?:第[一二三四五六七八九十]+次)?(修正|修订)")
_OVERRIDE = re.compile(r"与本(?:实施细则|文件|办法|规定|政策|细则|条例|措施|意见|方案|决定|通知|计划)[^。]{0,16}?不一致的?"
                       r"[，,]?[^。]{0,8}?(?:按|以|依照|适用)本[^。]{0,16}?(?:执行|为准|规定)")
_BASIS = re.compile(r"根据|依据|依照|贯彻落实|贯彻|落实|按照")
_MAKES = re.compile(r"制定|特制定|本(?:实施细则|办法|规定|细则|方案|措施|条例|计划|意见|政策|决定)|如下|以下")


def doc_number(raw: str | None) -> str | None:
    """文号 in the same canonical form as the documents' own (ingest.meta), so citations match them.

    >>> doc_number("青政字[2024] 20号")
    '青政字〔2024〕20号'
    """
    if not raw:
        return None
    return normalise_doc_number(raw) or re.sub(r"\s+", "", raw)


def _title(raw: str) -> str:
    return re.sub(r"(?<=[\u4e00-\u9fa5）)])\s+|\s+(?=[\u4e00-\u9fa5（(])", "", raw).strip()


def relations(paras: tuple[Para, ...]) -> tuple[tuple[Reference, ...], tuple[Lineage, ...]]:
    """References and lineage of the document made of ``paras``, each with its sentence and line."""
    refs: dict[str, Reference] = {}
    lineage: list[Lineage] = []
    for para in paras:
        text = extract_form(para.text)
        for s0, s1 in pieces(text):
            sentence = text[s0:s1]
            shown = para.text[s0:s1].strip()
            line = para.line_of(s0)
            titles = [(m.start(), m.end(), _title(m.group(1)), doc_number(m.group(2)))
                      for m in _TITLE.finditer(sentence)]
            for _, _, title, number in titles:
                old = refs.get(title)
                if old is None:
                    refs[title] = Reference(title, number, shown, para.line_of(s0))
                elif number and not old.doc_number:
                    refs[title] = Reference(title, number, old.text, old.line)
            lineage.extend(_sentence_lineage(sentence, shown, line, titles))
    return tuple(refs.values()), tuple(dict.fromkeys(lineage))


def _sentence_lineage(sentence: str, shown: str, line: int, titles) -> list[Lineage]:
    out: list[Lineage] = []
    rep = _REPEAL.search(sentence)
    if rep:
        named = [t for t in titles if t[1] <= rep.start()]
        for _, _, title, number in named:
            out.append(Lineage("repeals", title, number, shown, line))
        if not named and _GENERIC_REPEAL.search(sentence):
            out.append(Lineage("replaces", None, None, shown, line))
    for start, end, title, number in titles:
        m = _AMEND.search(title)
        if not m:
            continue
        done = re.match(r"[^。《]{0,16}?(修正|修订)", sentence[end:])
        if done and re.search(r"根据[^《]{0,30}$", sentence[:start]):
            # history of this document: it was amended/revised by that decision
            out.append(Lineage("amends" if done.group(1) == "修正" else "revises", title, number, shown, line))
        else:  # this document is the decision amending X
            out.append(Lineage("amends", _title(m.group(1)), None, shown, line))
    m = _AMEND_TITLE.search(sentence)
    if m and not any("关于修改〈" in t[2] for t in titles):  # 关于修改《X》的决定 as this document's own title
        out.append(Lineage("amends", _title(m.group(1)), None, shown, line))
    if not _AMEND.search(sentence):
        for m in _HISTORY.finditer(sentence):
            out.append(Lineage("amends" if m.group(1) == "修正" else "revises", None, None, shown, line))
    if _OVERRIDE.search(sentence):
        out.append(Lineage("overrides_inconsistent", None, None, shown, line))
    if titles and _MAKES.search(sentence) and not rep:
        for start, _, title, number in titles:
            cue = None
            for m in _BASIS.finditer(sentence[:start]):
                between = sentence[m.end():start]
                cue = None if len(between) > 80 or "制定" in between else m.group()
            if cue is None or "修改〈" in title:
                continue
            kind: LineageType = "based_on" if cue in ("根据", "依据", "依照") else "implements"
            out.append(Lineage(kind, title, number, shown, line))
    return out
