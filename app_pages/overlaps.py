"""重复与冲突 Overlaps: duplicate documents with their differences, conflicts in force together,
near-duplicate provisions."""
from __future__ import annotations

from html import escape

import streamlit as st

from app_pages import views
from app_pages.common import L, as_of, catalog, lines, quote, side_by_side, status_label
from app_pages.views import RELATION, book
from queries.overlaps import overlaps_report


def page_overlaps() -> None:
    st.header(L("重复与冲突", "Overlaps & conflicts"))
    cat = catalog()
    with st.spinner(L("正在比对条款…", "Comparing provisions…")):
        rep = views.memo(cat, ("overlaps", as_of()), lambda: overlaps_report(cat, as_of()))
    t = lambda i: cat.by_id[i].title or i if i in cat.by_id else i  # noqa: E731
    m = st.columns(3)
    m[0].metric(L("重复/修订文件对", "Duplicate / revised document pairs"), len(rep["documents"]))
    m[1].metric(L("近似条款对", "Near-duplicate provision pairs"), len(rep["provisions"]))
    m[2].metric(L("冲突", "Conflicts"), len(rep["conflicts"]))
    st.subheader(L("重复文件", "Duplicate documents"))
    if not rep["documents"]:
        st.info(L("未发现重复文件。", "No duplicate documents."))
    for d in rep["documents"]:
        with st.container(border=True):
            st.markdown(f"**{escape(t(d['a']))}** `{d['a']}` ↔ **{escape(t(d['b']))}** `{d['b']}`")
            st.caption(f"{L(*RELATION.get(d['relation'], (d['relation'],) * 2))} · {L('相似度', 'similarity')} {d['similarity']:.1%} · "
                       f"{L('共有条款', 'shared provisions')} {d['shared_provisions']}")
            if d["differences"]:
                st.markdown(views.differences_html(d["differences"]), unsafe_allow_html=True)
    show_conflicts(rep["conflicts"], {i: d.title for i, d in cat.by_id.items()})
    st.subheader(L("近似条款", "Near-duplicate provisions"))
    hide = st.checkbox(L("隐藏重复文件之间的条款", "Hide pairs inside duplicate documents"), value=True)
    pairs = views.provision_pairs(rep, hide_duplicates=hide)
    if not pairs:
        st.info(L("没有需要显示的近似条款。", "No near-duplicate provisions to show."))
    for p in pairs[:20]:
        a, b = p["a"], p["b"]
        with st.expander(f"{p['similarity']:.0%} · {book(a['title'])}{a['label'] or ''} ↔ {book(b['title'])}{b['label'] or ''}"):
            side_by_side(f"{a['document']} L{a['line_start']}–{a['line_end']}", a["text"],
                         f"{b['document']} L{b['line_start']}–{b['line_end']}", b["text"])


def show_conflicts(conflicts: list[dict], titles: dict) -> None:
    """Competing measures in force together, both citations side by side, and what settles them."""
    st.subheader(L("冲突", "Conflicts"))
    day = as_of()
    st.caption(L(f"截至 {day}（左侧可改查询日期）同时有效的不同文件中，同一对象、同一用途而金额或比例不同的条款。",
                 f"As of {day} (change the date in the sidebar): measures for the same beneficiary and purpose in "
                 "documents in force together, with different amounts or ratios."))
    if not conflicts:
        st.info(L(f"截至 {day}，未发现冲突。冲突只在两份文件同时有效时成立：文件失效后不再列出，可在左侧选择更早的查询日期查看。",
                  f"No conflicts as of {day}. A conflict needs both documents in force: pick an earlier date in the sidebar to see past ones."))
    for c in conflicts[:30]:
        with st.container(border=True):
            st.markdown(f"**{escape(c['beneficiary'] or '')} / {escape(c['purpose'] or '')}** — {escape(c['reason'])}")
            for col, side, text in zip(st.columns(2), (c["a"], c["b"]), (c["a_text"], c["b_text"])):
                col.markdown(f"**{escape(book(side['title']))}** {escape(side['label'] or side['provision'])} · "
                             + lines(side)
                             + (f" · {status_label(side['status'])}" if side.get("status") else ""))
                col.caption(f"`{side['document']}`")
                with col:
                    quote(text)
            st.markdown(f"**{L('以何为准', 'Which applies')}**：" + escape(views.name_documents(c["resolution"], titles)
                        if c.get("resolution") else L("文件未说明，请向责任单位确认。", "Not stated; ask the responsible agency.")))


if __name__ == "__main__":  # run by st.navigation (app.py) as this page's script
    page_overlaps()
