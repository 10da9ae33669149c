"""Overlaps and conflicts: duplicate documents, near-duplicate provisions, competing measures.

Near-duplicate provisions come from queries/neardup.py (MinHash + LSH + rapidfuzz, linear in
the number of clauses); word-level differences and provision alignment from queries/diffing.py.
"""
from __future__ import annotations

import math
from collections import defaultdict
from typing import Callable, cast

from rapidfuzz import fuzz

from ingest.meta import report_types

from .catalog import (Catalog, benefit_values, catalog_for_store, clause_units, doc_body, doc_lines,
                      no_stacking_clauses,
                      norm_title, parse_as_of)
from .neardup import DUPLICATE, MIN_CHARS, MIN_SIMILARITY, match_form, near_duplicates
from .conflicts import measure_conflicts, overrides
from .contract import Conflict, DocumentOverlap, OverlapsReport, ProvisionOverlap
from .diffing import provision_side, token_diff


# ---- the report ---------------------------------------------------------------------------------

TEMPLATE_DOCS = 50  # a clause recurring in more documents than this is a template (法律责任, 施行 clauses), not an overlap
DEFAULT_LIMIT = 100  # overlapping document pairs and provision pairs shown per page (duplicates and versions: all)


class Forms:
    """Match forms (queries/neardup.py) of provisions and documents, each computed once per
    report: NFKC of every clause was a fifth of an overlaps run when done three times over."""

    def __init__(self):
        self.units: dict[int, str] = {}
        self.docs: dict[str, str] = {}

    def unit(self, p) -> str:
        f = self.units.get(id(p))
        if f is None:
            f = self.units[id(p)] = match_form(p.text)
        return f

    def doc(self, d) -> str:
        """The match form of a document's body (that of ``doc_body``: clause forms joined)."""
        f = self.docs.get(d.id)
        if f is None:
            f = self.docs[d.id] = "".join(self.unit(p) for p in clause_units(d))
        return f


def overlap_units(documents, forms: Forms | None = None) -> list[tuple]:
    """(document, provision) of every clause long enough to compare, in document order."""
    forms = forms or Forms()
    return [(d, p) for d in documents for p in clause_units(d) if len(forms.unit(p)) >= MIN_CHARS]


def provision_overlaps(catalog: Catalog, threshold: float = 0.5, min_similarity: float = MIN_SIMILARITY,
                       template_docs: int | None = TEMPLATE_DOCS, sigs=None, forms: Forms | None = None) -> list[dict]:
    """Near-duplicate provisions across documents, rarest first: each pair weighs
    log((N + 1) / (k + 1)) for the clause met in k other documents of N (a clause two laws share
    says more than one a hundred do), and clauses recurring in more than ``template_docs``
    documents are templates, never paired. ``sigs``: the units' MinHash signatures, stored per
    source graph at ingest (queries/derived.py), else computed here."""
    forms = forms or Forms()
    units = overlap_units(catalog.documents, forms)
    if sigs is not None and len(sigs) != len(units):
        sigs = None  # not this catalog's index: compute
    found = near_duplicates([forms.unit(p) for _, p in units], threshold, min_similarity,
                            groups=[d.id for d, _ in units], max_groups=template_docs, sigs=sigs, normalised=True)
    met = defaultdict(set)
    for i, j, _ in found:
        met[i].add(units[j][0].id)
        met[j].add(units[i][0].id)
    n = len(catalog.documents)

    def weight(i):
        return math.log((n + 1) / (len(met[i]) + 1))
    out = [{"a": provision_side(*units[i]), "b": provision_side(*units[j]), "similarity": round(s, 3),
            "weight": round(min(weight(i), weight(j)), 3)} for i, j, s in found]
    out.sort(key=lambda p: (-p["weight"], -p["similarity"]))
    return out


def document_overlaps(catalog: Catalog, prov_pairs: list[dict], limit: int | None = None, offset: int = 0,
                      forms: Forms | None = None) -> tuple[list[dict], int]:
    """(document pairs that share provisions or a title, the number of overlaps): every
    duplicate and revision, with their word-level differences, then the overlaps ranked by the
    summed rarity weight of the provisions they share (``limit``/``offset``: a page of them)."""
    from .lineage import lineage_edges, same_work_groups
    forms = forms or Forms()
    shared: defaultdict[tuple, int] = defaultdict(int)
    score: defaultdict[tuple, float] = defaultdict(float)
    for pp in prov_pairs:
        key = tuple(sorted((pp["a"]["document"], pp["b"]["document"])))
        shared[key] += 1
        score[key] += pp.get("weight", 1.0)
    by_title = defaultdict(list)
    for d in catalog.documents:
        if d.title:
            by_title[norm_title(d.title)].append(d.id)
    for ids in by_title.values():
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                shared.setdefault(tuple(sorted((a, b))), 0)
    versions = {tuple(sorted((e.old, e.new))) for e in lineage_edges(catalog)}
    same = same_work_groups(catalog)

    def sim(a, b, cutoff=0.0) -> float:  # 0 below the cutoff: cheap to rule out
        return fuzz.ratio(forms.doc(catalog.by_id[a]), forms.doc(catalog.by_id[b]), score_cutoff=cutoff * 100) / 100
    kept, overlaps = [], []
    for (a, b), n in sorted(shared.items()):
        da, db = catalog.by_id[a], catalog.by_id[b]
        titled = (a, b) in versions or norm_title(da.title) == norm_title(db.title)
        if n < 2 and not titled and b not in same.get(a, ()):
            continue
        s_ab = sim(a, b, DUPLICATE)
        if s_ab >= DUPLICATE or b in same.get(a, ()):
            rel = "duplicate"
        elif titled:
            rel = "revision"
        else:
            overlaps.append((a, b, n))
            continue
        kept.append((a, b, n, rel, s_ab or sim(a, b)))
    overlaps.sort(key=lambda x: (-score[x[:2]], x[:2]))
    page = overlaps[offset:None if limit is None else offset + limit]
    lines: dict[str, Callable[[int], int | None]] = {}  # a document's line finder: in every pair it is in
    out = []
    for a, b, n, rel, s_ab in kept + [(a, b, n, "overlap", sim(a, b)) for a, b, n in page]:
        diffs = []
        if rel != "overlap":
            for d in (a, b):
                if d not in lines:
                    lines[d] = doc_lines(catalog.by_id[d])
            diffs = token_diff(doc_body(catalog.by_id[a]), doc_body(catalog.by_id[b]), lines[a], lines[b])
        out.append({"a": a, "b": b, "similarity": round(s_ab, 4), "relation": rel, "shared_provisions": n,
                    "score": round(score[(a, b)], 3),
                    "differences": [{k: d[k] for k in ("a_text", "b_text", "a_line", "b_line")} for d in diffs]})
    return out, len(overlaps)


def conflicts(catalog: Catalog, as_of, dup_pairs=(), prov_pairs=(), statuses: dict | None = None) -> list[dict]:
    """Measures for the same beneficiary and purpose, in force at the same time in different
    documents, with different amounts or conditions; restatements of one provision (near
    duplicates) naming different amounts — and what 就高/不重复 clauses say."""
    if statuses is None:  # else the documents' entries for the date, stored at ingest (queries/derived.py)
        from .status import status_map
        statuses = status_map(catalog, parse_as_of(as_of))
    smap = statuses
    skip = {tuple(sorted((d["a"], d["b"]))) for d in dup_pairs if d["relation"] == "duplicate"}
    live = {d: st["status"] for d, st in smap.items() if st["status"] in ("in_force", "partly_superseded", "unknown")}
    out = measure_conflicts(catalog, live, skip)
    seen = {tuple(sorted([(c["a"]["document"], c["a"]["provision"]), (c["b"]["document"], c["b"]["provision"])]))
            for c in out}
    provisions: dict = {}  # document id → its provisions by id, for the documents pairs name
    values: dict = {}  # id(provision) → its benefit amounts: a clause in many pairs is read once
    reports = report_types()

    def unit(key):
        if key[0] not in provisions:
            provisions[key[0]] = {p.id: p for p in catalog.by_id[key[0]].walk()}
        return catalog.by_id[key[0]], provisions[key[0]][key[1]]

    def amounts(p):
        if id(p) not in values:
            values[id(p)] = benefit_values(p)
        return values[id(p)]
    for pp in prov_pairs:
        ka, kb = (pp["a"]["document"], pp["a"]["provision"]), (pp["b"]["document"], pp["b"]["provision"])
        if ka[0] not in live or kb[0] not in live or tuple(sorted((ka[0], kb[0]))) in skip \
                or tuple(sorted([ka, kb])) in seen:
            continue
        (da, pa), (db, pb) = unit(ka), unit(kb)
        if da.doc_type in reports or db.doc_type in reports:
            continue  # a report restating a policy is an overlap, not a conflict
        va, vb = amounts(pa), amounts(pb)
        if va and vb and va != vb:
            rules = no_stacking_clauses(da) + no_stacking_clauses(db)
            later = overrides(da, db) or overrides(db, da)
            out.append({"a": provision_side(da, pa), "b": provision_side(db, pb), "beneficiary": None, "purpose": None,
                        "reason": f"相近条款（相似度 {pp['similarity']:.2f}）金额不同：{va} vs {vb} 元",
                        "a_text": pa.text, "b_text": pb.text, "no_stacking": rules,
                        "resolution": later or ("按就高/不重复原则取其一（较高者）" if rules else None)})
    return out


def overlaps_report(catalog: Catalog, as_of=None, threshold: float = 0.5,
                    min_similarity: float = MIN_SIMILARITY, limit: int | None = DEFAULT_LIMIT, offset: int = 0,
                    template_docs: int | None = TEMPLATE_DOCS, sigs=None, statuses: dict | None = None) -> OverlapsReport:
    """``policygraph overlaps --json`` (contract: overlaps.schema.json): every duplicate and
    revision, then a page (``limit``, ``offset``) of the overlapping documents and of the
    near-duplicate provisions, most telling first; ``total`` counts all of them."""
    if not 0 < threshold <= 1:
        raise ValueError(f"--threshold {threshold!r} must be in (0, 1]")
    if (limit is not None and limit < 0) or offset < 0:
        raise ValueError(f"--limit {limit!r} and --offset {offset!r} must not be negative")
    forms = Forms()
    provs = provision_overlaps(catalog, threshold, min_similarity, template_docs, sigs, forms)
    docs, n_overlaps = document_overlaps(catalog, provs, limit, offset, forms)
    n_versions = sum(d["relation"] != "overlap" for d in docs)
    page = provs[offset:None if limit is None else offset + limit]
    return {"as_of": parse_as_of(as_of).isoformat(), "threshold": threshold, "min_similarity": min_similarity,
            "template_documents": template_docs, "limit": limit, "offset": offset,
            "total": {"documents": n_versions + n_overlaps, "overlaps": n_overlaps, "provisions": len(provs)},
            "documents": cast(list[DocumentOverlap], docs), "provisions": cast(list[ProvisionOverlap], page),
            "conflicts": cast(list[Conflict], conflicts(catalog, as_of, docs, provs, statuses))}


def overlaps_for_store(store: str, as_of=None, threshold: float = 0.5, limit: int | None = DEFAULT_LIMIT,
                       offset: int = 0, sigs=None, statuses: dict | None = None) -> OverlapsReport:
    """:func:`overlaps_report` of a store's catalog (``sigs``/``statuses``: stored at ingest,
    queries/derived.py ``overlaps_for_store`` passes them)."""
    return overlaps_report(catalog_for_store(store), as_of, threshold, limit=limit, offset=offset, sigs=sigs,
                           statuses=statuses)

