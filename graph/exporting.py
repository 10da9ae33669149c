"""`policygraph export`: the graph as Turtle, N-Quads, JSON-LD, GraphML (NetworkX view) or CSV."""
from __future__ import annotations

import csv
from pathlib import Path

from pyoxigraph import RdfFormat, serialize

from graph.load import documents_from_store
from graph.store import open_store
from graph.vocab import PREFIXES

FORMATS = ("ttl", "nq", "jsonld", "graphml", "csv")
_RDF = {"ttl": RdfFormat.TURTLE, "nq": RdfFormat.N_QUADS, "jsonld": RdfFormat.JSON_LD}


def export(store_spec, fmt: str, output) -> int:
    """Write the whole store to ``output``; returns triples (ttl, jsonld), quads (nq),
    nodes (graphml) or rows (csv) written. Turtle and JSON-LD hold the union of the source graphs;
    N-Quads keeps one named graph per source file.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    store = open_store(store_spec, read_only=True) if isinstance(store_spec, str | Path) else store_spec
    try:
        if fmt in _RDF:
            return _rdf(store, fmt, output)
        docs = documents_from_store(store)
    finally:
        if isinstance(store_spec, str | Path):
            store.close()
    if fmt == "graphml":
        from graph.nxview import project, write_graphml
        g = project(docs)
        write_graphml(g, output)
        return g.number_of_nodes()
    return write_csv(docs, output)


def _rdf(store, fmt: str, output: Path) -> int:
    quads = list(store.quads())
    if fmt == "nq":
        serialize(quads, output, RdfFormat.N_QUADS)
        return len(quads)
    triples = list(dict.fromkeys(q.triple for q in quads))  # a triple may sit in several graphs
    prefixes = {k: v for k, v in PREFIXES.items() if k != "id"} if fmt == "ttl" else None
    serialize(triples, output, _RDF[fmt], prefixes=prefixes)
    return len(triples)


CSV_COLUMNS = ("source", "document", "title", "doc_number", "provision", "label", "kind", "heading",
               "line_start", "line_end", "page", "programmes", "beneficiaries", "agencies",
               "max_amount_yuan", "amounts", "conditions", "text")


def write_csv(docs, output: Path) -> int:
    """One row per provision, with its document, span, agencies and money (UTF-8 with BOM for Excel)."""
    n = 0
    with output.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(CSV_COLUMNS)
        for d in docs:
            for p in d.walk():
                amounts = list(p.amounts) + [a for m in p.measures for a in m.amounts]
                values = [a.value_yuan for a in amounts if a.value_yuan is not None]
                conditions = list(p.conditions) + [c for m in p.measures for c in m.conditions]
                w.writerow([d.span.source, d.id, d.title or "", d.doc_number or "", p.id, p.label or "", p.kind,
                            p.heading or "", p.span.line_start, p.span.line_end,
                            "" if p.span.page is None else p.span.page, "|".join(p.programmes),
                            "|".join(p.beneficiaries), "|".join(dict.fromkeys(a.name for a in p.agencies)),
                            max(values) if values else "", "|".join(a.text for a in amounts),
                            "|".join(c.text or f"{c.field} {c.op} {c.value}" for c in conditions), p.text])
                n += 1
    return n
