"""Conflicts: measures for the same beneficiary and purpose, in force together in different
documents, whose caps or ratios differ — and what settles them (a later 与本文件不一致的，按本文件执行,
or a 就高/不重复 clause). Precision first: purposes come from the extraction (data/rules/purposes.yaml
and the clause), beneficiaries must be named on both sides, tiers count as one measure, a
restatement with the same terms anywhere in the other document is no conflict, and news reports
never rule.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from ingest.extract.beneficiaries import entity_type, find_beneficiaries
from ingest.extract.measures import purpose_key
from ingest.meta import report_types

from .catalog import Catalog, amount_max, no_stacking_clauses, norm_text, provision_measures
from .diffing import provision_side
from .money import yuan_text


def conflict_key(m) -> str | None:
    """What a measure grants, in matching form: measures compete only with the same purpose."""
    purpose = purpose_key(m.purpose)
    return norm_text(purpose) if purpose and len(purpose) >= 2 else None


def _who(m) -> tuple[frozenset, bool]:
    """(beneficiary types, all of them enterprises) of a measure's beneficiary phrase."""
    types = frozenset(find_beneficiaries(m.beneficiary or ""))
    return types, bool(types) and all(entity_type(t) == "enterprise" for t in types)


def same_beneficiary(ma, mb) -> bool:
    """Whether two measures are for the same applicants: the same phrase, shared beneficiary types,
    or both for enterprises of some kind (企业 vs 科技型中小企业). Both must name one: a measure
    "对符合条件的" says too little to be called the same as another (precision first).

    >>> from ingest.model import Measure
    >>> same_beneficiary(Measure("", beneficiary="企业"), Measure("", beneficiary="科技型中小企业"))
    True
    >>> same_beneficiary(Measure("", beneficiary="高校"), Measure("", beneficiary="企业"))
    False
    >>> same_beneficiary(Measure(""), Measure(""))
    False
    """
    if not (ma.beneficiary and mb.beneficiary):
        return False
    if norm_text(ma.beneficiary) == norm_text(mb.beneficiary):
        return True
    (ta, ea), (tb, eb) = _who(ma), _who(mb)
    return bool(ta & tb) or (ea and eb)


def _terms(m) -> tuple:
    """What a lawyer compares between two statements of a measure: its caps and its ratios."""
    caps = tuple(sorted({a.value_yuan for a in m.amounts if a.kind in ("cap", "annual_cap", "fixed", "range")
                         and a.value_yuan}))
    ratios = tuple(sorted({round(a.ratio, 6) for a in m.amounts if a.kind in ("ratio", "fraction") and a.ratio}))
    return caps, ratios


def _whole_measures(measures) -> list:
    """The measures of a provision with each tier group as one measure: its tiers are one benefit
    (the highest tier's cap bounds it), so a plan's 最高500万元 and its 细则's tiers up to 500万元
    agree."""
    out: list = []
    tiers: defaultdict[str, list] = defaultdict(list)
    for m in measures:
        (tiers[m.tier_group] if m.tier_group else out).append(m)
    for group in tiers.values():
        top = max(group, key=lambda m: amount_max(m) or 0)
        purpose = next((m.purpose for m in group if conflict_key(m)), top.purpose)
        amounts = tuple(a for m in group for a in m.amounts if a.kind in ("ratio", "fraction")) + \
            tuple(a for a in top.amounts if a.kind not in ("ratio", "fraction"))
        out.append(replace(top, purpose=purpose, amounts=amounts,
                           beneficiary=next((m.beneficiary for m in group if m.beneficiary), None)))
    return out


def _yuan_list(vals) -> str:
    return "、".join(map(yuan_text, vals)) or "—"


def measure_conflicts(catalog: Catalog, live: dict, skip: set) -> list[dict]:
    """Measures for the same beneficiary and purpose in two documents in force together whose
    caps or ratios differ (a restatement with different terms). Only terms are compared:
    conditions are extracted too unevenly to call a difference in them a conflict."""
    from .lineage import same_work_groups
    status = live  # id -> status of the documents in force (or of unknown dates) on the day
    groups = defaultdict(list)
    reports, same = report_types(), same_work_groups(catalog)
    for d in catalog.documents:
        if d.id not in live or d.doc_type in reports:  # a news report restates, it does not rule
            continue
        if any(o < d.id for o in same.get(d.id, ())):  # a copy of a work: its first copy speaks
            continue
        seen = set()
        for p in d.walk():
            for m in _whole_measures(provision_measures(p)):
                key = conflict_key(m)
                once = (m.text, _terms(m))  # a sub-item repeating its parent: one measure
                if key and once not in seen:
                    seen.add(once)
                    groups[key].append((d, p, m))
    out = []
    for key, items in groups.items():
        for i, (da, pa, ma) in enumerate(items):
            for db, pb, mb in items[i + 1:]:
                if da.id == db.id or tuple(sorted((da.id, db.id))) in skip or not same_beneficiary(ma, mb):
                    continue
                # one of several tiers/levels (国家级 500万, 省级 300万) restated with the same terms in
                # the other document is no conflict: only measures without an identical restatement
                if any(_terms(x) == _terms(ma) and same_beneficiary(x, ma) for e, _, x in items if e.id == db.id) or \
                        any(_terms(x) == _terms(mb) and same_beneficiary(x, mb) for e, _, x in items if e.id == da.id):
                    continue
                (ca, ra), (cb, rb) = _terms(ma), _terms(mb)
                reasons = []
                if ca and cb and ca != cb:
                    reasons.append(f"金额/上限不同：{_yuan_list(ca)} vs {_yuan_list(cb)}")
                if ra and rb and ra != rb:
                    reasons.append("比例不同：" + "、".join(f"{r:.0%}" for r in ra) + " vs " + "、".join(f"{r:.0%}" for r in rb))
                if not reasons:
                    continue
                rules = no_stacking_clauses(da) + no_stacking_clauses(db)
                later = overrides(da, db) or overrides(db, da)
                out.append({"a": dict(provision_side(da, pa), status=status[da.id]), "b": dict(provision_side(db, pb), status=status[db.id]),
                            "beneficiary": ma.beneficiary, "purpose": ma.purpose, "reason": "；".join(reasons),
                            "a_text": ma.text, "b_text": mb.text, "no_stacking": rules,
                            "resolution": later or ("按就高/不重复原则取其一（较高者）" if rules else None)})
    return out


def overrides(new, old) -> str | None:
    """What settles a conflict when ``new`` (issued later) says 与本文件不一致的，按本文件执行."""
    if not (new.issue_date and old.issue_date and new.issue_date > old.issue_date):
        return None
    for lin in new.lineage:
        if lin.type == "overrides_inconsistent" or (lin.type == "replaces" and not lin.target_title):
            return f"按 {new.id} 执行：{lin.text}"
    return None
