"""Combined totals of an eligibility answer: what a firm can expect, and what each total means.

Tiers are already reduced to the one a firm falls in (eligibility.pick_tiers); here a document's
不重复/就高/从优 clause keeps its single best benefit, a measure restated in several documents
counts once, and results decided only by review are counted, never added up.
"""
from __future__ import annotations

import re

from .catalog import norm_text

REVIEW_FIELDS = {"application_review", "document_status"}  # no profile field decides these


def _restatement_key(r: dict):
    """Results that grant the same thing (same beneficiary and purpose, or the same wording) in
    several documents — a plan and its implementing policy — are one benefit, not two."""
    m = r["measure"]
    if m.get("beneficiary") and m.get("purpose"):
        return ("bp", norm_text(m["beneficiary"]), norm_text(m["purpose"]))
    return ("text", re.sub(r"\W+", "", m["text"]))


_FIRST = re.compile(r"首次|初次|新认定|新获批")
_AGAIN = re.compile(r"再次|重新认定|复审")


def _occasion_key(r: dict):
    """首次认定 … 给予10万元，再次认定 … 给予5万元: for one beneficiary in one provision, the first-time
    and the repeat award are alternatives (a firm is in one case or the other), like tiers.

    >>> a = {"document": {"id": "d"}, "provision": {"id": "p"}, "measure": {"beneficiary": "高企", "text": "对首次认定的高企"}}
    >>> _occasion_key(a) == _occasion_key(dict(a, measure={"beneficiary": "高企", "text": "对再次认定的高企"}))
    True
    """
    m = r["measure"]
    if _FIRST.search(m["text"]) or _AGAIN.search(m["text"]):
        return ("occasion", r["document"]["id"], r.get("provision", {}).get("id"), m.get("beneficiary"))
    return None


def _total(rs: list[dict]) -> tuple[int, list[dict], int]:
    """(total, no-stacking rules applied, restatements merged) over results with an amount."""
    both: dict = {}  # occasion groups holding a first-time and a repeat award: only those are alternatives
    for r in rs:
        if (k := _occasion_key(r)):
            both.setdefault(k, set()).add("again" if _AGAIN.search(r["measure"]["text"]) else "first")
    best: dict = {}
    for r in rs:
        k = _occasion_key(r)
        k = k if k and len(both[k]) == 2 else _restatement_key(r)
        if k not in best or r["benefit"]["max_yuan"] > best[k]["benefit"]["max_yuan"]:
            best[k] = r
    by_doc: dict = {}
    for r in best.values():
        by_doc.setdefault(r["document"]["id"], []).append(r)
    tot, rules = 0, []
    for doc_id, group in by_doc.items():
        vals = [r["benefit"]["max_yuan"] for r in group]
        if group[0]["no_stacking"] and len(group) > 1:
            tot += max(vals)
            rules.append({"document": doc_id, "rule": group[0]["no_stacking"][0], "sum_yuan": sum(vals),
                          "combined_yuan": max(vals)})
        else:
            tot += sum(vals)
    return tot, rules, len(rs) - len(best)


def combine(results: list[dict]) -> dict:
    """Totals that mean something, each with what it is (``explain``):

    * ``eligible_max_yuan``: the most the firm can get from measures it certainly qualifies for —
      one tier per tiered measure, a document's 不重复/就高/从优 clause → its single best benefit,
      a measure restated in several documents counted once;
    * ``possible_max_yuan``: the same over eligible and *possible* results whose open conditions
      are facts of the firm (profile fields): an upper bound if those turn out met, not a sum
      of every possible result;
    * ``discretionary``: results decided only by a call for applications / review (or an
      unknown document date): how many and the largest single one — never added up.
    """
    def amount(r):
        return r["applicable"] and r["benefit"]["max_yuan"] is not None

    eligible = [r for r in results if amount(r) and r["verdict"] == "eligible"]
    fillable = [r for r in results if amount(r) and r["verdict"] == "possible"
                and not set(r["deciding_fields"]) & REVIEW_FIELDS]
    other = [r for r in results if amount(r) and r["verdict"] == "possible" and set(r["deciding_fields"]) & REVIEW_FIELDS]
    e, e_rules, e_merged = _total(eligible)
    p, p_rules, p_merged = _total(eligible + fillable)
    return {"eligible_max_yuan": e, "possible_max_yuan": p, "no_stacking": p_rules or e_rules,
            "restatements_merged": p_merged,
            "discretionary": {"count": len(other),
                              "best_single_yuan": max((r["benefit"]["max_yuan"] for r in other), default=None)},
            "explain": {
                "eligible_max_yuan": "确定符合的措施合计：分档取所在档，同一文件“不重复/就高”取最高，多份文件重复表述的同一措施只计一次",
                "possible_max_yuan": "若待定的企业条件均满足，可得上限（同样按分档、就高、不重复计算；不含需评审择优的项目）",
                "discretionary": "仅以申报指南/评审为准（或文件施行日期不明）的项目：只给项数和单项最高，不合计"}}
