"""A calendar (queries.calendar) as iCalendar text (RFC 5545), for any calendar program.

Written by hand: all-day VEVENTs need only a few properties, and the rules that matter are
escaping (\\ ; , newline), CRLF line ends and folding lines at 75 octets of UTF-8 — never inside
a multi-byte character, which matters for Chinese text.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

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


def to_ics(cal: dict, stamp: datetime | None = None) -> str:
    """The events of ``cal`` as a VCALENDAR: a range spans its days, a deadline is its last day."""
    stamp = (stamp or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
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
