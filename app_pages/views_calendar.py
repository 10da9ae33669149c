"""Streamlit-free helpers for application windows: a window in words, a month as an HTML table
(the 政策月历 page; report_render.py words windows the same way)."""
from __future__ import annotations

from datetime import date
from html import escape

WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


def window_text(w: dict) -> str:
    """An application window for people.

    >>> window_text({"kind": "yearly", "yearly_start": "03-01", "yearly_end": "03-31", "late_refused": True})
    '每年 03-01 至 03-31（逾期不予受理）'
    >>> window_text({"kind": "deadline", "end": "2023-02-24", "time_end": "18:00"})
    '截止 2023-02-24 18:00'
    >>> window_text({"kind": "yearly", "yearly_start": None, "yearly_end": "05-31"})
    '每年 05-31 前'
    """
    late = "（逾期不予受理）" if w.get("late_refused") else ""
    end = (w.get("end") or "") + (f" {w['time_end']}" if w.get("time_end") else "")
    if w["kind"] == "rolling":
        return "常年受理"
    if w["kind"] == "yearly":
        if not w.get("yearly_start"):
            return f"每年 {w.get('yearly_end')} 前{late}"
        return f"每年 {w['yearly_start']} 至 {w.get('yearly_end')}{late}"
    if w["kind"] == "range":
        return f"{w.get('start') or '即日起'} 至 {end}{late}"
    return f"截止 {end}{late}"


def month_html(weeks: list[list[dict]], today: date) -> str:
    """A month (queries.calendar.month_grid) as an HTML table: each day with the windows closing
    on it (red) and ranges opening on it (blue); today framed."""
    head = "".join(f"<th style='width:14%'>{d}</th>" for d in WEEKDAYS)
    rows = []
    for week in weeks:
        cells = []
        for cell in week:
            d = cell["day"]
            if d is None:
                cells.append("<td></td>")
                continue
            items = "".join(
                f"<div style='font-size:.78em;margin-top:2px;padding:1px 3px;border-radius:3px;background:"
                f"{'#fde0dc' if e['closes'] == d.isoformat() else '#e3f2fd'}'>"
                f"{'截止' if e['closes'] == d.isoformat() else '开始'} "
                f"{escape((e['document']['title'] or e['document']['id'])[:18])}</div>" for e in cell["events"][:4])
            more = f"<div style='font-size:.75em'>+{len(cell['events']) - 4}</div>" if len(cell["events"]) > 4 else ""
            border = "2px solid #1e88e5" if d == today else "1px solid #ddd"
            cells.append(f"<td style='vertical-align:top;height:80px;border:{border}'><b>{d.day}</b>{items}{more}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table style='width:100%;table-layout:fixed;border-collapse:collapse'><tr>{head}</tr>{''.join(rows)}</table>"
