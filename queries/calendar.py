"""政策月历: application windows on eligibility results and as dated events in a date range.

Which windows a measure has: queries.windows. Yearly windows
(每年3月) are expanded into each year of the range; rolling ones (常年受理) are listed apart.
"""
from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from ingest.model import ApplicationWindow, Document
from ingest.serialize import document_windows, window_to_dict

from .catalog import Catalog, catalog_for_store, doc_ref, parse_as_of
from .windows import calls_citing

UPCOMING_DAYS = 30  # "closing soon" in the app


# ---- dated events ------------------------------------------------------------------------------

def _md(year: int, md: str | None) -> date | None:
    if not md:
        return None
    month, day = int(md[:2]), int(md[3:])
    try:
        return date(year, month, day)
    except ValueError:  # 02-29 in a common year
        return date(year, month, 28)


def occurrences(w: ApplicationWindow, start: date, end: date) -> list[tuple[date | None, date]]:
    """(opens, closes) of a window that fall in [start, end]; a yearly window once per year.

    >>> w = ApplicationWindow("yearly", "每年3月", yearly_start="03-01", yearly_end="03-31")
    >>> occurrences(w, date(2025, 2, 1), date(2026, 12, 31))
    [(datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)), (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))]
    >>> occurrences(ApplicationWindow("yearly", "", yearly_start="12-01", yearly_end="01-31"), date(2026, 1, 1), date(2026, 2, 1))
    [(datetime.date(2025, 12, 1), datetime.date(2026, 1, 31))]
    """
    if w.kind == "rolling":
        return []
    if w.kind == "yearly":  # 每年12月1日至1月31日: opens the year before it closes
        wraps = bool(w.yearly_start and w.yearly_end and w.yearly_start > w.yearly_end)
        spans = [(_md(y - wraps, w.yearly_start), _md(y, w.yearly_end)) for y in range(start.year, end.year + 1)]
    else:
        spans = [(w.start, w.end)]
    return [(a, b) for a, b in spans if b is not None and b >= start and (a or b) <= end]


def _event_id(doc: Document, w: ApplicationWindow, closes: date) -> str:
    key = f"{doc.id}|{w.line}|{w.kind}|{closes.isoformat()}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def calendar(catalog: Catalog, date_from, date_to, profile: dict | None = None, as_of=None) -> dict:
    """Application windows closing in [date_from, date_to] as events, upcoming deadlines first
    (closing on or after ``as_of``, soonest first), then the ones already closed; with a
    ``profile``, only documents with a measure that may apply to the firm, those measures listed."""
    start, end, day = _day(date_from, "--from"), _day(date_to, "--to"), parse_as_of(as_of)
    if end < start:
        raise ValueError(f"--to {end} is before --from {start}")
    measures = _profile_measures(catalog, profile, day) if profile is not None else None
    events: list[dict[str, Any]] = []
    rolling: list[dict[str, Any]] = []
    if measures is not None:  # a call for applications under a policy carries that policy's measures
        for doc_id, calls in calls_citing(catalog).items():
            for call in calls:
                if doc_id in measures:
                    measures.setdefault(call.id, []).extend(measures[doc_id])
    for doc in catalog.documents:
        if measures is not None and doc.id not in measures:
            continue
        for w in document_windows(doc):
            item = {"document": doc_ref(doc), "window": window_to_dict(w),
                    "measures": (measures or {}).get(doc.id, [])}
            if w.kind == "rolling":
                rolling.append(item)
            for opens, closes in occurrences(w, start, end):
                events.append(dict(item, id=_event_id(doc, w, closes), kind=w.kind,
                                   opens=opens.isoformat() if opens else None, closes=closes.isoformat(),
                                   time_end=w.time_end, late_refused=w.late_refused,
                                   days_left=(closes - day).days,
                                   open_now=(opens or date.min) <= day <= closes))
    events.sort(key=lambda e: (e["days_left"] < 0, abs(e["days_left"]), e["document"]["id"]))
    return {"from": start.isoformat(), "to": end.isoformat(), "as_of": day.isoformat(),
            "profile": profile, "events": events, "rolling": rolling}


def _day(value, option: str) -> date:
    try:
        return parse_as_of(value)
    except ValueError:
        raise ValueError(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None


def _profile_measures(catalog: Catalog, profile: dict, day: date) -> dict[str, list[dict]]:
    """Document id → its measures that are eligible or possible for the firm."""
    from .eligibility import eligibility
    out: dict[str, list[dict]] = {}
    for r in eligibility(catalog, profile, day)["results"]:
        if r["verdict"] != "ineligible" and r["applicable"]:
            out.setdefault(r["document"]["id"], []).append(
                {"text": r["measure"]["text"][:120], "verdict": r["verdict"], "max_yuan": r["benefit"]["max_yuan"],
                 "provision": r["provision"]["id"]})
    return out


def calendar_for_store(store: str, date_from, date_to, profile: dict | None = None, as_of=None) -> dict:
    return calendar(catalog_for_store(store), date_from, date_to, profile, as_of)


def month_grid(cal: dict, year: int, month: int) -> list[list[dict]]:
    """Weeks (Monday first) of one month, each day {"day": date | None, "events": [...]}: the
    events closing that day (a range also on the day it opens)."""
    import calendar as stdcal
    by_day: dict[str, list[dict]] = {}
    for e in cal["events"]:
        by_day.setdefault(e["closes"], []).append(e)
        if e["opens"] and e["opens"] != e["closes"]:
            by_day.setdefault(e["opens"], []).append(e)
    weeks = []
    for week in stdcal.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([{"day": d if d.month == month else None,
                       "events": by_day.get(d.isoformat(), []) if d.month == month else []} for d in week])
    return weeks


def closing_soon(cal: dict, days: int = UPCOMING_DAYS) -> list[dict]:
    """Events still open that close within ``days`` of the calendar's as-of date."""
    return [e for e in cal["events"] if 0 <= e["days_left"] <= days]
