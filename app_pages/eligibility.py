"""政策匹配 Eligibility: the firm profile form or a question, the measures that apply with amounts,
totals, what would change the answer, citations."""
from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import streamlit as st

from app_pages import views
from app_pages.common import L, as_of, catalog, lines, plabel, quote, status_label
from app_pages.views import ENTITY, NUMBERS, TRI_STATE, VERDICT, book
from queries.ask import answer as ask_answer
from queries.eligibility import eligibility
from queries.money import yuan_text


def page_eligibility() -> None:
    st.header(L("政策匹配", "Eligibility"))
    st.caption(L("填写企业信息或直接提问，查看可申请的政策条款、最高金额与出处。未填写的项视为“未知”。",
                 "Fill in the firm profile or ask a question: the measures that apply, the most you can get, "
                 "and where it is written. Blank fields count as unknown."))
    form_tab, ask_tab = st.tabs([L("企业信息", "Firm profile"), L("直接提问", "Ask a question")])
    with form_tab, st.form("profile"):
        c1, c2, c3 = st.columns(3)
        f: dict[str, Any] = {"region": c1.text_input(L("所在城市", "Region (city)"), "青岛市", key="pf_region"),
             "district": c1.text_input(L("区（市）", "District"), "", key="pf_district"),
             "entity_type": c1.selectbox(L("主体类型", "Entity type"), views.entity_type_names(), key="pf_entity_type",
                                         format_func=lambda k: L(ENTITY.get(str(k), str(k)), str(k))),
             "qualifications": c1.multiselect(L("资质", "Qualifications"), views.qualification_names(), key="pf_qualifications",
                                               placeholder=L("可多选", "Choose")),
             "employees": c3.number_input(L("职工人数", "Employees"), 0, value=None, key="pf_employees")}
        for k, zh, en, lo in NUMBERS:
            f[k] = c2.number_input(L(zh, en), lo, value=None, key=f"pf_{k}")
        tri: dict[str | None, str] = {None: L("未填", "—"), "yes": L("是", "yes"), "no": L("否", "no")}
        for k, zh, en in TRI_STATE:
            f[k] = c3.selectbox(L(zh, en), list(tri), format_func=lambda v: tri[v], key=f"pf_{k}")
        f["industries"] = views.split_list(c3.text_input(L("所属行业（逗号分隔）", "Industries (comma separated)"), "",
                                                          key="pf_industries"))
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
    main, review = views.split_review(results)
    n = views.verdict_counts(main)
    c, ex = res["combined"], res["combined"].get("explain", {})
    m = st.columns([1, 1, 2, 2])
    m[0].metric(L("符合", "Eligible"), n["eligible"])
    m[1].metric(L("可能符合", "Possible"), n["possible"])
    for col, k, zh, en in ((m[2], "eligible_max_yuan", "确定可得合计", "Certain total"),
                           (m[3], "possible_max_yuan", "若待定条件满足，最多可得", "Upper bound if open conditions are met")):
        col.metric(L(zh, en), yuan_text(c[k]))
        col.caption(ex.get(k, ""))
    for rule in c.get("no_stacking", [])[:3]:
        st.caption(L("不叠加：", "No stacking: ") + f"「{rule['rule']['text'][:60]}」 → {yuan_text(rule['combined_yuan'])}"
                   + L(f"（而非合计 {yuan_text(rule['sum_yuan'])}）", f" (not {yuan_text(rule['sum_yuan'])})"))
    change = views.what_would_change(results)
    if change:
        with st.expander(L("补充哪些信息会改变结论", "What would change the answer"), expanded=True):
            for w in [w for w in change if w["fillable"]][:8]:
                st.markdown(f"- **{escape(w['label'])}**：" + L(f"决定 {w['results']} 项结果，最多涉及 {yuan_text(w['max_yuan'])}",
                                                                  f"decides {w['results']} results, up to {yuan_text(w['max_yuan'])}")
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
        st.caption(L(f"{len(review)} 项，单项最高 {yuan_text(d.get('best_single_yuan'))}，不计入上方合计。",
                     f"{len(review)} measures, largest single {yuan_text(d.get('best_single_yuan'))}; not in the totals above.")
                   + " " + ex.get("discretionary", ""))
        with st.container(border=True):
            st.markdown("  \n".join(f"**{yuan_text(r['benefit']['max_yuan'])}** · {escape(views.short(r['measure']['text'], 90))} — "
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
                st.markdown(f"- **{yuan_text(it['max_yuan'])}** · " + L(f"第 {it['line']} 行", f"line {it['line']}")
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
        top[0].markdown(f"**{yuan_text(b['max_yuan'])}**" + ("" if b["basis"] != "cap" else L("（上限）", " (cap)")))
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
                st.caption(L("档次：", "Tier: ") + f"{L(*VERDICT[t['verdict']][:2])} · {yuan_text(t['max_yuan'])} · L{t['line']} · {t['text'][:80]}")


if __name__ == "__main__":  # run by st.navigation (app.py) as this page's script
    page_eligibility()
