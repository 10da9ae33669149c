"""Status and lineage as of a date: in force, expired, superseded … with evidence, and 新旧对照.

Facts come from the documents (validity, revisions, lineage sentences); the status is derived
here for the question's date, never stored. Unknown dates give ``unknown``, never ``in_force``.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np
from rapidfuzz import fuzz, process

from ingest.meta import report_types

from .catalog import (Catalog, amount_max, benefit_values, catalog_for_store, clause_units, doc_ref,
                      doc_text, find_document, line_map_of, measure_key, norm_doc_number, norm_text,
                      norm_title, parse_as_of, provision_measures)
from .overlaps import align_provisions, token_diff

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
    """The date a version was made: its latest revision, else its issue or start date."""
    dates = [r.date for r in doc.revisions if r.date] + [doc.issue_date, doc.validity.start]
    dates = [d for d in dates if d]
    return max(dates) if dates else None


def _effective_from(doc) -> date | None:
    return doc.validity.start or doc.issue_date or version_date(doc)


def _issuers_agree(a, b) -> bool:
    return not a.issuers or not b.issuers or bool(set(a.issuers) & set(b.issuers))


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


def same_work_groups(catalog: Catalog) -> dict[str, list[str]]:
    """Documents that reproduce one another (a compilation's copy of a policy): same title,
    issuer and date and near-identical text. id → the other ids of its work."""
    if "same_work" in catalog.memo:
        return catalog.memo["same_work"]
    by_title = defaultdict(list)
    for d in catalog.documents:
        if d.title:
            by_title[norm_title(d.title)].append(d)
    out: dict[str, list[str]] = defaultdict(list)
    for group in by_title.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if (a.issue_date and b.issue_date and a.issue_date != b.issue_date) or not _issuers_agree(a, b):
                    continue
                if fuzz.ratio(norm_text(doc_text(a)[0]), norm_text(doc_text(b)[0])) / 100 >= SAME_WORK_SIMILARITY:
                    out[a.id].append(b.id)
                    out[b.id].append(a.id)
    catalog.memo["same_work"] = dict(out)
    return catalog.memo["same_work"]


def lineage_edges(catalog: Catalog) -> list[Edge]:
    """Every displacement the documents state or imply (date-independent, memoised)."""
    if "edges" in catalog.memo:
        return catalog.memo["edges"]
    edges, same = [], same_work_groups(catalog)
    for d in catalog.documents:
        for lin in d.lineage:
            kind = _displacement(d, lin)
            if not kind:
                continue
            for t in resolve_target(catalog, lin.target_title, lin.target_doc_number, d.id):
                if t.id in same.get(d.id, ()):
                    continue
                edges.append(Edge(t.id, d.id, kind, lin.text, lin.line, _effective_from(d)))
    by_title = defaultdict(list)
    for d in catalog.documents:
        if d.title and version_date(d):
            by_title[norm_title(d.title)].append(d)
    for group in by_title.values():
        group.sort(key=version_date)
        for i, old in enumerate(group):
            for new in group[i + 1:]:
                if version_date(new) > version_date(old) and _issuers_agree(old, new) \
                        and new.id not in same.get(old.id, ()):
                    edges.append(Edge(old.id, new.id, "newer_version",
                                      f"《{new.title}》 {version_date(new)} 版本晚于 {version_date(old)} 版本",
                                      new.validity.line, _effective_from(new)))
                    break  # only the next version; the chain gives the rest
    catalog.memo["edges"] = edges
    return edges


_AMENDING_ACT = re.compile(r"^关于(?:修改|修正|修订|废止)")


def _displacement(doc, lin) -> str | None:
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


OVERRIDE_SIMILARITY = 0.7  # a restated measure: at least this alike (rapidfuzz ratio)
OVERRIDE_LSH_THRESHOLD = 0.5  # 3-gram Jaccard the LSH candidates are searched at


def override_candidates(catalog: Catalog, doc) -> list[dict]:
    """Earlier provisions a generic override (与本文件不一致的，按本文件执行 / 此前…同时废止)
    likely displaces: from documents of the same issuer or region, either a measure for the
    same beneficiary and purpose, or a restatement of one of this document's provisions,
    with different terms (amount, conditions, wording)."""
    memo = catalog.memo.setdefault("override_candidates", {})
    if doc.id not in memo:
        memo[doc.id] = _override_candidates(catalog, doc)
    return memo[doc.id]


def _override_candidates(catalog: Catalog, doc) -> list[dict]:
    clauses = [lin for lin in doc.lineage if lin.type == "overrides_inconsistent"
               or (lin.type == "replaces" and not (lin.target_title or lin.target_doc_number))]
    start = version_date(doc)
    if not clauses or not start:
        return []
    vdate = _version_dates(catalog)

    def is_earlier(o) -> bool:
        return bool(o.id != doc.id and vdate[o.id] and vdate[o.id] < start
                    and (set(o.issuers) & set(doc.issuers) or (o.region and o.region == doc.region)))
    evidence = [{"text": c.text, "line": c.line} for c in clauses]
    found = {}

    def add(other, p, mine, reason):
        found.setdefault((other.id, p.id), {
            "document": other.id, "title": other.title, "provision": p.id, "label": p.label,
            "line_start": p.span.line_start, "line_end": p.span.line_end, "displaced_by": mine.id,
            "reason": reason, "evidence": evidence})

    mine = defaultdict(list)
    for p in doc.walk():
        for m in provision_measures(p):
            if measure_key(m):
                mine[measure_key(m)].append((p, m))
    by_key = _measure_index(catalog)
    theirs = sorted(x for k in mine for x in by_key.get(k, ()) if is_earlier(x[1]))
    for _, other, p, m in theirs:  # in catalog (document, provision, measure) order
        for mp, mm in mine[measure_key(m)]:
            if amount_max(m) != amount_max(mm) or set(m.conditions) != set(mm.conditions):
                add(other, p, mp, f"同一对象与用途（{m.beneficiary}/{m.purpose}）条件或金额不同")
    for (_, new), (other, old), sim in _restatements(catalog, doc, is_earlier):
        if benefit_values(old) != benefit_values(new):
            add(other, old, new, f"相近条款（相似度 {sim:.2f}）金额不同：{benefit_values(old)} → {benefit_values(new)}")
    return list(found.values())


def _version_dates(catalog: Catalog) -> dict:
    if "version_dates" not in catalog.memo:
        catalog.memo["version_dates"] = {d.id: version_date(d) for d in catalog.documents}
    return catalog.memo["version_dates"]


def _measure_index(catalog: Catalog) -> dict:
    """measure key → (catalog position, document, provision, measure), in catalog order."""
    if "measure_index" not in catalog.memo:
        out, n = defaultdict(list), 0
        for d in catalog.documents:
            for p in d.walk():
                for m in provision_measures(p):
                    if measure_key(m):
                        out[measure_key(m)].append((n, d, p, m))
                    n += 1
        catalog.memo["measure_index"] = dict(out)
    return catalog.memo["measure_index"]


def _restatements(catalog: Catalog, doc, keep) -> list:
    """((doc, provision), (other, provision), similarity) of this document's clauses and the
    near-identical clauses of the documents ``keep`` accepts, in clause then catalog order.
    One MinHash/LSH query of every overriding document's clauses against the whole catalog's
    (pairs depend only on the two clauses, so this is the per-document search, done once)."""
    from .overlaps import band_keys, band_neighbours, lsh_params, match_form, minhash_signatures
    if "restatements" not in catalog.memo:
        units = [(d, p) for d in catalog.documents for p in clause_units(d)]
        forms = [match_form(p.text) for _, p in units]
        overriding = {o.id for o in _overriding(catalog)}
        mine = [i for i, (d, _) in enumerate(units) if d.id in overriding]
        dpos = np.repeat(np.arange(len(catalog.documents)), [len(clause_units(d)) for d in catalog.documents])
        pairs = {}
        if mine:  # no overriding document: no signatures to compute
            keys = band_keys(minhash_signatures(forms), *lsh_params(OVERRIDE_LSH_THRESHOLD))
            q, j = band_neighbours(keys, mine)
            q, j = q[dpos[q] != dpos[j]], j[dpos[q] != dpos[j]]
            docs, first = np.unique(dpos[q], return_index=True)  # q is sorted: one run per document
            for k, lo, hi in zip(docs.tolist(), first.tolist(), [*first[1:].tolist(), len(q)]):
                pairs[catalog.documents[k].id] = (q[lo:hi], j[lo:hi])
        catalog.memo["restatements"] = (units, forms, dpos, pairs)
    units, forms, dpos, pairs = catalog.memo["restatements"]
    if doc.id not in pairs:
        return []
    a, b = pairs[doc.id]
    others = np.unique(dpos[b])
    kept = others[[bool(keep(catalog.documents[k])) for k in others.tolist()]]
    sel = np.isin(dpos[b], kept)
    cand = list(zip(a[sel].tolist(), b[sel].tolist()))
    if not cand:
        return []
    scores = process.cpdist([forms[a] for a, _ in cand], [forms[b] for _, b in cand], scorer=fuzz.ratio,
                            score_cutoff=OVERRIDE_SIMILARITY * 100, workers=1)
    return [(units[a], units[b], s / 100) for (a, b), s in zip(cand, scores.tolist()) if s]


def document_status(catalog: Catalog, doc, as_of: date) -> dict:
    """The status entry of one document as of a date (contract: status.schema.json)."""
    start, end, ev = effective_validity(catalog, doc)
    if doc.issue_date and doc.issue_date > as_of:
        st = "not_yet_effective"
    elif start and as_of < start:
        st = "not_yet_effective"
    elif end and as_of > end:
        st = "expired"
    elif start or (end and doc.issue_date):
        st = "in_force"
    else:
        st = "unknown"
        ev.append({"text": "未找到施行日期或有效期" + (f"（印发日期 {doc.issue_date}）" if doc.issue_date else ""),
                   "line": None})
    olds, news = _edges_by_document(catalog)
    by, partly = [], []
    for e in olds.get(doc.id, ()):
        if e.since is None or e.since <= as_of:
            if e.kind == "amends":
                partly.append(e)
            elif not (end and e.since and e.since > end):
                by.append(e)
    if by and st in ("in_force", "unknown", "expired"):
        st = "superseded"
    elif partly and st in ("in_force", "unknown"):
        st = "partly_superseded"
    for e in by + partly:
        src = catalog.by_id[e.new]
        ev.append({"text": e.text, "line": e.line, "document": e.new, "title": src.title, "kind": e.kind})
    supersedes = sorted({e.old for e in news.get(doc.id, ()) if e.since is None or e.since <= as_of})
    named_outside = [lin.target_title or lin.target_doc_number for lin in doc.lineage
                     if _displacement(doc, lin) == "repeals"
                     and not resolve_target(catalog, lin.target_title, lin.target_doc_number, doc.id)]
    entry = doc_ref(doc)
    entry.update(status=st, effective_start=start.isoformat() if start else None,
                 effective_end=end.isoformat() if end else None,
                 superseded_by=sorted({e.new for e in by}), amended_by=sorted({e.new for e in partly}),
                 supersedes=supersedes + named_outside, evidence=ev,
                 same_work=same_work_groups(catalog).get(doc.id, []), doc_type=doc.doc_type,
                 issuers=list(doc.issuers))
    return entry


def with_details(catalog: Catalog, doc, entry: dict) -> dict:
    """A status entry plus what only the status report needs: the lineage chain and the
    earlier provisions a generic override likely displaces."""
    out = dict(entry, chain=lineage_chain(catalog, doc.id))
    cands = override_candidates(catalog, doc)
    if cands:
        out["override_candidates"] = cands
    if "displaced" not in catalog.memo:
        by_doc = defaultdict(list)
        for other in _overriding(catalog):
            for c in override_candidates(catalog, other):
                by_doc[c["document"]].append(dict(c, by=other.id))
        catalog.memo["displaced"] = dict(by_doc)
    displaced = catalog.memo["displaced"].get(doc.id)
    if displaced:
        out["possibly_displaced_by"] = displaced
    return out


def _overriding(catalog: Catalog) -> list:
    if "overriding" not in catalog.memo:
        catalog.memo["overriding"] = [d for d in catalog.documents if any(
            x.type == "overrides_inconsistent" or (x.type == "replaces" and not (x.target_title or x.target_doc_number))
            for x in d.lineage)]
    return catalog.memo["overriding"]


def _edges_by_document(catalog: Catalog) -> tuple[dict, dict]:
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


def status_map(catalog: Catalog, as_of: date) -> dict[str, dict]:
    """id → status entry for every document (memoised per date)."""
    key = ("status", as_of)
    if key not in catalog.memo:
        catalog.memo[key] = {d.id: document_status(catalog, d, as_of) for d in catalog.documents}
    return catalog.memo[key]


def status_report(catalog: Catalog, as_of=None, document: str | None = None) -> dict:
    """``policygraph status --json``: every document (or one, by id or title) as of a date."""
    day = parse_as_of(as_of)
    smap = status_map(catalog, day)
    docs = [find_document(catalog, document)] if document else catalog.documents
    return {"as_of": day.isoformat(), "documents": [with_details(catalog, d, smap[d.id]) for d in docs]}


def status_for_store(store: str, as_of=None, document: str | None = None) -> dict:
    return status_report(catalog_for_store(store), as_of, document)


def diff_documents(catalog: Catalog, a: str, b: str) -> dict:
    """新旧对照: the two documents' provisions aligned clause by clause."""
    da, db = find_document(catalog, a), find_document(catalog, b)
    clauses = []
    for pa, pb, sim in align_provisions(da, db):
        if pa is None or pb is None:
            kind = "added" if pa is None else "removed"
            clauses.append({"change": kind, "a": _pref(pa), "b": _pref(pb), "similarity": 0.0, "differences": []})
            continue
        diffs = token_diff(pa.text, pb.text, _line_map(pa), _line_map(pb))
        clauses.append({"change": "changed" if diffs else "same", "a": _pref(pa), "b": _pref(pb),
                        "similarity": round(sim, 3), "differences": diffs})
    counts = defaultdict(int)
    for c in clauses:
        counts[c["change"]] += 1
    return {"a": doc_ref(da), "b": doc_ref(db), "summary": dict(counts), "clauses": clauses}


def _line_map(p):
    return list(line_map_of(p))


def _pref(p):
    if p is None:
        return None
    return {"id": p.id, "label": p.label, "line_start": p.span.line_start, "line_end": p.span.line_end,
            "text": p.text}


def diff_for_store(store: str, a: str, b: str) -> dict:
    return diff_documents(catalog_for_store(store), a, b)


_COLOURS = {"in_force": "green", "expired": "red", "superseded": "magenta", "partly_superseded": "yellow",
            "not_yet_effective": "cyan", "unknown": "dim"}


def print_status(result: dict, console) -> None:
    from rich.table import Table
    t = Table(title=f"状态 as of {result['as_of']}", show_lines=False)
    for col in ("id", "title", "status", "effective", "lineage / evidence"):
        t.add_column(col, overflow="fold")
    for d in result["documents"]:
        c = _COLOURS.get(d["status"], "white")
        lin = []
        if d["superseded_by"]:
            lin.append("被替代: " + ", ".join(d["superseded_by"]))
        if d["supersedes"]:
            lin.append("替代: " + ", ".join(d["supersedes"]))
        if d.get("same_work"):
            lin.append("同一文件: " + ", ".join(d["same_work"]))
        lin += [f"L{e['line']}: {e['text'][:60]}" if e.get("line") else e["text"][:60] for e in d["evidence"][:2]]
        t.add_row(d["id"], d["title"] or "(无标题)", f"[{c}]{d['status']}[/{c}]",
                  f"{d['effective_start'] or '?'} – {d['effective_end'] or ''}", "\n".join(lin))
    console.print(t)


def print_diff(result: dict, console) -> None:
    console.print(f"[bold]A[/bold] {result['a']['id']} {result['a']['title']}\n"
                  f"[bold]B[/bold] {result['b']['id']} {result['b']['title']}\n{result['summary']}", highlight=False)
    for c in result["clauses"]:
        if c["change"] == "same":
            continue
        a, b = c["a"] or {}, c["b"] or {}
        head = f"[{ {'added': 'green', 'removed': 'red'}.get(c['change'], 'yellow') }]{c['change']}[/]"
        console.print(f"{head} A:{a.get('label') or a.get('id', '-')} L{a.get('line_start', '-')}  "
                      f"B:{b.get('label') or b.get('id', '-')} L{b.get('line_start', '-')}", highlight=False)
        if c["change"] == "changed":
            for d in c["differences"][:8]:
                console.print(f"   [red]-{d['a_text']}[/red] [green]+{d['b_text']}[/green]", highlight=False)
        else:
            console.print("   " + ((a or b).get("text") or "")[:100], highlight=False)
