"""图谱 Graph browser: a node's neighbourhood (vis.js through streamlit-agraph) and graph statistics."""
from __future__ import annotations

import streamlit as st

from app_pages import views_graph
from app_pages.common import L, catalog, store_spec, table
from app_pages.views import COUNTS, KINDS


def page_graph() -> None:
    from streamlit_agraph import Config, Edge, Node, agraph
    st.header(L("图谱", "Graph browser"))
    cat = catalog()
    c1, c2, c3 = st.columns([1, 3, 1])
    kind = c1.selectbox(L("类型", "Type"), ["document", "agency", "programme", "beneficiary"], format_func=lambda k: L(*KINDS[k][:2]))
    choices = views_graph.graph_choices(cat, kind)
    if not choices:
        st.info(L("图中没有此类节点。", "No nodes of this type."))
        return
    node = c2.selectbox(L("节点", "Node"), choices, format_func=lambda x: x[1])[0]
    limit = c3.slider(L("最多邻居", "Max neighbours"), 5, 120, 25)
    nb = views_graph.neighbourhood(cat, node, limit)
    spec = views_graph.vis_spec(nb)
    nodes, edges = [Node(**n) for n in spec["nodes"]], [Edge(**e) for e in spec["edges"]]
    st.caption(" · ".join(f"<span style='color:{v[2]}'>●</span> {L(v[0], v[1])}" for v in KINDS.values()), unsafe_allow_html=True)
    graph_tab, table_tab = st.tabs([L("关系图", "Graph"), L("表格", "Table")])
    with graph_tab:
        cfg = Config(width=1000, height=560, directed=False, physics=True)
        cfg.physics["barnesHut"] = {"gravitationalConstant": -6000, "springLength": 170, "avoidOverlap": 0.5}
        picked = agraph(nodes=nodes, edges=edges, config=cfg)
        if picked:
            st.caption(L("选中：", "Selected: ") + str(picked))
    with table_tab:
        table(views_graph.edge_rows(nb))
    st.subheader(L("统计", "Statistics"))
    stats = views_graph.graph_stats(store_spec(), cat)
    st.caption(" · ".join(f"{L(COUNTS.get(k, k), k)} {v:,}" for k, v in stats["counts"].items()))
    agencies, programmes = views_graph.stats_tables(stats)
    st.markdown(f"**{L('机构：措施数与金额', 'Agencies by measures and money')}**")
    table(agencies)
    if programmes:
        st.markdown(f"**{L('跨文件的计划/项目', 'Programmes across documents')}**")
        table(programmes)


if __name__ == "__main__":  # run by st.navigation (app.py) as this page's script
    page_graph()
