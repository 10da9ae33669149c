"""Where the graph lives: an embedded on-disk Oxigraph store, or a remote SPARQL 1.1 endpoint.

``open_store(spec)`` returns either; both offer the same methods: ``select``/``ask``/``construct``
(read), ``quads`` (whole graphs, as pyoxigraph terms), ``replace_graph``/``drop_graph`` (write),
``graphs``, ``count``, ``close``. Every named graph holds one source file (see graph/iri.py).

The embedded store uses pyoxigraph directly (no rdflib layer: benchmarks/bench_store.py).
A writer holds an exclusive lock on ``<dir>/policygraph.lock``, a reader a shared one, so an
ingest never runs beside another ingest or under a reader (Oxigraph's read-only mode is
undefined while another process writes).
"""
from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pyoxigraph import NamedNode, Quad, QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, Store, Triple

from ingest.errors import StoreError

from .store_base import GraphStore, graph_nquads, graph_ntriples, is_remote, triples_as_json

LOCK_NAME = "policygraph.lock"
PENDING_NAME = "bulk-load.pending"  # graphs of a bulk load in progress, one IRI a line
LOCK_WAIT = float(os.environ.get("POLICYGRAPH_LOCK_WAIT", "3"))
# parallel bulk loaders on a batch of new graphs: on 2 cores 1M triples load ~1.9x faster than with one
LOAD_THREADS = int(os.environ.get("POLICYGRAPH_LOAD_THREADS", "0")) or min(4, os.cpu_count() or 1)


def open_store(spec: str | os.PathLike, *, read_only: bool = False, wait: float | None = None):
    """An embedded store at a directory, or ``sparql+http(s)://host:port/path`` for an endpoint.

    ``read_only`` opens an existing embedded store for queries only (StoreError if none).
    """
    spec = str(spec)
    if is_remote(spec):
        from .remote import SparqlStore  # imported when needed: most runs use a directory
        return SparqlStore(spec.removeprefix("sparql+"))
    return OxStore(Path(spec), read_only=read_only, wait=LOCK_WAIT if wait is None else wait)


def _lock(path: Path, exclusive: bool, wait: float):
    """flock the store's lock file; StoreError naming the holder if not free within ``wait`` s."""
    try:
        fd = os.open(path, (os.O_RDWR | os.O_CREAT) if exclusive else os.O_RDONLY, 0o644)
    except FileNotFoundError:
        return None  # read-only open of a store written before locks existed
    except OSError as e:  # EACCES, EROFS (read-only file system), ENOSPC …
        raise StoreError(f"store directory {path.parent} is not writable: {e.strerror}") from e
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                os.close(fd)
                what = "written" if exclusive else "read"
                raise StoreError(f"store {path.parent} is in use by another process (pid {holder}); "
                                 f"cannot be {what} now — try again when it finishes") from None
            time.sleep(0.1)
    if exclusive:
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
    return fd


class OxStore(GraphStore):
    """An embedded on-disk Oxigraph store (pyoxigraph)."""

    bulk_loads = True

    def __init__(self, path: Path, *, read_only: bool = False, wait: float = LOCK_WAIT):
        self.path, self.read_only, self.spec = path, read_only, str(path)
        if read_only and not (path / "CURRENT").exists():
            raise StoreError(f"no store at {path}: run `policygraph ingest PATH --store {path}` first")
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"cannot create store directory {path}: {e.strerror}") from e
        self._fd = _lock(path / LOCK_NAME, not read_only, wait)
        try:
            self._store = Store.read_only(str(path)) if read_only else Store(str(path))
        except OSError as e:
            self._unlock()
            raise StoreError(f"cannot open store {path}: {e}") from e
        self.recovered: list[str] = []
        if (path / PENDING_NAME).exists():
            if read_only:
                self.close()
                raise StoreError(f"store {path} has an interrupted bulk load: run `policygraph ingest` "
                                 f"on it again to repair it")
            self._recover()

    def _recover(self) -> None:
        """Drop the graphs of a bulk load that did not finish (they did not exist before it)."""
        pending = self.path / PENDING_NAME
        self.recovered = [g for g in pending.read_text(encoding="utf-8").split() if g]
        for g in self.recovered:
            self._store.remove_graph(NamedNode(g))
        self._store.flush()
        pending.unlink()

    # -- lifecycle ---------------------------------------------------------------------------
    def _unlock(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None

    def close(self) -> None:
        store, self._store = getattr(self, "_store", None), None  # type: ignore[assignment]  # closed
        try:
            if store is not None and not self.read_only:
                store.flush()
        except OSError as e:  # disk full, store directory gone read-only …
            raise StoreError(f"cannot write to store {self.path}: {e}") from e
        finally:
            self._unlock()

    # -- read ------------------------------------------------------------------------------------
    def _query(self, q: str):
        try:
            return self._store.query(q, use_default_graph_as_union=True)
        except SyntaxError as e:
            raise ValueError(f"SPARQL syntax error: {e}") from e
        except OSError as e:
            raise StoreError(f"store {self.path}: {e}") from e

    def select(self, q: str) -> Iterator[dict]:
        """Rows of a SELECT as {variable: pyoxigraph term} (unbound variables left out)."""
        return self.select_vars(q)[1]

    def select_vars(self, q: str) -> tuple[list[str], Iterator[dict]]:
        """The SELECT's variable names and a lazy iterator over its rows."""
        res = self._query(q)
        if not isinstance(res, QuerySolutions):
            raise ValueError("select() needs a SELECT query")
        names = [v.value for v in res.variables]
        return names, ({n: sol[n] for n in names if sol[n] is not None} for sol in res)

    def ask(self, q: str) -> bool:
        return bool(self._query(q))

    def construct(self, q: str) -> Iterator[Triple]:
        return iter(self._query(q))

    def raw_json(self, q: str) -> dict:
        """SPARQL 1.1 JSON results of any query (CONSTRUCT as subject/predicate/object rows)."""
        res = self._query(q)
        if isinstance(res, QuerySolutions | QueryBoolean):
            return json.loads(res.serialize(format=QueryResultsFormat.JSON) or b"{}")
        return triples_as_json(res)

    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        g = NamedNode(graph) if graph else None
        return iter(self._store.quads_for_pattern(None, None, None, g))

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            return len(self._store)
        return sum(1 for _ in self.quads(graph))

    def dump(self, output, fmt: RdfFormat, graph: str | None = None) -> None:
        self._store.dump(output, fmt, from_graph=NamedNode(graph) if graph else None)

    # -- write -----------------------------------------------------------------------------------
    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"store {self.path} was opened read-only")

    def replace_graph_nquads(self, graph: str, quads: bytes) -> None:
        """:meth:`replace_graph` from :func:`graph_nquads` (what ingest workers send back)."""
        self._writable()
        body = graph_ntriples(graph, quads)
        try:
            self._store.update(f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}")
        except OSError as e:
            raise StoreError(f"cannot write to store {self.path}: {e}") from e

    def has_graph(self, graph: str) -> bool:
        return self._store.contains_named_graph(NamedNode(graph))

    def insert_new_graphs(self, bodies: dict[str, str]) -> None:
        """:meth:`insert_new_nquads` from N-Triples bodies."""
        self.insert_new_nquads({g: graph_nquads(g, body) for g, body in bodies.items()})

    def insert_new_nquads(self, graphs: dict[str, bytes]) -> None:
        """Load named graphs that do not exist yet (:func:`graph_nquads` each) with the bulk loader.

        Not one transaction, so it is made crash-safe by hand: the graphs are listed in
        ``bulk-load.pending`` first and the list removed after; a store opened with the list still
        there drops those graphs (writer) or refuses to be read (reader). Old or new, never half.
        """
        self._writable()
        existing = [g for g in graphs if self.has_graph(g)]
        if existing:
            raise ValueError(f"insert_new_nquads: graph {existing[0]} exists; use replace_graph")
        pending = self.path / PENDING_NAME
        with pending.open("w", encoding="utf-8") as f:
            f.write("\n".join(graphs) + "\n")
            f.flush()
            os.fsync(f.fileno())
        chunks = nquads_chunks([q for q in graphs.values() if q], LOAD_THREADS)
        try:
            if len(chunks) > 1:  # the bulk loader releases the GIL: one loader per core
                with ThreadPoolExecutor(len(chunks)) as pool:
                    list(pool.map(self._bulk_load_nquads, chunks))
            elif chunks:
                self._bulk_load_nquads(chunks[0])
            self._store.flush()
        except OSError as e:
            raise StoreError(f"cannot write to store {self.path}: {e}") from e
        pending.unlink()

    def _bulk_load_nquads(self, data: bytes) -> None:
        # lenient: the text comes from our own serializer (graph_nquads of ntriples()), whose IRIs
        # were validated when the terms were made; skipping re-validation saves ~8 %
        self._store.bulk_load(data, RdfFormat.N_QUADS, lenient=True)

    def bulk_load(self, quads: Iterable[Quad]) -> None:
        """Fast, non-transactional load (benchmarks, a fresh store being rebuilt)."""
        self._writable()
        self._store.bulk_extend(quads)

    def drop_graph(self, graph: str) -> bool:
        self._writable()
        g = NamedNode(graph)
        if not self._store.contains_named_graph(g):
            return False
        self._store.remove_graph(g)
        return True


def nquads_chunks(parts: list[bytes], n: int) -> list[bytes]:
    """``parts`` joined into at most ``n`` chunks of about equal size, never splitting a part.

    >>> nquads_chunks([b"a", b"bb", b"c", b"dd"], 2)
    [b'abb', b'cdd']
    """
    target = sum(map(len, parts)) / max(1, n)
    chunks: list[bytes] = []
    cur: list[bytes] = []
    size = 0
    for part in parts:
        cur.append(part)
        size += len(part)
        if size >= target and len(chunks) < n - 1:
            chunks.append(b"".join(cur))
            cur, size = [], 0
    if cur:
        chunks.append(b"".join(cur))
    return chunks
