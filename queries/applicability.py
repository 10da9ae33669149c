"""Whether a document's measures reach a firm where it is: applicability by nesting of divisions.

National measures apply everywhere, a province's in all its cities and counties, a city's in its
districts, a district's only inside it; a zone's where the zone is (its ``covers``; ``overlaps``
and an unnamed district of its city leave it open); divisions a document excludes (不含…) are
out. A firm whose place is not known, or a document whose jurisdiction is not, leaves the answer
open (``unknown``), with location the deciding field.
"""
from __future__ import annotations

import numpy as np

from ingest.model import Jurisdiction
from ingest.places import NATIONAL_CODE, Division, gazetteer

MET, UNKNOWN, UNMET = 0, 1, 2
STATE_NAMES = ("met", "unknown", "unmet")


def firm_place(profile: dict) -> Division | None:
    """The division or zone a profile says the firm is in: ``location``, else ``district`` inside
    ``region``, else ``region``; ValueError naming a place the dataset does not know."""
    g = gazetteer()
    loc = profile.get("location")
    if not loc:
        parts = [profile.get("region") or "", profile.get("district") or ""]
        loc = "".join(p for p in parts if p and not (parts[0] and p != parts[0] and p in parts[0]))
    if not loc:
        return None
    d = g.resolve(str(loc))
    if d is None:
        raise ValueError(f"profile: place {loc!r} is not a known province, city, district, county or zone "
                         "(data/divisions/divisions.tsv, data/rules/zones.yaml)")
    return d


def place_fields(firm: Division, profile: dict) -> dict:
    """``location``, ``region`` (its city, or province-level municipality) and ``district`` of a firm
    in ``firm``, for the conditions a text states (注册在本市), where the profile leaves them out."""
    chain = [d for d in gazetteer().ancestors(firm.key) if d.key != NATIONAL_CODE]
    out = {"location": "".join(d.name for d in reversed(chain))}
    city = next((d for d in chain if d.level == "city"), None) or next((d for d in chain if d.level == "province"
                                                                        and d.key[:2] in ("11", "12", "31", "50")), None)
    county = next((d for d in chain if d.level == "county"), None)
    if city and not profile.get("region"):
        out["region"] = city.name
    if county and not profile.get("district"):
        out["district"] = county.name
    return {k: v for k, v in out.items() if k == "location" and not profile.get("location") or k != "location"}


def _keys(d: Division) -> set[str]:
    """The keys a firm in ``d`` is inside: its chain, its successor's chain (a renamed unit), and for
    a zone the divisions it covers."""
    g = gazetteer()
    out = {a.key for a in g.ancestors(d.key)}
    if d.successor:
        out |= {a.key for a in g.ancestors(d.successor)}
    for c in d.covers:
        out |= {a.key for a in g.ancestors(c)}
    return out


def location_state(jur: Jurisdiction | None, firm: Division | None) -> tuple[int, str]:
    """(MET | UNKNOWN | UNMET, reason) for a document of ``jur`` and a firm in ``firm``."""
    g = gazetteer()
    if jur is None:
        return UNKNOWN, "发文机关所在地区不明"
    if jur.key == NATIONAL_CODE:
        return MET, "全国适用"
    where = jur.name
    if firm is None:
        return UNKNOWN, f"适用于{where}，企业所在地未提供"
    inside = _keys(firm)
    for x in jur.excludes:
        out = g.get(x)
        name = out.name if out else x
        if x in inside:
            return UNMET, f"适用于{where}，但不含{name}（企业所在地）"
        if out is not None and inside & set(out.overlaps):
            return UNKNOWN, f"适用于{where}，但不含{name}：企业是否在{name}内需确认"
    if jur.key in inside:
        return MET, f"适用于{where}，企业在{firm.name}"
    zone = g.get(jur.key)
    if zone is not None and zone.level == "zone":
        return _zone_state(zone, firm, inside)
    if firm.level == "zone" and g.within(jur.key, firm.parent) and (
            not firm.covers or any(g.within(c, jur.key) or g.within(jur.key, c) for c in firm.covers)):
        return UNKNOWN, f"适用于{where}，企业所在的{firm.name}是否在其内需确认"
    if g.within(jur.key, firm.key) or (firm.successor and g.within(jur.key, firm.successor)):
        return UNKNOWN, f"适用于{where}，企业只说明在{firm.name}，所在区县未提供"
    return UNMET, f"适用于{where}，企业在{firm.name}"


def _zone_state(zone: Division, firm: Division, inside: set[str]) -> tuple[int, str]:
    g = gazetteer()
    if any(c in inside for c in zone.covers):
        return MET, f"适用于{zone.name}，企业在{firm.name}"
    if any(o in inside for o in zone.overlaps):
        return UNKNOWN, f"适用于{zone.name}，{firm.name}部分在其内，需确认"
    if zone.parent in inside and (firm.key == zone.parent or not (zone.covers or zone.overlaps)):
        return UNKNOWN, f"适用于{zone.name}，企业是否在{zone.name}内需确认"
    if zone.parent and g.within(zone.parent, firm.key):
        return UNKNOWN, f"适用于{zone.name}，企业只说明在{firm.name}"
    return UNMET, f"适用于{zone.name}，企业在{firm.name}"


def document_states(documents, firm: Division | None) -> tuple[np.ndarray, list[str]]:
    """Per document of the catalog: its location state (int8 array) and reason, computed once per
    distinct jurisdiction."""
    memo: dict = {}
    states, reasons = np.zeros(len(documents), dtype=np.int8), []
    for i, d in enumerate(documents):
        key = (d.jurisdiction.key, d.jurisdiction.excludes) if d.jurisdiction else None
        if key not in memo:
            memo[key] = location_state(d.jurisdiction, firm)
        states[i], reason = memo[key]
        reasons.append(reason)
    return states, reasons


def same_chain(a: Jurisdiction | None, b: Jurisdiction | None) -> bool:
    """Whether two documents' jurisdictions lie on one chain (one inside the other): only then can
    their measures conflict. An unknown jurisdiction is taken to be on any chain."""
    if a is None or b is None or a.key == b.key:
        return True
    g = gazetteer()
    return g.within(a.key, b.key) or g.within(b.key, a.key)
