"""The catalog's disk cache beside an embedded store: ``policygraph-catalog.sqlite`` holds every
source graph's documents (pickled) with the graph's content digest, one row a graph, so a new
process reads them instead of decoding the graph, a question can read just the graphs it needs,
ingest writes the rows of the files it parsed (no decoding at all), and after any other change
only the changed graphs are decoded again. Tables of derived results live beside (queries/derived.py).
"""
from __future__ import annotations

import hashlib
import io
import json
import pickle
import sqlite3
import sys
from collections.abc import Iterable
from dataclasses import fields, is_dataclass, replace
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ingest.model import Document

CACHE_NAME = "policygraph-catalog.sqlite"  # beside RocksDB's files; "policygraph*" is ours, not data
_NOT_DATA = ("LOG", "LOCK", "policygraph")  # RocksDB's info logs and lock, our lock and cache files
_CACHE_FORMAT = 4  # 2: entries per source graph with content digests; 3: objects as cls(*values); 4: SQLite rows
_CACHE_CODE = (("ingest", "model.py"), ("graph", "load.py"), ("graph", "catalog_cache.py"))  # what the pickled documents' shape depends on


def store_fingerprint(spec: str, store=None):
    """Something that changes when the store changes: names, sizes and mtimes of a store
    directory's data files (not its lock, log or catalog cache files), else a remote store's
    triple count."""
    p = Path(spec)
    if p.is_dir():
        h = hashlib.sha256()
        for f in sorted(p.rglob("*")):
            try:
                if f.is_file() and not f.name.startswith(_NOT_DATA):
                    s = f.stat()
                    h.update(f"{f.relative_to(p)}\0{s.st_size}\0{s.st_mtime_ns}\n".encode())
            except FileNotFoundError:  # removed by a compaction as we looked: count it as a change
                h.update(f"{f.relative_to(p)}\0gone\n".encode())
        return ("dir", h.hexdigest())
    count = getattr(store, "count", None)
    if callable(count):
        return ("count", count())
    return None  # unknown: never reuse


@lru_cache(maxsize=1)
def _code_version() -> str:
    """Digest of the model and loader sources: a cache written by other code is not reused."""
    h = hashlib.sha256(f"{_CACHE_FORMAT} {sys.version_info[:2]}".encode())
    for package, name in _CACHE_CODE:
        h.update(resources.files(package).joinpath(name).read_bytes())
    return h.hexdigest()


class _ModelUnpickler(pickle.Unpickler):
    """Unpickles only the frozen model and dates, so a planted cache file cannot run code."""

    def find_class(self, module: str, name: str):
        import ingest.model
        cls = getattr(ingest.model, name, None) if module == "ingest.model" else None
        if is_dataclass(cls) and isinstance(cls, type) and cls.__module__ == module:  # not its imports
            return cls
        if (module, name) == ("datetime", "date"):
            return date
        raise pickle.UnpicklingError(f"{module}.{name} is not part of the model")


class _ModelPickler(pickle.Pickler):
    """Pickles a model object as ``cls(*field values)``: the default path for slotted dataclasses
    calls ``dataclasses.fields`` per object (8.7 of 11 s writing a 10k-document cache)."""

    _names: dict[type, tuple[str, ...]] = {}

    def reducer_override(self, obj):
        cls = type(obj)
        names = self._names.get(cls)
        if names is None:
            if not (is_dataclass(cls) and cls.__module__ == "ingest.model"):
                return NotImplemented
            names = self._names[cls] = tuple(f.name for f in fields(cls))
        return cls, tuple(getattr(obj, n) for n in names)


# graph → (content digest, source key, its documents)
Entries = dict[str, tuple[str | None, str, list[Document]]]
_SCHEMA = ("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)",
           "CREATE TABLE IF NOT EXISTS graphs (graph TEXT PRIMARY KEY, digest TEXT, source TEXT, docs BLOB)",
           # region: where the document applies (issue date, type for lookups to come; a jurisdiction
           # code set, when the model has one, goes in ``jurisdiction`` as JSON)
           "CREATE TABLE IF NOT EXISTS documents (id TEXT PRIMARY KEY, graph TEXT, source TEXT, pos INTEGER, "
           "region TEXT, jurisdiction TEXT, issue_date TEXT, doc_type TEXT)",
           "CREATE INDEX IF NOT EXISTS documents_region ON documents (region)")


def as_stored(docs) -> list[Document]:
    """Documents as the store gives them back (graph/load.py): without ``Provision.line_map``."""
    def strip(p):
        return replace(p, line_map=(), children=tuple(strip(c) for c in p.children)) if p.line_map or p.children else p
    return [replace(d, provisions=tuple(strip(p) for p in d.provisions)) for d in docs]


def model_dumps(obj) -> bytes:
    """Model objects, dates and plain values as bytes (:func:`model_loads` reads them back)."""
    f = io.BytesIO()
    _ModelPickler(f, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return f.getvalue()


def model_loads(blob: bytes):
    """What :func:`model_dumps` wrote; refuses any class but the model's and ``date``."""
    return _ModelUnpickler(io.BytesIO(blob)).load()


def documents_blob(docs: list[Document]) -> bytes:
    """One graph's documents as the cache stores them (also made by ingest workers, from
    :func:`as_stored` documents)."""
    return model_dumps(list(docs))


def documents_of_blob(blob: bytes) -> list[Document]:
    """The documents of a row; UnpicklingError (or any) when damaged or not ours."""
    docs = model_loads(blob)
    if not (isinstance(docs, list) and all(isinstance(d, Document) for d in docs)):
        raise pickle.UnpicklingError("not a list of documents")
    return docs


def connect(spec: str, write: bool = False) -> sqlite3.Connection | None:
    """The cache database of a store directory, checked to be this code's (a foreign or damaged
    one is emptied when writing, ignored when reading); None when there is none or it cannot be
    opened (for writing: created)."""
    path = Path(spec) / CACHE_NAME
    if not write and not path.is_file():
        return None
    try:
        con = sqlite3.connect(path, timeout=30, isolation_level=None)
        try:
            ok = _is_ours(con)
            if not ok and write:
                path_tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
                for t in path_tables:
                    con.execute(f'DROP TABLE IF EXISTS "{t}"')
                for stmt in _SCHEMA:
                    con.execute(stmt)
                con.execute("INSERT OR REPLACE INTO meta VALUES ('code', ?)", (_code_version(),))
                ok = True
            if ok:
                return con
        except sqlite3.DatabaseError:
            if write:  # not a database at all: start afresh
                con.close()
                path.unlink(missing_ok=True)
                return connect(spec, write)
        con.close()
    except (OSError, sqlite3.Error):
        pass
    return None


def _is_ours(con: sqlite3.Connection) -> bool:
    try:
        row = con.execute("SELECT v FROM meta WHERE k = 'code'").fetchone()
    except sqlite3.OperationalError:
        return False
    return bool(row) and row[0] == _code_version()


def cached_fingerprint(con: sqlite3.Connection):
    row = con.execute("SELECT v FROM meta WHERE k = 'fingerprint'").fetchone()
    return tuple(json.loads(row[0])) if row else None


def cached_digests(con: sqlite3.Connection) -> dict[str, tuple[str | None, str]]:
    """graph → (digest, source key) of every cached graph (no documents read)."""
    return {g: (d, k) for g, d, k in con.execute("SELECT graph, digest, source FROM graphs")}


def put_graphs(con: sqlite3.Connection, rows: dict[str, tuple[str | None, str, bytes]]) -> None:
    """Store graphs' rows (digest, source key, :func:`documents_blob`), replacing older ones."""
    with _transaction(con):
        for g, (digest, key, blob) in rows.items():
            _put(con, g, digest, key, blob)


def _put(con, g, digest, key, blob) -> None:
    con.execute("DELETE FROM documents WHERE graph = ?", (g,))
    con.execute("INSERT OR REPLACE INTO graphs VALUES (?, ?, ?, ?)", (g, digest, key, blob))
    con.executemany("INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [(d.id, g, key, i, d.region, _json_or_none(getattr(d, "jurisdiction", None)),
                      d.issue_date.isoformat() if d.issue_date else None, d.doc_type)
                     for i, d in enumerate(documents_of_blob(blob))])


def _json_or_none(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


def drop_graphs(con: sqlite3.Connection, graphs) -> None:
    with _transaction(con):
        for g in graphs:
            con.execute("DELETE FROM documents WHERE graph = ?", (g,))
            con.execute("DELETE FROM graphs WHERE graph = ?", (g,))


def set_fingerprint(con: sqlite3.Connection, fingerprint) -> None:
    con.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (json.dumps(fingerprint),))


class _transaction:
    def __init__(self, con):
        self.con = con

    def __enter__(self):
        self.con.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, *exc):
        self.con.execute("COMMIT" if exc_type is None else "ROLLBACK")


def read_entries(con: sqlite3.Connection, graphs=None) -> Entries:
    """Cached graphs (all, or those named) with their documents; a damaged row raises."""
    from graph.gcpause import gc_paused
    rows: Iterable[Any]
    if graphs is None:
        rows = con.execute("SELECT graph, digest, source, docs FROM graphs")
    else:
        graphs = list(graphs)
        rows = (r for i in range(0, len(graphs), 500) for r in con.execute(
            f"SELECT graph, digest, source, docs FROM graphs WHERE graph IN ({','.join('?' * len(graphs[i:i + 500]))})",
            graphs[i:i + 500]))
    with gc_paused():
        return {g: (d, k, documents_of_blob(b)) for g, d, k, b in rows}


def graphs_of_documents(con: sqlite3.Connection, ids) -> set[str]:
    """The graphs holding the documents with these ids."""
    ids = list(ids)
    out: set[str] = set()
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        out.update(g for (g,) in con.execute(
            f"SELECT DISTINCT graph FROM documents WHERE id IN ({','.join('?' * len(part))})", part))
    return out


def documents_in_order(entries: Entries) -> list[Document]:
    """All documents in source-key order (the order of graph.load.documents_from_store)."""
    return [d for _, key, docs in sorted(entries.values(), key=lambda e: e[1]) for d in docs]


def refresh_entries(store, cached: dict[str, tuple[str | None, str]]) -> tuple[dict, list[str]]:
    """What the cache lacks of the store: (graph → (digest, key, documents) decoded for every
    graph whose content digest is new or changed, the cached graphs no longer in the store).
    Only those graphs are decoded (the slow part, ~15 µs a triple)."""
    import graph.load as gl
    digests = gl.graph_digests(store)
    graphs = store.graphs()
    fresh = {}
    for g in graphs:
        digest, hit = digests.get(g), cached.get(g)
        if digest is None or hit is None or hit[0] != digest:
            fresh[g] = (digest, *gl.graph_documents(store, g))
    return fresh, sorted(set(cached) - set(graphs))


def sync(spec: str):
    """Bring the cache of a store directory in line with the store: (fingerprint, an open cache
    connection, None), or, when the cache cannot be written, (fingerprint, None, every graph's
    entries). The store is opened only when its fingerprint differs from the cached one; then only
    graphs whose digest is new or changed are decoded."""
    key = store_fingerprint(spec)
    con = connect(spec)
    if con is not None and key is not None and cached_fingerprint(con) == key:
        return key, con, None
    from graph.store import open_store  # here: rdflib and pyoxigraph cost ~0.3 s to import
    store = open_store(spec, read_only=True)
    try:  # taken while the store is open: its lock keeps writers out until we have read it
        key = store_fingerprint(spec, store)
        cached = cached_digests(con) if con is not None else {}
        fresh, gone = refresh_entries(store, cached)
    finally:
        store.close()
    wcon = connect(spec, write=True)
    if wcon is not None:
        try:
            put_graphs(wcon, {g: (d, k, documents_blob(docs)) for g, (d, k, docs) in fresh.items()})
            drop_graphs(wcon, gone)
            set_fingerprint(wcon, key)
            if con is not None:
                con.close()
            return key, wcon, None
        except sqlite3.Error:
            wcon.close()
    entries = read_entries(con) if con is not None else {}
    for g in gone:
        entries.pop(g, None)
    entries.update(fresh)
    return key, None, entries


def reset(spec: str) -> None:
    """Remove a damaged cache (it is rebuilt on the next question)."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            (Path(spec) / (CACHE_NAME + suffix)).unlink(missing_ok=True)
        except OSError:
            pass
