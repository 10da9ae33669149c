"""Streamlit-free presentation of application windows: a window in words, a month as an HTML table
(the 政策月历 page; views_report.py words windows the same way), and a calendar as iCalendar text
(RFC 5545) for the app's download and `policygraph calendar --ics`.

The iCalendar text is written by hand: all-day VEVENTs need only a few properties, and the rules that
matter are escaping (\\ ; , newline), CRLF line ends and folding lines at 75 octets of UTF-8 — never
inside a multi-byte character, which matters for Chinese text.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any
from html import escape

WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


def _md_zh(md: str) -> str:
    return f"{int(md[:2])}月{int(md[3:])}日"


def window_text(w: Mapping[str, Any]) -> str:
    """An application window for people (no spaces to break a line at in a PDF).

    >>> window_text({"kind": "yearly", "yearly_start": "03-01", "yearly_end": "03-31", "late_refused": True})
    '每年3月1日至3月31日（逾期不予受理）'
    >>> window_text({"kind": "deadline", "end": "2023-02-24", "time_end": "18:00"})
    '2023-02-24 18:00截止'
    >>> window_text({"kind": "yearly", "yearly_start": None, "yearly_end": "05-31"})
    '每年5月31日前'
    >>> window_text({"kind": "deadline", "end": "2014-06-16", "via": {"title": "关于组织申报的通知"}})
    '2014-06-16截止（见《关于组织申报的通知》）'
    """
    late = "（逾期不予受理）" if w.get("late_refused") else ""
    if w.get("via"):  # stated by a call for applications citing the policy
        late += f"（见《{w['via']['title'] or w['via']['id']}》）"
    end = (w.get("end") or "") + (f" {w['time_end']}" if w.get("time_end") else "")
    if w["kind"] == "rolling":
        return "常年受理" + late
    if w["kind"] == "yearly":
        if not w.get("yearly_start"):
            return f"每年{_md_zh(w['yearly_end'])}前{late}"
        return f"每年{_md_zh(w['yearly_start'])}至{_md_zh(w['yearly_end'])}{late}"
    if w["kind"] == "range":
        return f"{w.get('start') or '即日起'}至{end}{late}"
    return f"{end}截止{late}"


def month_html(weeks: list[list[dict[str, Any]]], today: date) -> str:
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


# ---- iCalendar ------------------------------------------------------------------------------------

PRODID = "-//policygraph//政策月历//ZH"


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """A content line folded at 75 octets, continuation lines starting with a space.

    >>> _fold("SUMMARY:" + "申" * 30).split("\\r\\n ")[0].encode("utf-8").__len__() <= 75
    True
    """
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


def _day(iso: str) -> str:
    return iso.replace("-", "")


def to_ics(cal: Mapping[str, Any], now: datetime | None = None) -> str:
    """The events of ``cal`` as a VCALENDAR: a range spans its days, a deadline is its last day."""
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "X-WR-CALNAME:政策月历"]
    for e in cal["events"]:
        doc, w = e["document"], e["window"]
        closes = date.fromisoformat(e["closes"])
        opens = date.fromisoformat(e["opens"]) if e["opens"] else closes
        what = "申报截止" if e["kind"] == "deadline" else "申报期"
        when = f"截止 {e['closes']}" + (f" {e['time_end']}" if e["time_end"] else "")
        desc = [w["text"], when + ("，逾期不予受理" if e["late_refused"] else ""),
                f"{doc.get('title') or doc['id']}（{doc['source']} 第{w['line']}行）"]
        desc += [f"· {m['text']}" for m in e.get("measures", [])[:5]]
        lines += ["BEGIN:VEVENT", f"UID:{e['id']}@policygraph", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{_day(opens.isoformat())}",
                  f"DTEND;VALUE=DATE:{_day((closes + timedelta(days=1)).isoformat())}",
                  f"SUMMARY:{_escape(f'{what}：' + (doc.get('title') or doc['id']))}",
                  f"DESCRIPTION:{_escape(chr(10).join(desc))}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(x) for x in lines) + "\r\n"
