"""政策月历 Policy calendar: application windows in a date range — upcoming deadlines first, a month
view, and an .ics download for any calendar program; optionally only what may apply to a saved firm."""
from __future__ import annotations

from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import Literal

import streamlit as st

from app_pages.common import L, as_of, catalog, store_spec
from app_pages.views import book
from app_pages.views_calendar import month_html, to_ics, window_text
from queries.calendar import UPCOMING_DAYS, calendar, closing_soon, month_grid
from queries.watch import load_state


def _firm_choices() -> dict:
    """Label → profile (None: every document): saved profiles, and the one last used on 政策匹配."""
    out = {L("全部文件", "All documents"): None}
    for name, w in load_state(store_spec())["watches"].items():
        if w.get("profile") is not None:
            out[L(f"关注企业：{name}", f"Saved firm: {name}")] = w["profile"]
    last = (st.session_state.get("elig") or {}).get("profile")
    if last:
        out[L("当前企业信息（政策匹配页）", "Current profile (Eligibility page)")] = last
    return out


def page_calendar() -> None:
    st.header(L("政策月历", "Policy calendar"))
    st.caption(L("政策原文写明的申报时间：即将截止的排在最前；每年固定月份的申报期按年展开；可下载 .ics 导入日历。",
                 "Application windows stated in the texts: closing soonest first; yearly windows repeat each year; "
                 "download an .ics for your calendar."))
    day = date.fromisoformat(as_of())
    c1, c2, c3 = st.columns([1, 1, 2])
    start = c1.date_input(L("起", "From"), value=day - timedelta(days=30), key="cal_from", min_value=date(1949, 10, 1))
    end = c2.date_input(L("止", "To"), value=day + timedelta(days=365), key="cal_to", min_value=date(1949, 10, 1))
    firms = _firm_choices()
    who = c3.selectbox(L("企业", "Firm"), list(firms), key="cal_firm")
    if end < start:
        st.error(L("截止日期早于起始日期。", "The end date is before the start date."))
        return
    cal = calendar(catalog(), start, end, firms[who], day)
    upcoming = [e for e in cal["events"] if e["days_left"] >= 0]
    m = st.columns(3)
    m[0].metric(L("未截止", "Still open"), len(upcoming))
    m[1].metric(L(f"{UPCOMING_DAYS} 天内截止", f"Closing within {UPCOMING_DAYS} days"), len(closing_soon(cal)))
    m[2].metric(L("常年受理", "Rolling"), len(cal["rolling"]))
    st.download_button(L("下载日历（.ics）", "Download calendar (.ics)"), to_ics(cal).encode("utf-8"),
                       f"policygraph-{cal['from']}-{cal['to']}.ics", "text/calendar", key="cal_ics")
    list_tab, month_tab = st.tabs([L("即将截止", "Upcoming deadlines"), L("月视图", "Month view")])
    with list_tab:
        if not cal["events"]:
            st.info(L("该时段没有写明的申报截止。", "No stated application deadline in this period."))
        for e in cal["events"][:60]:
            event_card(e)
        for r in cal["rolling"]:
            st.caption(L("常年受理：", "Rolling: ") + f"{book(r['document']['title'])} — {r['window']['text'][:80]}")
    with month_tab:
        months = _months(start, end)
        first = next((i for i, (y, mo) in enumerate(months) if (y, mo) >= (day.year, day.month)), 0)
        y, mo = st.selectbox(L("月份", "Month"), months, index=first, format_func=lambda x: f"{x[0]}-{x[1]:02d}", key="cal_month")
        st.markdown(month_html(month_grid(cal, y, mo), day), unsafe_allow_html=True)


def event_card(e: dict) -> None:
    doc, w = e["document"], e["window"]
    left = e["days_left"]
    badge = (L(f"还剩 {left} 天", f"{left} days left") if left >= 0 else L("已截止", "Closed"))
    colour: Literal["red", "orange", "gray", "blue"] = (
        "red" if 0 <= left <= 7 else "orange" if 0 <= left <= 30 else "gray" if left < 0 else "blue")
    with st.container(border=True):
        top = st.columns([1.2, 5])
        top[0].badge(badge, color=colour)
        top[0].markdown(f"**{e['closes']}**" + (f" {e['time_end']}" if e["time_end"] else ""))
        top[1].markdown(f"**{escape(book(doc['title']))}**")
        top[1].caption(window_text(w) + f" · `{escape(Path(doc['source']).name)}` " + L(f"第 {w['line']} 行", f"line {w['line']}"))
        top[1].markdown(f"> {escape(w['text'][:200])}")
        for meas in e.get("measures", [])[:3]:
            top[1].caption(f"· {meas['text'][:80]}")


def _months(start: date, end: date) -> list[tuple[int, int]]:
    out, y, mo = [], start.year, start.month
    while (y, mo) <= (end.year, end.month):
        out.append((y, mo))
        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    return out


if __name__ == "__main__":  # run by st.navigation (app.py) as this page's script
    page_calendar()
