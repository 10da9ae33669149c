"""The search index of a store directory, kept beside it (``policygraph-search.sqlite``) and
brought up to date per source graph: graphs whose content digest in the catalog cache
(graph/catalog_cache.py) is new or changed are indexed again, graphs gone are dropped. A question
reads the index and loads only the documents of the hits it shows; the answer equals
``search(catalog_for_store(store), …)`` (tests/test_search.py).
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graph.catalog_cache import cached_digests, read_entries, sync
from .catalog import catalog_for_store, clause_units, parse_as_of
from .contract import SearchResult
from .search import SCHEMA, add_documents, hit, rank, search, status_filter

INDEX_NAME = "policygraph-search.sqlite"  # "policygraph*" files in a store directory are ours, not data
_BATCH = 100  # graphs decoded at a time: memory stays bounded whatever the store's size


def open_index(spec: str) -> sqlite3.Connection | None:
    """The index database of a store directory (created if missing), or None when it cannot be written."""
    try:
        con = sqlite3.connect(Path(spec) / INDEX_NAME, timeout=30, isolation_level=None)
        for stmt in (*SCHEMA, "CREATE TABLE IF NOT EXISTS graphs (graph TEXT PRIMARY KEY, digest TEXT)"):
            con.execute(stmt)
        return con
    except sqlite3.Error:
        return None


def update_index(con: sqlite3.Connection, cache: sqlite3.Connection) -> int:
    """Index the cached graphs that are new or changed, drop those gone: the number indexed."""
    digests = cached_digests(cache)

    def changes() -> tuple[list[str], list[str]]:
        have = dict(con.execute("SELECT graph, digest FROM graphs"))
        stale = [g for g, (d, _) in digests.items() if d is None or have.get(g) != d]
        return stale, [g for g in have if g not in digests or g in stale]

    stale, gone = changes()
    if not stale and not gone:
        return 0
    con.execute("BEGIN IMMEDIATE")
    try:
        stale, gone = changes()  # again under the lock: another process may have just indexed them
        for g in gone:
            ids = [r for (r,) in con.execute("SELECT id FROM units WHERE graph = ?", (g,))]
            con.executemany("DELETE FROM fts WHERE rowid = ?", ((i,) for i in ids))
            con.execute("DELETE FROM units WHERE graph = ?", (g,))
            con.execute("DELETE FROM graphs WHERE graph = ?", (g,))
        for i in range(0, len(stale), _BATCH):
            for g, (d, key, docs) in read_entries(cache, stale[i:i + _BATCH]).items():
                add_documents(con, docs, g, key)
                con.execute("INSERT INTO graphs VALUES (?, ?)", (g, d))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(stale)


@contextmanager
def up_to_date_index(spec: str) -> Iterator[tuple[sqlite3.Connection, sqlite3.Connection] | None]:
    """(the index brought up to date, the catalog cache) of a store directory, both closed after;
    None for a remote store or one whose cache or index cannot be written."""
    from graph.store_base import is_remote
    if is_remote(str(spec)):
        yield None
        return
    _, cache, _ = sync(str(spec))
    if cache is None:
        yield None
        return
    con = open_index(str(spec))
    try:
        if con is None:
            yield None
        else:
            update_index(con, cache)
            yield con, cache
    finally:
        cache.close()
        if con is not None:
            con.close()


def index_store(spec: str) -> None:
    """Bring the index of a store directory up to date (after an ingest)."""
    with up_to_date_index(spec):
        pass


def search_stored(store: str, text: str, limit: int = 20, *, status=None, issuer=None, doc_type=None,
                  date_from=None, date_to=None, as_of=None) -> SearchResult | None:
    """``search`` answered from the index beside a store directory; None for a remote store or one
    whose cache or index cannot be written (the caller searches the catalog)."""
    day = parse_as_of(as_of)
    status_of = None
    if status:
        from .derived import stored_statuses
        smap = stored_statuses(str(store), day)
        if smap is None:
            return None
        status_of = status_filter(status, lambda i: smap[i]["status"] if i in smap else None)
    with up_to_date_index(store) as opened:
        if opened is None:
            return None
        con, cache = opened
        total, shown = rank(con, text, limit, status_of=status_of, issuer=issuer, doc_type=doc_type,
                            date_from=date_from, date_to=date_to)
        entries = read_entries(cache, {g for g, *_ in shown})
    hits = []
    for g, _, k, j, _, s, st in shown:
        d = entries[g][2][k]
        hits.append(hit(d, clause_units(d)[j], s, st, text))
    return {"query": text, "as_of": day.isoformat(), "total": total, "hits": hits}


def index_after_ingest(spec: str, summary: dict) -> None:
    """Bring the search index of a store just ingested into up to date (``search_index_seconds``)."""
    from graph.ingesting import after_ingest
    after_ingest(spec, summary, "search_index_seconds", index_store, "search index")


def search_for_store(store: str, text: str, limit: int = 20, **filters) -> SearchResult:
    """``search`` on a store: from the index kept beside a store directory, else (remote store,
    or its cache or index cannot be written) from its catalog."""
    found = search_stored(store, text, limit, **filters)
    return found if found is not None else search(catalog_for_store(store), text, limit, **filters)
