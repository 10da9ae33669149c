"""The measures eligibility checks, prepared once per catalog: each with its document, provision,
all its conditions (explicit, and implied by beneficiary and issuing region) and agencies, also
as numpy columns for checking every measure at once.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from graph.gcpause import gc_paused
from ingest import resources
from ingest.extract.beneficiaries import entity_type
from ingest.meta import report_types
from ingest.model import Condition
from ingest.places import gazetteer

from .catalog import Catalog, amount_max, no_stacking_clauses, provision_measures
from .formula import ConditionTable

_WHO_WHERE = {"entity_type", "region", "district", "location"}


@lru_cache(maxsize=1)
def entity_rules() -> dict:
    """data/rules/entity_types.yaml: entity types and qualifications with their surface forms."""
    return resources.rules("entity_types")


def _matches(text: str, table: dict) -> list[str]:
    return [k for k, words in table.items() if any(w in text for w in words)]


@lru_cache(maxsize=4096)
def beneficiary_conditions(beneficiary: str | None) -> tuple[Condition, ...]:
    """Implicit conditions a beneficiary phrase sets: entity type and qualification.

    >>> [(c.field, c.op, c.value) for c in beneficiary_conditions("高校院所")]
    [('entity_type', 'in', ('university', 'institute'))]
    >>> [(c.field, c.value) for c in beneficiary_conditions("规下高新技术企业")]
    [('entity_type', ('enterprise',)), ('qualifications', '高新技术企业')]
    """
    if not beneficiary:
        return ()
    rules = entity_rules()
    quals = _matches(beneficiary, rules["qualifications"])
    types = _matches(beneficiary, rules["entity_types"])
    if quals and "enterprise" not in types:
        types.append("enterprise")
    text = f"适用对象：{beneficiary}"
    out = [Condition("entity_type", "in", tuple(types), None, text)] if types else []
    return tuple(out + [Condition("qualifications", "has", q, None, text) for q in quals])


def prepared_measures(catalog: Catalog) -> list[dict]:
    """Each measure with its document, provision, all its conditions (explicit and implied by
    beneficiary and region), agencies (inherited from the nearest provision naming some)."""
    if "measures" in catalog.memo:
        return catalog.memo["measures"]
    with gc_paused():
        catalog.memo["measures"] = _prepare(catalog)
    return catalog.memo["measures"]


def measure_arrays(catalog: Catalog) -> dict:
    """The prepared measures as numpy columns: their conditions (a ConditionTable), the index
    of their document, and their tier group (-1: none)."""
    if "measure_arrays" not in catalog.memo:
        pms = prepared_measures(catalog)
        doc_index = {d.id: i for i, d in enumerate(catalog.documents)}
        groups: dict = {}
        with gc_paused():
            catalog.memo["measure_arrays"] = {
                "table": ConditionTable([pm["conditions"] for pm in pms]),
                "doc": np.array([doc_index[pm["doc"].id] for pm in pms], dtype=np.int64),
                "tier": np.array([groups.setdefault(pm["tier"], len(groups)) if pm["tier"] else -1
                                  for pm in pms], dtype=np.int64),
                "report": np.array([pm["report"] for pm in pms], dtype=bool)}
    return catalog.memo["measure_arrays"]


def dedupe_conditions(conds) -> list[Condition]:
    """Conditions without repeats: one per (field, op, value), and no entity_type condition that a
    qualification already implies (高新技术企业 is an enterprise: one row, not two).

    >>> cs = [Condition("qualifications", "has", "高新技术企业", None, "高新技术企业"),
    ...       Condition("entity_type", "==", "enterprise", None, "高新技术企业"),
    ...       Condition("qualifications", "has", "高新技术企业", None, "适用对象：高新技术企业")]
    >>> [(c.field, c.text) for c in dedupe_conditions(cs)]
    [('qualifications', '高新技术企业')]
    """
    implied = {entity_type(c.value) for c in conds if c.field == "qualifications" and isinstance(c.value, str)}
    implied.discard(None)
    seen, out = set(), []
    for c in conds:
        value = tuple(c.value) if isinstance(c.value, list) else c.value
        if c.field == "entity_type" and implied and (
                value in implied or (isinstance(value, tuple) and set(value) <= implied)):
            continue
        key = (c.field, c.op, repr(value))
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _restates_jurisdiction(c: Condition, doc) -> bool:
    """注册在本市 in a city's document: the document's own jurisdiction (or one enclosing it), which
    the location check already applies."""
    if c.field not in ("region", "district") or doc.jurisdiction is None or not isinstance(c.value, str):
        return False
    g = gazetteer()
    d = g.resolve(c.value)
    return d is not None and (d.key == doc.jurisdiction.key or g.within(doc.jurisdiction.key, d.key))


def _prepare(catalog: Catalog) -> list[dict]:
    out = []
    reports = report_types()

    def visit(doc, p, agencies, stack, above):
        agencies = p.agencies or agencies
        mine = set()
        for m in provision_measures(p):
            key = (m.text, tuple((a.kind, a.value_yuan, a.ratio) for a in m.amounts))
            mine.add(key)
            if key in above:  # a sub-item repeating its parent's sentence: the same measure once
                continue
            conds = list(m.conditions)
            fields_set = {c.field for c in conds}
            implied = beneficiary_conditions(m.beneficiary) if m.beneficiary else \
                [c for c in beneficiary_conditions("、".join(p.beneficiaries)) if c.field == "entity_type"]
            either = {v for x in conds if x.field == "qualifications" and x.op == "in" for v in x.value}
            for c in implied:  # without the measure's own beneficiary: any type the provision names
                if c.field not in fields_set or c.field == "qualifications" and c.value not in either and \
                        not any(x.field == c.field and x.value == c.value for x in conds):
                    conds.append(c)
            if not {c.field for c in conds} - _WHO_WHERE:  # nothing but who/where: the rest is up to the call for applications
                conds.append(Condition("application_review", "is", True, None, "未列明具体申报条件（以申报指南、评审为准）"))
            explicit = dedupe_conditions([c for c in m.conditions if not _restates_jurisdiction(c, doc)])
            conds = dedupe_conditions(explicit + conds[len(m.conditions):])  # where: queries.applicability
            out.append({"doc": doc, "prov": p, "measure": m, "conditions": conds, "implicit_from": len(explicit),
                        "agencies": agencies, "stack": stack, "amount": amount_max(m),
                        "report": doc.doc_type in reports,
                        "tier": (doc.id, p.id, m.tier_group) if m.tier_group else None})
        for c in p.children:
            visit(doc, c, agencies, stack, above | mine)

    for d in catalog.documents:
        stack = no_stacking_clauses(d)
        for p in d.provisions:
            visit(d, p, (), stack, frozenset())
    return out
