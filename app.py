"""policygraph — the Streamlit app (政策匹配 · 时效与沿革 · 重复与冲突 · 图谱 · 检索 · 上传).

A thin shell over ``queries``: every answer comes from there, this file only lays it out.
First start ingests the bundled corpus into POLICYGRAPH_STORE (default data/store).
"""
from __future__ import annotations

import json
import os
import threading
import traceback
from datetime import date
from html import escape
from pathlib import Path

import streamlit as st

from queries import views
from queries.ask import answer as ask_answer
from queries.catalog import catalog_for_store
from queries.eligibility import eligibility
from queries.overlaps import overlaps_report
from queries.search import search
from queries.sparql import run_query
from queries.status import diff_documents, status_map, status_report
from queries.views import CHANGE, COUNTS, ENTITY, KINDS, NUMBERS, RELATION, SPARQL_EXAMPLE, STATE_ICON, STATUS, VERDICT

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
        if not views.store_ready(STORE):
            bar = st.progress(0.0, text=L("首次启动：正在导入内置政策文件…", "First start: ingesting the bundled corpus…"))
            views.ingest_corpus(STORE, CORPUS, on_file=lambda i, n, name: bar.progress(
                i / max(n, 1), text=L(f"首次启动：正在导入 {i}/{n} {name}", f"First start: ingesting {i}/{n} {name}")))
            bar.empty()
    st.session_state.store_ok = True


def catalog():
    return catalog_for_store(STORE)  # rebuilt only when the store changed (fingerprint)


def as_of() -> str:
    return st.session_state.get("as_of", date.today()).isoformat()


def mark(segments, colour: str) -> str:
    return "".join(f"<mark style='background:{colour}'>{escape(t)}</mark>" if ch else escape(t) for t, ch in segments)


def side_by_side(cap_a: str, text_a: str, cap_b: str, text_b: str) -> None:
    """Two texts in columns, their differences highlighted (red: A only, green: B only)."""
    sa, sb = views.diff_segments(text_a, text_b)
    for col, cap, seg, colour in zip(st.columns(2), (cap_a, cap_b), (sa, sb), ("#ffd6d6", "#d6f5d6")):
        col.caption(cap)
        col.markdown(mark(seg, colour), unsafe_allow_html=True)


def plabel(p: dict) -> str:
    return p.get("label") or (L("序言", "preamble") if p.get("id") == "pre" else p.get("id") or "")


def book(title: str | None) -> str:
    t = title or "(无标题)"
    return t if "《" in t else f"《{t}》"


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
    with form_tab, st.form("profile"):
        c1, c2, c3 = st.columns(3)
        f = {"region": c1.text_input(L("所在城市", "Region (city)"), "青岛市", key="pf_region"),
             "district": c1.text_input(L("区（市）", "District"), "", key="pf_district"),
             "entity_type": c1.selectbox(L("主体类型", "Entity type"), views.entity_type_names(), key="pf_entity_type",
                                         format_func=lambda k: L(ENTITY.get(k, k), k)),
             "qualifications": c1.multiselect(L("资质", "Qualifications"), views.qualification_names(), key="pf_qualifications",
                                               placeholder=L("可多选", "Choose")),
             "employees": c3.number_input(L("职工人数", "Employees"), 0, value=None, key="pf_employees")}
        for k, zh, en, lo in NUMBERS:
            f[k] = c2.number_input(L(zh, en), lo, value=None, key=f"pf_{k}")
        tri = {None: L("未填", "—"), "yes": L("是", "yes"), "no": L("否", "no")}
        for k, zh, en in (("new_arrival", "新引进/新落户", "Newly arrived"),
                          ("first_rd_activity", "首次开展研发活动", "First R&D activity"),
                          ("first_above_scale", "首次升规纳统", "First time above scale")):
            f[k] = c3.selectbox(L(zh, en), list(tri), format_func=tri.get, key=f"pf_{k}")
        f["industries"] = [x for x in c3.text_input(L("所属行业（逗号分隔）", "Industries (comma separated)"), "", key="pf_industries")
                           .replace("，", ",").split(",") if x.strip()]
        expired = st.checkbox(L("也显示已失效文件中的条款", "Also show measures of expired documents"))
        if st.form_submit_button(L("查询可申请政策", "Find measures"), type="primary", key="pf_submit"):
            st.session_state.elig = eligibility(catalog(), views.profile_from_form(f), as_of(), include_expired=expired)
    with ask_tab:
        q = st.text_area(L("问题", "Question"), key="question", placeholder=L(
            "例如：我们是青岛的高新技术企业，去年研发投入3000万元，比前年增长50%，能申请哪些补贴？",
            "e.g. 我们是青岛的高新技术企业，去年研发投入3000万元，比前年增长50%，能申请哪些补贴？"))
        if st.button(L("提问", "Ask"), type="primary", key="ask_submit"):
            st.session_state.elig = ask_answer(catalog(), q, as_of())
    if "elig" in st.session_state:
        show_eligibility(st.session_state.elig)


def show_eligibility(res: dict) -> None:
    if res.get("understood"):
        st.info(L("理解为：", "Understood: ") + "；".join(
            f"{views.field_label(n['field']) if n['field'] else '?'} = {n['value']}（“{n['text']}”）" for n in res["understood"]))
    results = res["results"]
    if not results:
        st.warning(L("没有找到适用的政策条款。可尝试补充企业信息或更换日期。", "No measure applies. Add profile details or change the date."))
        return
    n = {v: sum(r["verdict"] == v for r in results) for v in VERDICT}
    c = res["combined"]
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(L("符合", "Eligible"), n["eligible"])
    m2.metric(L("可能符合", "Possible"), n["possible"])
    m3.metric(L("确定可得最高合计", "Max total, eligible"), views.yuan_text(c["eligible_max_yuan"]))
    m4.metric(L("含可能符合", "Incl. possible"), views.yuan_text(c["possible_max_yuan"]))
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
            for w in [w for w in change if not w["fillable"]]:
                st.caption(f"{w['label']}：" + L(f"{w['results']} 项结果无法由企业信息确定", f"{w['results']} results cannot be settled by the profile"))
    rows = views.result_rows(res)
    d1, d2, _ = st.columns([1, 1, 4])
    d1.download_button(L("下载 CSV", "Download CSV"), views.to_csv(rows), "eligibility.csv", "text/csv")
    d2.download_button(L("下载 JSON", "Download JSON"), json.dumps(res, ensure_ascii=False, indent=1, default=str),
                       "eligibility.json", "application/json")
    pick = st.radio(L("显示", "Show"), ["all", "eligible", "possible"], horizontal=True, format_func=lambda v: {
        "all": L("全部", "All"), "eligible": L("符合", "Eligible"), "possible": L("可能符合", "Possible")}[v])
    shown = [r for r in results if pick == "all" or r["verdict"] == pick]
    limit = 30
    for i, r in enumerate(shown[:limit]):
        card(r, i)
    if len(shown) > limit:
        st.caption(L(f"另有 {len(shown) - limit} 项见下表或下载文件", f"{len(shown) - limit} more in the table / downloads"))
    with st.expander(L("全部结果表格", "All results as a table")):
        st.dataframe(rows, hide_index=True)


def card(r: dict, i: int) -> None:
    zh, en, colour = VERDICT[r["verdict"]]
    doc, p, b = r["document"], r["provision"], r["benefit"]
    with st.container(border=True, key=f"card_{i}"):
        top = st.columns([1.2, 5])
        top[0].badge(L(zh, en), color=colour)
        top[0].markdown(f"**{views.yuan_text(b['max_yuan'])}**" + ("" if b["basis"] != "cap" else L("（上限）", " (cap)")))
        if b.get("formula"):
            top[0].caption(b["formula"])
        top[1].markdown(f"**{escape(r['measure']['text'][:160])}**" + ("…" if len(r["measure"]["text"]) > 160 else ""))
        top[1].caption(f"{book(doc['title'])} {plabel(p)} · " + L(f"第 {p['line_start']}–{p['line_end']} 行",
                       f"lines {p['line_start']}–{p['line_end']}") + f" · {status_label(r['status'])}"
                       + (" · " + "、".join(a["name"] for a in r["agencies"][:4]) if r["agencies"] else ""))
        conds = list(dict.fromkeys(f"{STATE_ICON[c['state']]} {escape((c['text'] or views.field_label(c['field']))[:70])}"
                                   for c in r["conditions"]))
        top[1].markdown("  \n".join(conds) or L("（无条件）", "(no conditions)"))
        if r["deciding_fields"]:
            top[1].caption(L("待补充：", "Unknown: ") + "、".join(views.field_label(x) for x in r["deciding_fields"]))
        with st.expander(L("出处原文", "Cited source text")):
            st.markdown(f"**{escape(book(doc['title']))}** {escape(doc.get('doc_number') or '')} — "
                        f"{escape(plabel(p))} " + L(f"第 {p['line_start']}–{p['line_end']} 行",
                                                                f"lines {p['line_start']}–{p['line_end']}")
                        + f" · `{escape(Path(doc['source']).name)}`")
            quote(p.get("text") or r["measure"]["text"])
            for t in r.get("tiers", []) if len(r.get("tiers", [])) > 1 else []:
                st.caption(L("档次：", "Tier: ") + f"{L(*VERDICT[t['verdict']][:2])} · {views.yuan_text(t['max_yuan'])} · L{t['line']} · {t['text'][:80]}")


# ---- 时效与沿革 Status & lineage ------------------------------------------------------------------

def page_status() -> None:
    import altair as alt
    st.header(L("时效与沿革", "Status & lineage"))
    cat = catalog()
    rep = {"as_of": as_of(), "documents": list(status_map(cat, date.fromisoformat(as_of())).values())}
    docs = rep["documents"]
    st.caption(L(f"截至 {rep['as_of']}（左侧可改日期），共 {len(docs)} 份文件", f"As of {rep['as_of']} (change in the sidebar), {len(docs)} documents"))
    counts = {s: sum(d["status"] == s for d in docs) for s in STATUS}
    cols = st.columns(len(STATUS))
    for col, (s, n) in zip(cols, counts.items()):
        col.metric(status_label(s), n)
    bars, undated = views.timeline_rows(rep)
    if bars:
        names = [status_label(s) for s in STATUS]
        chart = alt.Chart(alt.Data(values=[dict(b, status=status_label(b["status"])) for b in bars])).mark_bar(height=14).encode(
            x=alt.X("start:T", title=L("有效期", "Validity")), x2="end:T",
            y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color("status:N", scale=alt.Scale(domain=names, range=[v[2] for v in STATUS.values()]),
                            legend=alt.Legend(title=None, orient="top")),
            tooltip=["title:N", "id:N", "status:N", "start:T", "end:T", "open_end:N"])
        rule = alt.Chart(alt.Data(values=[{"d": rep["as_of"]}])).mark_rule(color="black", strokeDash=[4, 3]).encode(x="d:T")
        st.altair_chart(chart + rule, width="stretch")
        st.caption(L("无截止日期的文件画至查询日后一年；虚线为查询日期。", "Open-ended documents run one year past the date; the dashed line is the date."))
    if undated:
        st.caption(L("无日期：", "No dates: ") + "；".join(u["title"] for u in undated))
    by_id = {d["id"]: d for d in docs}
    title = lambda i: (by_id[i]["title"] or i) if i in by_id else i  # noqa: E731
    default = next((i for i, d in enumerate(docs) if d.get("same_work") or d["supersedes"] or d["superseded_by"]), 0)
    pick = st.selectbox(L("查看文件", "Document"), list(by_id), index=default, format_func=lambda i: f"{title(i)} · {i}")
    doc = views.memo(cat, ("status", pick, as_of()), lambda: status_report(cat, as_of(), pick)["documents"][0])
    c1, c2 = st.columns(2)
    c1.markdown(f"**{status_label(doc['status'])}** · {doc.get('doc_type') or ''} · {doc.get('doc_number') or ''}  \n"
                + L("施行", "Effective") + f" {doc['effective_start'] or '?'} – {doc['effective_end'] or ''} · "
                + L("印发", "Issued") + f" {doc['issue_date'] or '?'} · " + "、".join(doc.get("issuers", [])))
    for e in doc["evidence"]:
        c1.caption((f"L{e['line']}：" if e.get("line") else "") + e["text"][:200])
    for key, zh, en in (("chain", "沿革链", "Lineage chain"), ("supersedes", "替代/废止", "Replaces"),
                        ("superseded_by", "被替代于", "Superseded by"), ("amended_by", "被修改于", "Amended by"),
                        ("same_work", "同一文件的其他文本", "Same policy, other copies")):
        if doc.get(key):
            c2.markdown(f"**{L(zh, en)}**：" + " → ".join(escape(title(i)) for i in doc[key]))
    for o in (doc.get("override_candidates") or [])[:5] + (doc.get("possibly_displaced_by") or [])[:5]:
        c2.caption(f"{L('可能被覆盖', 'Possibly overridden')}：{book(o['title'])} {o['label'] or o['provision']} L{o['line_start']} — {o['reason']}")
    if not any(doc.get(k) for k in ("chain", "supersedes", "superseded_by", "amended_by", "same_work")):
        c2.caption(L("未发现该文件的前身、后继或替代关系。", "No predecessor, successor or replacement found."))
    related = [i for k in ("chain", "same_work", "superseded_by", "supersedes", "amended_by") for i in doc.get(k, [])
               if i in by_id and i != doc["id"]]
    others = [None] + list(dict.fromkeys(related + [d["id"] for d in docs if d["id"] != doc["id"]]))
    st.subheader(L("新旧对照", "Side-by-side comparison"))
    other = st.selectbox(L("对照文件", "Compare with"), others, index=1 if related else 0,
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
                st.markdown("  \n".join(f"L{x['a_line']} <mark style='background:#ffd6d6'>{escape(x['a_text'] or '∅')}</mark> → "
                                        f"L{x['b_line']} <mark style='background:#d6f5d6'>{escape(x['b_text'] or '∅')}</mark>"
                                        for x in d["differences"][:12]), unsafe_allow_html=True)
    st.subheader(L("近似条款", "Near-duplicate provisions"))
    dup = {tuple(sorted((d["a"], d["b"]))) for d in rep["documents"] if d["relation"] == "duplicate"}
    hide = st.checkbox(L("隐藏重复文件之间的条款", "Hide pairs inside duplicate documents"), value=True)
    pairs = [p for p in rep["provisions"] if not (hide and tuple(sorted((p["a"]["document"], p["b"]["document"]))) in dup)]
    if not pairs:
        st.info(L("没有需要显示的近似条款。", "No near-duplicate provisions to show."))
    for p in pairs[:20]:
        a, b = p["a"], p["b"]
        with st.expander(f"{p['similarity']:.0%} · {book(a['title'])}{a['label'] or ''} ↔ {book(b['title'])}{b['label'] or ''}"):
            side_by_side(f"{a['document']} L{a['line_start']}–{a['line_end']}", a["text"],
                         f"{b['document']} L{b['line_start']}–{b['line_end']}", b["text"])
    st.subheader(L("冲突", "Conflicts"))
    if not rep["conflicts"]:
        st.info(L("截至该日期，未发现同一对象、同一用途而金额或条件不同的现行条款。",
                  "No measures in force for the same beneficiary and purpose with different terms."))
    for c in rep["conflicts"][:30]:
        with st.container(border=True):
            st.markdown(f"**{escape(c['beneficiary'] or '')} / {escape(c['purpose'] or '')}** — {escape(c['reason'])}")
            l, r = st.columns(2)
            for col, side, text in ((l, c["a"], c["a_text"]), (r, c["b"], c["b_text"])):
                col.caption(f"{book(side['title'])} {side['label'] or side['provision']} L{side['line_start']}–{side['line_end']}")
                col.write(text)
            if c.get("resolution"):
                st.caption(L("处理：", "Resolution: ") + c["resolution"])


# ---- 图谱 Graph browser ---------------------------------------------------------------------------


def page_graph() -> None:
    from streamlit_agraph import Config, Edge, Node, agraph
    st.header(L("图谱", "Graph browser"))
    cat = catalog()
    c1, c2, c3 = st.columns([1, 3, 1])
    kind = c1.selectbox(L("类型", "Type"), ["document", "agency", "programme", "beneficiary"], format_func=lambda k: L(*KINDS[k][:2]))
    choices = views.graph_choices(cat, kind)
    if not choices:
        st.info(L("图中没有此类节点。", "No nodes of this type."))
        return
    node = c2.selectbox(L("节点", "Node"), choices, format_func=lambda x: x[1])[0]
    limit = c3.slider(L("最多邻居", "Max neighbours"), 5, 120, 25)
    nb = views.neighbourhood(cat, node, limit)
    spec = views.vis_spec(nb)
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
        label = {n["id"]: n["label"] for n in nb["nodes"]}
        st.dataframe([{L("起点", "from"): label[e["source"]], L("关系", "relation"): e["relation"],
                       L("终点", "to"): label[e["target"]], L("次数", "count"): e["count"]} for e in nb["edges"]], hide_index=True)
    st.subheader(L("统计", "Statistics"))
    stats = views.graph_stats(STORE, cat)
    st.caption(" · ".join(f"{L(COUNTS.get(k, k), k)} {v:,}" for k, v in stats["counts"].items()))
    rows = [{L("机构", "agency"): a["agency"], L("措施数", "measures"): a["measures"], L("条款数", "provisions"): a["provisions"],
             L("金额（万元）", "money (10k yuan)"): round(a["money_yuan"] / 1e4)} for a in stats["agencies"]]
    st.markdown(f"**{L('机构：措施数与金额', 'Agencies by measures and money')}**")
    st.dataframe(rows, hide_index=True)
    if stats["programmes"]:
        st.markdown(f"**{L('跨文件的计划/项目', 'Programmes across documents')}**")
        st.dataframe([{L("计划", "programme"): p["programme"], L("文件数", "documents"): len(p["documents"]),
                       L("条款数", "provisions"): p["provisions"]} for p in stats["programmes"]], hide_index=True)


# ---- 检索 Search ----------------------------------------------------------------------------------


def page_search() -> None:
    st.header(L("检索", "Search"))
    cat = catalog()
    q = st.text_input(L("关键词", "Search text"), key="search_q", placeholder="研发投入")
    c1, c2, c3, c4, c5 = st.columns(5)
    stat = c1.multiselect(L("时效", "Status"), list(STATUS), format_func=status_label, placeholder=L("全部", "All"))
    issuers = sorted({i for d in cat.documents for i in d.issuers})
    issuer = c2.selectbox(L("发文机关", "Issuer"), [None] + issuers, format_func=lambda x: L("全部", "All") if x is None else x)
    types = sorted({d.doc_type for d in cat.documents if d.doc_type})
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
            snippet = escape(h["snippet"]).replace(escape(q.strip()), f"<mark>{escape(q.strip())}</mark>")
            st.markdown(f"**{escape(book(d['title']))}** {escape(plabel(p))} · L{p['line_start']}–{p['line_end']}"
                        + (f" · {status_label(h['status'])}" if h["status"] else "") + f"  \n{snippet}", unsafe_allow_html=True)
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
    st.caption(L(f"支持 {'、'.join(views.UPLOAD_TYPES)}，单个文件不超过 {views.MAX_UPLOAD_BYTES >> 20} MB。文件以内容摘要命名保存，导入后在所有页面可用。",
                 f"{', '.join(views.UPLOAD_TYPES)}, at most {views.MAX_UPLOAD_BYTES >> 20} MB each. Stored under a "
                 "generated name and ingested: they join every page."))
    files = st.file_uploader(L("选择文件", "Choose files"), type=list(views.UPLOAD_TYPES), accept_multiple_files=True,
                             max_upload_size=views.MAX_UPLOAD_BYTES >> 20)
    if files and st.button(L("导入", "Ingest"), type="primary"):
        bar, report = st.progress(0.0), []
        for i, f in enumerate(files):
            bar.progress(i / len(files), text=f"{i + 1}/{len(files)} {f.name}")
            try:
                path = views.save_upload(f.getvalue(), f.name, STORE)
                report.append((f.name, views.ingest_upload(STORE, path, f.name)))
            except views.USER_ERRORS as e:
                report.append((f.name, {"errors": [str(e)]}))
        bar.progress(1.0, text=L("完成", "Done"))
        st.session_state.upload_report = report
    for name, r in st.session_state.get("upload_report", []):
        if r["errors"]:
            st.error("✗ " + "；".join(e if e.startswith(name) else f"{name}：{e}" for e in r["errors"]))
        else:
            st.success(f"✓ {name}：" + L(f"{r['documents']} 份文件，{r['provisions']} 个条款", f"{r['documents']} documents, {r['provisions']} provisions"))
    mine = views.uploaded_documents(catalog(), STORE)
    if mine:
        st.subheader(L("已上传的文件", "Uploaded documents"))
        st.dataframe(mine, hide_index=True)


# ---- layout ---------------------------------------------------------------------------------------

PAGES = {"eligibility": ("政策匹配", "Eligibility", page_eligibility), "status": ("时效与沿革", "Status & lineage", page_status),
         "overlaps": ("重复与冲突", "Overlaps", page_overlaps), "graph": ("图谱", "Graph", page_graph),
         "search": ("检索", "Search", page_search), "upload": ("上传", "Upload", page_upload)}


def main() -> None:
    st.sidebar.title("policygraph")
    st.sidebar.toggle("English", key="en")
    page = st.sidebar.radio(L("页面", "Page"), list(PAGES), key="page", format_func=lambda k: L(*PAGES[k][:2]))
    st.sidebar.date_input(L("查询日期", "As of"), key="as_of", value=date.today(), min_value=date(1949, 10, 1),
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
