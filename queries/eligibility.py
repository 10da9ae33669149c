"""Eligibility: which measures apply to a firm, under which conditions, and how much at most.

Each condition is met, unmet or unknown for the profile (Kleene: one unmet → ineligible; none
unmet and one unknown → possible). Tiers of one measure are alternatives; documents that say
不重复/就高/从优 combine as the best single benefit, not a sum. Only measures of documents in
force on the date count; expired ones are shown (marked) on request. The measures, prepared
once per catalog, come from queries.eligibility_measures.
"""
from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import cast

import numpy as np

from graph.gcpause import gc_paused
from ingest import resources
from ingest.model import Condition

from .catalog import Catalog, catalog_for_store, doc_ref, parse_as_of, prov_ref
from .contract import Combined, EligibilityReport, EligibilityResult, RelatedReading
from .eligibility_measures import measure_arrays, prepared_measures
from .formula import condition_state  # noqa: F401  (re-exported: the per-condition answer)
from .applicability import STATE_NAMES, document_states, firm_place, location_state, place_fields
from .totals import combine
from .windows import attach_windows
from .formula import compile_condition, condition_fields, formula_fields, max_yuan, normalise_profile

APPLICABLE = ("in_force", "partly_superseded", "unknown")
_RANK = {"eligible": 0, "possible": 1, "ineligible": 2}

# ---- the profile ---------------------------------------------------------------------------------

def validate_profile(raw: dict, where: str = "profile") -> dict:
    """Check a profile against condition_fields.yaml; returns a normalised copy (sets as sorted
    lists, money as numbers). Keys starting with ``_`` and ``name`` are notes and kept as is."""
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: a profile is a JSON object, got {type(raw).__name__}")
    fields, out = condition_fields(), {}
    for k, v in raw.items():
        if k.startswith("_") or k == "name":
            out[k] = v
            continue
        if k not in fields:
            raise ValueError(f"{where}: unknown field {k!r} (known: {', '.join(fields)})")
        if v is None:
            continue
        t = fields[k]["type"]
        bad = ValueError(f"{where}: field {k!r} has value {v!r}, expected {t}")
        if t == "set":
            if isinstance(v, str):
                v = [v]
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise bad
            v = sorted(set(v))
        elif t == "bool":
            if not isinstance(v, bool):
                raise bad
        elif t in ("yuan", "int", "ratio"):
            if isinstance(v, bool) or not isinstance(v, int | float):
                raise bad
        elif t == "date":
            try:
                date.fromisoformat(str(v))
            except ValueError:
                raise bad from None
        elif not isinstance(v, str):
            raise bad
        if "values" in fields[k] and v not in fields[k]["values"]:
            raise ValueError(f"{where}: field {k!r} has value {v!r}, expected one of {fields[k]['values']}")
        out[k] = v
    return out


def load_profile(path) -> dict:
    """A firm profile from a JSON file (data/profiles/README.md), or a bundled example by its name
    (``qingdao_rd_firm``: data/profiles/qingdao_rd_firm.json, shipped with the package), validated.

    >>> load_profile("qingdao_rd_firm")["region"]
    '青岛市'
    """
    path = Path(path)
    example = resources.data_file("profiles", f"{path.stem}.json")
    source = example if not path.exists() and str(path) in (path.stem, path.name) and example.is_file() else path
    try:
        raw = json.loads(source.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise ValueError(f"{path}: not valid JSON (line {e.lineno}: {e.msg})") from None
    return validate_profile(raw, str(path))


def derive(profile: dict, firm=None, day: date | None = None) -> dict:
    """The profile with derived fields filled in where absent: rd_increment, rd_growth,
    rd_intensity from the raw figures; entity_type enterprise from an enterprise qualification;
    region (city) and district from the firm's place (``firm``, queries.applicability.firm_place);
    years_established from founded on ``day``.

    >>> derive({"rd_expense": 30e6, "rd_expense_prev": 20e6})["rd_growth"]
    0.5
    """
    p = dict(profile)
    if firm is not None:
        p.update(place_fields(firm, p))
    if p.get("founded") and day is not None and "years_established" not in p:
        p["years_established"] = round((day - date.fromisoformat(str(p["founded"]))).days / 365.25, 2)
    cur, prev = p.get("rd_expense"), p.get("rd_expense_prev")
    if cur is not None and prev is not None:
        p.setdefault("rd_increment", cur - prev)
        if prev > 0:
            p.setdefault("rd_growth", (cur - prev) / prev)
    if cur is not None and p.get("rd_growth") is not None and prev is None and p["rd_growth"] > -1:
        p.setdefault("rd_expense_prev", cur / (1 + p["rd_growth"]))
        p.setdefault("rd_increment", cur - p["rd_expense_prev"])
    if cur is not None and p.get("revenue"):
        p.setdefault("rd_intensity", cur / p["revenue"])
    if p.get("listed") and "上市公司" not in p.get("qualifications", ()):  # 上市企业 is what listed says
        p["qualifications"] = sorted({*p.get("qualifications", ()), "上市公司"})
    if "entity_type" not in p and p.get("qualifications"):
        p["entity_type"] = "enterprise"
    return p


# ---- checking measures ---------------------------------------------------------------------------

def _benefit(m, prof: dict, cap: int | None) -> dict:
    texts = [a.text for a in m.amounts if a.text]
    basis: str | None
    if m.benefit_formula:
        known = all(prof.get(f) is not None for f in formula_fields(m.benefit_formula))
        val = max_yuan(m.benefit_formula, prof)
        basis = "formula" if known else "cap"
    else:
        val, basis = cap, "amount" if cap is not None else None
    return {"text": "；".join(texts) or m.text[:80], "max_yuan": val, "formula": m.benefit_formula,
            "basis": basis}


def evaluate(pm: dict, prof: dict, doc_status: dict, states: list[str] | None = None,
             where: tuple[int, str] | None = None) -> dict:
    """The result entry for one prepared measure and a derived profile (``states``: the
    conditions' states when already computed; ``where``: the document's location state and
    reason, see queries.applicability)."""
    if states is None:
        norm = normalise_profile(prof)
        states = [_compiled(c)(norm) for c in pm["conditions"]]
    if where is None:
        where = location_state(pm["doc"].jurisdiction, firm_place(prof))
    j = pm["doc"].jurisdiction
    conds = [{"field": "location", "op": "in", "value": j.name if j else None, "text": where[1], "line": None,
              "state": STATE_NAMES[where[0]], "implicit": True}]
    for i, (c, state) in enumerate(zip(pm["conditions"], states)):
        conds.append({"field": c.field, "op": c.op, "value": list(c.value) if isinstance(c.value, tuple) else c.value,
                      "text": c.text, "line": c.line, "state": state, "implicit": i >= pm["implicit_from"]})
    if doc_status["status"] == "unknown":
        conds.append({"field": "document_status", "op": "==", "value": "in_force", "text": "文件施行日期不明",
                      "line": None, "state": "unknown", "implicit": True})
    found = {c["state"] for c in conds}
    verdict = "ineligible" if "unmet" in found else "possible" if "unknown" in found else "eligible"
    doc, p, m = pm["doc"], pm["prov"], pm["measure"]
    return {"verdict": verdict, "document": doc_ref(doc), "provision": prov_ref(p),
            "measure": {"text": m.text, "line": m.line, "beneficiary": m.beneficiary, "purpose": m.purpose,
                        "tier_group": m.tier_group},
            "conditions": conds,
            "deciding_fields": sorted({c["field"] for c in conds if c["state"] == "unknown"}),
            "benefit": _benefit(m, prof, pm["amount"]),
            "agencies": [{"name": a.name, "text": a.text, "role": a.role} for a in pm["agencies"]],
            "status": doc_status["status"], "applicable": doc_status["status"] in APPLICABLE,
            "no_stacking": pm["stack"]}


def _value(r) -> float:
    v = r["benefit"]["max_yuan"]
    return -1 if v is None else v


def _sort_key(r):
    return (not r["applicable"], _RANK[r["verdict"]], -_value(r))


def pick_tiers(results: list[dict], tiers: list) -> list[dict]:
    """Keep one result per tier group: the tier the firm falls in (or the best possible one),
    with the alternatives summarised under ``tiers``."""
    out: list[dict] = []
    groups: dict = {}
    for r, key in zip(results, tiers):
        if key is None:
            out.append(r)
        else:
            groups.setdefault(key, []).append(r)
    for members in groups.values():
        best = min(members, key=_sort_key)
        if best["verdict"] == "ineligible":  # the tier whose bracket (range condition) the firm is in
            bracket = {c["field"] for r in members for c in r["conditions"] if c["op"] == "between"}
            best = min(members, key=lambda r: (
                sum(c["state"] == "unmet" and c["field"] in bracket for c in r["conditions"]),
                sum(c["state"] == "unmet" for c in r["conditions"]), members.index(r)))
        best = dict(best)
        best["tiers"] = [{"text": r["measure"]["text"][:120], "verdict": r["verdict"],
                          "max_yuan": r["benefit"]["max_yuan"], "line": r["measure"]["line"]} for r in members]
        out.append(best)
    return out


def _one_per_work(results: list[dict], smap: dict) -> list[dict]:
    """A measure restated in copies of one work (a compilation's copy of a policy) is shown
    once, the copies listed under ``also_in``."""
    if not any(st.get("same_work") for st in smap.values()):
        return results
    out: list[dict] = []
    seen: dict = {}
    for r in results:
        doc_id = r["document"]["id"]
        work = frozenset([doc_id, *smap[doc_id].get("same_work", ())])
        key = (work, r["provision"]["id"], r["measure"]["text"], r["benefit"]["max_yuan"], r["verdict"])
        first = seen.get(key)
        if len(work) > 1 and first is not None and first["document"]["id"] != doc_id:
            if doc_id not in first.setdefault("also_in", []):
                first["also_in"].append(doc_id)
            continue
        seen.setdefault(key, r)
        out.append(r)
    return out


def _compiled(c: Condition):
    try:
        return _compiled_cached(c)
    except TypeError:  # a value that cannot be hashed (a list)
        return compile_condition(c)


@lru_cache(maxsize=65536)
def _compiled_cached(c: Condition):
    return compile_condition(c)


def _collect(catalog, smap, prof, norm, include_expired, include_ineligible, results, tiers,
             related: list | None = None, firm=None) -> None:
    """Check every measure at once (numpy), then build entries only for those shown and for
    the alternative tiers of shown tier groups (summarised). Measures quoted in news reports and
    interpretations are no policy: they go to ``related`` (reading that restates a policy)."""
    pms, arr = prepared_measures(catalog), measure_arrays(catalog)
    doc_ok = np.array([smap[d.id]["status"] in APPLICABLE or include_expired for d in catalog.documents], dtype=bool)
    allowed = doc_ok[arr["doc"]] if len(pms) else np.zeros(0, dtype=bool)
    states = arr["table"].states(norm)
    loc, reasons = document_states(catalog.documents, firm)
    if len(pms):
        states = np.maximum(states, loc[arr["doc"]])
        if related is not None:
            for i in np.flatnonzero(arr["report"] & (states < 2)).tolist():
                related.append(_reading(pms[i]))
        allowed = allowed & ~arr["report"]
    shown = allowed & ((states < 2) | include_ineligible)
    tier = arr["tier"]
    shown_groups = np.unique(tier[shown & (tier >= 0)])
    stubs = allowed & ~shown & (tier >= 0) & np.isin(tier, shown_groups)
    for i in np.flatnonzero(shown | stubs).tolist():
        pm = pms[i]
        st = smap[pm["doc"].id]
        d = arr["doc"][i]
        results.append(evaluate(pm, prof, st, [_compiled(c)(norm) for c in pm["conditions"]], (loc[d], reasons[d]))
                       if shown[i] else _stub(pm, st))
        tiers.append(pm["tier"])


def _reading(pm: dict) -> dict:
    """A measure as a news report or interpretation restates it: related reading, not a policy."""
    doc, p, m = pm["doc"], pm["prov"], pm["measure"]
    return {"document": dict(doc_ref(doc), doc_type=doc.doc_type), "provision": prov_ref(p, text=False),
            "measure": {"text": m.text, "line": m.line, "beneficiary": m.beneficiary, "purpose": m.purpose},
            "max_yuan": pm["amount"], "note": f"{doc.doc_type}中的转述，请以政策原文为准"}


def _stub(pm: dict, st: dict) -> dict:
    m = pm["measure"]
    return {"verdict": "ineligible", "measure": {"text": m.text, "line": m.line, "tier_group": m.tier_group},
            "benefit": {"max_yuan": None}, "conditions": [], "applicable": st["status"] in APPLICABLE}


def eligibility(catalog: Catalog, profile: dict, as_of=None, include_expired: bool = False,
                include_ineligible: bool = False, statuses: dict | None = None) -> EligibilityReport:
    """``policygraph eligibility --json`` (contract: eligibility.schema.json). ``statuses``: the
    documents' status entries for the date when the catalog is a part of the store's."""
    day = parse_as_of(as_of)
    given = validate_profile(profile)
    firm = firm_place(given)
    prof = derive(given, firm, day)
    norm = normalise_profile(prof)
    results: list[dict] = []
    tiers: list = []
    related: list[dict] = []
    with gc_paused():
        if statuses is None:
            from .status import status_map
            statuses = status_map(catalog, day)
        smap = statuses
        _collect(catalog, smap, prof, norm, include_expired, include_ineligible, results, tiers, related, firm)
        results = pick_tiers(results, tiers)
        if not include_ineligible:
            results = [r for r in results if r["verdict"] != "ineligible"]
        results.sort(key=_sort_key)
        results = _one_per_work(results, smap)
        attach_windows(catalog, results)
        combined = combine(results)
    return {"as_of": day.isoformat(), "profile": given,
            "derived": {k: v for k, v in prof.items() if k not in given},
            "results": cast(list[EligibilityResult], results), "combined": cast(Combined, combined),
            "related_reading": cast(list[RelatedReading], related)}


def eligibility_for_store(store: str, profile: dict, as_of=None, include_expired: bool = False,
                          include_ineligible: bool = False) -> EligibilityReport:
    """Eligibility from the documents whose measures the profile can meet (queries/derived.py
    picks them by the stored measure conditions), or from every document when nothing is stored."""
    from .derived import candidates, statuses
    given = validate_profile(profile)
    norm = normalise_profile(derive(given, firm_place(given), parse_as_of(as_of)))
    found = candidates(store, norm, include_ineligible)
    if found is None:
        return eligibility(catalog_for_store(store), profile, as_of, include_expired, include_ineligible)
    part, con = found
    try:
        smap = statuses(con, part.by_id, parse_as_of(as_of))
    finally:
        con.close()
    return eligibility(part, profile, as_of, include_expired, include_ineligible, statuses=smap)

