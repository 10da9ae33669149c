"""The catalog's disk cache beside an embedded store: ``policygraph-catalog.pickle`` holds every
source graph's documents with the graph's content digest, so a new process reads one file instead
of decoding the whole graph, and after a change only the changed graphs are decoded again.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
from dataclasses import fields, is_dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ingest.model import Document

CACHE_NAME = "policygraph-catalog.pickle"  # beside RocksDB's files; "policygraph*" is ours, not data
_NOT_DATA = ("LOG", "LOCK", "policygraph")  # RocksDB's info logs and lock, our lock and cache files
_CACHE_FORMAT = 3  # 2: entries per source graph with content digests; 3: objects as cls(*values)
_CACHE_CODE = (("ingest", "model.py"), ("graph", "load.py"), ("queries", "catalog_cache.py"))  # what the pickled documents' shape depends on


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


# the cache file: [code version, store fingerprint], then {graph: (digest, source key, documents)}
Entries = dict[str, tuple[str | None, str, list[Document]]]


def read_cache(spec: str) -> tuple[object, Entries] | None:
    """(fingerprint, entries) of the cache beside a store, if this code wrote it; None when
    absent or unreadable (a damaged cache is rebuilt, never an error)."""
    from graph.load import gc_paused
    try:
        with open(Path(spec) / CACHE_NAME, "rb") as f:
            head = _ModelUnpickler(f).load()
            if not (isinstance(head, list) and len(head) == 2 and head[0] == _code_version()):
                return None
            with gc_paused():  # a new unpickler: the two pickles' memos are separate
                entries = _ModelUnpickler(f).load()
    except Exception:  # noqa: BLE001 — missing, truncated, foreign: any failure means "rebuild"
        return None
    ok = isinstance(entries, dict) and all(
        isinstance(v, tuple) and len(v) == 3 and isinstance(v[2], list) and all(isinstance(d, Document) for d in v[2])
        for v in entries.values())
    return (head[1], entries) if ok else None


def documents_in_order(entries: Entries) -> list[Document]:
    """All documents in source-key order (the order of graph.load.documents_from_store)."""
    return [d for _, key, docs in sorted(entries.values(), key=lambda e: e[1]) for d in docs]


def write_catalog_cache(spec: str, fingerprint, entries: Entries) -> bool:
    """Write the cache atomically (temporary file + rename); False, silently, when the store
    directory is not writable (a read-only store still answers, only without the cache)."""
    path = Path(spec) / CACHE_NAME
    tmp = path.with_name(f"{CACHE_NAME}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            pickle.dump([_code_version(), fingerprint], f, protocol=pickle.HIGHEST_PROTOCOL)
            _ModelPickler(f, protocol=pickle.HIGHEST_PROTOCOL).dump(entries)
        os.replace(tmp, path)
        return True
    except (OSError, pickle.PicklingError):
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        return False


def refresh_entries(store, old: Entries) -> Entries:
    """Every source graph's documents, reusing ``old`` entries whose content digest is unchanged:
    after one more file is ingested only that file's graph is decoded (the slow part, ~15 µs a triple)."""
    import graph.load as gl
    digests = gl.graph_digests(store)
    entries: Entries = {}
    for g in store.graphs():
        digest, hit = digests.get(g), old.get(g)
        if digest is not None and hit is not None and hit[0] == digest:
            entries[g] = hit
        else:
            entries[g] = (digest, *gl.graph_documents(store, g))
    return entries
