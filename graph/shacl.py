"""SHACL validation of stored graphs against data/shapes/*.ttl (pyshacl)."""
from __future__ import annotations

from collections.abc import Iterable

import rdflib
from pyoxigraph import Quad, RdfFormat, serialize

from ingest import resources


def union_graph(quads: Iterable[Quad]) -> rdflib.Graph:
    """The union of the quads' graphs as one rdflib Graph (N-Triples hand-over: fast, exact)."""
    data = serialize([q.triple for q in quads], format=RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=data, format="nt")


def shapes_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    for f in sorted((f for f in resources.data_file("shapes").iterdir() if f.name.endswith(".ttl")), key=lambda f: f.name):
        g.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    return g


def validate(quads: Iterable[Quad]) -> tuple[bool, str]:
    """(conforms, report text) of the quads' union against the project's shapes."""
    from pyshacl import validate as shacl_validate
    conforms, _, text = shacl_validate(union_graph(quads), shacl_graph=shapes_graph(), inference="none")
    return bool(conforms), text
