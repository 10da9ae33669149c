"""SHACL validation of stored graphs against data/shapes/*.ttl (pyshacl)."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import rdflib
from pyoxigraph import Quad, RdfFormat, serialize

SHAPES_DIR = Path(__file__).resolve().parent.parent / "data" / "shapes"


def union_graph(quads: Iterable[Quad]) -> rdflib.Graph:
    """The union of the quads' graphs as one rdflib Graph (N-Triples hand-over: fast, exact)."""
    data = serialize([q.triple for q in quads], format=RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=data, format="nt")


def shapes_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    for f in sorted(SHAPES_DIR.glob("*.ttl")):
        g.parse(f, format="turtle")
    return g


def validate(quads: Iterable[Quad]) -> tuple[bool, str]:
    """(conforms, report text) of the quads' union against the project's shapes."""
    from pyshacl import validate as shacl_validate
    conforms, _, text = shacl_validate(union_graph(quads), shacl_graph=shapes_graph(), inference="none")
    return bool(conforms), text
