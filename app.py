"""policygraph — the Streamlit app (政策匹配 · 时效与沿革 · 重复与冲突 · 图谱 · 检索 · 上传).

A thin shell over ``queries``: every answer comes from there. This file sets up Streamlit's own
multipage navigation (one URL per page: /status links straight to 时效与沿革) and the sidebar; the
pages are the scripts in app_pages/, their shared layout app_pages/common.py, and what they show
is computed by the Streamlit-free helpers app_pages/views*.py.
First start ingests the bundled corpus into POLICYGRAPH_STORE (default data/store).
"""
from __future__ import annotations

import traceback
from datetime import date
from pathlib import Path

import streamlit as st

from app_pages import views
from app_pages.common import L, catalog, ensure_store, store_spec, warm_nlp

st.set_page_config(page_title="policygraph 政策图谱", page_icon="📜", layout="wide")

# (page script, URL path, zh title, en title); the first is the home page
PAGES = (("app_pages/eligibility.py", "eligibility", "政策匹配", "Eligibility"),
         ("app_pages/status.py", "status", "时效与沿革", "Status & lineage"),
         ("app_pages/overlaps.py", "overlaps", "重复与冲突", "Overlaps"),
         ("app_pages/graph.py", "graph", "图谱", "Graph"),
         ("app_pages/search.py", "search", "检索", "Search"),
         ("app_pages/upload.py", "upload", "上传", "Upload"))


def main() -> None:
    page = st.navigation([st.Page(script, title=L(zh, en), url_path=url, default=i == 0)
                          for i, (script, url, zh, en) in enumerate(PAGES)])
    st.sidebar.title("policygraph")
    st.sidebar.toggle("English", key="en")
    if "as_of" not in st.session_state:  # a link may carry the date: ?as_of=2024-09-15
        st.session_state.as_of = views.date_param(st.query_params.get("as_of")) or date.today()
    st.sidebar.date_input(L("查询日期", "As of"), key="as_of", min_value=date(1949, 10, 1),
                          max_value=date(2100, 12, 31))
    try:
        info = st.sidebar.empty()
        ensure_store()
        page.run()  # first, so the page shows while the catalog and jieba load
        where, n = "/".join(Path(store_spec()).parts[-2:]), len(catalog().documents)
        info.caption(L(f"{n} 份文件 · 存储 …/{where}", f"{n} documents · store …/{where}"), help=store_spec())
        warm_nlp()
    except views.USER_ERRORS as e:
        st.error(str(e))
    except Exception as e:  # noqa: BLE001 — last resort: a message for the user, the traceback for the log
        traceback.print_exc()
        st.error(L(f"内部错误（{type(e).__name__}），详情见服务器日志。", f"Internal error ({type(e).__name__}); see the server log."))


main()
