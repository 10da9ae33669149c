"""Where a document applies, from its issuers, title and 文号 (data: ingest.places).

广州市天河区人民政府 → 天河区; 两江新区管委会 → 两江新区 (a zone of 重庆市); 文号 穗府办规 → 广州市,
渝北府办发 → 渝北区, 皖政办秘 → 安徽省, 国办发 → the country. Issuers come first (the body that
issues a document is where it applies), then the title, the title of the 通知 it came in, the
文号. ``不含两江新区直管区`` and the like in the text leave a division or zone out.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .rules import load
from .model import DocMeta, Jurisdiction, Para
from .places import NATIONAL, Division, gazetteer

_LEAD = re.compile(r"^(?:中共|中国共产党|关于)")


@lru_cache(maxsize=1)
def _rx() -> dict[str, re.Pattern]:
    places, zones = load("places"), load("zones")
    heads = "|".join(sorted(map(re.escape, places["doc_number_heads"]), key=len, reverse=True))
    return {"national_no": re.compile("|".join(places["national_doc_number"])),
            "heads": re.compile(rf"(?:{heads})"),
            "zone_after": re.compile("(?:" + "|".join(zones["patterns"]) + ")"),
            "exclusion": re.compile(zones["exclusion"])}


def _national_issuer(name: str) -> bool:
    return name.startswith(tuple(load("places")["national_issuers"]))


def _zone_named(text: str) -> Division | None:
    g = gazetteer()
    for name, z in load("zones")["zones"].items():
        if name in text or any(a in text for a in z.get("aliases", ())):
            return g.zone(name)
    return None


def place_of(text: str | None) -> Division | None:
    """The division or zone a name opens with (广州市天河区人民政府, 合肥高新技术产业开发区管委会),
    else the first one named in it (国家税务总局广东省税务局 → 广东省)."""
    if not text:
        return None
    text = _LEAD.sub("", re.sub(r"\s+", "", text))
    zone = _zone_named(text[:30])
    g = gazetteer()
    start = 0
    d, end = g.chain_at(text)
    if d is None:
        for start, _e, _surface in g.mentions(text[:24]):
            d, end = g.chain_at(text, start)
            if d is not None:
                break
    if zone is not None and (d is None or g.within(zone.key, d.key) or zone.parent == d.key
                             or g.within(zone.parent, d.key) or d.key in zone.covers):
        return zone
    if d is not None:
        m = _rx()["zone_after"].match(text, end)
        if m and d.level in ("city", "county"):
            return g.zone(text[start:m.end()], d)
    return d


def place_of_doc_number(number: str | None) -> Division | None:
    """The division a 文号 prefix names: 穗府办规 → 广州市, 渝北府办发 → 渝北区, 国办发 → the country."""
    if not number:
        return None
    prefix = re.split(r"[〔\[［(（\d]", number, maxsplit=1)[0]
    if not prefix:
        return None
    rx, places, g = _rx(), load("places"), gazetteer()
    if rx["national_no"].match(prefix):
        return NATIONAL
    for m in g.mentions(prefix[:4]):  # a division's short form (渝北, 天河, 浦东) at the start
        if m[0] == 0 and rx["heads"].match(prefix, m[1]) and len(m[2]) >= 2:
            d = g.pick(m[2])
            if d is not None:
                return d
    for table in ("city_abbrev", "province_abbrev"):
        for abbr in sorted(places[table], key=len, reverse=True):
            if prefix.startswith(abbr) and rx["heads"].match(prefix, len(abbr)) \
                    and abbr not in places["ambiguous_abbrev"]:
                return g.pick(places[table][abbr])
    return None


_ISSUER_LINE = re.compile(r"^(?:中共)?[\u4e00-\u9fff（）()]{2,30}?(?:人民政府|人民政府办公厅|人民政府办公室|管理委员会|管委会|委员会|局|厅)$")
_SELF = re.compile(r"(?:本|我|全)(省|市|县|区)")


def _issuer_lines(paras) -> list[str]:
    """Lines of the head or the signature that are an issuing body and nothing else (嵊州市人民政府)."""
    paras = list(paras)
    return [p.norm.strip() for p in paras[:6] + paras[-6:] if _ISSUER_LINE.match(p.norm.strip())]


def _self_named(paras) -> Division | None:
    """A text that names no issuer: the division of the level it calls itself (我县, 本市) that it
    names most often (柳河县 in 《柳河县…办法》, 回柳河本地), when named at least twice."""
    text = "".join(p.norm for p in paras)[:20000]  # how a text names itself shows early
    levels = [m.group(1) for m in _SELF.finditer(text)]
    if not levels:
        return None
    level = max(set(levels), key=levels.count)
    g = gazetteer()
    counts: dict[str, int] = {}
    for _s, _e, surface in g.mentions(text):
        d = g.pick(surface)
        if d is not None and not d.former and d.name.endswith(level):
            counts[d.key] = counts.get(d.key, 0) + 1
    if not counts:
        return None
    best = max(counts, key=counts.__getitem__)
    return g.get(best) if counts[best] >= 2 else None


def _national_body(paras) -> bool:
    """A text that names no place of its own but gives national bodies its work (科技部、财政部、
    税务总局负责全国…) or the whole country (中国境内) is national."""
    head = "".join(p.norm for p in list(paras)[:40])[:4000]
    bodies = "|".join(map(re.escape, load("places")["national_issuers"]))
    return bool(re.search(rf"(?:{bodies})[^。；]{{0,30}}全国|在中国境内|全国范围内", head))


def _exclusions(paras: list[Para], within: Division) -> tuple[Division, ...]:
    g, found = gazetteer(), []
    for p in paras:
        for m in _rx()["exclusion"].finditer(p.norm):
            d = place_of(m.group(1))
            if d is not None and d.key != within.key and (
                    g.within(d.key, within.key) or g.within(d.parent or "", within.key)):
                found.append(d)
    return tuple(dict.fromkeys(found))


def jurisdiction(meta: DocMeta, paras: Sequence[Para] = ()) -> Jurisdiction | None:
    """The document's Jurisdiction, or None when nothing says where it applies."""
    g = gazetteer()
    places = [d for d in (place_of(i) for i in meta.issuers) if d is not None]
    d = None
    if places:  # joint issuers of several levels: where all of them apply
        d = min(places, key=lambda x: len(g.ancestors(x.key)))
    elif meta.issuers and all(_national_issuer(i) for i in meta.issuers):
        d = NATIONAL
    if d is None:
        d = place_of(meta.title) or place_of(meta.wrapper_title) or place_of_doc_number(meta.doc_number)
    if d is None:
        d = next(filter(None, map(place_of, _issuer_lines(paras))), None)
    if d is None and meta.region == "全国":
        d = NATIONAL
    if d is None and meta.region:
        d = place_of(meta.region)
    if d is None and _national_body(paras):
        d = NATIONAL
    if d is None:
        d = _self_named(paras)
    if d is None:
        return None
    number = place_of_doc_number(meta.doc_number)  # 穗府办 under an issuer named without its city
    if number is not None and number.key != d.key and g.within(number.key, d.key) and not places:
        d = number
    excluded = _exclusions(list(paras), d) if d is not NATIONAL else ()
    return as_jurisdiction(d, excluded)


def as_jurisdiction(d: Division, excluded: tuple[Division, ...] = ()) -> Jurisdiction:
    names = tuple(a.name for a in gazetteer().ancestors(d.key)[1:] if a is not NATIONAL)
    return Jurisdiction(d.name, d.level, d.key, names, tuple(x.key for x in excluded),
                        tuple(x.name for x in excluded))


def jurisdiction_json(j: Jurisdiction | None) -> dict | None:
    """The contract form: name, level, code, parents (nearest first), excludes (names); ``key``
    and ``exclude_keys`` to read it back (:func:`jurisdiction_from_json`)."""
    if j is None:
        return None
    return {"name": j.name, "level": j.level, "code": j.code, "parents": list(j.parents),
            "excludes": list(j.exclude_names), "key": j.key, "exclude_keys": list(j.excludes)}


def jurisdiction_from_json(d: dict | None) -> Jurisdiction | None:
    if not d:
        return None
    return Jurisdiction(d["name"], d["level"], d.get("key") or d.get("code") or "", tuple(d.get("parents", ())),
                        tuple(d.get("exclude_keys", ())), tuple(d.get("excludes", ())))


def place_chain(j: Jurisdiction | None) -> str | None:
    """A jurisdiction as the names from its province down (山东省青岛市崂山区); None for the country."""
    if j is None or j.level == "national":
        return None
    return "".join(reversed(j.parents)) + j.name
