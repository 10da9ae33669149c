"""The province → city → district picker of the app, as plain lists from the division dataset.

>>> "广东省" in provinces() and "广州市" in cities("广东省") and "天河区" in counties("广东省", "广州市")
True
>>> cities("北京市"), "海淀区" in counties("北京市", None)
([], True)
>>> location("广东省", "广州市", "天河区"), location("安徽省", None, None), location(None, None, None)
('广东省广州市天河区', '安徽省', None)
"""
from __future__ import annotations

from functools import lru_cache

from ingest.places import Division, gazetteer


@lru_cache(maxsize=1)
def _children() -> dict[str, list[Division]]:
    out: dict[str, list[Division]] = {}
    for d in gazetteer().by_key.values():
        if d.level in ("province", "city", "county") and not d.former:
            out.setdefault(d.parent, []).append(d)
    for v in out.values():
        v.sort(key=lambda d: d.key)
    return out


def _key(name: str | None, parent: str) -> str | None:
    return next((d.key for d in _children().get(parent, ()) if d.name == name), None)


def provinces() -> list[str]:
    return [d.name for d in _children().get("000000", ()) if d.level == "province"]


def cities(province: str | None) -> list[str]:
    """Prefecture-level cities of a province (none for 北京市, 上海市, 天津市, 重庆市)."""
    p = _key(province, "000000")
    return [d.name for d in _children().get(p, ()) if d.level == "city"] if p else []


def counties(province: str | None, city: str | None) -> list[str]:
    """County-level units of a city, or straight under the province (a municipality's districts,
    省直辖县级市)."""
    p = _key(province, "000000")
    if not p:
        return []
    parent = _key(city, p) if city else p
    return [d.name for d in _children().get(parent, ()) if d.level == "county"] if parent else []


def location(province: str | None, city: str | None, county: str | None) -> str | None:
    """The profile's ``location`` from the picker (the most precise level chosen)."""
    return "".join(x for x in (province, city, county) if x) or None
