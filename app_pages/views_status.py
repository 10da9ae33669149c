"""The app's status & lineage page: validity timeline (rows and Vega-Lite spec), counts by
status, the document shown first, and the documents to compare one with.

Nothing here knows Streamlit; app.py renders what these return.
"""
from __future__ import annotations

from datetime import date, timedelta

from .views import STATUS


def timeline_rows(status: dict, horizon_days: int = 365) -> tuple[list[dict], list[dict]]:
    """(bars, undated) of a status report: a bar from the start (or issue) date to the end date
    (open-ended bars run ``horizon_days`` past the as-of date); documents without any date apart."""
    day = date.fromisoformat(status["as_of"])
    bars, undated = [], []
    for d in status["documents"]:
        start = d["effective_start"] or d["issue_date"]
        row = {"id": d["id"], "title": d["title"] or d["id"], "status": d["status"]}
        if not start:
            undated.append(row)
            continue
        end = d["effective_end"]
        open_end = end is None
        end = end or max(day, date.fromisoformat(start)) + timedelta(days=horizon_days)
        bars.append(dict(row, start=start, end=str(end), open_end=open_end,
                         label=f"{(d['title'] or d['id'])[:28]} · {d['id'].split(':')[-1]}"))
    bars.sort(key=lambda r: r["start"])
    return bars, undated


def status_counts(docs: list[dict]) -> dict[str, int]:
    """How many documents of each status (every status, zero included)."""
    return {s: sum(d["status"] == s for d in docs) for s in STATUS}


def first_with_lineage(docs: list[dict]) -> int:
    """Index of the first document with lineage (copies, replaces, replaced), else 0."""
    return next((i for i, d in enumerate(docs) if d.get("same_work") or d["supersedes"] or d["superseded_by"]), 0)


def comparison_choices(doc: dict, docs: list[dict]) -> tuple[list[str], bool]:
    """(ids, related): documents to compare ``doc`` with, its lineage relatives first (related:
    whether it has any), then every other document."""
    ids = {d["id"] for d in docs}
    related = [i for k in ("chain", "same_work", "superseded_by", "supersedes", "amended_by") for i in doc.get(k, [])
               if i in ids and i != doc["id"]]
    return list(dict.fromkeys(related + [d["id"] for d in docs if d["id"] != doc["id"]])), bool(related)


def timeline_spec(bars: list[dict], as_of: str, names: list[str], colours: list[str], axis: str) -> dict:
    """A Vega-Lite spec: one bar per document's validity (``status`` already a display name from
    ``names``), a dashed rule at the as-of date."""
    return {"layer": [
        {"data": {"values": bars}, "mark": {"type": "bar", "height": 14},
         "encoding": {"x": {"field": "start", "type": "temporal", "title": axis}, "x2": {"field": "end"},
                      "y": {"field": "label", "type": "nominal", "sort": None, "title": None, "axis": {"labelLimit": 320}},
                      "color": {"field": "status", "type": "nominal", "scale": {"domain": names, "range": colours},
                                "legend": {"title": None, "orient": "top"}},
                      "tooltip": [{"field": f, "type": "temporal" if f in ("start", "end") else "nominal"}
                                  for f in ("title", "id", "status", "start", "end", "open_end")]}},
        {"data": {"values": [{"d": as_of}]}, "mark": {"type": "rule", "color": "black", "strokeDash": [4, 3]},
         "encoding": {"x": {"field": "d", "type": "temporal"}}}]}
