"""Derived results kept beside an embedded store, so a question reads what it needs instead of
deriving from every document (tables in the catalog cache database, graph/catalog_cache.py):

- ``doc_status``: per document, the status entries of queries.status on every interval between
  the dates that can change them (its own dates, its validity, the dates of the lineage edges
  touching it), so any as-of date is answered by a lookup; and the date-independent details of
  the status report (lineage chain, override candidates);
- ``measures``: every measure's conditions as eligibility prepares them, with its document, so a
  profile is checked against all measures at once and only the documents of the measures it can
  meet are loaded (queries/eligibility.py then answers from those, exactly as from all).

The derivations themselves stay in queries/status.py, lineage.py and eligibility_measures.py;
queries/derived_update.py calls them once per store change (at the end of an ingest, or on the
first question after another change), only for what the changed graphs touch, and this layer
stores the results with the store's content key and reads them.
"""
from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from datetime import date
from functools import lru_cache
from importlib import resources

from graph.catalog_cache import connect, graphs_of_documents, model_loads as _load, read_entries, sync

_CODE = (("queries", "derived.py"), ("queries", "derived_update.py"), ("queries", "status.py"), ("queries", "lineage.py"),
         ("queries", "eligibility_measures.py"), ("queries", "catalog.py"), ("ingest", "model.py"))  # what they depend on
_SCHEMA = ("CREATE TABLE IF NOT EXISTS derived (k TEXT PRIMARY KEY, v BLOB)",
           "CREATE TABLE IF NOT EXISTS doc_status (id TEXT PRIMARY KEY, pos INTEGER, timeline BLOB, details BLOB, dep BLOB)",
           "CREATE TABLE IF NOT EXISTS clause_sigs (graph TEXT PRIMARY KEY, digest TEXT, source TEXT, sigs BLOB)")


@lru_cache(maxsize=1)
def _version() -> str:
    """The code and rules the derived tables are made with: tables of others are made afresh
    (the update keeps only unchanged graphs' parts, so a changed rule must show here)."""
    from ingest.resources import data_file
    h = hashlib.sha256()
    for package, name in _CODE:
        h.update(resources.files(package).joinpath(name).read_bytes())
    for f in sorted(data_file("rules").iterdir(), key=lambda f: f.name):
        if f.name.endswith(".yaml"):
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def at(timeline: list[tuple[int, dict]], day: date) -> dict:
    """The entry of a timeline for a date."""
    return timeline[max(0, bisect_right([o for o, _ in timeline], day.toordinal()) - 1)][1]


def refresh(spec: str, force: bool = False) -> bool:
    """Bring the derived tables of a store directory up to date (after an ingest, or the first
    question after another change) — only what the changed graphs touch (queries/derived_update.py);
    ``force``: everything again. False when the cache cannot be written (then questions derive in
    memory, as before)."""
    from .derived_update import update
    _, con, entries = sync(spec)
    if con is None:
        return False
    try:
        if _stored(con, 'version') != _version():  # tables of other code: made afresh
            for table in ("doc_status", "graph_parts", "overrides", "derived"):
                con.execute(f"DROP TABLE IF EXISTS {table}")
            for stmt in _SCHEMA:
                con.execute(stmt)
            con.execute("INSERT OR REPLACE INTO derived VALUES ('version', ?)", (_version(),))
        want = _want(_content_key(con))  # the graphs and their digests: a copied or compacted store keeps it
        if not force and _stored(con, 'stamp') == want:
            return True
        update(con, force)
        con.execute("INSERT OR REPLACE INTO derived VALUES ('stamp', ?)", (want,))
        return True
    finally:
        con.close()


def clause_signatures(spec: str):
    """The stored MinHash signatures of the store's overlap units, in catalog order (uint64), or
    None (remote or unwritable store, or none stored)."""
    import io
    import numpy as np
    con = _open(spec)
    if con is None:
        return None
    try:
        parts = [np.load(io.BytesIO(b), allow_pickle=False)
                 for (b,) in con.execute("SELECT sigs FROM clause_sigs ORDER BY source")]
    finally:
        con.close()
    parts = [p for p in parts if p.size]
    return np.concatenate(parts).astype(np.uint64) if parts else None


def derive_after_ingest(spec: str, summary: dict) -> None:
    """Store the derived results of an embedded store just ingested into (``derived_seconds``)."""
    from graph.ingesting import after_ingest
    after_ingest(spec, summary, "derived_seconds", refresh, "derived results")


def _content_key(con) -> str:
    """A digest of every cached graph's content digest: what the derived results depend on."""
    h = hashlib.sha256()
    for g, d in con.execute("SELECT graph, digest FROM graphs ORDER BY graph"):
        h.update(f"{g}\0{d}\n".encode())
    return h.hexdigest()


def _want(key) -> bytes:
    return json.dumps([_version(), key]).encode()


def _stored(con, key: str):
    """A value of the ``derived`` table ('version': the code that made the tables; 'stamp': the
    code and content they are of), or None."""
    try:
        row = con.execute("SELECT v FROM derived WHERE k = ?", (key,)).fetchone()
    except Exception:  # noqa: BLE001 — no table yet
        return None
    return row[0] if row else None


def _open(spec: str):
    """A cache connection whose derived tables match the store, or None (remote, unwritable)."""
    if str(spec).startswith(("sparql+http://", "sparql+https://")) or not refresh(str(spec)):
        return None
    return connect(str(spec))


def status_report(spec: str, day: date) -> dict | None:
    """``status --json`` for every document from the derived tables; None when there are none."""
    con = _open(spec)
    if con is None:
        return None
    try:
        docs = [dict(at(_load(tl), day), **_load(det))
                for tl, det in con.execute("SELECT timeline, details FROM doc_status ORDER BY pos")]
    finally:
        con.close()
    return {"as_of": day.isoformat(), "documents": docs}


def stored_statuses(spec: str, day: date) -> dict[str, dict] | None:
    """id → status entry for a date of every document, from the derived tables; None when there are none."""
    con = _open(spec)
    if con is None:
        return None
    try:
        return {i: at(_load(tl), day) for i, tl in con.execute("SELECT id, timeline FROM doc_status")}
    finally:
        con.close()


def statuses(con, ids, day: date) -> dict[str, dict]:
    """id → status entry for a date, for the documents named."""
    ids, out = list(ids), {}
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        for doc_id, tl in con.execute(f"SELECT id, timeline FROM doc_status WHERE id IN ({','.join('?' * len(part))})",
                                      part):
            out[doc_id] = at(_load(tl), day)
    return out


def candidates(spec: str, norm: dict, everything: bool) -> tuple | None:
    """(catalog of the documents with a measure the normalised profile does not fail — or with
    any measure, ``everything`` —, their status timelines' connection) from the derived tables;
    None when there are none (remote or unwritable store: the caller uses the whole catalog)."""
    from .catalog import build_catalog
    from .formula import ConditionTable
    con = _open(spec)
    if con is None:
        return None
    try:
        m = _load(con.execute("SELECT v FROM derived WHERE k = 'measures'").fetchone()[0])
        ids = m["ids"]
        if everything:
            keep = sorted(set(m["doc"]))
        else:
            states = ConditionTable(m["conditions"]).states(norm)
            keep = sorted({d for d, s in zip(m["doc"], states.tolist()) if s < 2})
        want = [ids[k] for k in keep]
        entries = read_entries(con, graphs_of_documents(con, want))
    except Exception:
        con.close()
        raise
    by_id = {d.id: d for _, _, docs in entries.values() for d in docs}
    return build_catalog(by_id[i] for i in want if i in by_id), con


def status_for_store(store: str, as_of=None, document: str | None = None):
    """``status --json``: every document from the stored timelines, else (one document, or
    nothing stored) queries.status deriving it."""
    from .catalog import parse_as_of
    if document is None:
        report = status_report(store, parse_as_of(as_of))
        if report is not None:
            return report
    from .status import status_for_store as derive_status  # numpy and the lineage derivation: only here
    return derive_status(store, as_of, document)


def overlaps_for_store(store: str, as_of=None, threshold: float = 0.5, limit: int | None = 100, offset: int = 0):
    """``overlaps --json`` with the stored clause signatures and statuses (when there are)."""
    from .catalog import parse_as_of
    from .overlaps import overlaps_for_store as overlaps_of
    return overlaps_of(store, as_of, threshold, limit, offset, sigs=clause_signatures(store),
                       statuses=stored_statuses(store, parse_as_of(as_of)))
