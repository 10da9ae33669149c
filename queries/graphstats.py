"""`policygraph stats`: what the store holds, and agencies/programmes ranked by measures and money."""
from __future__ import annotations

from pathlib import Path

from graph import nxview
from graph.load import documents_from_store
from graph.store import open_store
from graph.vocab import sparql_prefixes

from .catalog import catalog_for_store

_COUNTS = {
    "documents": "?x a eli:LegalResource",
    "works": "?x a pg:Work",
    "provisions": "?x a eli:LegalResourceSubdivision",
    "measures": "?x a pg:Measure",
    "amounts": "?x a schema:MonetaryAmount",
    "conditions": "?x a pg:Condition",
    "agencies": "?x a org:Organization",
    "concepts": "?x a skos:Concept",
}


def stats(store_spec, top: int = 15) -> dict:
    """Counts by class, triples and source graphs, plus the NetworkX analyses of graph/nxview.py."""
    store = open_store(store_spec, read_only=True) if isinstance(store_spec, str | Path) else store_spec
    try:
        counts = {}
        for name, pattern in _COUNTS.items():
            row = next(store.select(f"{sparql_prefixes()}SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}"))
            counts[name] = int(row["n"].value)
        counts["graphs"] = len(store.graphs())
        counts["triples"] = store.count()
        # a store directory's documents come from its catalog cache (decoding 3M triples takes minutes)
        docs = (catalog_for_store(str(store_spec)).documents if isinstance(store_spec, str | Path)
                else documents_from_store(store))
    finally:
        if isinstance(store_spec, str | Path):
            store.close()
    G = nxview.project(docs)
    return {"store": str(getattr(store, "spec", store_spec)), "counts": counts,
            "agencies": nxview.agencies_by_measures_and_money(G)[:top],
            "programmes": nxview.programmes_across_documents(G)[:top],
            "components": [c for c in nxview.supersession_components(G)][:top],
            "central": [{"node": n, "degree_centrality": s} for n, s in nxview.centrality(G, top=top)]}
