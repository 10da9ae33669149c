"""`policygraph ingest`: files → parsed documents → one named graph per file in the store.

A file that cannot be parsed is reported and skipped; the rest are ingested. A file's graph is
replaced in one transaction, or (new files, embedded store) bulk-loaded with a pending list that
makes an interrupted load roll back: readers see a file's old or new version, never half.
"""
from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypedDict

from graph import iri
from graph.build import file_triples
from graph.store import open_store
from graph.store_base import content_digest, graph_nquads, ntriples
from graph.vocab import DCTERMS, PG
from ingest.pipeline import file_sha256, parse_file, warm
from ingest.safety import FILE_TIMEOUT_S, isolated
from ingest.sources import targets

from .catalog_cache import as_stored, documents_blob


class FileError(TypedDict):
    file: str
    error: str


class _SummaryRequired(TypedDict):
    documents: int
    provisions: int
    triples: int
    errors: list[FileError]


class SameContent(TypedDict):
    file: str
    same_as: str  # the source key of the file already stored with these bytes


class IngestSummary(_SummaryRequired, total=False):
    """`policygraph ingest --json` (tests/contract/ingest.schema.json); the store's figures come last."""
    files: int
    warnings: list[str]
    same_content: list[SameContent]
    store: str
    graphs: int
    store_triples: int
    seconds: float
    derived_seconds: float
    search_index_seconds: float


def parse_to_quads(path: str, key: str, ocr: bool = False) -> dict:
    """Parse one file and build its graph as N-Quads bytes ready for the store's bulk loader
    (graph/store.py graph_nquads); plain values only, so it can run in another process."""
    try:
        pf = parse_file(path, ocr=ocr, id_base=iri.id_base(key))
        triples = file_triples(pf.documents, key, sha256=pf.sha256, fmt=pf.format)
    except Exception as e:  # noqa: BLE001 — any failure of one file is reported, the batch goes on
        return {"file": str(path), "key": key, "error": str(e) or type(e).__name__}
    body = ntriples(triples)
    quads = graph_nquads(iri.graph_iri(key), body)
    return {"file": str(path), "key": key, "quads": quads, "triples": quads.count(b"\n"),
            "cache": (content_digest(body), documents_blob(as_stored(pf.documents))) if body else None,
            "documents": len(pf.documents), "provisions": sum(1 for d in pf.documents for _ in d.walk()),
            "warnings": list(pf.warnings)}


def _results(jobs, workers: int, dask: str | None, ocr: bool):
    """Yield parse results as they complete, each file under a deadline (ingest/safety.py,
    POLICYGRAPH_FILE_TIMEOUT): in local worker processes, or on a dask cluster."""
    timeout = FILE_TIMEOUT_S if not ocr else max(FILE_TIMEOUT_S, 3600.0)  # OCR: ~10 s a page
    if dask:  # bounded window of tasks; a crashed worker becomes this file's error (ingest/distributed.py)
        from ingest.distributed import map_on_dask
        for (path, key, _), res in map_on_dask(parse_to_quads, ((str(f), k, ocr) for f, k in jobs), dask,
                                               timeout=timeout):
            yield res if isinstance(res, dict) else {"file": path, "key": key, "error": str(res)}
    else:  # worker processes: a file that hangs or crashes its parser is stopped and reported
        warm()  # forked workers inherit the tables built here
        for job, ok, res in isolated(parse_to_quads, [(str(f), k, ocr) for f, k in jobs],
                                     workers=workers, timeout=timeout):
            yield res if ok else {"file": job[0], "key": job[1], "error": f"{job[0]}: {res}"}


def ingest_paths(paths, store, *, workers: int = 1, dask: str | None = None, ocr: bool = False,
                 on_file: Callable[[int, int, str], None] | None = None) -> IngestSummary:
    """Ingest files and folders into ``store`` (a spec for graph.store.open_store, or an open store).

    Returns ``{documents, provisions, triples, errors: [{file, error}], files, warnings,
    store_triples, graphs, seconds}`` (shared/contract/ingest.schema.json).
    """
    t0 = time.perf_counter()
    jobs = targets(paths)
    missing: list[FileError] = [{"file": str(f), "error": "no such file or folder"} for f, _ in jobs if not f.exists()]
    jobs = [(f, k) for f, k in jobs if f.exists()]
    own = isinstance(store, str | Path)
    st = open_store(store) if own else store
    summary: IngestSummary = {"documents": 0, "provisions": 0, "triples": 0, "errors": missing, "files": 0, "warnings": []}
    try:
        jobs, summary["same_content"] = same_content(jobs, st)
        summary["warnings"].extend(f"{d['file']}: same content as {d['same_as']} (not stored twice)"
                                   for d in summary["same_content"])
        with StoreWriter(st) as writer, _CacheRows(st) as rows:
            for done, res in enumerate(_results(jobs, workers, dask, ocr), 1):
                if on_file:  # a progress display: (files done, files in all, the file just done)
                    on_file(done, len(jobs), res["file"])
                if "error" in res:
                    summary["errors"].append({"file": res["file"], "error": res["error"]})
                    continue
                writer.put(iri.graph_iri(res["key"]), res["quads"], res["triples"])
                rows.put(iri.graph_iri(res["key"]), res["key"], res.get("cache"))
                summary["files"] = summary.get("files", 0) + 1
                for k in ("documents", "provisions", "triples"):
                    summary[k] += res[k]
                summary.setdefault("warnings", []).extend(f"{res['file']}: {w}" for w in res["warnings"])
        summary["errors"].sort(key=lambda e: e["file"])
        summary["store"], summary["graphs"], summary["store_triples"] = st.spec, len(st.graphs()), st.count()
        summary["seconds"] = round(time.perf_counter() - t0, 3)
    finally:
        if own:
            st.close()
    return summary


def after_ingest(spec, summary: dict, key: str, step: Callable[[str], object], what: str) -> None:
    """Run ``step(spec)`` on an embedded store just ingested into (results kept beside it); the
    summary gains ``key`` (its seconds, also added to ``seconds``) and a warning if it failed: the
    files are in, the first question redoes the step."""
    from graph.store_base import is_remote
    if is_remote(str(spec)) or not summary.get("files"):
        return
    t0 = time.perf_counter()
    try:
        step(str(spec))
    except Exception as e:  # noqa: BLE001 — reported, never fatal to the ingest
        summary["warnings"].append(f"{spec}: {what} not stored ({type(e).__name__}: {e})")
    summary[key] = round(time.perf_counter() - t0, 3)
    summary["seconds"] = round(summary.get("seconds", 0) + summary[key], 3)


def stored_digests(store) -> dict[str, str]:
    """SHA-256 of each source file in the store → its source key."""
    rows = store.select(f"SELECT ?key ?h WHERE {{ GRAPH ?g {{ ?g <{PG.sha256}> ?h ; <{DCTERMS.identifier}> ?key }} }}")
    return {r["h"].value: r["key"].value for r in rows}


def same_content(jobs, store) -> tuple[list[tuple[Path, str]], list[SameContent]]:
    """(the jobs to parse, [{file, same_as}] of the files whose bytes equal a file already in the
    store under another key or earlier in this run: reported, not stored twice)."""
    held, keep = stored_digests(store), []
    dups: list[SameContent] = []
    for f, key in jobs:
        try:
            digest = file_sha256(f) if f.stat().st_size else None
        except OSError:  # unreadable: parsing reports it
            digest = None
        if digest is None:  # empty or unreadable: parsing reports it
            keep.append((f, key))
            continue
        other = held.setdefault(digest, key)
        if other != key:
            dups.append({"file": str(f), "same_as": other})
        else:
            keep.append((f, key))
    return keep, dups


class StoreWriter:
    """Writes the store in a thread of its own, so that parsing goes on meanwhile (Oxigraph's
    loaders release the GIL). Files new to an embedded store go to the bulk loader in batches
    (3-5x faster than transactions; crash-safe through OxStore.insert_new_nquads); a file already
    in the store has its graph replaced in one transaction. Writes keep the order of ``put``.
    Use as a context manager: leaving it normally loads what is left and waits for the writes."""

    BATCH = 500_000  # triples per bulk load: bounds the memory held; smaller batches leave many
    # small SST files that make the first queries after ingest slower (0.25 s → 1.2 s at 1M triples)

    def __init__(self, store):
        self.store, self.pending, self.size = store, {}, 0
        self.bulk = store.bulk_loads
        self.sent: set[str] = set()  # graphs handed to the bulk loader: later versions replace them
        self.ops: queue.Queue = queue.Queue(maxsize=2)  # bounds what waits in memory
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="policygraph-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (op := self.ops.get()) is not None:
            if self.error is None:  # after a failure the rest is skipped, and raised in put/close
                try:
                    op()
                except BaseException as e:  # noqa: BLE001 — handed to the caller's thread
                    self.error = e

    def _submit(self, fn, *args) -> None:
        if self.error is not None:
            raise self.error
        self.ops.put(partial(fn, *args))

    def put(self, graph: str, quads: bytes, n: int) -> None:
        """Write one file's graph (``quads``: graph/store.py graph_nquads, ``n`` triples)."""
        if self.bulk and graph in self.pending:
            self.size -= self.pending.pop(graph)[1]
        if self.bulk and graph not in self.sent and not self.store.has_graph(graph):
            self.pending[graph] = (quads, n)
            self.size += n
            if self.size >= self.BATCH:
                self._load_pending()
        else:
            self._submit(self.store.replace_graph_nquads, graph, quads)

    def _load_pending(self) -> None:
        if self.pending:
            graphs = {g: q for g, (q, _) in self.pending.items()}
            self.sent.update(graphs)
            self._submit(self.store.insert_new_nquads, graphs)
            self.pending, self.size = {}, 0

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc) -> None:
        """Load the rest (unless leaving on an exception) and wait for the thread."""
        try:
            if exc_type is None:
                self._load_pending()
        finally:
            self.ops.put(None)
            self.thread.join()
        if exc_type is None and self.error is not None:
            raise self.error


class _CacheRows:
    """The catalog cache rows (graph/catalog_cache.py) of the files parsed, written beside an
    embedded store as they come: the first question after an ingest decodes no graph. A row is
    trusted only while its digest matches the store's graph, so a row written for a graph whose
    load then failed is never used."""

    BATCH = 200

    def __init__(self, store):
        from .catalog_cache import connect
        path = getattr(store, "path", None)
        self.con = connect(str(path), write=True) if path is not None and not getattr(store, "remote", True) else None
        self.rows: dict = {}

    def put(self, graph: str, key: str, cache) -> None:
        if self.con is None or cache is None:
            return
        self.rows[graph] = (cache[0], key, cache[1])
        if len(self.rows) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        from .catalog_cache import put_graphs
        if self.con is not None and self.rows:
            put_graphs(self.con, self.rows)
        self.rows = {}

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc) -> None:
        try:
            if exc_type is None:
                self.flush()
        finally:
            if self.con is not None:
                self.con.close()


def drop_sources(store, keys) -> dict:
    """Remove what was ingested from each source key (the file path relative to the folder ingested).

    Returns {"dropped": [...], "missing": [...]}; a key that was never ingested is reported, not an error.
    """
    dropped: list[str] = []
    missing: list[str] = []
    with open_store(store) as st:
        for key in keys:
            (dropped if st.drop_source(str(key)) else missing).append(str(key))
    return {"dropped": dropped, "missing": missing}
