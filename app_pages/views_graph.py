"""The app's graph browser: the document-level NetworkX view, node choices, a node's
neighbourhood (and its vis.js spec and table rows), graph statistics as tables.

Nothing here knows Streamlit; app.py renders what these return.
"""
from __future__ import annotations

from queries.catalog import Catalog
from queries.money import WAN

from .views import KINDS


def doc_graph(catalog: Catalog):
    """The NetworkX view with provisions folded into their documents (memoised): a document
    links straight to the agencies, programmes and beneficiaries its provisions name."""
    if "views:doc_graph" in catalog.memo:
        return catalog.memo["views:doc_graph"]
    import networkx as nx

    from graph.nxview import project
    G = project(catalog.documents)
    H = nx.Graph()
    owner = {n: f"doc:{a['document']}" for n, a in G.nodes(data=True) if a.get("type") == "provision"}
    for n, a in G.nodes(data=True):
        if a.get("type") != "provision":
            H.add_node(n, type=a.get("type"), label=a.get("label") or n)
    for u, v, t in G.edges(data="type"):
        u, v = owner.get(u, u), owner.get(v, v)
        if u == v:
            continue
        if H.has_edge(u, v):
            H[u][v]["count"] += 1
            H[u][v]["types"].add(t)
        else:
            H.add_edge(u, v, count=1, types={t})
    catalog.memo["views:doc_graph"] = H
    return H


def graph_choices(catalog: Catalog, kind: str) -> list[tuple[str, str]]:
    """(node id, label) of one node type (document, agency, programme, beneficiary), best linked first."""
    H = doc_graph(catalog)
    nodes = [(n, a["label"]) for n, a in H.nodes(data=True) if a.get("type") == kind]
    return sorted(nodes, key=lambda x: (-H.degree(x[0]), x[1]))


def neighbourhood(catalog: Catalog, node: str, limit: int = 60) -> dict:
    """A node, its neighbours (the ``limit`` most linked) and the links among them, as plain
    lists: nodes {id, label, type, centre}, edges {source, target, relation, count}."""
    H = doc_graph(catalog)
    if node not in H:
        raise ValueError(f"no node {node!r} in the graph")
    near = sorted(H.neighbors(node), key=lambda n: (-H[node][n]["count"], -H.degree(n), n))[:limit]
    keep = {node, *near}
    nodes = [{"id": n, "label": H.nodes[n]["label"], "type": H.nodes[n]["type"], "centre": n == node} for n in keep]
    edges = [{"source": u, "target": v, "relation": "/".join(sorted(a["types"])), "count": a["count"]}
             for u, v, a in H.subgraph(keep).edges(data=True)]
    return {"nodes": sorted(nodes, key=lambda x: (not x["centre"], x["type"], x["label"])),
            "edges": sorted(edges, key=lambda e: -e["count"])}


def vis_spec(nb: dict, label_chars: int = 12) -> dict:
    """Keyword arguments of streamlit-agraph's Node and Edge (vis.js options) for a neighbourhood."""
    def short(s):
        return s[:label_chars] + ("…" if len(s) > label_chars else "")
    nodes = [{"id": n["id"], "label": short(n["label"]), "title": n["label"], "size": 26 if n["centre"] else 12,
              "color": KINDS.get(n["type"], ("", "", "#999"))[2], "font": {"size": 13}} for n in nb["nodes"]]
    edges = [{"source": e["source"], "target": e["target"], "title": f"{e['relation']} ×{e['count']}",
              "width": 1 + min(e["count"], 20) / 4, "color": "#bbbbbb"} for e in nb["edges"]]
    return {"nodes": nodes, "edges": edges}


def stats_tables(stats: dict) -> tuple[list[dict], list[dict]]:
    """(agencies, programmes) rows of graph stats, money in 万元 (column names: COLUMNS)."""
    return ([{"agency": a["agency"], "measures": a["measures"], "provisions": a["provisions"],
              "money_wan": round(a["money_yuan"] / WAN)} for a in stats["agencies"]],
            [{"programme": p["programme"], "documents": len(p["documents"]), "provisions": p["provisions"]}
             for p in stats["programmes"]])


def edge_rows(nb: dict) -> list[dict]:
    """A neighbourhood's links as table rows (column names: COLUMNS)."""
    label = {n["id"]: n["label"] for n in nb["nodes"]}
    return [{"from": label[e["source"]], "relation": e["relation"], "to": label[e["target"]], "count": e["count"]}
            for e in nb["edges"]]

def graph_stats(store: str, catalog: Catalog) -> dict:
    """queries.graphstats.stats for the store, memoised with the catalog it matches."""
    if "views:stats" not in catalog.memo:
        from queries.graphstats import stats
        catalog.memo["views:stats"] = stats(store)
    return catalog.memo["views:stats"]
