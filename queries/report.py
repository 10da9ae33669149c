"""The eligibility report of a firm: what a finance team needs on paper, as plain data.

``report_data`` turns an eligibility answer into sections (the firm's profile; each applicable
measure with verdict, amount and the evaluated formula, conditions met and unknown, application
windows, agencies, status, and the cited source text). ``queries.report_render`` writes it as DOCX
or PDF; both render the same data, so the two formats say the same thing.
"""
from __future__ import annotations

from pathlib import Path

from .catalog import Catalog, catalog_for_store
from .eligibility import derive, eligibility, validate_profile
from .formula import condition_fields, formula_fields
from .views import ENTITY, field_label, yuan_text

FORMATS = ("docx", "pdf")
VERDICT_ZH = {"eligible": "符合", "possible": "可能符合", "ineligible": "不符合"}
STATUS_ZH = {"in_force": "现行有效", "partly_superseded": "部分修改", "superseded": "已被替代", "expired": "已失效",
             "not_yet_effective": "尚未施行", "unknown": "时效不明", "repealed": "已废止"}
STATE_MARK = {"met": "【满足】", "unknown": "【待确认】", "unmet": "【不满足】"}
MAX_MEASURES = 60  # a report longer than this is no longer read; the rest is counted


def _value_text(field: str, value) -> str:
    spec = condition_fields().get(field, {})
    if field == "entity_type":
        return ENTITY.get(value, value)
    if isinstance(value, list):
        return "、".join(map(str, value))
    if spec.get("type") == "yuan" and isinstance(value, int | float):
        return yuan_text(value)
    if spec.get("type") == "ratio" and isinstance(value, int | float):
        return f"{value:.0%}"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def window_text(w: dict) -> str:
    """An application window for people: 2023-02-01 至 2023-02-24 18:00（逾期不予受理）.

    >>> window_text({"kind": "yearly", "yearly_start": "03-01", "yearly_end": "03-31", "late_refused": True})
    '每年 03-01 至 03-31（逾期不予受理）'
    """
    late = "（逾期不予受理）" if w.get("late_refused") else ""
    end = (w.get("end") or "") + (f" {w['time_end']}" if w.get("time_end") else "")
    if w["kind"] == "rolling":
        return "常年受理"
    if w["kind"] == "yearly":
        return f"每年 {w.get('yearly_start') or ''} 至 {w.get('yearly_end')}{late}".replace("每年  至", "每年截至")
    if w["kind"] == "range":
        return f"{w.get('start') or '即日起'} 至 {end}{late}"
    return f"截止 {end}{late}"


def _formula_text(b: dict, prof: dict) -> str | None:
    """The benefit formula with the firm's figures: min(0.10 * rd_increment, 1500000)，其中
    研发投入增量 = 1000万元 → 100万元."""
    if not b.get("formula"):
        return None
    known = [f"{field_label(f)} = {_value_text(f, prof[f])}" for f in sorted(formula_fields(b["formula"]))
             if prof.get(f) is not None]
    out = b["formula"] + (f"，其中 {'；'.join(known)}" if known else "")
    return out + f" → {yuan_text(b['max_yuan'])}" + ("" if b.get("basis") == "formula" else "（上限，待补充数据）")


def report_data(catalog: Catalog, profile: dict, as_of=None, title: str | None = None) -> dict:
    """The report's sections for ``profile`` as of a date (see the module docstring)."""
    given = validate_profile(profile)
    res = eligibility(catalog, given, as_of)
    prof = derive(given)
    measures = []
    for r in res["results"]:
        if r["verdict"] == "ineligible" or not r["applicable"]:
            continue
        doc, p = r["document"], r["provision"]
        measures.append({
            "verdict": VERDICT_ZH[r["verdict"]], "amount": yuan_text(r["benefit"]["max_yuan"]),
            "amount_basis": r["benefit"].get("basis"), "measure": r["measure"]["text"],
            "formula": _formula_text(r["benefit"], prof),
            "conditions": [STATE_MARK[c['state']] + (c['text'] or c['field']) for c in r["conditions"]
                           if c["state"] in ("met", "unknown")],
            "unknown_fields": [field_label(f) for f in r.get("deciding_fields", [])],
            "windows": [window_text(w) + f"（第{w['line']}行：{w['text'][:60]}）" for w in r.get("application_windows", [])],
            "agencies": "、".join(dict.fromkeys(a["name"] for a in r["agencies"])) or "—",
            "status": STATUS_ZH.get(r["status"], r["status"]),
            "citation": f"《{doc['title'] or doc['id']}》" + (f"（{doc['doc_number']}）" if doc.get("doc_number") else "")
                        + f" {p.get('label') or p['id']}，{Path(doc['source']).name} 第 {p['line_start']}–{p['line_end']} 行",
            "source_text": p.get("text") or r["measure"]["text"]})
    c = res["combined"]
    return {
        "title": title or f"{given.get('name') or '企业'}政策匹配报告",
        "as_of": res["as_of"], "documents": len(catalog.documents),
        "profile": [(field_label(k), _value_text(k, v)) for k, v in given.items() if not k.startswith("_") and k != "name"],
        "derived": [(field_label(k), _value_text(k, v)) for k, v in res["derived"].items()],
        "summary": {"eligible": sum(m["verdict"] == "符合" for m in measures),
                    "possible": sum(m["verdict"] == "可能符合" for m in measures),
                    "certain_total": yuan_text(c.get("eligible_max_yuan")),
                    "upper_bound": yuan_text(c.get("possible_max_yuan"))},
        "measures": measures[:MAX_MEASURES], "omitted": max(0, len(measures) - MAX_MEASURES),
        "note": "金额为条文所列上限或按公式计算的最高额；“可能符合”的条件待补充信息或以申报指南、评审为准。"
                "分档取所在档，注明不重复享受的取最高，不作合计。出处为政策原文的文件、条款与行号。"}


def report_for_store(store: str, profile: dict, fmt: str, output, as_of=None) -> dict:
    """Write the report of ``profile`` to ``output`` as ``fmt`` (docx | pdf); returns a summary."""
    from .report_render import write_report
    if fmt not in FORMATS:
        raise ValueError(f"--format {fmt!r}: expected one of {', '.join(FORMATS)}")
    data = report_data(catalog_for_store(store), profile, as_of)
    write_report(data, fmt, Path(output))
    return {"output": str(output), "format": fmt, "as_of": data["as_of"], "measures": len(data["measures"]),
            "omitted": data["omitted"], "summary": data["summary"]}
