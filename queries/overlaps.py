"""Overlaps and conflicts: duplicate documents, near-duplicate provisions, competing measures.

Near-duplicate provisions come from queries/neardup.py (MinHash + LSH + rapidfuzz, linear in
the number of clauses); word-level differences and provision alignment from queries/diffing.py.
"""
from __future__ import annotations

from collections import defaultdict
from typing import cast

from rapidfuzz import fuzz

from ingest.meta import report_types

from .catalog import (Catalog, benefit_values, catalog_for_store, clause_units, doc_text, no_stacking_clauses,
                      norm_title, parse_as_of)
from .neardup import DUPLICATE, MIN_CHARS, MIN_SIMILARITY, match_form, near_duplicates
from .conflicts import measure_conflicts, overrides
from .contract import Conflict, DocumentOverlap, OverlapsReport, ProvisionOverlap
from .diffing import provision_side, token_diff


# ---- the report ---------------------------------------------------------------------------------

def provision_overlaps(catalog: Catalog, threshold: float = 0.5, min_similarity: float = MIN_SIMILARITY) -> list[dict]:
    """Near-duplicate provisions across documents."""
    units = [(d, p) for d in catalog.documents for p in clause_units(d) if len(match_form(p.text)) >= MIN_CHARS]
    found = near_duplicates([p.text for _, p in units], threshold, min_similarity, groups=[d.id for d, _ in units])
    return [{"a": provision_side(*units[i]), "b": provision_side(*units[j]), "similarity": round(s, 3)} for i, j, s in found]


def document_overlaps(catalog: Catalog, prov_pairs: list[dict]) -> list[dict]:
    """Document pairs that share provisions or a title: duplicate, revision or overlap, with
    the word-level differences of duplicates and revisions."""
    from .lineage import lineage_edges, same_work_groups
    shared: defaultdict[tuple, int] = defaultdict(int)
    for pp in prov_pairs:
        shared[tuple(sorted((pp["a"]["document"], pp["b"]["document"])))] += 1
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
    out = []
    for (a, b), n in sorted(shared.items()):
        da, db = catalog.by_id[a], catalog.by_id[b]
        ta, ma = doc_text(da)
        tb, mb = doc_text(db)
        sim = fuzz.ratio(match_form(ta), match_form(tb)) / 100
        if sim >= DUPLICATE or b in same.get(a, ()):
            rel = "duplicate"
        elif (a, b) in versions or norm_title(da.title) == norm_title(db.title):
            rel = "revision"
        elif n >= 2:
            rel = "overlap"
        else:
            continue
        diffs = token_diff(ta, tb, ma, mb) if rel != "overlap" else []
        out.append({"a": a, "b": b, "similarity": round(sim, 4), "relation": rel, "shared_provisions": n,
                    "differences": [{k: d[k] for k in ("a_text", "b_text", "a_line", "b_line")} for d in diffs]})
    return out


def conflicts(catalog: Catalog, as_of, dup_pairs=(), prov_pairs=()) -> list[dict]:
    """Measures for the same beneficiary and purpose, in force at the same time in different
    documents, with different amounts or conditions; restatements of one provision (near
    duplicates) naming different amounts — and what 就高/不重复 clauses say."""
    from .status import status_map
    smap = status_map(catalog, parse_as_of(as_of))
    skip = {tuple(sorted((d["a"], d["b"]))) for d in dup_pairs if d["relation"] == "duplicate"}
    live = {d: st["status"] for d, st in smap.items() if st["status"] in ("in_force", "partly_superseded", "unknown")}
    out = measure_conflicts(catalog, live, skip)
    seen = {tuple(sorted([(c["a"]["document"], c["a"]["provision"]), (c["b"]["document"], c["b"]["provision"])]))
            for c in out}
    units = {(d.id, p.id): (d, p) for d in catalog.documents for p in d.walk()}
    for pp in prov_pairs:
        ka, kb = (pp["a"]["document"], pp["a"]["provision"]), (pp["b"]["document"], pp["b"]["provision"])
        if ka[0] not in live or kb[0] not in live or tuple(sorted((ka[0], kb[0]))) in skip \
                or tuple(sorted([ka, kb])) in seen:
            continue
        (da, pa), (db, pb) = units[ka], units[kb]
        if da.doc_type in report_types() or db.doc_type in report_types():
            continue  # a report restating a policy is an overlap, not a conflict
        va, vb = benefit_values(pa), benefit_values(pb)
        if va and vb and va != vb:
            rules = no_stacking_clauses(da) + no_stacking_clauses(db)
            later = overrides(da, db) or overrides(db, da)
            out.append({"a": provision_side(da, pa), "b": provision_side(db, pb), "beneficiary": None, "purpose": None,
                        "reason": f"相近条款（相似度 {pp['similarity']:.2f}）金额不同：{va} vs {vb} 元",
                        "a_text": pa.text, "b_text": pb.text, "no_stacking": rules,
                        "resolution": later or ("按就高/不重复原则取其一（较高者）" if rules else None)})
    return out


def overlaps_report(catalog: Catalog, as_of=None, threshold: float = 0.5,
                    min_similarity: float = MIN_SIMILARITY) -> OverlapsReport:
    """``policygraph overlaps --json`` (contract: overlaps.schema.json)."""
    if not 0 < threshold <= 1:
        raise ValueError(f"--threshold {threshold!r} must be in (0, 1]")
    provs = provision_overlaps(catalog, threshold, min_similarity)
    docs = document_overlaps(catalog, provs)
    return {"as_of": parse_as_of(as_of).isoformat(), "threshold": threshold, "min_similarity": min_similarity,
            "documents": cast(list[DocumentOverlap], docs), "provisions": cast(list[ProvisionOverlap], provs),
            "conflicts": cast(list[Conflict], conflicts(catalog, as_of, docs, provs))}


def overlaps_for_store(store: str, as_of=None, threshold: float = 0.5) -> OverlapsReport:
    return overlaps_report(catalog_for_store(store), as_of, threshold)
