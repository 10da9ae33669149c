"""Per-provision extraction: amounts, agencies, programmes, beneficiaries, conditions, lineage.

``enrich`` fills a Provision (and its children) from its own text; ``relations`` finds a document's
references and lineage in its paragraphs. Rules live in data/rules/ (agencies, beneficiaries,
programmes, amounts, condition_fields).
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..model import Condition, DocMeta, Provision, line_at
from .agencies import find_agencies
from .amounts import find_amounts
from .beneficiaries import find_beneficiaries
from .lineage import relations
from .measures import build_measures
from .programmes import find_programmes
from .text import extract_form

__all__ = ["enrich", "relations"]


def enrich(p: Provision, meta: DocMeta | None) -> Provision:
    """A new Provision with everything extracted from its text, children enriched too.

    >>> from ingest.model import Span
    >>> p = Provision("a1", "article", "1.", None, "对首次认定的高新技术企业给予最高10万元奖补。", Span("x", 3, 3))
    >>> q = enrich(p, None)
    >>> [(a.value_yuan, a.kind, a.line) for a in q.amounts], q.beneficiaries
    ([(100000, 'cap', 3)], ('高新技术企业',))
    """
    region = _region(meta)
    norm = extract_form(p.text)

    def line_of(offset: int) -> int | None:
        return line_at(p.line_map, offset, p.span.line_start)

    located = find_amounts(norm, line_of=line_of)
    measures = build_measures(p.text, norm, located, p.id, region, line_of, p.heading)
    formulas = {m.benefit_formula for m in measures}
    return replace(
        p,
        children=tuple(enrich(c, meta) for c in p.children),
        amounts=tuple(x for _, _, x in located),
        agencies=find_agencies(norm, region),
        programmes=find_programmes(norm),
        beneficiaries=find_beneficiaries(norm),
        conditions=_union(c for m in measures for c in m.conditions),
        benefit_formula=formulas.pop() if len(formulas) == 1 else None,
        measures=measures,
    )


def _region(meta: DocMeta | None) -> str | None:
    """The document's region, else the city of its first issuer (青岛市科学技术局 → 青岛市)."""
    if meta is None:
        return None
    if meta.region:
        return meta.region
    for name in meta.issuers:
        m = re.match(r"^(?:中共)?([\u4e00-\u9fa5]{2,3}?市)", name)
        if m:
            return m.group(1)
    return None


def _union(conds) -> tuple[Condition, ...]:
    seen: dict[tuple, Condition] = {}
    for c in conds:
        key = (c.field, c.op, repr(c.value))
        seen.setdefault(key, c)
    return tuple(seen.values())
