"""A NetworkX projection of the graph and the analyses users ask of it, plus GraphML export.

Nodes (attribute ``type``): document, provision, agency, programme, beneficiary, work.
Edges (attribute ``type``): has_part, passed_by, responsibility_of, programme, beneficiary,
realizes (document → its work), cites / repeals / amends / replaces / overrides /
implements / based_on (document → the work it names by 文号).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from ingest.model import Document, Measure, Provision

from . import iri

GRANT_KINDS = {"cap", "annual_cap", "fixed", "range", "other"}  # not fund sizes, thresholds, targets
LINEAGE_EDGES = {"repeals", "amends", "revises", "replaces", "overrides_inconsistent", "implements", "based_on"}


def _amount_max(amounts) -> int:
    vals = [a.value_yuan for a in amounts if a.value_yuan is not None and a.kind in GRANT_KINDS
            and a.role == "benefit"]
    return max(vals) if vals else 0


def provision_money(p: Provision) -> int:
    """The most one beneficiary can get from a provision: tiers count once (their maximum),
    separate measures add up; a provision without measures counts its largest amount."""
    if not p.measures:
        return _amount_max(p.amounts)
    groups: dict[str | None, list[Measure]] = defaultdict(list)
    for m in p.measures:
        groups[m.tier_group].append(m)
    total = sum(_amount_max(m.amounts) for m in groups.pop(None, ()))
    return total + sum(max(_amount_max(m.amounts) for m in ms) for ms in groups.values())


def project(documents: Iterable[Document]) -> nx.MultiDiGraph:
    """The NetworkX view of these documents (e.g. ``documents_from_store(store)``)."""
    G = nx.MultiDiGraph()
    for d in documents:
        dn, wn = f"doc:{d.id}", f"work:{iri.work_key(d)}"
        G.add_node(dn, type="document", label=d.title or d.id, source=d.span.source,
                   doc_number=d.doc_number, issue_date=d.issue_date and d.issue_date.isoformat())
        G.add_node(wn, type="work", label=d.doc_number or d.title or d.id)
        G.add_edge(dn, wn, type="realizes")
        for name in d.issuers:
            G.add_node(f"agency:{name}", type="agency", label=name)
            G.add_edge(dn, f"agency:{name}", type="passed_by")
        for r in d.references:
            if r.doc_number:
                G.add_node(f"work:num:{r.doc_number}", type="work", label=r.doc_number)
                G.add_edge(dn, f"work:num:{r.doc_number}", type="cites")
        for x in d.lineage:
            if x.target_doc_number and x.type in LINEAGE_EDGES:
                G.add_node(f"work:num:{x.target_doc_number}", type="work", label=x.target_doc_number)
                G.add_edge(dn, f"work:num:{x.target_doc_number}", type=x.type)
        for p in d.provisions:
            _add_provision(G, dn, d, p)
    return G


def _add_provision(G: nx.MultiDiGraph, parent: str, d: Document, p: Provision) -> None:
    pn = f"prov:{d.id}/{p.id}"
    G.add_node(pn, type="provision", label=p.label or p.heading or p.id, document=d.id, kind=p.kind,
               line_start=p.span.line_start, line_end=p.span.line_end, measures=len(p.measures),
               money_yuan=provision_money(p))
    G.add_edge(parent, pn, type="has_part")
    for m in p.agencies:
        G.add_node(f"agency:{m.name}", type="agency", label=m.name)
        G.add_edge(pn, f"agency:{m.name}", type="responsibility_of", role=m.role or "")
    for name in p.programmes:
        G.add_node(f"programme:{name}", type="programme", label=name)
        G.add_edge(pn, f"programme:{name}", type="programme")
    for name in p.beneficiaries:
        G.add_node(f"beneficiary:{name}", type="beneficiary", label=name)
        G.add_edge(pn, f"beneficiary:{name}", type="beneficiary")
    for c in p.children:
        _add_provision(G, pn, d, c)


def _edges_of_type(G, etype: str):
    return ((u, v) for u, v, t in G.edges(data="type") if t == etype)


def agencies_by_measures_and_money(G: nx.MultiDiGraph) -> list[dict]:
    """Agencies ranked by the measures and money of the provisions naming them.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("agency:A", type="agency", label="A"); G.add_node("agency:B", type="agency", label="B")
    >>> G.add_node("p1", type="provision", measures=2, money_yuan=100)
    >>> G.add_node("p2", type="provision", measures=0, money_yuan=50)
    >>> _ = G.add_edge("p1", "agency:A", type="responsibility_of")
    >>> _ = G.add_edge("p2", "agency:A", type="responsibility_of")
    >>> _ = G.add_edge("p2", "agency:B", type="responsibility_of")
    >>> agencies_by_measures_and_money(G)[0]
    {'agency': 'A', 'provisions': 2, 'measures': 2, 'money_yuan': 150}
    """
    provisions: dict[str, set] = defaultdict(set)
    for u, v in _edges_of_type(G, "responsibility_of"):
        provisions[v].add(u)
    rows = [{"agency": G.nodes[a].get("label", a), "provisions": len(ps),
             "measures": sum(G.nodes[p].get("measures", 0) for p in ps),
             "money_yuan": sum(G.nodes[p].get("money_yuan", 0) for p in ps)} for a, ps in provisions.items()]
    return sorted(rows, key=lambda r: (-r["measures"], -r["money_yuan"], -r["provisions"], r["agency"]))


def _document_of(G, node: str) -> str | None:
    return G.nodes[node].get("document")


def programmes_across_documents(G: nx.MultiDiGraph, min_documents: int = 2) -> list[dict]:
    """Programmes named in provisions of at least ``min_documents`` documents, most widespread first.

    >>> G = nx.MultiDiGraph()
    >>> for p, d in (("p1", "D1"), ("p2", "D2"), ("p3", "D2")):
    ...     G.add_node(p, type="provision", document=d)
    >>> G.add_node("programme:X", type="programme", label="X")
    >>> for p in ("p1", "p2", "p3"):
    ...     _ = G.add_edge(p, "programme:X", type="programme")
    >>> programmes_across_documents(G)
    [{'programme': 'X', 'documents': ['D1', 'D2'], 'provisions': 3}]
    """
    docs: dict[str, set] = defaultdict(set)
    provs: dict[str, set] = defaultdict(set)
    for u, v in _edges_of_type(G, "programme"):
        docs[v].add(_document_of(G, u))
        provs[v].add(u)
    rows = [{"programme": G.nodes[p].get("label", p), "documents": sorted(d for d in ds if d),
             "provisions": len(provs[p])} for p, ds in docs.items() if len(ds) >= min_documents]
    return sorted(rows, key=lambda r: (-len(r["documents"]), r["programme"]))


def supersession_components(G: nx.MultiDiGraph) -> list[list[str]]:
    """Groups of documents tied by citation, lineage or being the same work (weak components of
    documents and works over those edges), biggest first; singletons left out.

    >>> G = nx.MultiDiGraph()
    >>> for n, t in (("doc:a", "document"), ("doc:b", "document"), ("doc:c", "document"), ("work:w", "work")):
    ...     G.add_node(n, type=t)
    >>> _ = G.add_edge("doc:a", "work:w", type="realizes"); _ = G.add_edge("doc:b", "work:w", type="repeals")
    >>> supersession_components(G)
    [['doc:a', 'doc:b']]
    """
    H = nx.Graph()
    H.add_nodes_from(n for n, t in G.nodes(data="type") if t == "document")
    for u, v, t in G.edges(data="type"):
        if t == "realizes" or t == "cites" or t in LINEAGE_EDGES:
            H.add_edge(u, v)
    comps = [sorted(n for n in c if G.nodes[n].get("type") == "document") for c in nx.connected_components(H)]
    return sorted((c for c in comps if len(c) > 1), key=lambda c: (-len(c), c))


def centrality(G: nx.MultiDiGraph, types: Iterable[str] = ("agency", "programme", "beneficiary", "document"),
               top: int = 10) -> list[tuple[str, float]]:
    """Most central nodes of the given types by degree centrality on the undirected simple graph.

    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("agency:A", {"type": "agency"}), ("p1", {"type": "provision"}), ("p2", {"type": "provision"})])
    >>> _ = G.add_edge("p1", "agency:A", type="responsibility_of"); _ = G.add_edge("p2", "agency:A", type="responsibility_of")
    >>> centrality(G)
    [('agency:A', 1.0)]
    """
    types, total = set(types), G.number_of_nodes()
    if total < 2:
        return []
    ranked = []
    for n, t in G.nodes(data="type"):  # nx.degree_centrality(nx.Graph(G)) without copying the graph
        if t in types:
            near = set(G.successors(n))
            near.update(G.predecessors(n))
            ranked.append((n, round((len(near) + (n in near)) / (total - 1), 6)))  # a self-loop counts twice
    return sorted(ranked, key=lambda t: (-t[1], t[0]))[:top]


def write_graphml(G: nx.MultiDiGraph, path) -> None:
    """GraphML of the view (attributes without a value are left out: GraphML has no null)."""
    H = nx.MultiDiGraph()
    H.add_nodes_from((n, {k: v for k, v in a.items() if v is not None}) for n, a in G.nodes(data=True))
    H.add_edges_from((u, v, k, {x: y for x, y in a.items() if y is not None})
                     for u, v, k, a in G.edges(keys=True, data=True))
    nx.write_graphml(H, str(path))
