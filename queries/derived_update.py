"""The derived tables (queries/derived.py) kept up to date per ingested graph, never rebuilt from
every document:

- per source graph, keyed by its content digest (``graph_parts``, ``clause_sigs``): the documents'
  headers (a document without its provisions: what lineage and status read), each document's
  measure conditions, the clauses' MinHash signatures — computed only for new or changed graphs;
- lineage edges over the headers of the whole store (cheap: titles, 文号, dates, lineage
  sentences; full texts only for the few same-title pairs that may be copies of one work);
- a document's status timeline only when what it depends on changed (its header, the edges
  touching it, its partners' titles, its copies, its borrowed validity: ``doc_status.dep``);
- override candidates (``overrides``) only for overriding documents that changed or share an
  issuer or region with a changed document, from those documents and their related ones alone.

The result is the same as deriving from the whole catalog (tests/test_derived_update.py).
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date, timedelta

from graph.catalog_cache import cached_digests, model_dumps as _dump, model_loads as _load, read_entries

from .catalog import Catalog, build_catalog

TABLES = ("CREATE TABLE IF NOT EXISTS graph_parts (graph TEXT PRIMARY KEY, digest TEXT, heads BLOB, measures BLOB)",
          "CREATE TABLE IF NOT EXISTS overrides (id TEXT PRIMARY KEY, cands BLOB)")
_BATCH = 200  # graphs read at once: bounds the memory of the per-graph pass


# ---- status on every interval ---------------------------------------------------------------------

def _dates_of(entry: dict, doc) -> set[date]:
    """Dates that can change a document's status: its own, its validity's, its revisions', the
    last day before it is presumed in force (queries.lineage.presumption)."""
    from .lineage import presumption
    out = {doc.issue_date, doc.validity.start, doc.validity.end, *(r.date for r in doc.revisions)}
    for k in ("effective_start", "effective_end", "issue_date"):
        if entry.get(k):
            out.add(date.fromisoformat(entry[k]))
    presumed = presumption(doc)
    if presumed:
        out.add(presumed[0] + timedelta(days=presumed[1]))
    return {d for d in out if isinstance(d, date)}


def status_timeline(catalog: Catalog, doc, edge_dates: set[date]) -> list[tuple[int, dict]]:
    """[(first day as an ordinal, status entry)] of a document: queries.status.document_status
    evaluated on each interval between the dates that can change it (each date and the day
    after, since comparisons are strict or not), consecutive equal entries merged."""
    from .status import document_status
    late = document_status(catalog, doc, date.max)
    points = set()
    for d in _dates_of(late, doc) | edge_dates:
        points.add(d)
        if d < date.max:
            points.add(d + timedelta(days=1))
    out: list[tuple[int, dict]] = []
    for d in [date.min, *sorted(points)]:
        entry = late if d == date.max else document_status(catalog, doc, d)
        if not out or out[-1][1] != entry:
            out.append((d.toordinal(), entry))
    return out


def edge_dates(olds: dict, news: dict, doc_id: str) -> set[date]:
    """The dates of the lineage edges touching a document (edges by old and by new document)."""
    return {e.since for e in (*olds.get(doc_id, ()), *news.get(doc_id, ())) if e.since}


# ---- per graph ------------------------------------------------------------------------------------

def graph_measures(docs) -> list[list[tuple]]:
    """Per document of a graph, its measures' prepared conditions (queries/eligibility_measures.py:
    a measure's conditions depend on its own document only)."""
    from .eligibility_measures import prepared_measures
    cat = build_catalog(docs)
    at = {id(d): k for k, d in enumerate(cat.documents)}
    out: list[list[tuple]] = [[] for _ in cat.documents]
    for pm in prepared_measures(cat):
        out[at[id(pm["doc"])]].append(tuple(pm["conditions"]))
    return out


def _graph_pass(con, stale: list[str], unsigned: set[str], gone: list[str]) -> None:
    """Headers and measure conditions of the new or changed graphs (``stale``), clause signatures
    of those whose stored ones are not of their content (``unsigned``: new or changed graphs, not
    a change of this code)."""
    import numpy as np
    from .neardup import match_form, minhash_signatures
    from .overlaps import overlap_units
    for i in range(0, len(stale), _BATCH):
        parts, sigs = [], []
        for g, (d, k, docs) in read_entries(con, stale[i:i + _BATCH]).items():
            heads = [replace(x, provisions=()) for x in docs]
            parts.append((g, d, _dump(heads), _dump(graph_measures(docs))))
            if g not in unsigned:
                continue
            forms = [match_form(p.text) for _, p in overlap_units(docs)]
            s = minhash_signatures(forms).astype(np.uint32) if forms else np.zeros((0, 0), np.uint32)
            sigs.append((g, d, k, _array_bytes(s)))
        con.execute("BEGIN IMMEDIATE")
        con.executemany("INSERT OR REPLACE INTO graph_parts VALUES (?, ?, ?, ?)", parts)
        con.executemany("INSERT OR REPLACE INTO clause_sigs VALUES (?, ?, ?, ?)", sigs)
        con.execute("COMMIT")
    con.execute("BEGIN IMMEDIATE")
    for table in ("graph_parts", "clause_sigs"):
        con.executemany(f"DELETE FROM {table} WHERE graph = ?", [(g,) for g in gone])
    con.execute("COMMIT")


def _array_bytes(a) -> bytes:
    import io
    import numpy as np
    f = io.BytesIO()
    np.save(f, a, allow_pickle=False)
    return f.getvalue()


def _heads(con, graphs) -> list:
    graphs, out = list(graphs), []
    for i in range(0, len(graphs), 500):
        part = graphs[i:i + 500]
        out += [h for (b,) in con.execute(f"SELECT heads FROM graph_parts WHERE graph IN ({','.join('?' * len(part))})",
                                          part) for h in _load(b)]
    return out


class _Store:
    """The headers of every document as a catalog (catalog order and ids, as
    queries.catalog.catalog_for_store makes them), with where each document's full form is."""

    def __init__(self, con, digests: dict):
        rows = {g: (h, m) for g, h, m in con.execute("SELECT graph, heads, measures FROM graph_parts")}
        order = sorted(digests, key=lambda g: digests[g][1])  # graph.catalog_cache.documents_in_order
        heads, self.place, self.measures = [], [], []
        for g in order:
            hs, ms = _load(rows[g][0]), _load(rows[g][1])
            heads += hs
            self.place += [(g, k) for k in range(len(hs))]
            self.measures += ms
        self.catalog = build_catalog(heads)
        self.digests = digests
        self.where = {d.id: p for d, p in zip(self.catalog.documents, self.place)}
        self.con = con

    def full(self, ids) -> dict:
        """id → the full document (with its catalog id) of the documents named."""
        want = {i: self.where[i] for i in ids}
        entries = read_entries(self.con, {g for g, _ in want.values()})
        return {i: replace(entries[g][2][k], id=i) for i, (g, k) in want.items()}


# ---- the update -----------------------------------------------------------------------------------

def update(con, force: bool = False) -> None:
    """Bring doc_status, overrides, graph_parts, clause_sigs and the measure table in line with
    the cached graphs; ``force``: recompute everything."""
    from .lineage import edges_by_document
    from .status import displaced_by, overriding
    for stmt in TABLES:
        con.execute(stmt)
    if force:
        for table in ("graph_parts", "overrides", "doc_status", "clause_sigs"):
            con.execute(f"DELETE FROM {table}")
    digests = cached_digests(con)
    have = dict(con.execute("SELECT graph, digest FROM graph_parts"))
    sigs = dict(con.execute("SELECT graph, digest FROM clause_sigs"))
    unsigned = {g for g, (d, _) in digests.items() if d is None or sigs.get(g) != d}
    stale = [g for g, (d, _) in digests.items() if d is None or have.get(g) != d or g in unsigned]
    gone = sorted((set(have) | set(sigs)) - set(digests))
    changed = _heads(con, stale + gone)  # the documents as they were
    _graph_pass(con, stale, unsigned, gone)
    st = _Store(con, digests)
    cat = st.catalog
    stored = {i: (pos, dep, det) for i, pos, dep, det in con.execute("SELECT id, pos, dep, details FROM doc_status")}
    fresh = {d.id for d in cat.documents if d.id not in stored}  # new ones, and any whose id changed
    stale_set = set(stale)
    changed += [d for d in cat.documents if d.id in fresh or st.where[d.id][0] in stale_set]
    cat.memo["same_work"] = _same_work(st)
    olds, news = edges_by_document(cat)
    cands = _override_candidates(st, overriding(cat), {d.id for d in changed}, changed)
    displaced = displaced_by(cands)
    rows, moved, details = [], [], []
    for pos, d in enumerate(cat.documents):
        dep = _dependencies(st, d, olds, news)
        old = stored.get(d.id)
        det = _details(cat, d, cands, displaced)
        if old is None or old[1] != dep:
            rows.append((d.id, pos, _dump(status_timeline(cat, d, edge_dates(olds, news, d.id))), _dump(det), dep))
            continue
        if old[0] != pos:
            moved.append((pos, d.id))
        if _load(old[2]) != det:
            details.append((_dump(det), d.id))
    con.execute("BEGIN IMMEDIATE")
    con.executemany("DELETE FROM doc_status WHERE id = ?", [(i,) for i in set(stored) - set(cat.by_id)])
    con.executemany("INSERT OR REPLACE INTO doc_status VALUES (?, ?, ?, ?, ?)", rows)
    con.executemany("UPDATE doc_status SET pos = ? WHERE id = ?", moved)
    con.executemany("UPDATE doc_status SET details = ? WHERE id = ?", details)
    con.execute("INSERT OR REPLACE INTO derived VALUES ('measures', ?)", (_dump(_measure_table(st)),))
    con.execute("COMMIT")


def _dependencies(st: _Store, d, olds: dict, news: dict) -> bytes:
    """A digest of everything queries.status.document_status reads for a document: its header
    (its graph's content digest, its place there, its id), the edges touching it, the titles of
    the documents displacing it, its copies, its (possibly borrowed) validity, and what its
    lineage sentences resolve to."""
    from .lineage import effective_validity, resolve_target
    cat, (g, k) = st.catalog, st.where[d.id]
    by = olds.get(d.id, [])
    key = (st.digests[g][0] or object(), k, d.id, by, news.get(d.id, []), [cat.by_id[e.new].title for e in by],
           cat.memo["same_work"].get(d.id), effective_validity(cat, d),
           [[t.id for t in resolve_target(cat, x.target_title, x.target_doc_number, d.id)] for x in d.lineage])
    return hashlib.sha256(repr(key).encode()).digest()


def _details(cat: Catalog, d, cands: dict, displaced: dict) -> dict:
    from .lineage import lineage_chain
    from .status import details
    return details({}, lineage_chain(cat, d.id), cands.get(d.id, []), displaced.get(d.id))


def _same_work(st: _Store) -> dict[str, list[str]]:
    """queries.lineage.same_work_groups over the headers: texts read only for candidate pairs."""
    from .lineage import same_work_of, same_work_pairs, work_text
    pairs = same_work_pairs(st.catalog.documents)
    full = st.full({x.id for pair in pairs for x in pair})
    texts = {i: work_text(x) for i, x in full.items()}
    return same_work_of(pairs, lambda h: texts[h.id])


def _override_candidates(st: _Store, overriders: list, changed_ids: set[str], changed: list) -> dict[str, list]:
    """Overriding document id → its override candidates (catalog order), recomputed for those that
    changed or share an issuer or region with a changed document, from a catalog of just them and
    the documents sharing an issuer or region with them (all that queries.status looks at)."""
    from .status import override_candidates
    con = st.con
    stored = {i: b for i, b in con.execute("SELECT id, cands FROM overrides")}
    issuers = {i for d in changed for i in d.issuers}
    regions = {d.region for d in changed if d.region}
    redo = [x for x in overriders if x.id not in stored or x.id in changed_ids
            or set(x.issuers) & issuers or x.region in regions]
    new: dict[str, list] = {}
    if redo:
        near_i = {i for x in redo for i in x.issuers}
        near_r = {x.region for x in redo if x.region}
        ids = [d.id for d in st.catalog.documents
               if set(d.issuers) & near_i or (d.region and d.region in near_r) or d.id in {x.id for x in redo}]
        full = st.full(ids)
        sub = build_catalog(full[i] for i in ids)
        new = {x.id: override_candidates(sub, sub.by_id[x.id]) for x in redo}
    out = {x.id: new[x.id] if x.id in new else _load(stored[x.id]) for x in overriders}
    con.execute("BEGIN IMMEDIATE")
    con.executemany("DELETE FROM overrides WHERE id = ?", [(i,) for i in set(stored) - set(out)])
    con.executemany("INSERT OR REPLACE INTO overrides VALUES (?, ?)", [(i, _dump(c)) for i, c in new.items()])
    con.execute("COMMIT")
    return out


def _measure_table(st: _Store) -> dict:
    """Every measure's prepared conditions and its document (an index into ``ids``: the
    documents with measures, in catalog order)."""
    conditions: list[tuple] = []
    doc: list[int] = []
    ids: list[str] = []
    for d, per in zip(st.catalog.documents, st.measures):
        if per:
            ids.append(d.id)
            conditions += per
            doc += [len(ids) - 1] * len(per)
    return {"conditions": conditions, "doc": doc, "ids": ids}
