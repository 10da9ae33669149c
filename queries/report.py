"""The eligibility report of a firm, as data: what a finance team needs on paper.

``report_data`` turns an eligibility answer into the report's content — the firm's profile; each
applicable measure with verdict, amount, formula and the figures it was evaluated with, the
conditions met and unknown, application windows, agencies, status, and the cited source text.
``app_pages/views_report.py`` lays it out as DOCX or PDF (the app's downloads and `policygraph report`).
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .catalog import Catalog
from .eligibility import derive, eligibility, validate_profile
from .formula import formula_fields

MAX_MEASURES = 60  # a longer report is no longer read; the rest is counted


def report_data(catalog: Catalog, profile: dict, as_of=None) -> dict:
    """The report's content for ``profile`` as of a date (see the module docstring)."""
    given = validate_profile(profile)
    res = eligibility(catalog, given, as_of)
    prof = derive(given)
    measures = [_measure(r, prof) for r in res["results"] if r["verdict"] != "ineligible" and r["applicable"]]
    c = res["combined"]
    return {"name": given.get("name"), "as_of": res["as_of"], "documents": len(catalog.documents),
            "profile": [(k, v) for k, v in given.items() if not k.startswith("_") and k != "name"],
            "derived": list(res["derived"].items()),
            "eligible": sum(m["verdict"] == "eligible" for m in measures),
            "possible": sum(m["verdict"] == "possible" for m in measures),
            "eligible_max_yuan": c.get("eligible_max_yuan"), "possible_max_yuan": c.get("possible_max_yuan"),
            "measures": measures[:MAX_MEASURES], "omitted": max(0, len(measures) - MAX_MEASURES)}


def _measure(r: Mapping[str, Any], prof: dict) -> dict:
    doc, p, b = r["document"], r["provision"], r["benefit"]
    formula = b.get("formula")
    return {"verdict": r["verdict"], "max_yuan": b["max_yuan"], "basis": b.get("basis"),
            "measure": r["measure"]["text"], "formula": formula,
            "formula_values": [(f, prof[f]) for f in sorted(formula_fields(formula)) if prof.get(f) is not None]
            if formula else [],
            "conditions": [(c["state"], c["text"] or c["field"]) for c in r["conditions"] if c["state"] != "unmet"],
            "deciding_fields": r.get("deciding_fields", []),
            "windows": r.get("application_windows", []),
            "agencies": list(dict.fromkeys(a["name"] for a in r["agencies"])), "status": r["status"],
            "document": {"title": doc["title"] or doc["id"], "doc_number": doc.get("doc_number"),
                         "file": Path(doc["source"]).name},
            "provision": {"label": p.get("label") or p["id"], "line_start": p["line_start"], "line_end": p["line_end"]},
            "source_text": p.get("text") or r["measure"]["text"]}
