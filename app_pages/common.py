"""What every page of the app shares: the interface language, the store (ingested on first start),
the catalog, the as-of date, and small Streamlit layouts (citations, quotes, side-by-side diffs).

app.py sets up the navigation; each page script in this folder imports from here.
"""
from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import date
from html import escape
from typing import Any

import streamlit as st

from app_pages import views, views_uploads
from app_pages.views import COLUMNS, DIFF_COLOURS, STATUS, mark_html
from ingest.resources import data_path, default_store
from queries.catalog import catalog_for_store


def store_spec() -> str:
    """POLICYGRAPH_STORE (default: data/store of a checkout, else the user's data folder), read on
    every run: this module outlives a run."""
    return default_store()


def L(zh: str, en: str) -> str:
    return en if st.session_state.get("en") else zh


def status_label(s: str) -> str:
    zh, en, _ = STATUS.get(s, (s, s, ""))
    return L(zh, en)


# ---- store, models, catalog (cached) ----------------------------------------------------------

@st.cache_resource(show_spinner=False)
def boot_lock() -> threading.Lock:
    return threading.Lock()


@st.cache_resource(show_spinner=False)
def warm_nlp() -> bool:
    import jieba
    jieba.setLogLevel(60)
    jieba.initialize()
    return True


def ensure_store() -> None:
    """Ingest the bundled corpus on first start (with a progress bar); later starts reuse the store."""
    if st.session_state.get("store_ok"):
        return
    with boot_lock():
        if not views_uploads.store_ready(store_spec()):
            bar = st.progress(0.0, text=L("首次启动：正在导入内置政策文件…", "First start: ingesting the bundled corpus…"))
            with data_path("corpus") as corpus:  # the bundled corpus, shipped as package data
                views_uploads.ingest_corpus(store_spec(), corpus, on_file=lambda i, n, name: bar.progress(
                    i / max(n, 1), text=L(f"首次启动：正在导入 {i}/{n} {name}", f"First start: ingesting {i}/{n} {name}")))
            bar.empty()
    st.session_state.store_ok = True


def catalog():
    return catalog_for_store(store_spec())  # rebuilt only when the store changed (fingerprint)


def as_of() -> str:
    return st.session_state.get("as_of", date.today()).isoformat()


def side_by_side(cap_a: str, text_a: str, cap_b: str, text_b: str) -> None:
    """Two texts in columns, their differences highlighted (red: A only, green: B only)."""
    sa, sb = views.diff_segments(text_a, text_b)
    for col, cap, seg, colour in zip(st.columns(2), (cap_a, cap_b), (sa, sb), DIFF_COLOURS):
        col.caption(cap)
        col.markdown(mark_html(seg, colour), unsafe_allow_html=True)


def plabel(p: Mapping[str, Any]) -> str:
    return p.get("label") or (L("序言", "preamble") if p.get("id") == "pre" else p.get("id") or "")


def lines(x: Mapping[str, Any]) -> str:
    return L(f"第 {x['line_start']}–{x['line_end']} 行", f"lines {x['line_start']}–{x['line_end']}")


def table(rows: list[dict]) -> None:
    """Rows as a table, column names in the interface language (views.COLUMNS)."""
    st.dataframe([{L(*COLUMNS[k]) if k in COLUMNS else k: v for k, v in r.items()} for r in rows], hide_index=True)


def quote(text: str) -> None:
    st.markdown(f"<div style='white-space:pre-wrap;border-left:3px solid #ccc;padding-left:.6em'>{escape(text)}</div>",
                unsafe_allow_html=True)
