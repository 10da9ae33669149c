"""Status and lineage as of a date: in force, expired, superseded … with evidence, and 新旧对照.

Facts come from the documents (validity, revisions, lineage sentences); the status is derived
here for the question's date, never stored. Unknown dates give ``unknown``, never ``in_force``.
The date-independent lineage (edges, chains, copies of one work) is queries.lineage.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

import numpy as np
from rapidfuzz import fuzz, process

from .catalog import (Catalog, amount_max, benefit_values, catalog_for_store, clause_units, doc_ref,
                      find_document, line_map_of, measure_key, parse_as_of, provision_measures)
from .lineage import (_displacement, _edges_by_document, effective_validity, lineage_chain, resolve_target,
                      same_work_groups, version_date)
from .overlaps import align_provisions, token_diff

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
