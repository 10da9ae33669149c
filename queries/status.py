"""Status and lineage as of a date: in force, expired, superseded … with evidence, and 新旧对照.

Facts come from the documents (validity, revisions, lineage sentences); the status is derived
here for the question's date, never stored. Unknown dates give ``unknown``, never ``in_force``.
The date-independent lineage (edges, chains, copies of one work) is queries.lineage.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Literal, cast

import numpy as np
from rapidfuzz import fuzz, process

from .catalog import (Catalog, amount_max, benefit_values, catalog_for_store, clause_units, doc_ref,
                      find_document, line_map_of, measure_key, parse_as_of, provision_measures)
from .lineage import (displacement, edges_by_document, effective_validity, lineage_chain, presumption,
                      resolve_target, same_work_groups, version_date)
from .diffing import align_provisions, token_diff
from .contract import ClauseChange, ClauseText, DiffReport, StatusEntry, StatusReport

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
    earlier = _earlier_related(catalog, doc, start)
    flags, pos = earlier.tolist(), _positions(catalog)
    evidence = [{"text": c.text, "line": c.line} for c in clauses]
    found: dict = {}

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
    theirs = sorted(x for k in mine for x in by_key.get(k, ()) if flags[pos[x[1].id]])
    for _, other, p, m in theirs:  # in catalog (document, provision, measure) order
        for mp, mm in mine[measure_key(m)]:
            if amount_max(m) != amount_max(mm) or set(m.conditions) != set(mm.conditions):
                add(other, p, mp, f"同一对象与用途（{m.beneficiary}/{m.purpose}）条件或金额不同")
    values = catalog.memo.setdefault("benefit_values", {})  # id(provision) → its amounts

    def amounts(p) -> list[int]:  # a clause restated by many documents is read once
        if id(p) not in values:
            values[id(p)] = benefit_values(p)
        return values[id(p)]
    for (_, new), (other, old), sim in _restatements(catalog, doc, earlier):
        was, now = amounts(old), amounts(new)
        if was != now:
            add(other, old, new, f"相近条款（相似度 {sim:.2f}）金额不同：{was} → {now}")
    return list(found.values())


def _version_dates(catalog: Catalog) -> dict:
    if "version_dates" not in catalog.memo:
        catalog.memo["version_dates"] = {d.id: version_date(d) for d in catalog.documents}
    return catalog.memo["version_dates"]


def _positions(catalog: Catalog) -> dict:
    if "positions" not in catalog.memo:
        catalog.memo["positions"] = {d.id: k for k, d in enumerate(catalog.documents)}
    return catalog.memo["positions"]


def _earlier_related(catalog: Catalog, doc, start: date) -> np.ndarray:
    """Mask over the catalog of the other documents sharing an issuer or the region with
    ``doc`` whose version is older than ``start`` (from a per-catalog issuer/region index)."""
    if "related_index" not in catalog.memo:
        by_issuer, by_region = defaultdict(list), defaultdict(list)
        for k, d in enumerate(catalog.documents):
            for i in set(d.issuers):
                by_issuer[i].append(k)
            if d.region:
                by_region[d.region].append(k)
        vdate = _version_dates(catalog)
        days = np.array([vdate[d.id].toordinal() if vdate[d.id] else 0 for d in catalog.documents], dtype=np.int64)
        catalog.memo["related_index"] = ({k: np.array(v) for k, v in by_issuer.items()},
                                         {k: np.array(v) for k, v in by_region.items()}, days)
    by_issuer, by_region, days = catalog.memo["related_index"]
    mask = np.zeros(len(days), dtype=bool)
    for i in set(doc.issuers):
        mask[by_issuer.get(i, [])] = True
    if doc.region:
        mask[by_region.get(doc.region, [])] = True
    mask &= (days > 0) & (days < start.toordinal())
    mask[_positions(catalog)[doc.id]] = False
    return mask


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
    near-identical clauses of the documents ``keep`` accepts (a predicate, or a mask over the
    catalog's positions), in clause then catalog order.
    One MinHash/LSH query of every overriding document's clauses against the whole catalog's
    (pairs depend only on the two clauses, so this is the per-document search, done once)."""
    if "restatements" not in catalog.memo:
        catalog.memo["restatements"] = _restatement_candidates(catalog)
    units, forms, dpos, pairs = catalog.memo["restatements"]
    if doc.id not in pairs:
        return []
    a, b = pairs[doc.id]
    if callable(keep):
        others, mask = np.unique(dpos[b]), np.zeros(len(catalog.documents), dtype=bool)
        mask[others] = [bool(keep(catalog.documents[k])) for k in others.tolist()]
        keep = mask
    sel = keep[dpos[b]]
    cand = list(zip(a[sel].tolist(), b[sel].tolist()))
    if not cand:
        return []
    scores = process.cpdist([forms[a] for a, _ in cand], [forms[b] for _, b in cand], scorer=fuzz.ratio,
                            score_cutoff=OVERRIDE_SIMILARITY * 100, workers=1)
    return [(units[a], units[b], s / 100) for (a, b), s in zip(cand, scores.tolist()) if s]


def _restatement_candidates(catalog: Catalog) -> tuple:
    """(clause units, their match forms, their documents' positions, overriding document id →
    (q, j) unit pairs sharing an LSH band, sorted, in different documents). Signatures and band
    searches are per distinct match form (copied clauses are hashed and searched once); a form
    always meets its own copies, then the form pairs are expanded to the units that carry them."""
    from .neardup import band_keys, band_neighbours, lsh_params, match_form, minhash_signatures, ranges
    units = [(d, p) for d in catalog.documents for p in clause_units(d)]
    cache = {t: match_form(t) for t in dict.fromkeys(p.text for _, p in units)}
    forms = [cache[p.text] for _, p in units]
    dpos = np.repeat(np.arange(len(catalog.documents)), [len(clause_units(d)) for d in catalog.documents])
    overriders = {o.id for o in overriding(catalog)}
    mine = np.array([i for i, (d, _) in enumerate(units) if d.id in overriders], dtype=np.int64)
    pairs: dict = {}
    if not len(mine):  # no overriding document: no signatures to compute
        return units, forms, dpos, pairs
    index: dict[str, int] = {}
    form_id = np.array([index.setdefault(f, len(index)) for f in forms], dtype=np.int64)
    n = len(index)
    keys = band_keys(minhash_signatures(list(index)), *lsh_params(OVERRIDE_LSH_THRESHOLD))
    asked = np.unique(form_id[mine])
    fq, fj = band_neighbours(keys, asked)
    codes = np.unique(np.r_[fq * n + fj, asked * n + asked])
    fq, fj = codes // n, codes % n
    at = np.searchsorted(fq, form_id[mine], "left")
    cnt = np.searchsorted(fq, form_id[mine], "right") - at
    q, near = np.repeat(mine, cnt), fj[ranges(at, cnt)]  # each clause → the forms it meets
    carriers = np.argsort(form_id, kind="stable")  # units by form, ascending within a form
    first = np.searchsorted(form_id[carriers], np.arange(n + 1))
    per = first[near + 1] - first[near]
    q, j = np.repeat(q, per), carriers[ranges(first[near], per)]
    apart = dpos[q] != dpos[j]
    codes = np.sort(q[apart] * len(units) + j[apart])  # one sort of (q, j) codes: 3× a lexsort
    q, j = codes // len(units), codes % len(units)
    docs, start = np.unique(dpos[q], return_index=True)  # q is sorted: one run per document
    for k, lo, hi in zip(docs.tolist(), start.tolist(), [*start[1:].tolist(), len(q)]):
        pairs[catalog.documents[k].id] = (q[lo:hi], j[lo:hi])
    return units, forms, dpos, pairs


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
    elif (presumed := presumption(doc)) and (as_of - presumed[0]).days > presumed[1]:
        st = "in_force"  # the effective date stays unknown (null): only the status is presumed
        ev.append({"text": f"未找到施行日期；公布于{presumed[0]}，超过{presumed[1]}日，推定已施行", "line": None})
    else:
        st = "unknown"
        ev.append({"text": "未找到施行日期或有效期" + (f"（印发日期 {doc.issue_date}）" if doc.issue_date else ""),
                   "line": None})
    olds, news = edges_by_document(catalog)
    by, partly = [], []
    for e in olds.get(doc.id, ()):
        if e.since is None or e.since <= as_of:
            if e.kind == "amends":
                partly.append(e)
            elif not (end and e.since and e.since > end):
                by.append(e)
    if by and st in ("in_force", "unknown", "expired"):
        st = "repealed" if all(_abolishing(catalog.by_id[e.new]) and e.kind == "repeals" for e in by) else "superseded"
    elif partly and st in ("in_force", "unknown"):
        st = "partly_superseded"
    for e in by + partly:
        src = catalog.by_id[e.new]
        ev.append({"text": e.text, "line": e.line, "document": e.new, "title": src.title, "kind": e.kind})
    supersedes = sorted({e.old for e in news.get(doc.id, ()) if e.since is None or e.since <= as_of})
    named_outside = [lin.target_title or lin.target_doc_number for lin in doc.lineage
                     if displacement(doc, lin) == "repeals"
                     and not resolve_target(catalog, lin.target_title, lin.target_doc_number, doc.id)]
    entry: dict = dict(doc_ref(doc))  # the citation, then the status
    entry.update(status=st, effective_start=start.isoformat() if start else None,
                 effective_end=end.isoformat() if end else None,
                 superseded_by=sorted({e.new for e in by}), amended_by=sorted({e.new for e in partly}),
                 supersedes=supersedes + named_outside, evidence=ev,
                 same_work=same_work_groups(catalog).get(doc.id, []), doc_type=doc.doc_type,
                 issuers=list(doc.issuers))
    return entry


def _abolishing(doc) -> bool:
    """Whether a document only abolishes others (关于废止…的决定): it is no successor of what it repeals."""
    return "废止" in (doc.title or "")


def with_details(catalog: Catalog, doc, entry: dict) -> dict:
    """A status entry plus what only the status report needs: the lineage chain and the
    earlier provisions a generic override likely displaces."""
    if "displaced" not in catalog.memo:
        catalog.memo["displaced"] = displaced_by({o.id: override_candidates(catalog, o) for o in overriding(catalog)})
    return details(entry, lineage_chain(catalog, doc.id), override_candidates(catalog, doc),
                   catalog.memo["displaced"].get(doc.id))


def displaced_by(candidates: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """document id → the override candidates in it, each with the overriding document (``by``),
    from overriding document id → its candidates (in catalog order)."""
    by_doc = defaultdict(list)
    for other, cands in candidates.items():
        for c in cands:
            by_doc[c["document"]].append(dict(c, by=other))
    return dict(by_doc)


def details(entry: dict, chain: list[str], cands: list[dict], displaced: list[dict] | None) -> dict:
    """The status report's entry: the status entry, its lineage chain, its override candidates
    and the candidates others find in it (the last two only when there are)."""
    out = dict(entry, chain=chain)
    if cands:
        out["override_candidates"] = cands
    if displaced:
        out["possibly_displaced_by"] = displaced
    return out


def overriding(catalog: Catalog) -> list:
    """The documents with a generic override (与本文件不一致的，按本文件执行), in catalog order."""
    if "overriding" not in catalog.memo:
        catalog.memo["overriding"] = [d for d in catalog.documents if any(
            x.type == "overrides_inconsistent" or (x.type == "replaces" and not (x.target_title or x.target_doc_number))
            for x in d.lineage)]
    return catalog.memo["overriding"]


def status_map(catalog: Catalog, as_of: date) -> dict[str, dict]:
    """id → status entry for every document (memoised per date)."""
    key = ("status", as_of)
    if key not in catalog.memo:
        catalog.memo[key] = {d.id: document_status(catalog, d, as_of) for d in catalog.documents}
    return catalog.memo[key]


def status_report(catalog: Catalog, as_of=None, document: str | None = None) -> StatusReport:
    """``policygraph status --json``: every document (or one, by id or title) as of a date."""
    day = parse_as_of(as_of)
    smap = status_map(catalog, day)
    docs = [find_document(catalog, document)] if document else catalog.documents
    return {"as_of": day.isoformat(), "documents": [cast(StatusEntry, with_details(catalog, d, smap[d.id])) for d in docs]}


def status_for_store(store: str, as_of=None, document: str | None = None) -> StatusReport:
    return status_report(catalog_for_store(store), as_of, document)


def diff_documents(catalog: Catalog, a: str, b: str) -> DiffReport:
    """新旧对照: the two documents' provisions aligned clause by clause."""
    da, db = find_document(catalog, a), find_document(catalog, b)
    clauses: list[ClauseChange] = []
    for pa, pb, sim in align_provisions(da, db):
        if pa is None or pb is None:
            kind: Literal["added", "removed"] = "added" if pa is None else "removed"
            clauses.append({"change": kind, "a": _pref(pa), "b": _pref(pb), "similarity": 0.0, "differences": []})
            continue
        diffs = token_diff(pa.text, pb.text, _line_map(pa), _line_map(pb))
        clauses.append({"change": "changed" if diffs else "same", "a": _pref(pa), "b": _pref(pb),
                        "similarity": round(sim, 3), "differences": diffs})
    counts: defaultdict[str, int] = defaultdict(int)
    for c in clauses:
        counts[c["change"]] += 1
    return {"a": doc_ref(da), "b": doc_ref(db), "summary": dict(counts), "clauses": clauses}


def _line_map(p):
    return list(line_map_of(p))


def _pref(p) -> ClauseText | None:
    if p is None:
        return None
    return {"id": p.id, "label": p.label, "line_start": p.span.line_start, "line_end": p.span.line_end,
            "text": p.text}


def diff_for_store(store: str, a: str, b: str) -> DiffReport:
    return diff_documents(catalog_for_store(store), a, b)
