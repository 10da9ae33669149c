"""Lineage: who displaces whom, date-independent — 文号/title resolution, copies of one work,
displacement edges (repeals, amends, newer versions), chains, and validity borrowed from
another document or a title period. queries.status derives the status for a date from these.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import cast

from rapidfuzz import fuzz

from ingest.history import rules as history_rules
from ingest.meta import report_types

from .catalog import Catalog, doc_body, norm_doc_number, norm_text, norm_title

SAME_WORK_SIMILARITY = 0.9


@dataclass(frozen=True)
class Edge:
    """``new`` displaces ``old`` (kind: repeals|revises|newer_version|amends) from ``since``."""

    old: str
    new: str
    kind: str
    text: str
    line: int | None
    since: date | None


def version_date(doc) -> date | None:
    """The date a version was made: the latest of its revisions and its issue date, else its start
    date (a version is dated by its own making, not by when it takes effect)."""
    dates = [d for d in (*(r.date for r in doc.revisions), doc.issue_date) if d]
    return max(dates) if dates else doc.validity.start


def presumption(doc) -> tuple[date, int] | None:
    """(version date, days) of a law, regulation, rule or judicial interpretation whose text states
    no effective date (data/rules/history.yaml ``law_classes``): it is taken to be in force once more
    than ``presumed_in_force_after_days`` have passed since that date; None for a document that
    states one, of another class, a report, or without a date."""
    rules = history_rules()
    if doc.validity.start or doc.validity.end or doc.doc_class not in rules["law_classes"] \
            or doc.doc_type in report_types():
        return None
    when = version_date(doc)
    return (when, rules["presumed_in_force_after_days"]) if when else None


def _dated(doc) -> date:
    """version_date of a document known to have one (by_title holds only dated versions)."""
    return cast(date, version_date(doc))


def _effective_from(doc) -> date | None:
    return doc.validity.start or doc.issue_date or version_date(doc)


def _issuers_agree(a, b) -> bool:
    """Same issuer, or same jurisdiction (region, or the division it applies in: a 民政部令 and the
    国务院's revision of it are both national), or nothing to tell them apart; never two places."""
    ja, jb = (a.jurisdiction.key if a.jurisdiction else None), (b.jurisdiction.key if b.jurisdiction else None)
    if (a.region and b.region and a.region != b.region) or (ja and jb and ja != jb):
        return False
    return (not a.issuers or not b.issuers or bool(set(a.issuers) & set(b.issuers))
            or bool(a.region and a.region == b.region) or bool(ja and ja == jb))


_WORK_PREFIX = re.compile(r"^中华人民共和国")
_WORK_TRIAL = re.compile(r"[（(](?:试行|暂行)[）)]")
_AMENDMENT = re.compile(r"修正案(?:[（(][一二三四五六七八九十百]+[）)])?$")


def work_title(title: str | None) -> str:
    """What names one work across its versions: the title's matching form without 中华人民共和国 in
    front or a （试行）/（暂行） mark.

    >>> work_title("中华人民共和国科学技术普及法") == work_title("《科学技术普及法》")
    True
    >>> work_title("示例管理办法（试行）") == work_title("示例管理办法")
    True
    """
    return _WORK_PREFIX.sub("", _WORK_TRIAL.sub("", norm_title(title)))


def resolve_target(catalog: Catalog, title: str | None, number: str | None, exclude: str) -> list:
    """Documents a lineage sentence names: by 文号, else by title (a region prefix may differ)."""
    by_number, by_title, by_suffix = _target_index(catalog)
    if number:
        hits = [d for d in by_number.get(norm_doc_number(number), ()) if d.id != exclude]
        if hits:
            return hits
    t = norm_title(title)
    if len(t) < 4:
        return []
    return [d for d in (by_suffix if len(t) >= 6 else by_title).get(t, ()) if d.id != exclude]


def _target_index(catalog: Catalog) -> tuple[dict, dict, dict]:
    """文号 → documents, title → documents, title suffix (≥ 6 characters) → documents, each
    in catalog order, built once per catalog (a title is its own longest suffix)."""
    if "target_index" not in catalog.memo:
        by_number, by_title, by_suffix = defaultdict(list), defaultdict(list), defaultdict(list)
        for d in catalog.documents:
            if d.doc_number:
                by_number[norm_doc_number(d.doc_number)].append(d)
            if d.title:
                t = norm_title(d.title)
                by_title[t].append(d)
                for k in range(len(t) - 5):
                    by_suffix[t[k:]].append(d)
        catalog.memo["target_index"] = (dict(by_number), dict(by_title), dict(by_suffix))
    return catalog.memo["target_index"]


def same_work_pairs(documents) -> list[tuple]:
    """Pairs of documents that may reproduce one another: same title, no differing issue dates,
    issuers agree (what same_work_groups then compares by text), in document order."""
    by_title = defaultdict(list)
    for d in documents:
        if d.title:
            by_title[norm_title(d.title)].append(d)
    return [(a, b) for group in by_title.values() for i, a in enumerate(group) for b in group[i + 1:]
            if not (a.issue_date and b.issue_date and a.issue_date != b.issue_date) and _issuers_agree(a, b)]


def same_work_of(pairs, text_of) -> dict[str, list[str]]:
    """id → the other ids of its work, from candidate pairs and a document's matching text."""
    out: dict[str, list[str]] = defaultdict(list)
    for a, b in pairs:
        if fuzz.ratio(text_of(a), text_of(b)) / 100 >= SAME_WORK_SIMILARITY:
            out[a.id].append(b.id)
            out[b.id].append(a.id)
    return dict(out)


def same_work_groups(catalog: Catalog) -> dict[str, list[str]]:
    """Documents that reproduce one another (a compilation's copy of a policy): same title,
    issuer and date and near-identical text. id → the other ids of its work."""
    if "same_work" not in catalog.memo:
        catalog.memo["same_work"] = same_work_of(same_work_pairs(catalog.documents), work_text)
    return catalog.memo["same_work"]


def work_text(doc) -> str:
    """The text two copies of one work are compared by."""
    return norm_text(doc_body(doc))


def lineage_edges(catalog: Catalog) -> list[Edge]:
    """Every displacement the documents state or imply (date-independent, memoised)."""
    if "edges" in catalog.memo:
        return catalog.memo["edges"]
    edges, same = [], same_work_groups(catalog)
    for d in catalog.documents:
        for lin in d.lineage:
            kind = displacement(d, lin)
            if not kind:
                continue
            for t in resolve_target(catalog, lin.target_title, lin.target_doc_number, d.id):
                if t.id in same.get(d.id, ()):
                    continue
                edges.append(Edge(t.id, d.id, kind, lin.text, lin.line, _effective_from(d)))
    by_title = defaultdict(list)
    for d in catalog.documents:
        if d.title and version_date(d):
            by_title[work_title(d.title)].append(d)
    edges += _amendment_edges(catalog, by_title)
    for group in by_title.values():
        group.sort(key=_dated)
        for i, old in enumerate(group):
            for new in group[i + 1:]:
                if _dated(new) > _dated(old) and _issuers_agree(old, new) \
                        and new.id not in same.get(old.id, ()):
                    edges.append(Edge(old.id, new.id, "newer_version",
                                      f"《{new.title}》 {version_date(new)} 版本晚于 {version_date(old)} 版本",
                                      new.validity.line, _effective_from(new)))
                    break  # only the next version; the chain gives the rest
    catalog.memo["edges"] = edges
    return edges


def _amendment_edges(catalog: Catalog, by_title: dict) -> list[Edge]:
    """A 修正案 (刑法修正案（十一）) amends the versions of its base law older than itself."""
    out = []
    for d in catalog.documents:
        base = _AMENDMENT.sub("", work_title(d.title)) if d.title and _AMENDMENT.search(work_title(d.title)) else None
        when = version_date(d)
        if not base or not when:
            continue
        for old in by_title.get(base, ()):
            if old.id != d.id and _dated(old) < when:
                out.append(Edge(old.id, d.id, "amends", f"《{d.title}》修改《{old.title}》（{when}）", d.span.line_start,
                                _effective_from(d)))
    return out


_AMENDING_ACT = re.compile(r"^关于(?:修改|修正|修订|废止)")


def displacement(doc, lin) -> str | None:
    """The kind of displacement a lineage sentence states, from ``doc`` onto its target.

    修订/修正 sentences usually tell a document's own history (根据《…决定》修订: the target
    is the amending act, not displaced); they displace the target only when ``doc`` is
    itself an amending act (关于修改…的决定)."""
    if not (lin.target_title or lin.target_doc_number):
        return None
    if lin.type in ("repeals", "replaces"):
        return "repeals"
    if lin.type in ("amends", "revises") and _AMENDING_ACT.match(doc.title or ""):
        return "amends"
    return None


_IN_STEP = re.compile(r"与《([^》]+)》(?:[（(]([^）)]*)[）)])?\s*(?:同步|同时)(?:实施|施行|执行)")
_TITLE_PERIOD = re.compile(r"[（(]\s*((?:19|20)\d{2})\s*[-—–~至]\s*((?:19|20)\d{2})\s*年?\s*[）)]")


def effective_validity(catalog: Catalog, doc, _seen=()) -> tuple[date | None, date | None, list[dict]]:
    """(start, end, evidence): the document's own validity; else the dates of the document it
    is 与《…》同步实施 with; else the period its title states (（2024—2028年）)."""
    v = doc.validity
    ev = [{"text": v.text, "line": v.line}] if v.text else []
    if v.start or v.end:
        return v.start, v.end, ev
    if doc.doc_type in report_types():  # a report's dates (and title period) are the policy's
        return None, None, ev + [{"text": f"{doc.doc_type}：报道/解读政策，本身不是政策文件", "line": doc.span.line_start}]
    m = _IN_STEP.search(v.text or "")
    if m and doc.id not in _seen:
        for t in resolve_target(catalog, m.group(1), m.group(2), doc.id):
            start, end, tev = effective_validity(catalog, t, (*_seen, doc.id))
            if start or end:
                return start, end, ev + [dict(e, document=t.id) for e in tev]
    m = _TITLE_PERIOD.search(doc.title or "")
    if m:
        y1, y2 = int(m.group(1)), int(m.group(2))
        return date(y1, 1, 1), date(y2, 12, 31), ev + [{"text": f"标题所示实施期限：{m.group(0)}", "line": doc.span.line_start}]
    return None, None, ev


def edges_by_document(catalog: Catalog) -> tuple[dict, dict]:
    """Lineage edges by displaced (old) and by displacing (new) document, in edge order."""
    if "edges_by_document" not in catalog.memo:
        olds, news = defaultdict(list), defaultdict(list)
        for e in lineage_edges(catalog):
            olds[e.old].append(e)
            news[e.new].append(e)
        catalog.memo["edges_by_document"] = (dict(olds), dict(news))
    return catalog.memo["edges_by_document"]


def lineage_chain(catalog: Catalog, doc_id: str) -> list[str]:
    """Predecessors then the document then successors, oldest first."""
    if "chain_maps" not in catalog.memo:
        edges = [e for e in lineage_edges(catalog) if e.kind != "amends"]
        catalog.memo["chain_maps"] = ({e.new: e.old for e in edges}, {e.old: e.new for e in edges})
    prev, nxt = catalog.memo["chain_maps"]
    chain, seen, cur = [doc_id], {doc_id}, doc_id
    while cur in prev and prev[cur] not in seen:
        cur = prev[cur]
        chain.insert(0, cur)
        seen.add(cur)
    cur = doc_id
    while cur in nxt and nxt[cur] not in seen:
        cur = nxt[cur]
        chain.append(cur)
        seen.add(cur)
    return chain if len(chain) > 1 else []
