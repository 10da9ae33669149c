"""Page furniture (data/rules/furniture.yaml): page numbers, footers and running headers that
belong to the page, not the text."""
from __future__ import annotations

import re
from collections import Counter
from typing import cast

from .clean_rules import CleanRules, rules
from .patterns import match_label

_WIDE_DIGITS: dict[int, int | str | None] = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_SQUEEZE = str.maketrans({**_WIDE_DIGITS, 0xFF0D: "-", 0x2212: "-"})


def _is_furniture_text(line: str, r: CleanRules) -> bool:
    if "\t" in line:
        return False
    s = "".join(line.split())
    if not 0 < len(s) <= 16:
        return False
    s = s.translate(_SQUEEZE)
    return any(p.fullmatch(s) for p in r.furniture)


def _page_edges(lines: tuple[str, ...], pages: tuple[int | None, ...], k: int) -> set[int]:
    """Indexes of the first and last ``k`` non-blank lines of each page."""
    by_page: dict[int | None, list[int]] = {}
    for i, (ln, p) in enumerate(zip(lines, pages)):
        if ln.strip():
            by_page.setdefault(p, []).append(i)
    return {i for idx in by_page.values() for i in idx[:k] + idx[-k:]}


def _numbers_in_text(lines: tuple[str, ...], pages: tuple[int | None, ...], found: set[int], r: CleanRules) -> set[int]:
    """Those of the ``found`` furniture lines of a PDF that are bare numbers (furniture.yaml ``edge_only``)
    but no page numbers: inside a page, or at its edge but off the sequence the others make (number - page
    the same on ``repeated.min_pages`` pages; a shorter PDF cannot tell)."""
    squeezed = {i: "".join(lines[i].split()).translate(_SQUEEZE) for i in found}
    bare = {i for i, s in squeezed.items() if any(p.fullmatch(s) for p in r.edge_only)}
    edges = _page_edges(lines, pages, r.repeated["edge_lines"]) & bare
    offsets = Counter(int(squeezed[i]) - cast(int, pages[i]) for i in edges)  # edge lines have pages
    need = r.repeated["min_pages"]
    short = len({p for p in pages if p is not None}) < need
    return {i for i in bare if i not in edges or not (short or offsets[int(squeezed[i]) - cast(int, pages[i])] >= need)}


def furniture_lines(lines: tuple[str, ...], pages: tuple[int | None, ...]) -> frozenset[int]:
    """0-based indexes of page-furniture lines: footer patterns and repeated page headers/footers.

    ``lines`` are tidied lines (see ``clean_text.tidy_line``). Numbered lines (第3条…) are never headers.

    >>> sorted(furniture_lines(("正文", "— 3 —", "第3页 共10页", "2028年"), (None,) * 4))
    [1, 2]
    """
    r = rules()
    out = {i for i, ln in enumerate(lines) if _is_furniture_text(ln, r)}
    if r.edge_only and any(p is not None for p in pages):  # a PDF: see furniture.yaml edge_only
        out -= _numbers_in_text(lines, pages, out, r)
    pg = [p for p in pages if p is not None]
    if len(set(pg)) < r.repeated["min_pages"]:
        return frozenset(out)
    edges: dict[int | None, list[int]] = {}
    for i, (ln, p) in enumerate(zip(lines, pages)):
        if ln.strip() and i not in out:
            edges.setdefault(p, []).append(i)
    k = r.repeated["edge_lines"]
    seen: dict[str, list[int]] = {}
    for p, idx in edges.items():
        for i in set(idx[:k] + idx[-k:]):
            key = re.sub(r"\d+", "#", "".join(lines[i].split()))
            if len(key) <= r.repeated["max_chars"] and not match_label(lines[i]):
                seen.setdefault(key, []).append(i)
    need = max(r.repeated["min_pages"], r.repeated["min_share"] * len(edges))
    first = pages[edges[min(edges, key=lambda q: edges[q][0])][0]]
    for key, idx in seen.items():
        if len({pages[i] for i in idx}) >= need:
            out.update(i for i in idx if pages[i] != first)
    return frozenset(out)
