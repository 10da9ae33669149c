"""Full-text search over provisions: SQLite FTS5 over character bigrams (the usual index for
Chinese: no word list to miss a term, and a query's bigrams in a row are its phrase), BM25-ranked,
filtered by status, issuer, document type and issue date, every hit with its citation.

One engine for both places an index lives: in memory for a catalog (the app, tests), and on disk
beside a store directory (queries/search_store.py), built per source graph, so a question on a
store reads only the index and the documents of the hits it shows.
"""
from __future__ import annotations

import json
import re
import sqlite3
from datetime import date
from operator import add

from .catalog import Catalog, clause_units, doc_ref, parse_as_of, prov_ref
from .contract import SearchHit, SearchResult

_RUN = re.compile(r"\w+")
_HALF_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}  # NFKC of these, 5x faster
SCHEMA = ("CREATE TABLE IF NOT EXISTS units (id INTEGER PRIMARY KEY, graph TEXT, source TEXT, doc INTEGER, "
          "unit INTEGER, doc_id TEXT, issuers TEXT, doc_type TEXT, issue_date TEXT)",
          "CREATE INDEX IF NOT EXISTS units_graph ON units (graph)",
          "CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(t, tokenize='unicode61')")


def terms(text: str) -> list[str]:
    """Index terms of a text: the character bigrams of each run of word characters (full-width
    letters and digits as ASCII, lower case); a run of one character is a term of its own.

    >>> terms("研发投入，Ｒ&D")
    ['研发', '发投', '投入', 'r', 'd']
    """
    out: list[str] = []
    for run in _RUN.findall(text.translate(_HALF_WIDTH).lower()):
        out.extend(map(add, run, run[1:]) if len(run) > 1 else (run,))
    return out


def add_documents(con: sqlite3.Connection, docs, graph: str = "", source: str = "") -> None:
    """Index the clause units of documents (in a transaction the caller holds)."""
    first = con.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM units").fetchone()[0]
    units: list[tuple] = []
    texts: list[tuple[int, str]] = []
    for k, d in enumerate(docs):
        issuers, issued = json.dumps(d.issuers, ensure_ascii=False), d.issue_date.isoformat() if d.issue_date else None
        for j, p in enumerate(clause_units(d)):
            rid = first + len(units)
            units.append((rid, graph, source, k, j, d.id, issuers, d.doc_type, issued))
            texts.append((rid, " ".join(terms(" ".join(x for x in (p.heading, p.text) if x)))))
    con.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", units)
    con.executemany("INSERT INTO fts (rowid, t) VALUES (?, ?)", texts)


def search_index(catalog: Catalog) -> sqlite3.Connection:
    """The in-memory index of a catalog (memoised); ``graph`` is empty and ``doc`` the catalog position."""
    if "search" in catalog.memo:
        return catalog.memo["search"]
    con = sqlite3.connect(":memory:", check_same_thread=False)
    for stmt in SCHEMA:
        con.execute(stmt)
    for i, d in enumerate(catalog.documents):
        add_documents(con, [d], "", f"{i:09d}")
    con.commit()
    catalog.memo["search"] = con
    return con


def _date(v) -> date | None:
    return None if v in (None, "") else v if isinstance(v, date) else date.fromisoformat(str(v))


def rank(con: sqlite3.Connection, text: str, limit: int, *, status_of=None, issuer: str | None = None,
         doc_type: str | None = None, date_from=None, date_to=None) -> tuple[int, list[tuple]]:
    """(total, the best ``limit`` hits as (graph, source, doc, unit, doc_id, score, status)): BM25
    over the query's bigrams, doubled where they stand in a row (the query as a phrase); ties in
    index order. ``status_of(doc_id)`` is the status when it passes the status filter, else None."""
    if not text or not text.strip():
        raise ValueError("search: the query is empty")
    if limit < 1:
        raise ValueError(f"search: limit {limit!r} must be at least 1")
    q = terms(text)
    if not q:
        return 0, []
    # a one-character term is also the first character of the text's bigrams ("税"*): an index of
    # bigrams alone finds a lone character everywhere but at the end of a run
    any_term = " OR ".join(f'"{t}"' + (f' OR "{t}"*' if len(t) == 1 else "") for t in dict.fromkeys(q))
    phrase = {r for (r,) in con.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (f'"{" ".join(q)}"',))}
    lo, hi = _date(date_from), _date(date_to)
    rows = []
    for rid, s, g, src, k, j, doc_id, issuers, dtype, issued in con.execute(
            "SELECT u.id, -bm25(fts), u.graph, u.source, u.doc, u.unit, u.doc_id, u.issuers, u.doc_type, u.issue_date "
            "FROM fts JOIN units u ON u.id = fts.rowid WHERE fts MATCH ?", (any_term,)):
        if issuer and not any(issuer in x for x in json.loads(issuers)):
            continue
        if doc_type and dtype != doc_type:
            continue
        day = _date(issued)
        if (lo or hi) and (not day or (lo and day < lo) or (hi and day > hi)):
            continue
        st = status_of(doc_id) if status_of else None
        if status_of and st is None:
            continue
        rows.append((round(s * (2 if rid in phrase else 1), 4), src, k, j, g, doc_id, st))
    rows.sort(key=lambda r: (-r[0], r[1], r[2], r[3]))
    return len(rows), [(g, src, k, j, doc_id, s, st) for s, src, k, j, g, doc_id, st in rows[:limit]]


def status_filter(wanted_status, lookup):
    """status_of(doc id) for ``rank``: the status when it is wanted, else None; None without a filter."""
    wanted = {wanted_status} if isinstance(wanted_status, str) else set(wanted_status or ())
    if not wanted:
        return None
    return lambda doc_id: (st if (st := lookup(doc_id)) in wanted else None)


def hit(d, p, score: float, status, text: str) -> SearchHit:
    """One search hit: score, citations of document and provision, a snippet."""
    return {"score": score, "document": doc_ref(d), "provision": prov_ref(p, text=False),
            "snippet": _snippet(p.text, text), "status": status}


def search(catalog: Catalog, text: str, limit: int = 20, *, status: str | list | None = None,
           issuer: str | None = None, doc_type: str | None = None, date_from=None, date_to=None,
           as_of=None) -> SearchResult:
    """Ranked provisions matching ``text``; ``status`` filters on the status as of ``as_of``."""
    day = parse_as_of(as_of)
    status_of = None
    if status:
        from .status import status_map
        smap = status_map(catalog, day)
        status_of = status_filter(status, lambda i: smap[i]["status"])
    total, shown = rank(search_index(catalog), text, limit, status_of=status_of, issuer=issuer, doc_type=doc_type,
                        date_from=date_from, date_to=date_to)
    hits = []
    for _, src, _, j, _, s, st in shown:
        d = catalog.documents[int(src)]
        hits.append(hit(d, clause_units(d)[j], s, st, text))
    return {"query": text, "as_of": day.isoformat(), "total": total, "hits": hits}


def _snippet(text: str, query: str, width: int = 60) -> str:
    """About ``width`` characters of a text around the query's first run found in it."""
    pos = -1
    for w in [*sorted(_RUN.findall(query), key=len, reverse=True), *terms(query)]:
        pos = text.find(w)
        if pos >= 0:
            break
    start = max(0, pos - width // 3) if pos >= 0 else 0
    return ("…" if start else "") + text[start:start + width] + ("…" if start + width < len(text) else "")
