"""Agencies of a provision with their role, canonicalised by data/rules/agencies.yaml.

Roles: responsible (（责任单位：…）), lead / cooperating (牵头/配合), interpreting (由…负责解释),
mentioned (any other known name). A name in a role list that the rules do not know is still kept.

>>> [(a.name, a.role) for a in find_agencies("（责任单位：市科技局、市中级法院，各区、市政府）", "青岛市")]
[('青岛市科学技术局', 'responsible'), ('青岛市中级人民法院', 'responsible'), ('各区（市）人民政府', 'responsible')]
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..model import AgencyMention, AgencyRole
from .rules import alternation, load, trie_pattern

_ROLE_HEAD = re.compile(r"[（(]\s*(责任单位|责任部门|负责单位|负责部门|牵头单位|牵头部门|配合单位|配合部门|参与单位)\s*[:：]")
_HEAD_ROLE: dict[str, AgencyRole] = {"牵头单位": "lead", "牵头部门": "lead", "配合单位": "cooperating", "配合部门": "cooperating",
              "参与单位": "cooperating"}
_INTERPRET = re.compile(r"由([^，。；由]{2,120}?)负责解释")
_LEAD_COOP = re.compile(r"(?:由)?([^，。；（(由]{2,60}?)牵头[，、,]?(?:([^，。；）)]{2,80}?)(?:配合|参与))?")
_SPLIT = re.compile(r"[、，,；;\s]+|会同|(?<=[局委办厅院部行会室])(?:和|及)")
_ORG_END = re.compile(r"(?:局|委|办|厅|院|部|行|会|室|中心|政府|管委|管理局|法院|检察院|办公室|委员会|分行|支行|营业管理部)$")


@lru_cache(maxsize=1)
def _rules() -> dict:
    r = load("agencies")
    generic = r.get("generic", {})
    # surfaces for the phrase scan: fixed and generic names, prefix + local names, inner names
    surfaces = set(r.get("fixed", {})) | set(generic) | set(r.get("inner", {}))
    for p in r.get("prefixes", []):
        surfaces |= {p + k for k in r.get("local", {})}
    for place, full in r.get("places", {}).items():
        surfaces |= {full + k for k in r.get("local", {})} | {place + k for k in r.get("local", {})}
    # (?!门): 科技部门 is a department in general, not 科技部
    return {**r, "scan": re.compile(f"(?:{trie_pattern(surfaces)})(?!门)"),
            "generic_rx": re.compile(alternation(generic)) if generic else None}


def canonical(surface: str, region: str | None = None) -> str:
    """Canonical name of an agency surface form; ``region`` is the document's (青岛市).

    >>> canonical("市科技局", "青岛市"), canonical("青岛市科技局"), canonical("市委组织部", "青岛市")
    ('青岛市科学技术局', '青岛市科学技术局', '中共青岛市委组织部')
    >>> canonical("市海洋发展局", "青岛市"), canonical("团市委", "青岛市")
    ('青岛市海洋发展局', '共青团青岛市委员会')
    """
    r = _rules()
    s = surface.strip()
    for table in ("generic", "fixed"):
        if s in r.get(table, {}):
            return r[table][s]
    city = region if region and region.endswith("市") else "市"
    if s in r.get("inner", {}):
        return r["inner"][s].format(region=city)
    local = r.get("local", {})
    places = r.get("places", {})
    heads = sorted({*places, *places.values()}, key=len, reverse=True)
    m = re.match(r"^([\u4e00-\u9fa5]{2,3}?[市省区县])", s)
    for head in heads + ([m.group(1)] if m else []):
        if s.startswith(head) and s[len(head):] in local:
            return local[s[len(head):]].format(region=places.get(head, head))
    if s[:1] in r.get("prefixes", []) and s[1:] in local:
        level = {"市": city}.get(s[0], region if region and region.endswith(s[0]) else s[0])
        return local[s[1:]].format(region=level)
    if s[:1] == "市" and not s.startswith("市场") and _ORG_END.search(s):
        return f"中共{city}{s[1:]}" if s.startswith("市委") else f"{city}{s[1:]}"
    return s


def _items(chunk: str) -> list[str]:
    """Names in a 、/，-separated list, generic names (各区、市政府) kept whole."""
    r = _rules()
    out: list[tuple[int, str]] = []
    if r["generic_rx"] is not None:
        for m in r["generic_rx"].finditer(chunk):
            out.append((m.start(), m.group()))
        chunk = r["generic_rx"].sub(lambda m: "、" + " " * (len(m.group()) - 1), chunk)
    pos = 0
    for part in _SPLIT.split(chunk):
        i = chunk.find(part, pos) if part else pos
        pos = max(pos, i + len(part))
        part = part.strip()
        if 2 <= len(part) <= 30 and not re.search(r"以下|均需|不再|列出|落实|等$", part):
            out.append((i, part))
    return [name for _, name in sorted(out)]


def _bracket_end(text: str, start: int) -> int:
    """Index just past the bracket that closes the one opened at ``start`` (nested （市） allowed)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] in "（(":
            depth += 1
        elif text[i] in "）)":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def find_agencies(text: str, region: str | None = None) -> tuple[AgencyMention, ...]:
    """Agencies in ``text`` in order, one per canonical name (its first, most specific role)."""
    found: list[tuple[int, AgencyMention]] = []
    covered: list[tuple[int, int]] = []

    def add(pos: int, surface: str, role: AgencyRole) -> None:
        found.append((pos, AgencyMention(canonical(surface, region), surface, role)))

    # the guards skip regexes whose cue word is absent (the lazy 牵头 scan is costly on long text)
    for m in _ROLE_HEAD.finditer(text) if ("单位" in text or "部门" in text) else ():
        end = _bracket_end(text, m.start())
        covered.append((m.start(), end))
        body = text[m.end():end - 1]
        role = _HEAD_ROLE.get(m.group(1), "responsible")
        for sub in re.split(r"[；;]", body):
            sm = re.match(r"\s*(责任单位|牵头单位|配合单位|牵头部门|配合部门|参与单位)\s*[:：]", sub)
            sub_role = _HEAD_ROLE.get(sm.group(1), "responsible") if sm else role
            sub = sub[sm.end():] if sm else sub
            coop = re.search(r"(?:以下各项工作)?均需(.+?)配合", sub)
            for name in _items(sub[:coop.start()] if coop else sub):
                add(m.end(), name, sub_role)
            for name in _items(coop.group(1) if coop else ""):
                add(m.end(), name, "cooperating")
    for m in _INTERPRET.finditer(text) if "负责解释" in text else ():
        covered.append((m.start(), m.end()))
        for name in _items(re.sub(r"^(?:本\S{0,4}?)", "", m.group(1))):
            add(m.start(1), name, "interpreting")
    for m in _LEAD_COOP.finditer(text) if "牵头" in text else ():
        if any(a <= m.start() < b for a, b in covered):
            continue
        lead = _tail_org(m.group(1))
        if lead:
            add(m.start(1), lead, "lead")
            for name in _items(m.group(2) or ""):
                if _ORG_END.search(name):
                    add(m.start(1), name, "cooperating")
    for m in _rules()["scan"].finditer(text):
        if not any(a <= m.start() < b for a, b in covered):
            add(m.start(), m.group(), "mentioned")
    found.sort(key=lambda x: x[0])
    by_name: dict[str, AgencyMention] = {}
    for _, a in found:
        if a.name not in by_name or (by_name[a.name].role == "mentioned" and a.role != "mentioned"):
            by_name[a.name] = a
    return tuple(by_name.values())


def _tail_org(phrase: str) -> str | None:
    """The agency name a 牵头 phrase ends with (由市科技局牵头 → 市科技局), else None."""
    m = _rules()["scan"].search(phrase)
    if m and m.end() == len(phrase.rstrip()):
        return m.group()
    m = re.search(r"(市[\u4e00-\u9fa5]{1,12}?(?:局|委|办))$", phrase)
    return m.group(1) if m and not m.group(1).startswith("市场") else None
