"""A remote SPARQL 1.1 endpoint (e.g. Virtuoso) behind the same methods as the embedded store
(graph/store.py): ``open_store("sparql+http://host:port/sparql")`` returns a :class:`SparqlStore`.
"""
from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, parse, serialize

from ingest.errors import StoreError

from . import iri
from .store_base import GraphStore, graph_ntriples, triples_as_json


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


def staging_iri(graph: str) -> str:
    """Where a big graph is written before it replaces ``graph``: outside the ``source/`` IRIs,
    so it is never listed or read as a source graph.

    >>> staging_iri("https://policygraph.example/id/source/ab12").startswith("https://policygraph.example/id/staging/")
    True
    """
    return f"{iri.ID}staging/{hashlib.sha256(graph.encode()).hexdigest()[:16]}"


class SparqlStore(GraphStore):
    """A SPARQL 1.1 endpoint (query + update over the SPARQL 1.1 Protocol), e.g. Virtuoso.

    Replacing a graph is atomic as far as the endpoint makes one update request atomic (see
    :meth:`replace_graph_ntriples`).
    """

    remote = True

    def __init__(self, endpoint: str, *, timeout: float = 60, chunk: int = 5000):
        self.endpoint, self.spec, self.timeout, self.chunk = endpoint, "sparql+" + endpoint, timeout, chunk

    def close(self) -> None:
        pass

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

    def replace_graph_nquads(self, graph: str, quads: bytes) -> None:
        """One update request when the graph has up to ``chunk`` triples; a bigger one is written
        to a staging graph in several requests, then put in place by one ``MOVE`` request, so a
        reader sees the old graph or the new one, never part of it."""
        body = graph_ntriples(graph, quads)
        lines = body.splitlines()  # N-Triples: one triple a line (newlines in literals are escaped)
        if len(lines) <= self.chunk:
            self.update(f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}")
            return
        staging = staging_iri(graph)
        self.update(f"DROP SILENT GRAPH <{staging}>")  # left over by a writer that died mid-way
        for i in range(0, len(lines), self.chunk):
            chunk = "\n".join(lines[i:i + self.chunk])
            self.update(f"INSERT DATA {{ GRAPH <{staging}> {{\n{chunk}\n}} }}")
        self.update(f"MOVE SILENT GRAPH <{staging}> TO GRAPH <{graph}>")

    def drop_graph(self, graph: str) -> bool:
        existed = graph in self.graphs()
        self.update(f"DROP SILENT GRAPH <{graph}>")
        return existed

    def dump(self, output, fmt: RdfFormat, graph: str | None = None) -> None:
        quads = list(self.quads(graph))
        if fmt in (RdfFormat.N_QUADS, RdfFormat.TRIG):
            serialize(quads, output, fmt)
        else:
            serialize([q.triple for q in quads], output, fmt)
