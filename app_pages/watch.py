"""关注企业 Saved profiles: for each saved firm, the measures that are new since your last visit;
save the profile last used on 政策匹配 (or a question) under a name."""
from __future__ import annotations

from html import escape

import streamlit as st

from app_pages.common import L, as_of, store_spec
from app_pages.views import VERDICT, book, short
from app_pages.views_calendar import window_text
from queries.money import yuan_text
from queries.watch import add_watch, check_watches, list_watches, remove_watch


def page_watch() -> None:
    st.header(L("关注企业", "Saved profiles"))
    st.caption(L("保存企业信息后，每次来访显示自上次查看以来新出现的适用政策（首次显示全部）。保存在存储中，命令行 policygraph watch 共用。",
                 "Save a firm's profile: each visit shows the applicable measures that are new since your last visit "
                 "(the first visit: all). Kept with the store, shared with `policygraph watch`."))
    store = store_spec()
    watches = list_watches(store)["watches"]
    save_form()
    if not watches:
        st.info(L("还没有保存的企业。先在“政策匹配”页查询，再在此保存。", "No saved firm yet: run a query on Eligibility, then save it here."))
        return
    name = st.selectbox(L("企业", "Firm"), [w["name"] for w in watches], key="watch_pick")
    w = next(x for x in watches if x["name"] == name)
    res = check_watches(store, as_of(), [name], update=False)["watches"][0]
    since = (L("首次查看：全部适用政策", "First visit: every applicable measure") if res["first_check"]
             else L(f"自上次查看（{res['last_check'][:16].replace('T', ' ')} UTC）以来新增", f"New since your last visit ({res['last_check'][:16].replace('T', ' ')} UTC)"))
    st.subheader(f"{since}：{len(res['new'])}")
    st.caption(L(f"共 {res['applicable']} 项适用", f"{res['applicable']} apply in all")
               + (f" · {L('问题', 'question')}：{w['question']}" if w["question"] else ""))
    for r in res["new"][:40]:
        new_card(r)
    c1, c2, _ = st.columns([1, 1, 3])
    if c1.button(L("标记为已读", "Mark as seen"), type="primary", key="watch_seen", disabled=not res["new"]):
        check_watches(store, as_of(), [name])
        st.rerun()
    if c2.button(L("删除此企业", "Remove this firm"), key="watch_remove"):
        remove_watch(store, name)
        st.rerun()


def save_form() -> None:
    last = (st.session_state.get("elig") or {})
    with st.expander(L("保存企业", "Save a firm"), expanded=False), st.form("watch_add"):
        name = st.text_input(L("名称", "Name"), key="watch_name")
        question = st.text_input(L("或保存一个问题（每次重新理解）", "Or save a question (understood anew each time)"), key="watch_question")
        st.caption(L("不填问题时保存“政策匹配”页当前的企业信息。", "Without a question, the profile last used on Eligibility is saved."))
        if st.form_submit_button(L("保存", "Save"), key="watch_save"):
            if question.strip():
                add_watch(store_spec(), name.strip(), question=question.strip())
            elif last.get("profile"):
                add_watch(store_spec(), name.strip(), profile=last["profile"])
            else:
                st.error(L("请先在“政策匹配”页查询，或填写一个问题。", "Run a query on Eligibility first, or give a question."))
                return
            st.success(L(f"已保存 {name}", f"Saved {name}"))


def new_card(r: dict) -> None:
    zh, en, colour = VERDICT[r["verdict"]]
    with st.container(border=True):
        top = st.columns([1.2, 5])
        top[0].badge(L(zh, en), color=colour)
        top[0].markdown(f"**{yuan_text(r['benefit']['max_yuan'])}**")
        top[1].markdown(f"**{escape(short(r['measure']['text'], 160))}**")
        top[1].caption(f"{book(r['document']['title'])} {r['provision'].get('label') or r['provision']['id']} · "
                       + L(f"第 {r['provision']['line_start']}–{r['provision']['line_end']} 行",
                           f"lines {r['provision']['line_start']}–{r['provision']['line_end']}"))
        for w in r["application_windows"][:2]:
            top[1].caption(L("申报时间：", "Apply: ") + window_text(w))


if __name__ == "__main__":  # run by st.navigation (app.py) as this page's script
    page_watch()
