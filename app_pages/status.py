"""时效与沿革 Status & lineage: validity timeline as of the sidebar date, a document's evidence and
lineage, 新旧对照 side by side."""
from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

import streamlit as st

from app_pages import views, views_status
from app_pages.common import L, as_of, catalog, side_by_side, status_label
from app_pages.views import CHANGE, LINEAGE, STATUS, book
from queries.status import diff_documents, status_map, status_report


def page_status() -> None:
    st.header(L("时效与沿革", "Status & lineage"))
    cat = catalog()
    rep: dict[str, Any] = {"as_of": as_of(), "documents": list(status_map(cat, date.fromisoformat(as_of())).values())}
    docs = rep["documents"]
    st.caption(L(f"截至 {rep['as_of']}（左侧可改日期），共 {len(docs)} 份文件", f"As of {rep['as_of']} (change in the sidebar), {len(docs)} documents"))
    for col, (s, n) in zip(st.columns(len(STATUS)), views_status.status_counts(docs).items()):
        col.metric(status_label(s), n)
    bars, undated = views_status.timeline_rows(rep)
    if bars:
        st.vega_lite_chart(views_status.timeline_spec([dict(b, status=status_label(b["status"])) for b in bars], rep["as_of"],
                                                      [status_label(s) for s in STATUS], [v[2] for v in STATUS.values()],
                                                      L("有效期", "Validity")), width="stretch")
        st.caption(L("无截止日期的文件画至查询日后一年；虚线为查询日期。", "Open-ended documents run one year past the date; the dashed line is the date."))
    if undated:
        st.caption(L("无日期：", "No dates: ") + "；".join(u["title"] for u in undated))
    by_id = {d["id"]: d for d in docs}
    title = lambda i: (by_id[i]["title"] or i) if i in by_id else i  # noqa: E731
    pick = st.selectbox(L("查看文件", "Document"), list(by_id), index=views_status.first_with_lineage(docs),
                        format_func=lambda i: f"{title(i)} · {i}")
    doc = views.memo(cat, ("status", pick, as_of()), lambda: status_report(cat, as_of(), pick)["documents"][0])
    c1, c2 = st.columns(2)
    c1.markdown(f"**{status_label(doc['status'])}** · {doc.get('doc_type') or ''} · {doc.get('doc_number') or ''}  \n"
                + L("施行", "Effective") + f" {doc['effective_start'] or '?'} – {doc['effective_end'] or ''} · "
                + L("印发", "Issued") + f" {doc['issue_date'] or '?'} · " + "、".join(doc.get("issuers", [])))
    for e in doc["evidence"]:
        c1.caption((f"L{e['line']}：" if e.get("line") else "") + e["text"][:200])
    for key, zh, en in LINEAGE:
        if doc.get(key):
            c2.markdown(f"**{L(zh, en)}**：" + " → ".join(escape(title(i)) for i in doc[key]))
    for o in (doc.get("override_candidates") or [])[:5] + (doc.get("possibly_displaced_by") or [])[:5]:
        c2.caption(f"{L('可能被覆盖', 'Possibly overridden')}：{book(o['title'])} {o['label'] or o['provision']} L{o['line_start']} — {o['reason']}")
    if not any(doc.get(k) for k in ("chain", "supersedes", "superseded_by", "amended_by", "same_work")):
        c2.caption(L("未发现该文件的前身、后继或替代关系。", "No predecessor, successor or replacement found."))
    others, related = views_status.comparison_choices(doc, docs)
    st.subheader(L("新旧对照", "Side-by-side comparison"))
    other = st.selectbox(L("对照文件", "Compare with"), [None] + others, index=1 if related else 0,
                         format_func=lambda i: L("（选择文件）", "(choose)") if i is None else f"{title(i)} · {i}")
    if other:
        show_diff(views.memo(cat, ("diff", doc["id"], other), lambda: diff_documents(cat, doc["id"], other)))


def show_diff(diff: dict) -> None:
    s = diff["summary"]
    st.caption(L(f"相同 {s.get('same', 0)} · 修改 {s.get('changed', 0)} · 新增 {s.get('added', 0)} · 删除 {s.get('removed', 0)}",
                 f"same {s.get('same', 0)} · changed {s.get('changed', 0)} · added {s.get('added', 0)} · removed {s.get('removed', 0)}"))
    changes = [c for c in diff["clauses"] if c["change"] != "same"]
    if not changes:
        st.success(L("两份文件条款内容一致。", "The two documents have the same clauses."))
    for c in changes[:40]:
        a, b = c["a"] or {}, c["b"] or {}
        side_by_side(f"A {a.get('label') or a.get('id', '—')} L{a.get('line_start', '—')} · {L(*CHANGE[c['change']])}", a.get("text", ""),
                     f"B {b.get('label') or b.get('id', '—')} L{b.get('line_start', '—')}", b.get("text", ""))


if __name__ == "__main__":  # run by st.navigation (app.py) as this page's script
    page_status()
