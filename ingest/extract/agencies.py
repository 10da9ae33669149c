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
from ..places import gazetteer, level_names
from ..rules import alternation, load, trie_pattern

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
    national = {name: name for name in r.get("national", {})}
    for name, shorts in r.get("national", {}).items():
        national.update({short: name for short in shorts or ()})
    national.update({old: old for old in r.get("former", {})})  # the body that issued an old text
    fixed = {**national, **r.get("fixed", {})}
    # surfaces for the phrase scan: fixed, national and generic names, level prefix + local names
    surfaces = set(fixed) | set(generic) | set(r.get("inner", {}))
    for p in r.get("prefixes", []):
        surfaces |= {p + k for k in r.get("local", {})}
    templates = []
    for surface, canon in r.get("templates", {}).items():
        head, _, tail = surface.partition("{place}")
        rx = re.compile(re.escape(head) + r"(?P<place>[\u4e00-\u9fff]{2,12}?)" + re.escape(tail))
        templates.append((rx, canon))
    generic_rx = "|".join(x for x in (alternation(generic) if generic else "", r.get("generic_pattern", "")) if x)
    tails = set(r.get("local", {})) | {t.partition("{place}")[2] for t in r.get("templates", {}) if t.startswith("{place}")}
    headed = [rx for rx, _ in templates if not rx.pattern.startswith("(?P<place>")]
    # (?!门): 科技部门 is a department in general, not 科技部
    return {**r, "fixed": fixed, "scan": re.compile(f"(?:{trie_pattern(surfaces)})(?!门)"),
            "tails": re.compile(f"(?:{trie_pattern(tails)})(?!门)"),
            "headed": headed, "templates": templates,
            "generic_rx": re.compile(generic_rx) if generic_rx else None}


def _place_name(text: str) -> str | None:
    """The full name of the division ``text`` names (青岛 → 青岛市, 浙江 → 浙江省), else None."""
    d, end = gazetteer().chain_at(text)
    return d.name if d is not None and end == len(text) else None


def canonical(surface: str, region: str | None = None) -> str:
    """Canonical name of an agency surface form; ``region`` is where the document applies (青岛市,
    山东省, 广东省广州市天河区): the level prefix 省/市/区/县 is resolved against it.

    >>> canonical("市科技局", "青岛市"), canonical("青岛市科技局"), canonical("市委组织部", "青岛市")
    ('青岛市科学技术局', '青岛市科学技术局', '中共青岛市委组织部')
    >>> canonical("市海洋发展局", "青岛市"), canonical("团市委", "青岛市")
    ('青岛市海洋发展局', '共青团青岛市委员会')
    >>> canonical("省科技厅", "安徽省合肥市"), canonical("乌鲁木齐市科技局"), canonical("浙江证监局")
    ('安徽省科学技术厅', '乌鲁木齐市科学技术局', '中国证券监督管理委员会浙江监管局')
    """
    r = _rules()
    s = surface.strip()
    for table in ("generic", "fixed"):
        if s in r.get(table, {}):
            return r[table][s]
    if r["generic_rx"] is not None and r["generic_rx"].fullmatch(s):
        return re.sub(r"(?<!人民)政府$", "人民政府", s.replace("(", "（").replace(")", "）"))
    levels = level_names(region)
    if s in r.get("inner", {}):
        return r["inner"][s].format(region=levels.get("市", "市"))
    for rx, canon in r["templates"]:
        m = rx.fullmatch(s)
        if m and _place_name(m.group("place")):
            return canon.format(place=m.group("place"))
    local = r.get("local", {})
    d, end = gazetteer().chain_at(s)
    if d is not None and s[end:] in local:  # 青岛市科技局, 乌鲁木齐市科技局, 浙江省科技厅
        return local[s[end:]].format(region=level_names(s[:end]).get(s[end - 1], s[:end]) if s[end - 1] in "区县"
                                     else _place_name(s[:end]) or s[:end])
    if s[:1] in r.get("prefixes", []) and s[1:] in local:
        return local[s[1:]].format(region=levels.get(s[0], s[0]))
    if s[:1] == "市" and not s.startswith("市场") and _ORG_END.search(s):
        city = levels.get("市", "市")
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
    r = _rules()
    seen_at: dict[int, str] = {}
    for rx in [r["scan"], *r["headed"]] + ([r["generic_rx"]] if r["generic_rx"] is not None else []):
        for m in rx.finditer(text):
            if not any(a <= m.start() < b for a, b in covered) and len(m.group()) > len(seen_at.get(m.start(), "")):
                seen_at[m.start()] = m.group()
    for start, end in _placed(text):  # 乌鲁木齐市科技局, 浙江证监局: a division, then a body's name
        if not any(a <= start < b for a, b in covered) and end - start > len(seen_at.get(start, "")):
            seen_at[start] = text[start:end]
    ends = sorted((pos, pos + len(t)) for pos, t in seen_at.items())
    for pos, surface in seen_at.items():  # the longest of overlapping names (青岛市科技局, not 市科技局)
        if not any(a < pos < b or (a == pos and b > pos + len(surface)) for a, b in ends if (a, b) != (pos, pos + len(surface))):
            add(pos, surface, "mentioned")
    found.sort(key=lambda x: x[0])
    by_name: dict[str, AgencyMention] = {}
    for _, a in found:
        if a.name not in by_name or (by_name[a.name].role == "mentioned" and a.role != "mentioned"):
            by_name[a.name] = a
    return tuple(by_name.values())


def _placed(text: str) -> list[tuple[int, int]]:
    """(start, end) of names made of division names and a body's name after them: each body's name
    (科技局, 证监局 …) found first, then the longest run of division names right before it."""
    g, out = gazetteer(), []
    for t in _rules()["tails"].finditer(text):
        for k in range(min(14, t.start()), 1, -1):
            d, end = g.chain_at(text[t.start() - k:t.start()])
            if d is not None and end == k:
                out.append((t.start() - k, t.end()))
                break
    return out


def _tail_org(phrase: str) -> str | None:
    """The agency name a 牵头 phrase ends with (由市科技局牵头 → 市科技局), else None."""
    m = _rules()["scan"].search(phrase)
    if m and m.end() == len(phrase.rstrip()):
        return m.group()
    m = re.search(r"(市[\u4e00-\u9fa5]{1,12}?(?:局|委|办))$", phrase)
    return m.group(1) if m and not m.group(1).startswith("市场") else None
