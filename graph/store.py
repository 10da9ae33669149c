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
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path

from pyoxigraph import (BlankNode, Literal, NamedNode, Quad, QueryBoolean, QueryResultsFormat,
                        QuerySolutions, RdfFormat, Store, Triple, parse, serialize)

from ingest.errors import StoreError

from . import iri

LOCK_NAME = "policygraph.lock"
PENDING_NAME = "bulk-load.pending"  # graphs of a bulk load in progress, one IRI a line
LOCK_WAIT = float(os.environ.get("POLICYGRAPH_LOCK_WAIT", "3"))


def open_store(spec: str | os.PathLike, *, read_only: bool = False, wait: float | None = None):
    """An embedded store at a directory, or ``sparql+http(s)://host:port/path`` for an endpoint.

    ``read_only`` opens an existing embedded store for queries only (StoreError if none).
    """
    spec = str(spec)
    if spec.startswith(("sparql+http://", "sparql+https://")):
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


class OxStore:
    """An embedded on-disk Oxigraph store (pyoxigraph)."""

    remote = False

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
        store, self._store = getattr(self, "_store", None), None
        try:
            if store is not None and not self.read_only:
                store.flush()
        except OSError as e:  # disk full, store directory gone read-only …
            raise StoreError(f"cannot write to store {self.path}: {e}") from e
        finally:
            self._unlock()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

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
            return json.loads(res.serialize(format=QueryResultsFormat.JSON))
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
        kw = {"from_graph": NamedNode(graph)} if graph else {}
        self._store.dump(output, fmt, **kw)

    # -- write -----------------------------------------------------------------------------------
    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"store {self.path} was opened read-only")

    def replace_graph(self, graph: str, triples: Iterable[Triple]) -> int:
        """Put ``triples`` in named graph ``graph`` instead of what it held, in one transaction."""
        triples = list(triples)
        self.replace_graph_ntriples(graph, ntriples(triples))
        return len(triples)

    def replace_graph_ntriples(self, graph: str, body: str) -> None:
        """:meth:`replace_graph` from N-Triples text (what ingest workers send back)."""
        self._writable()
        try:
            self._store.update(f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}")
        except OSError as e:
            raise StoreError(f"cannot write to store {self.path}: {e}") from e

    def has_graph(self, graph: str) -> bool:
        return self._store.contains_named_graph(NamedNode(graph))

    def insert_new_graphs(self, bodies: dict[str, str]) -> None:
        """Load N-Triples bodies into named graphs that do not exist yet, with the bulk loader.

        Not one transaction, so it is made crash-safe by hand: the graphs are listed in
        ``bulk-load.pending`` first and the list removed after; a store opened with the list still
        there drops those graphs (writer) or refuses to be read (reader). Old or new, never half.
        """
        self._writable()
        existing = [g for g in bodies if self.has_graph(g)]
        if existing:
            raise ValueError(f"insert_new_graphs: graph {existing[0]} exists; use replace_graph")
        pending = self.path / PENDING_NAME
        with pending.open("w", encoding="utf-8") as f:
            f.write("\n".join(bodies) + "\n")
            f.flush()
            os.fsync(f.fileno())
        data = "".join(body.replace(" .\n", f" <{g}> .\n") for g, body in bodies.items() if body)
        try:
            if data:
                self._store.bulk_load(data.encode("utf-8"), RdfFormat.N_QUADS)
            self._store.flush()
        except OSError as e:
            raise StoreError(f"cannot write to store {self.path}: {e}") from e
        pending.unlink()

    def bulk_load(self, quads: Iterable[Quad]) -> None:
        """Fast, non-transactional load (benchmarks, a fresh store being rebuilt)."""
        self._writable()
        self._store.bulk_extend(quads)

    def bulk_load_rdf(self, data: bytes | str | Path, fmt: RdfFormat = RdfFormat.N_QUADS) -> None:
        """Oxigraph's bulk loader on serialized RDF (bytes, or a file path): fastest, not transactional."""
        self._writable()
        if isinstance(data, bytes):
            self._store.bulk_load(data, fmt)
        else:
            self._store.bulk_load(path=str(data), format=fmt)

    def drop_graph(self, graph: str) -> bool:
        self._writable()
        g = NamedNode(graph)
        if not self._store.contains_named_graph(g):
            return False
        self._store.remove_graph(g)
        return True

    def drop_source(self, key: str) -> bool:
        """Remove what was ingested from the file with this source key (graph/iri.py)."""
        return self.drop_graph(iri.graph_iri(key))


def ntriples(triples: Iterable[Triple]) -> str:
    triples = list(triples)
    return serialize(triples, format=RdfFormat.N_TRIPLES).decode("utf-8") if triples else ""


def triples_as_json(triples: Iterable[Triple]) -> dict:
    rows = [{"subject": term_json(t.subject), "predicate": term_json(t.predicate),
             "object": term_json(t.object)} for t in triples]
    return {"head": {"vars": ["subject", "predicate", "object"]}, "results": {"bindings": rows}}


def term_json(t) -> dict:
    """A pyoxigraph term in SPARQL 1.1 JSON results form."""
    if isinstance(t, NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, BlankNode):
        return {"type": "bnode", "value": t.value}
    d = {"type": "literal", "value": t.value}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        d["datatype"] = t.datatype.value
    return d


def term_from_json(d: dict):
    """Inverse of :func:`term_json` (also accepts Virtuoso's ``typed-literal``)."""
    kind = d["type"]
    if kind == "uri":
        return NamedNode(d["value"])
    if kind == "bnode":
        return BlankNode(d["value"])
    if d.get("xml:lang"):
        return Literal(d["value"], language=d["xml:lang"])
    if d.get("datatype"):
        return Literal(d["value"], datatype=NamedNode(d["datatype"]))
    return Literal(d["value"])


class SparqlStore:
    """A SPARQL 1.1 endpoint (query + update over the SPARQL 1.1 Protocol), e.g. Virtuoso.

    Replacing a graph is one update request for graphs up to ``chunk`` triples; bigger ones are
    sent in several requests, so a reader may see a partly written graph meanwhile.
    """

    remote = True
    read_only = False

    def __init__(self, endpoint: str, *, timeout: float = 60, chunk: int = 5000):
        self.endpoint, self.spec, self.timeout, self.chunk = endpoint, "sparql+" + endpoint, timeout, chunk

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _post(self, params: dict, accept: str, timeout: float | None = None) -> bytes:
        data = urllib.parse.urlencode(params).encode("utf-8")
        req = urllib.request.Request(self.endpoint, data=data, headers={
            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        try:
            with urllib.request.urlopen(req, timeout=timeout or self.timeout) as r:
                return r.read()
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace")[:300]
            if e.code == 400:
                raise ValueError(f"SPARQL endpoint {self.endpoint} rejected the request: {detail}") from e
            raise StoreError(f"SPARQL endpoint {self.endpoint}: HTTP {e.code}: {detail}") from e
        except (urllib.error.URLError, OSError) as e:
            raise StoreError(f"SPARQL endpoint {self.endpoint} unreachable: {e}") from e

    def raw_json(self, q: str, timeout: float | None = None) -> dict:
        body = self._post({"query": q}, "application/sparql-results+json", timeout)
        try:
            return json.loads(body)
        except ValueError:  # CONSTRUCT/DESCRIBE answered as RDF
            return triples_as_json(parse(body, format=RdfFormat.N_TRIPLES))

    def select(self, q: str) -> Iterator[dict]:
        res = self.raw_json(q)
        for b in res["results"]["bindings"]:
            yield {k: term_from_json(v) for k, v in b.items()}

    def ask(self, q: str) -> bool:
        return bool(self.raw_json(q)["boolean"])

    def construct(self, q: str) -> Iterator[Triple]:
        body = self._post({"query": q}, "application/n-triples", None)
        return iter(parse(body, format=RdfFormat.N_TRIPLES))

    def update(self, u: str) -> None:
        self._post({"update": u}, "*/*")

    def graphs(self) -> list[str]:
        rows = self.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                           f"FILTER(STRSTARTS(STR(?g), \"{iri.ID}source/\")) }}")
        return sorted(r["g"].value for r in rows)

    def count(self, graph: str | None = None) -> int:
        graphs = [graph] if graph else self.graphs()
        total = 0
        for g in graphs:
            row = next(self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"))
            total += int(row["n"].value)
        return total

    def quads(self, graph: str | None = None, page: int = 10000) -> Iterator[Quad]:
        """Every quad of our graphs, paged (endpoints cap result sizes, Virtuoso at 10,000 rows)."""
        for g in ([graph] if graph else self.graphs()):
            gn, offset = NamedNode(g), 0
            while True:
                rows = list(self.construct(
                    f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }} "
                    f"ORDER BY ?s ?p ?o LIMIT {page} OFFSET {offset} }}"))
                yield from (Quad(t.subject, t.predicate, t.object, gn) for t in rows)
                if len(rows) < page:
                    break
                offset += page

    def replace_graph(self, graph: str, triples: Iterable[Triple]) -> int:
        triples = list(triples)
        self.replace_graph_ntriples(graph, ntriples(triples))
        return len(triples)

    def replace_graph_ntriples(self, graph: str, body: str) -> None:
        lines = body.splitlines()  # N-Triples: one triple a line (newlines in literals are escaped)
        for i in range(0, max(len(lines), 1), self.chunk):
            drop = f"DROP SILENT GRAPH <{graph}> ;\n" if i == 0 else ""
            chunk = "\n".join(lines[i:i + self.chunk])
            self.update(f"{drop}INSERT DATA {{ GRAPH <{graph}> {{\n{chunk}\n}} }}")

    def drop_graph(self, graph: str) -> bool:
        existed = graph in self.graphs()
        self.update(f"DROP SILENT GRAPH <{graph}>")
        return existed

    def drop_source(self, key: str) -> bool:
        return self.drop_graph(iri.graph_iri(key))

    def dump(self, output, fmt: RdfFormat, graph: str | None = None) -> None:
        quads = list(self.quads(graph))
        if fmt in (RdfFormat.N_QUADS, RdfFormat.TRIG):
            serialize(quads, output, fmt)
        else:
            serialize([q.triple for q in quads], output, fmt)
