"""Named programmes (“强链计划”, “人才强青”计划, 实施种业振兴行动 …), one canonical name each.

>>> find_programmes("实施新时代“人才强青”计划，实施“海创计划”和“蓝色良种”培育工程，深入实施“未来之星”工程")
('人才强青计划', '海创计划', '蓝色良种培育工程', '未来之星工程')
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..rules import load

_NOUN = r"(?:行动计划|专项行动|开发计划|培育工程|提升工程|计划|工程|专项|行动)"
# “X计划” (noun inside the quotes) or “X”计划 / “X”培育工程 (noun after them)
_QUOTED = re.compile(rf"[“\"「]([^“”\"「」]{{1,16}}?)[”\"」](?:({_NOUN}))?")
# 实施种业振兴行动 / 开展民营领军标杆企业培育行动 (unquoted; the verb anchors the start)
_VERB = re.compile(r"(?:实施|开展|启动|推进|深入实施)([\u4e00-\u9fa5]{2,14}?(?:行动计划|专项行动|计划|工程|行动))(?=[，。；、,]|$)")
_NOT_NAME = re.compile(r"一批|若干|各类|各项|重大|有关|相关|和|及|等|的|本")


@lru_cache(maxsize=1)
def _rules() -> tuple[dict[str, str], frozenset[str], re.Pattern]:
    r = load("programmes")
    alias = {a.replace("“", "").replace("”", ""): name for name, aliases in r.get("aliases", {}).items()
             for a in aliases}
    stop_rx = re.compile("|".join(r.get("stop_patterns", [])) or "(?!)")
    return alias, frozenset(r.get("stop", [])), stop_rx


def canonical(name: str) -> str:
    """One name per programme: no quotes, no 新时代 prefix, aliases merged (data/rules/programmes.yaml)."""
    alias = _rules()[0]
    bare = re.sub(r"^新时代", "", name.replace("“", "").replace("”", "").replace('"', "").strip())
    return alias.get(bare, bare)


def find_programmes(text: str) -> tuple[str, ...]:
    """Canonical programme names in order of first mention."""
    _, stop, stop_rx = _rules()
    found: list[tuple[int, str]] = []
    for m in _QUOTED.finditer(text):
        inner, noun = m.group(1), m.group(2)
        if noun:
            found.append((m.start(), inner + noun))
        elif re.search(rf"{_NOUN}$", inner):
            found.append((m.start(), inner))
    for m in _VERB.finditer(text):
        name = m.group(1)
        if "“" not in name and not _NOT_NAME.search(name):
            found.append((m.start(1), name))
    names = (canonical(n) for _, n in sorted(found))
    return tuple(dict.fromkeys(n for n in names if n not in stop and not stop_rx.search(n) and len(n) > 2))
