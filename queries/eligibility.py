"""Eligibility: which measures apply to a firm, under which conditions, and how much at most.

Each condition is met, unmet or unknown for the profile (Kleene: one unmet → ineligible; none
unmet and one unknown → possible). Tiers of one measure are alternatives; documents that say
不重复/就高/从优 combine as the best single benefit, not a sum. Only measures of documents in
force on the date count; expired ones are shown (marked) on request.
"""
from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from ingest.model import Condition

from .catalog import (Catalog, amount_max, catalog_for_store, doc_ref, no_stacking_clauses, norm_text,
                      parse_as_of, prov_ref, provision_measures)
from .formula import RULES, condition_fields, formula_fields, max_yuan

APPLICABLE = ("in_force", "partly_superseded", "unknown")
_WHO_WHERE = {"entity_type", "region", "district"}
_RANK = {"eligible": 0, "possible": 1, "ineligible": 2}
_UPPER_INCLUSIVE = re.compile(r"[-—–~至到]\s*[\d.,]+\s*[万亿千百]*元?\s*[（(]含[)）]")


@lru_cache(maxsize=1)
def entity_rules() -> dict:
    """data/rules/entity_types.yaml: entity types and qualifications with their surface forms."""
    return yaml.safe_load((RULES / "entity_types.yaml").read_text(encoding="utf-8"))


def _matches(text: str, table: dict) -> list[str]:
    return [k for k, words in table.items() if any(w in text for w in words)]


def beneficiary_conditions(beneficiary: str | None) -> list[Condition]:
    """Implicit conditions a beneficiary phrase sets: entity type and qualification.

    >>> [(c.field, c.op, c.value) for c in beneficiary_conditions("高校院所")]
    [('entity_type', 'in', ('university', 'institute'))]
    >>> [(c.field, c.value) for c in beneficiary_conditions("规下高新技术企业")]
    [('entity_type', ('enterprise',)), ('qualifications', '高新技术企业')]
    """
    if not beneficiary:
        return []
    rules = entity_rules()
    quals = _matches(beneficiary, rules["qualifications"])
    types = _matches(beneficiary, rules["entity_types"])
    if quals and "enterprise" not in types:
        types.append("enterprise")
    text = f"适用对象：{beneficiary}"
    out = [Condition("entity_type", "in", tuple(types), None, text)] if types else []
    return out + [Condition("qualifications", "has", q, None, text) for q in quals]


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
    """A firm profile from a JSON file (data/profiles/README.md), validated."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise ValueError(f"{path}: not valid JSON (line {e.lineno}: {e.msg})") from None
    return validate_profile(raw, str(path))


def derive(profile: dict) -> dict:
    """The profile with derived fields filled in where absent: rd_increment, rd_growth,
    rd_intensity from the raw figures; entity_type enterprise from an enterprise qualification.

    >>> derive({"rd_expense": 30e6, "rd_expense_prev": 20e6})["rd_growth"]
    0.5
    """
    p = dict(profile)
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
    if "entity_type" not in p and p.get("qualifications"):
        p["entity_type"] = "enterprise"
    return p


# ---- conditions ----------------------------------------------------------------------------------

def _region_form(s) -> str:
    return re.sub(r"(省|市|区|县|自治区|新区)$", "", norm_text(str(s)))


def _num(x):
    if isinstance(x, bool) or x is None:
        return None
    if isinstance(x, int | float):
        return float(x)
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def condition_state(c: Condition, prof: dict) -> str:
    """met | unmet | unknown for one condition and a (derived) profile.

    >>> condition_state(Condition("rd_expense", "between", (10e6, 50e6)), {"rd_expense": 50e6})
    'unmet'
    >>> condition_state(Condition("rd_growth", ">=", 0.3), {})
    'unknown'
    """
    spec = condition_fields().get(c.field)
    v = prof.get(c.field)
    if spec is None or v is None:
        return "unknown"
    t, op, want = spec["type"], c.op, c.value
    if t == "set":
        have = {norm_text(x) for x in v}
        wants = want if isinstance(want, tuple | list) else (want,)
        hit = any(norm_text(str(w)) in have for w in wants)
        return "met" if (hit if op != "is" else hit == bool(want)) else "unmet"
    if t == "bool":
        return "met" if bool(v) == (want if op in ("is", "==") and want is not None else True) else "unmet"
    if t == "str":
        same = _region_form if c.field in ("region", "district") else norm_text
        wants = want if isinstance(want, tuple | list) else (want,)
        ok = any(same(v) == same(w) for w in wants)
        return "met" if ok == (op != "!=") else "unmet"
    if t == "date":
        x, y = date.fromisoformat(str(v)), want
        y = date.fromisoformat(str(y)) if y and not isinstance(y, date | tuple | list) else y
    else:
        x, y = _num(v), want
    if op == "between":
        lo, hi = (y or (None, None))
        lo = _num(lo) if t != "date" else lo
        hi = _num(hi) if t != "date" else hi
        upper_ok = hi is None or (x <= hi if _UPPER_INCLUSIVE.search(c.text or "") else x < hi)
        return "met" if (lo is None or x >= lo) and upper_ok else "unmet"
    if op == "in":
        return "met" if x in [(_num(w) if t != "date" else w) for w in y] else "unmet"
    y = _num(y) if t != "date" else y
    if y is None:
        return "unknown"
    res = {">=": x >= y, ">": x > y, "<=": x <= y, "<": x < y, "==": x == y}.get(op)
    return "unknown" if res is None else ("met" if res else "unmet")


# ---- measures --------------------------------------------------------------------------------------

def prepared_measures(catalog: Catalog) -> list[dict]:
    """Each measure with its document, provision, all its conditions (explicit and implied by
    beneficiary and region), agencies (inherited from the nearest provision naming some)."""
    if "measures" in catalog.memo:
        return catalog.memo["measures"]
    out = []

    def visit(doc, p, agencies, stack):
        agencies = p.agencies or agencies
        for m in provision_measures(p):
            conds = list(m.conditions)
            fields_set = {c.field for c in conds}
            implied = beneficiary_conditions(m.beneficiary) if m.beneficiary else \
                [c for c in beneficiary_conditions("、".join(p.beneficiaries)) if c.field == "entity_type"]
            for c in implied:  # without the measure's own beneficiary: any type the provision names
                if c.field not in fields_set or c.field == "qualifications" and \
                        not any(x.field == c.field and x.value == c.value for x in conds):
                    conds.append(c)
            if not {c.field for c in conds} - _WHO_WHERE:  # nothing but who/where: the rest is up to the call for applications
                conds.append(Condition("application_review", "is", True, None, "未列明具体申报条件（以申报指南、评审为准）"))
            if doc.region and not fields_set & {"region", "district"}:
                conds.append(Condition("region", "==", doc.region, None, f"发文地区：{doc.region}"))
            implicit = len(m.conditions)
            out.append({"doc": doc, "prov": p, "measure": m, "conditions": conds, "implicit_from": implicit,
                        "agencies": agencies, "stack": stack, "amount": amount_max(m),
                        "tier": (doc.id, p.id, m.tier_group) if m.tier_group else None})
        for c in p.children:
            visit(doc, c, agencies, stack)

    for d in catalog.documents:
        stack = no_stacking_clauses(d)
        for p in d.provisions:
            visit(d, p, (), stack)
    catalog.memo["measures"] = out
    return out


def _benefit(m, prof: dict, cap: int | None) -> dict:
    texts = [a.text for a in m.amounts if a.text]
    if m.benefit_formula:
        known = all(prof.get(f) is not None for f in formula_fields(m.benefit_formula))
        val = max_yuan(m.benefit_formula, prof)
        basis = "formula" if known else "cap"
    else:
        val, basis = cap, "amount" if cap is not None else None
    return {"text": "；".join(texts) or m.text[:80], "max_yuan": val, "formula": m.benefit_formula,
            "basis": basis}


def evaluate(pm: dict, prof: dict, doc_status: dict) -> dict:
    """The result entry for one prepared measure and a derived profile."""
    conds = []
    for i, c in enumerate(pm["conditions"]):
        conds.append({"field": c.field, "op": c.op, "value": list(c.value) if isinstance(c.value, tuple) else c.value,
                      "text": c.text, "line": c.line, "state": condition_state(c, prof),
                      "implicit": i >= pm["implicit_from"]})
    if doc_status["status"] == "unknown":
        conds.append({"field": "document_status", "op": "==", "value": "in_force", "text": "文件施行日期不明",
                      "line": None, "state": "unknown", "implicit": True})
    states = {c["state"] for c in conds}
    verdict = "ineligible" if "unmet" in states else "possible" if "unknown" in states else "eligible"
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


def pick_tiers(results: list[dict], tiers: dict) -> list[dict]:
    """Keep one result per tier group: the tier the firm falls in (or the best possible one),
    with the alternatives summarised under ``tiers``."""
    out, groups = [], {}
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
    out, seen = [], {}
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


def combine(results: list[dict]) -> dict:
    """The combined outcome: documents that say 不重复/就高/从优 give their single best benefit,
    others the sum of their measures. Over eligible results, and eligible + possible."""
    def total(verdicts):
        by_doc = {}
        for r in results:
            if r["applicable"] and r["verdict"] in verdicts and r["benefit"]["max_yuan"] is not None:
                by_doc.setdefault(r["document"]["id"], []).append(r)
        rules, tot = [], 0
        for doc_id, rs in by_doc.items():
            vals = [r["benefit"]["max_yuan"] for r in rs]
            if rs[0]["no_stacking"] and len(rs) > 1:
                tot += max(vals)
                rules.append({"document": doc_id, "rule": rs[0]["no_stacking"][0], "sum_yuan": sum(vals),
                              "combined_yuan": max(vals)})
            else:
                tot += sum(vals)
        return tot, rules
    e, e_rules = total({"eligible"})
    p, p_rules = total({"eligible", "possible"})
    return {"eligible_max_yuan": e, "possible_max_yuan": p, "no_stacking": p_rules or e_rules}


def eligibility(catalog: Catalog, profile: dict, as_of=None, include_expired: bool = False,
                include_ineligible: bool = False) -> dict:
    """``policygraph eligibility --json`` (contract: eligibility.schema.json)."""
    from .status import status_map
    day = parse_as_of(as_of)
    given = validate_profile(profile)
    prof = derive(given)
    smap = status_map(catalog, day)
    results, tiers = [], []
    for pm in prepared_measures(catalog):
        st = smap[pm["doc"].id]
        if st["status"] not in APPLICABLE and not include_expired:
            continue
        results.append(evaluate(pm, prof, st))
        tiers.append(pm["tier"])
    results = pick_tiers(results, tiers)
    if not include_ineligible:
        results = [r for r in results if r["verdict"] != "ineligible"]
    results.sort(key=_sort_key)
    results = _one_per_work(results, smap)
    return {"as_of": day.isoformat(), "profile": given,
            "derived": {k: v for k, v in prof.items() if k not in given},
            "results": results, "combined": combine(results)}


def eligibility_for_store(store: str, profile: dict, as_of=None, include_expired: bool = False,
                          include_ineligible: bool = False) -> dict:
    return eligibility(catalog_for_store(store), profile, as_of, include_expired, include_ineligible)


def _yuan(v) -> str:
    if v is None:
        return "—"
    return f"{v / 10000:g}万元" if v >= 10000 else f"{v}元"


def print_results(result: dict, console) -> None:
    from rich.table import Table
    t = Table(title=f"可申请政策 as of {result['as_of']}", show_lines=True)
    for c in ("verdict", "最高", "文件 / 条款", "条件", "责任单位"):
        t.add_column(c, overflow="fold")
    colour = {"eligible": "green", "possible": "yellow", "ineligible": "red"}
    for r in result["results"]:
        conds = "\n".join(f"{ {'met': '✓', 'unmet': '✗', 'unknown': '?'}[c['state']] } {c['text'][:40]}"
                          for c in r["conditions"])
        where = (f"{r['document']['title']}\n{r['provision']['label'] or r['provision']['id']} "
                 f"L{r['provision']['line_start']}-{r['provision']['line_end']}"
                 + ("" if r["applicable"] else f"  [red]({r['status']})[/red]"))
        v = r["verdict"] + (f"\n待定: {', '.join(r['deciding_fields'])}" if r["deciding_fields"] else "")
        t.add_row(f"[{colour[r['verdict']]}]{v}[/]", _yuan(r["benefit"]["max_yuan"]) +
                  (f"\n{r['benefit']['formula']}" if r["benefit"]["formula"] else ""), where, conds,
                  "、".join(a["name"] for a in r["agencies"][:4]))
    console.print(t)
    c = result.get("combined") or {}
    console.print(f"合计最高：确定 {_yuan(c.get('eligible_max_yuan'))}，含待定 {_yuan(c.get('possible_max_yuan'))}",
                  highlight=False)
    for rule in c.get("no_stacking", []):
        console.print(f"  {rule['document']}: 「{rule['rule']['text'][:50]}」→ 取最高 {_yuan(rule['combined_yuan'])}"
                      f"（而非合计 {_yuan(rule['sum_yuan'])}）", highlight=False)
