"""What every store is: the base class of the embedded Oxigraph store (graph/store.py) and of a
SPARQL 1.1 endpoint (graph/remote.py), the spec that names one, and the RDF forms both exchange.

Capability flags, as rdflib's ``Store`` has (``context_aware``, ``transaction_aware`` …), let callers
ask what a store can do instead of asking what class it is.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import ClassVar

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, Triple, serialize

from . import iri
from .vocab import PG

REMOTE_SCHEMES = ("sparql+http://", "sparql+https://")


def is_remote(spec) -> bool:
    """Whether a store spec names a SPARQL endpoint (``sparql+http(s)://…``), not a directory.

    >>> is_remote("sparql+http://localhost:8890/sparql"), is_remote("data/store"), is_remote(None)
    (True, False, False)
    """
    return isinstance(spec, str) and spec.startswith(REMOTE_SCHEMES)


class GraphStore:
    """A quad store of named graphs, one per source file (graph/iri.py).

    Reading: ``select``/``ask``/``construct``, ``quads``, ``graphs``, ``count``, ``has_graph``;
    writing: ``replace_graph_nquads`` (subclasses), ``replace_graph``/``replace_graph_ntriples``
    (here), ``drop_graph``, ``drop_source``; ``close`` (also as a context manager).
    """

    remote: ClassVar[bool] = False  # queries go over HTTP: no directory, lock or catalog cache file
    bulk_loads: ClassVar[bool] = False  # new graphs can go through a crash-safe bulk loader (insert_new_nquads)
    spec: str  # what open_store was given (a directory, or sparql+http://…)
    read_only: bool = False

    # -- the operations every store implements ---------------------------------------------------
    def select(self, q: str) -> Iterator[dict]:
        raise NotImplementedError

    def ask(self, q: str) -> bool:
        raise NotImplementedError

    def construct(self, q: str) -> Iterator[Triple]:
        raise NotImplementedError

    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        raise NotImplementedError

    def graphs(self) -> list[str]:
        raise NotImplementedError

    def count(self, graph: str | None = None) -> int:
        raise NotImplementedError

    def replace_graph_nquads(self, graph: str, quads: bytes) -> None:
        raise NotImplementedError

    def drop_graph(self, graph: str) -> bool:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    # -- built on them ---------------------------------------------------------------------------
    def has_graph(self, graph: str) -> bool:
        return graph in self.graphs()

    def drop_source(self, key: str) -> bool:
        """Remove what was ingested from the file with this source key (graph/iri.py)."""
        return self.drop_graph(iri.graph_iri(key))

    def replace_graph(self, graph: str, triples: Iterable[Triple]) -> int:
        """Put ``triples`` in named graph ``graph`` instead of what it held, in one transaction."""
        triples = list(triples)
        self.replace_graph_ntriples(graph, ntriples(triples))
        return len(triples)

    def replace_graph_ntriples(self, graph: str, body: str) -> None:
        """:meth:`replace_graph` from N-Triples text."""
        self.replace_graph_nquads(graph, graph_nquads(graph, body))

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def content_digest(body: str) -> str:
    """The pg:contentDigest of a graph's N-Triples ``body`` (what :func:`graph_nquads` writes)."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def graph_nquads(graph: str, body: str) -> bytes:
    """A file's N-Triples as N-Quads in its named graph, plus one triple giving the SHA-256 of
    ``body`` (pg:contentDigest on the graph's source node), so a reader can tell which graphs
    changed without decoding them. Made by the ingest workers, so the writer only joins bytes.
    An empty body stays empty (no graph).

    >>> q = graph_nquads("g:1", '<a:s> <a:p> "1" .\\n').decode()
    >>> q.splitlines()[0], "contentDigest" in q.splitlines()[1], graph_nquads("g:1", "")
    ('<a:s> <a:p> "1" <g:1> .', True, b'')
    """
    if not body:
        return b""
    body += f'<{graph}> <{PG.contentDigest}> "{content_digest(body)}" .\n'
    return body.replace(" .\n", f" <{graph}> .\n").encode("utf-8")  # literals hold no raw newline


def graph_ntriples(graph: str, quads: bytes) -> str:
    """:func:`graph_nquads` back to N-Triples (with the digest), for SPARQL ``INSERT DATA``."""
    return quads.decode("utf-8").replace(f" <{graph}> .\n", " .\n")


def ntriples(triples: Iterable[Triple]) -> str:
    triples = list(triples)
    return (serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode("utf-8") if triples else ""


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
