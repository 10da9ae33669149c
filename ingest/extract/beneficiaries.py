"""Beneficiary types and industries named in a text, from the taxonomy in data/rules/beneficiaries.yaml.

Plain longest-match phrase matching (one compiled alternation): see benchmarks/bench_extract.py for
why this is not a spaCy SpanRuler on the hot path.

>>> find_beneficiaries("支持高校院所和科技型中小企业")
('高校', '科研院所', '科技型中小企业')
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from ..rules import load, trie_pattern


@lru_cache(maxsize=1)
def _taxonomy() -> tuple[re.Pattern, dict[str, tuple[str, ...]], dict[str, dict]]:
    data = load("beneficiaries")
    surface: dict[str, tuple[str, ...]] = {}
    for name, spec in data["types"].items():
        for alias in spec.get("aliases", [name]):
            surface[alias] = (name,)
    for alias, names in data.get("compound", {}).items():
        surface[alias] = tuple(names)
    return re.compile(trie_pattern(surface)), surface, data["types"]


@lru_cache(maxsize=1)
def _industries() -> tuple[re.Pattern, dict[str, str]]:
    surface = {a: name for name, aliases in load("beneficiaries").get("industries", {}).items() for a in aliases}
    return re.compile(trie_pattern(surface)), surface


def _matches(text: str) -> Iterator[tuple[str, re.Match]]:
    rx, surface, _ = _taxonomy()
    for m in rx.finditer(text):
        for name in surface[m.group()]:
            yield name, m


def find_beneficiaries(text: str) -> tuple[str, ...]:
    """Canonical beneficiary types in order of first mention."""
    return tuple(dict.fromkeys(name for name, _ in _matches(text)))


def entity_type(name: str) -> str | None:
    """The entity_type (condition_fields.yaml) of a beneficiary type.

    >>> entity_type("高校"), entity_type("创投机构")
    ('university', 'investor')
    """
    spec = _taxonomy()[2].get(name)
    return spec.get("entity_type") if spec else None


def qualification_terms(text: str) -> Iterator[tuple[str, re.Match]]:
    """(qualification, match) for beneficiary types that a firm holds as a 资质 (高新技术企业 …)."""
    types = _taxonomy()[2]
    for name, m in _matches(text):
        if types[name].get("qualification"):
            yield name, m


def find_industries(text: str) -> tuple[str, ...]:
    """Canonical industries named in ``text``.

    >>> find_industries("围绕集成电路、人工智能等新兴产业")
    ('集成电路', '人工智能')
    """
    rx, surface = _industries()
    return tuple(dict.fromkeys(surface[m.group()] for m in rx.finditer(text)))
