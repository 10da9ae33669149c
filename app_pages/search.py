"""检索 Search: full-text search with facets, and read-only SPARQL."""
from __future__ import annotations

from datetime import date
from html import escape

import streamlit as st

from app_pages import views
from app_pages.common import L, as_of, catalog, plabel, status_label, store_spec
from app_pages.views import SPARQL_EXAMPLE, STATUS, book
from queries.search_store import search_for_store
from queries.sparql import run_query


def page_search() -> None:
    st.header(L("检索", "Search"))
    cat = catalog()
    q = st.text_input(L("关键词", "Search text"), key="search_q", placeholder="研发投入")
    c1, c2, c3, c4, c5 = st.columns(5)
    stat = c1.multiselect(L("时效", "Status"), list(STATUS), format_func=status_label, placeholder=L("全部", "All"))
    issuers, types = views.search_facets(cat)
    issuer = c2.selectbox(L("发文机关", "Issuer"), [None, *issuers], format_func=lambda x: L("全部", "All") if x is None else x)
    doc_type = c3.selectbox(L("文种", "Type"), [None, *types], format_func=lambda x: L("全部", "All") if x is None else x)
    d_from = c4.date_input(L("印发日期起", "Issued from"), value=None, min_value=date(1949, 10, 1))
    d_to = c5.date_input(L("印发日期止", "Issued until"), value=None, min_value=date(1949, 10, 1))
    if q.strip():
        res = search_for_store(store_spec(), q, 30, status=stat or None, issuer=issuer, doc_type=doc_type, date_from=d_from, date_to=d_to, as_of=as_of())
        st.caption(L(f"共 {res['total']} 条，显示前 {len(res['hits'])} 条", f"{res['total']} hits, showing {len(res['hits'])}"))
        if not res["hits"]:
            st.info(L("没有匹配的条款。", "No matching provisions."))
        for h in res["hits"]:
            p, d = h["provision"], h["document"]
            st.markdown(f"**{escape(book(d['title']))}** {escape(plabel(p))} · L{p['line_start']}–{p['line_end']}"
                        + (f" · {status_label(h['status'])}" if h["status"] else "") + f"  \n{views.snippet_html(h['snippet'], q)}", unsafe_allow_html=True)
    with st.expander(L("SPARQL 查询（只读，最多 1000 行、10 秒）", "SPARQL (read-only, at most 1000 rows, 10 s)")):
        sq = st.text_area("SPARQL", SPARQL_EXAMPLE, height=140)
        if st.button(L("运行", "Run")):
            rows = run_query(store_spec(), sq, limit=1000, timeout=10)
            st.dataframe(views.sparql_rows(rows), hide_index=True)
            if rows.get("truncated"):
                st.caption(L("结果已截断", "Results truncated"))


if __name__ == "__main__":  # run by st.navigation (app.py) as this page's script
    page_search()
