"""policygraph — the Streamlit app (政策匹配 · 时效与沿革 · 重复与冲突 · 图谱 · 检索 · 上传).

A thin shell over ``queries``: every answer comes from there, this file only lays it out.
First start ingests the bundled corpus into POLICYGRAPH_STORE (default data/store).
"""
from __future__ import annotations

import os
import threading
import traceback
from datetime import date
from html import escape
from pathlib import Path

import streamlit as st

from queries import location_form, views, views_graph, views_status, views_uploads
from queries.ask import answer as ask_answer
from queries.catalog import catalog_for_store
from queries.eligibility import eligibility
from queries.overlaps import overlaps_report
from queries.search import search
from queries.sparql import run_query
from queries.status import diff_documents, status_map, status_report
from queries.views import (CHANGE, COLUMNS, COUNTS, DIFF_COLOURS, ENTITY, KINDS, LINEAGE, NUMBERS, RELATION, SPARQL_EXAMPLE,
                           STATUS, TRI_STATE, VERDICT, book, mark_html)
from queries.views_uploads import MAX_UPLOAD_BYTES, UPLOAD_TYPES

ROOT = Path(__file__).resolve().parent
STORE = os.environ.get("POLICYGRAPH_STORE", str(ROOT / "data" / "store"))
CORPUS = ROOT / "data" / "corpus"

st.set_page_config(page_title="policygraph 政策图谱", page_icon="📜", layout="wide")


def L(zh: str, en: str) -> str:
    return en if st.session_state.get("en") else zh


def status_label(s: str) -> str:
    zh, en, _ = STATUS.get(s, (s, s, ""))
    return L(zh, en)


# ---- store, models, catalog (cached) ----------------------------------------------------------

@st.cache_resource(show_spinner=False)
def _boot_lock() -> threading.Lock:
    return threading.Lock()


@st.cache_resource(show_spinner=False)
def _warm_nlp() -> bool:
    import jieba
    jieba.setLogLevel(60)
    jieba.initialize()
    return True


def ensure_store() -> None:
    """Ingest the bundled corpus on first start (with a progress bar); later starts reuse the store."""
    if st.session_state.get("store_ok"):
        return
    with _boot_lock():
        if not views_uploads.store_ready(STORE):
            bar = st.progress(0.0, text=L("首次启动：正在导入内置政策文件…", "First start: ingesting the bundled corpus…"))
            views_uploads.ingest_corpus(STORE, CORPUS, on_file=lambda i, n, name: bar.progress(
                i / max(n, 1), text=L(f"首次启动：正在导入 {i}/{n} {name}", f"First start: ingesting {i}/{n} {name}")))
            bar.empty()
    st.session_state.store_ok = True


def catalog():
    return catalog_for_store(STORE)  # rebuilt only when the store changed (fingerprint)


def as_of() -> str:
    return st.session_state.get("as_of", date.today()).isoformat()


def side_by_side(cap_a: str, text_a: str, cap_b: str, text_b: str) -> None:
    """Two texts in columns, their differences highlighted (red: A only, green: B only)."""
    sa, sb = views.diff_segments(text_a, text_b)
    for col, cap, seg, colour in zip(st.columns(2), (cap_a, cap_b), (sa, sb), DIFF_COLOURS):
        col.caption(cap)
        col.markdown(mark_html(seg, colour), unsafe_allow_html=True)


def plabel(p: dict) -> str:
    return p.get("label") or (L("序言", "preamble") if p.get("id") == "pre" else p.get("id") or "")


def lines(x: dict) -> str:
    return L(f"第 {x['line_start']}–{x['line_end']} 行", f"lines {x['line_start']}–{x['line_end']}")


def table(rows: list[dict]) -> None:
    """Rows as a table, column names in the interface language (views.COLUMNS)."""
    st.dataframe([{L(*COLUMNS[k]) if k in COLUMNS else k: v for k, v in r.items()} for r in rows], hide_index=True)


def quote(text: str) -> None:
    st.markdown(f"<div style='white-space:pre-wrap;border-left:3px solid #ccc;padding-left:.6em'>{escape(text)}</div>",
                unsafe_allow_html=True)


# ---- 政策匹配 Eligibility -------------------------------------------------------------------------

def page_eligibility() -> None:
    st.header(L("政策匹配", "Eligibility"))
    st.caption(L("填写企业信息或直接提问，查看可申请的政策条款、最高金额与出处。未填写的项视为“未知”。",
                 "Fill in the firm profile or ask a question: the measures that apply, the most you can get, "
                 "and where it is written. Blank fields count as unknown."))
    form_tab, ask_tab = st.tabs([L("企业信息", "Firm profile"), L("直接提问", "Ask a question")])
    with form_tab:
        place = location_picker()
    with form_tab, st.form("profile"):
        c1, c2, c3 = st.columns(3)
        f = {"location": place,
             "entity_type": c1.selectbox(L("主体类型", "Entity type"), views.entity_type_names(), key="pf_entity_type",
                                         format_func=lambda k: L(ENTITY.get(k, k), k)),
             "qualifications": c1.multiselect(L("资质", "Qualifications"), views.qualification_names(), key="pf_qualifications",
                                               placeholder=L("可多选", "Choose")),
             "employees": c3.number_input(L("职工人数", "Employees"), 0, value=None, key="pf_employees")}
        for k, zh, en, lo in NUMBERS:
            f[k] = c2.number_input(L(zh, en), lo, value=None, key=f"pf_{k}")
        tri = {None: L("未填", "—"), "yes": L("是", "yes"), "no": L("否", "no")}
        for k, zh, en in TRI_STATE:
            f[k] = c3.selectbox(L(zh, en), list(tri), format_func=tri.get, key=f"pf_{k}")
        f["industries"] = views.split_list(c3.text_input(L("所属行业（逗号分隔）", "Industries (comma separated)"), "",
                                                          key="pf_industries"))
        expired = st.checkbox(L("也显示已失效文件中的条款", "Also show measures of expired documents"))
        if st.form_submit_button(L("查询可申请政策", "Find measures"), type="primary", key="pf_submit"):
            try:
                st.session_state.elig = eligibility(catalog(), views.profile_from_form(f), as_of(), include_expired=expired)
            except views.USER_ERRORS as e:  # a place the dataset does not know: say so, keep the page
                st.error(str(e))
    with ask_tab:
        q = st.text_area(L("问题", "Question"), key="question", placeholder=L(
            "例如：我们是合肥市的高新技术企业，去年研发投入3000万元，比前年增长50%，能申请哪些补贴？",
            "e.g. 我们是合肥市的高新技术企业，去年研发投入3000万元，比前年增长50%，能申请哪些补贴？"))
        if st.button(L("提问", "Ask"), type="primary", key="ask_submit"):
            st.session_state.elig = ask_answer(catalog(), q, as_of())
    if "elig" in st.session_state:
        show_eligibility(st.session_state.elig)


def location_picker() -> str | None:
    """Province → city → district (no default), or a zone or place typed in; outside the form so
    each choice narrows the next."""
    c1, c2, c3, c4 = st.columns(4)
    none = L("（不限）", "(any)")
    prov = c1.selectbox(L("省份", "Province"), location_form.provinces(), index=None, key="pf_province", placeholder=none)
    city = c2.selectbox(L("城市", "City"), location_form.cities(prov), index=None, key="pf_city", placeholder=none)
    county = c3.selectbox(L("区县", "District/county"), location_form.counties(prov, city), index=None,
                          key="pf_county", placeholder=none)
    typed = c4.text_input(L("或输入地区/功能区", "Or type a place or zone"), "", key="pf_place",
                          placeholder=L("如 两江新区、南沙", "e.g. 两江新区"))
    return typed.strip() or location_form.location(prov, city, county)


def show_eligibility(res: dict) -> None:
    if res.get("understood"):
        st.info(L("理解为：", "Understood: ") + "；".join(
            f"{views.field_label(n['field']) if n['field'] else '?'} = {n['value']}（“{n['text']}”）" for n in res["understood"]))
    results = res["results"]
    if not results:
        st.warning(L("没有找到适用的政策条款。可尝试补充企业信息或更换日期。", "No measure applies. Add profile details or change the date."))
        return
    main, review = views.split_review(results)
    n = views.verdict_counts(main)
    c, ex = res["combined"], res["combined"].get("explain", {})
    m = st.columns([1, 1, 2, 2])
    m[0].metric(L("符合", "Eligible"), n["eligible"])
    m[1].metric(L("可能符合", "Possible"), n["possible"])
    for col, k, zh, en in ((m[2], "eligible_max_yuan", "确定可得合计", "Certain total"),
                           (m[3], "possible_max_yuan", "若待定条件满足，最多可得", "Upper bound if open conditions are met")):
        col.metric(L(zh, en), views.yuan_text(c[k]))
        col.caption(ex.get(k, ""))
    for rule in c.get("no_stacking", [])[:3]:
        st.caption(L("不叠加：", "No stacking: ") + f"「{rule['rule']['text'][:60]}」 → {views.yuan_text(rule['combined_yuan'])}"
                   + L(f"（而非合计 {views.yuan_text(rule['sum_yuan'])}）", f" (not {views.yuan_text(rule['sum_yuan'])})"))
    change = views.what_would_change(results)
    if change:
        with st.expander(L("补充哪些信息会改变结论", "What would change the answer"), expanded=True):
            for w in [w for w in change if w["fillable"]][:8]:
                st.markdown(f"- **{escape(w['label'])}**：" + L(f"决定 {w['results']} 项结果，最多涉及 {views.yuan_text(w['max_yuan'])}",
                                                                  f"decides {w['results']} results, up to {views.yuan_text(w['max_yuan'])}")
                            + (f" — “{escape(w['texts'][0][:60])}”" if w["texts"] else ""))
            if review:
                st.caption(L(f"另有 {len(review)} 项无法由企业信息确定（以申报指南/评审为准），见下方。",
                             f"{len(review)} more cannot be settled by the profile (decided by review): see below."))
    rows = views.result_rows(res)
    d1, d2, _ = st.columns([1, 1, 4])
    d1.download_button(L("下载 CSV", "Download CSV"), views.to_csv(rows), "eligibility.csv", "text/csv")
    d2.download_button(L("下载 JSON", "Download JSON"), views.to_json(res),
                       "eligibility.json", "application/json")
    pick = st.radio(L("显示", "Show"), ["all", "eligible", "possible"], horizontal=True, format_func=lambda v: {
        "all": L("全部", "All"), "eligible": L("符合", "Eligible"), "possible": L("可能符合", "Possible")}[v])
    shown = [r for r in main if pick == "all" or r["verdict"] == pick]
    for i, r in enumerate(shown[:30]):
        card(r, i)
    if len(shown) > 30:
        st.caption(L(f"另有 {len(shown) - 30} 项见下表或下载文件", f"{len(shown) - 30} more in the table / downloads"))
    with st.expander(L("全部结果表格", "All results as a table")):
        st.dataframe(rows, hide_index=True)
    if review:
        st.subheader(L("以申报指南/评审为准", "Decided by the call for applications / review"))
        d = c.get("discretionary") or {}
        st.caption(L(f"{len(review)} 项，单项最高 {views.yuan_text(d.get('best_single_yuan'))}，不计入上方合计。",
                     f"{len(review)} measures, largest single {views.yuan_text(d.get('best_single_yuan'))}; not in the totals above.")
                   + " " + ex.get("discretionary", ""))
        with st.container(border=True):
            st.markdown("  \n".join(f"**{views.yuan_text(r['benefit']['max_yuan'])}** · {escape(views.short(r['measure']['text'], 90))} — "
                                    f"{escape(book(r['document']['title']))} {escape(plabel(r['provision']))} {lines(r['provision'])}"
                                    for r in review[:20]) + (L(f"  \n另有 {len(review) - 20} 项见上方表格", f"  \n{len(review) - 20} more in the table")
                                                             if len(review) > 20 else ""))
    show_reading(res.get("related_reading") or [])


def show_reading(related: list[dict]) -> None:
    """News reports and interpretations that restate measures: shown apart, never as policies."""
    if not related:
        return
    st.subheader(L("相关解读/新闻（非政策原文）", "Related reading / news (not policy texts)"))
    st.caption(L("以下报道或解读转述了政策措施，未计入适用政策和合计，请以政策原文为准。",
                 "These reports or interpretations restate measures; they are not counted above. The policy text prevails."))
    for g in views.reading_groups(related):
        d = g["document"]
        with st.container(border=True):
            st.markdown(f"**{escape(book(d['title']))}** · {escape(d.get('doc_type') or '')} · `{escape(Path(d['source']).name)}`")
            for it in g["items"][:8]:
                st.markdown(f"- **{views.yuan_text(it['max_yuan'])}** · " + L(f"第 {it['line']} 行", f"line {it['line']}")
                            + f"（{escape(it['label'] or L('正文', 'text'))} "
                            + lines(it)
                            + f"）：{escape(views.short(it['text'], 120))}")
            if g.get("note"):
                st.caption(g["note"])


def card(r: dict, i: int) -> None:
    zh, en, colour = VERDICT[r["verdict"]]
    doc, p, b = r["document"], r["provision"], r["benefit"]
    with st.container(border=True, key=f"card_{i}"):
        top = st.columns([1.2, 5])
        top[0].badge(L(zh, en), color=colour)
        top[0].markdown(f"**{views.yuan_text(b['max_yuan'])}**" + ("" if b["basis"] != "cap" else L("（上限）", " (cap)")))
        if b.get("formula"):
            top[0].caption(b["formula"])
        top[1].markdown(f"**{escape(views.short(r['measure']['text'], 160))}**")
        top[1].caption(f"{book(doc['title'])} {plabel(p)} · " + lines(p) + f" · {status_label(r['status'])}"
                       + (" · " + "、".join(a["name"] for a in r["agencies"][:4]) if r["agencies"] else ""))
        top[1].markdown("  \n".join(views.condition_lines(r["conditions"])) or L("（无条件）", "(no conditions)"))
        if r["deciding_fields"]:
            top[1].caption(L("待补充：", "Unknown: ") + "、".join(views.field_label(x) for x in r["deciding_fields"]))
        with st.expander(L("出处原文", "Cited source text")):
            st.markdown(f"**{escape(book(doc['title']))}** {escape(doc.get('doc_number') or '')} — "
                        f"{escape(plabel(p))} " + lines(p)
                        + f" · `{escape(Path(doc['source']).name)}`")
            quote(p.get("text") or r["measure"]["text"])
            for t in r.get("tiers", []) if len(r.get("tiers", [])) > 1 else []:
                st.caption(L("档次：", "Tier: ") + f"{L(*VERDICT[t['verdict']][:2])} · {views.yuan_text(t['max_yuan'])} · L{t['line']} · {t['text'][:80]}")


# ---- 时效与沿革 Status & lineage ------------------------------------------------------------------

def page_status() -> None:
    st.header(L("时效与沿革", "Status & lineage"))
    cat = catalog()
    rep = {"as_of": as_of(), "documents": list(status_map(cat, date.fromisoformat(as_of())).values())}
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


# ---- 重复与冲突 Overlaps --------------------------------------------------------------------------

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


# ---- 图谱 Graph browser ---------------------------------------------------------------------------


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
    stats = views_graph.graph_stats(STORE, cat)
    st.caption(" · ".join(f"{L(COUNTS.get(k, k), k)} {v:,}" for k, v in stats["counts"].items()))
    agencies, programmes = views_graph.stats_tables(stats)
    st.markdown(f"**{L('机构：措施数与金额', 'Agencies by measures and money')}**")
    table(agencies)
    if programmes:
        st.markdown(f"**{L('跨文件的计划/项目', 'Programmes across documents')}**")
        table(programmes)


# ---- 检索 Search ----------------------------------------------------------------------------------


def page_search() -> None:
    st.header(L("检索", "Search"))
    cat = catalog()
    q = st.text_input(L("关键词", "Search text"), key="search_q", placeholder="研发投入")
    c1, c2, c3, c4, c5 = st.columns(5)
    stat = c1.multiselect(L("时效", "Status"), list(STATUS), format_func=status_label, placeholder=L("全部", "All"))
    issuers, types = views.search_facets(cat)
    issuer = c2.selectbox(L("发文机关", "Issuer"), [None] + issuers, format_func=lambda x: L("全部", "All") if x is None else x)
    doc_type = c3.selectbox(L("文种", "Type"), [None] + types, format_func=lambda x: L("全部", "All") if x is None else x)
    d_from = c4.date_input(L("印发日期起", "Issued from"), value=None, min_value=date(1949, 10, 1))
    d_to = c5.date_input(L("印发日期止", "Issued until"), value=None, min_value=date(1949, 10, 1))
    if q.strip():
        res = search(cat, q, 30, status=stat or None, issuer=issuer, doc_type=doc_type, date_from=d_from, date_to=d_to, as_of=as_of())
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
            res = run_query(STORE, sq, limit=1000, timeout=10)
            st.dataframe(views.sparql_rows(res), hide_index=True)
            if res.get("truncated"):
                st.caption(L("结果已截断", "Results truncated"))


# ---- 上传 Upload ----------------------------------------------------------------------------------

def page_upload() -> None:
    st.header(L("上传", "Upload"))
    st.caption(L(f"支持 {'、'.join(UPLOAD_TYPES)}，单个文件不超过 {MAX_UPLOAD_BYTES >> 20} MB。文件以内容摘要命名保存，导入后在所有页面可用。",
                 f"{', '.join(UPLOAD_TYPES)}, at most {MAX_UPLOAD_BYTES >> 20} MB each. Stored under a "
                 "generated name and ingested: they join every page."))
    files = st.file_uploader(L("选择文件", "Choose files"), type=list(UPLOAD_TYPES), accept_multiple_files=True,
                             max_upload_size=MAX_UPLOAD_BYTES >> 20)
    if files and st.button(L("导入", "Ingest"), type="primary"):
        bar = st.progress(0.0)
        st.session_state.upload_report = views_uploads.ingest_uploads(
            [(f.name, f.getvalue()) for f in files], STORE,
            on_file=lambda i, n, name: bar.progress(i / n, text=f"{i + 1}/{n} {name}"))
        bar.progress(1.0, text=L("完成", "Done"))
    for name, r in st.session_state.get("upload_report", []):
        if r["errors"]:
            st.error(L("导入失败：", "Not ingested: ") + "；".join(
                f"{name} — {e.removeprefix(name).lstrip(':： ')}" for e in r["errors"]))
        else:
            st.success(f"✓ {name}：" + L(f"{r['documents']} 份文件，{r['provisions']} 个条款", f"{r['documents']} documents, {r['provisions']} provisions"))
    mine = views_uploads.uploaded_documents(catalog(), STORE)
    if mine:
        st.subheader(L("已上传的文件", "Uploaded documents"))
        table(mine)


# ---- layout ---------------------------------------------------------------------------------------

PAGES = {"eligibility": ("政策匹配", "Eligibility", page_eligibility), "status": ("时效与沿革", "Status & lineage", page_status),
         "overlaps": ("重复与冲突", "Overlaps", page_overlaps), "graph": ("图谱", "Graph", page_graph),
         "search": ("检索", "Search", page_search), "upload": ("上传", "Upload", page_upload)}


def main() -> None:
    st.sidebar.title("policygraph")
    st.sidebar.toggle("English", key="en")
    page = st.sidebar.radio(L("页面", "Page"), list(PAGES), key="page", format_func=lambda k: L(*PAGES[k][:2]))
    if "as_of" not in st.session_state:  # a link may carry the date: ?as_of=2024-09-15
        st.session_state.as_of = views.date_param(st.query_params.get("as_of")) or date.today()
    st.sidebar.date_input(L("查询日期", "As of"), key="as_of", min_value=date(1949, 10, 1),
                          max_value=date(2100, 12, 31))
    try:
        info = st.sidebar.empty()
        ensure_store()
        PAGES[page][2]()  # first, so the page shows while the catalog and jieba load
        where, n = "/".join(Path(STORE).parts[-2:]), len(catalog().documents)
        info.caption(L(f"{n} 份文件 · 存储 …/{where}", f"{n} documents · store …/{where}"), help=STORE)
        _warm_nlp()
    except views.USER_ERRORS as e:
        st.error(str(e))
    except Exception as e:  # noqa: BLE001 — last resort: a message for the user, the traceback for the log
        traceback.print_exc()
        st.error(L(f"内部错误（{type(e).__name__}），详情见服务器日志。", f"Internal error ({type(e).__name__}); see the server log."))


main()
