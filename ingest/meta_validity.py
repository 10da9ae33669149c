"""A document's own validity clause (施行/有效期), chosen among its sentences by score: the subject
(本办法/本规定…), a place in 附则 or near the end score up; a sentence in the header, or a 施行
date older than the latest revision (left in a revised law), score down.

A revised law often keeps its original 施行 sentence (国家科学技术奖励条例 2024 still says
自2020年12月1日起施行): a start older than the latest 修订/修正 is the original's, so this
version takes effect on its own date (the latest date of its history), and the text says so.
A 施行 entry of the history block (2019年3月1日 施行; …通过，自2021年1月1日起施行) stands when the
body states none, or only an older one.
"""
from __future__ import annotations

import re
from datetime import date
from typing import cast

from .dates import SAME_AS_RX, SUBJECT_RX, VALIDITY_HINT, sentences, validity_of
from .history import latest_revising
from .model import Revision, Validity
from .patterns import match_label


def own_validity(paras, norms, body_start, issue_date, revisions, warnings,
                 header_start: Revision | None = None, published: date | None = None) -> Validity:
    """The document's validity: the best-scored 施行/有效期 sentence (traps skipped), else the history
    block's 施行 entry; a start older than the latest revision moves to this version's date (its
    publication when known, else the history's last date)."""
    found = _sentence_validity(paras, norms, body_start, issue_date, revisions, warnings)
    rev = latest_revising(revisions)
    version = published or (revisions[-1].date if revisions else None)
    older = rev is not None and found.start is not None and found.start < rev.date
    if header_start and (found.start is None or older) and not (rev and header_start.date < rev.date):
        found = Validity(start=header_start.date, end=found.end, text=header_start.text, line=header_start.line)
        older = False
    if older or (rev and found.start is None and header_start):  # the original's date, left in the text
        assert rev is not None and version is not None  # a revising entry: revisions is not empty
        header = cast(Revision, header_start)  # read only when no sentence gave the text
        said = found.text or header.text
        found = Validity(start=version, end=found.end, line=found.line if found.text else header.line,
                         text=f"{said}（原施行日期；本版本于{revisions[-1].date.isoformat()}{rev.kind}"
                                  + (f"，{version.isoformat()}公布" if published else "") + "，自该日起施行）")
    return found


def _sentence_validity(paras, norms, body_start, issue_date, revisions, warnings) -> Validity:
    """The best-scored 施行/有效期 sentence of the text, traps skipped."""
    n = len(norms)
    last_rev = max((r.date for r in revisions), default=None)
    in_annex, cands = False, []
    for i in range(n):
        s = norms[i]
        if re.match(r"^第[一二三四五六七八九十百\d]+章", s):
            in_annex = "附则" in s
        if not VALIDITY_HINT.search(s):
            continue
        for off, sent in sentences(s):
            start, end, found = validity_of(sent, issue_date)
            same_as = SAME_AS_RX.search(sent)
            if not (found or same_as):
                continue
            score = 3 * bool(SUBJECT_RX.search(sent)) + 2 * in_annex + (i >= n - max(6, n // 5))
            score -= 2 * (i < body_start)
            if last_rev and start and start < last_rev:  # an old 施行 sentence left in a revised law
                score -= 2
            if revisions and end and not start and not SUBJECT_RX.search(sent):
                score -= 5  # a law's 有效期 without its subject is a licence's or a registration's
            cands.append((score, i, off, sent, start, end, bool(same_as)))
    if not cands:
        return Validity()
    score, i, off, sent, start, end, same = max(cands, key=lambda c: (c[0], c[1]))
    if revisions and end and not start and not same and not SUBJECT_RX.search(sent):
        return Validity()
    hit = match_label(sent) if off == 0 else None
    text = sent[hit[2]:].strip() if hit else sent.strip()
    if start and not end:  # the term is often the next sentence: 自…起施行。有效期三年。
        for c in cands:
            if c[1] == i and c[2] > off and c[5] and not SUBJECT_RX.search(c[3]):
                end, text = validity_of(text + c[3], issue_date)[1], text + c[3].strip()
                break
    if end and not start and not same:  # 自…起施行 and 有效期至… in neighbouring sentences
        near = [c for c in cands if c[4] and abs(c[1] - i) <= 2 and c[0] >= score - 1]
        if near:
            c = max(near, key=lambda c: (c[0], c[1]))
            start, text = c[4], (c[3].strip() + text if (c[1], c[2]) < (i, off) else text + c[3].strip())
    if same:
        warnings.append(f"validity tied to another document: {text}")
    elif start is None and re.search(r"之日起", text):
        warnings.append(f"validity starts on publication but no issue date was found: {text}")
    return Validity(start=start, end=end, text=text, line=paras[i].line_of(off))
