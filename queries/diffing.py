"""Comparing texts and documents: word-level differences with their source lines, provisions of
two documents aligned clause by clause (新旧对照, duplicates), and how one side of a pair is cited.
Used by the overlaps, conflicts and status answers alike.
"""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from difflib import SequenceMatcher

import numpy as np
from rapidfuzz import fuzz, process

from ingest.model import line_at

from .catalog import clause_units
from .contract import TokenDifference
from .neardup import match_form


def _width_form(text: str) -> str:
    """NFKC character by character where that keeps one character (offsets stay valid)."""
    return "".join(n if len(n := unicodedata.normalize("NFKC", c)) == 1 else c for c in text)


def _tokens(text: str) -> list[tuple[str, int]]:
    """jieba words (of the width-normalised text) with their offsets; blanks dropped."""
    import jieba
    out, off = [], 0
    for tok in jieba.cut(_width_form(text), HMM=False):
        if tok.strip():
            out.append((tok, off))
        off += len(tok)
    return out


def token_diff(a: str, b: str, a_map=None, b_map=None) -> list[TokenDifference]:
    """Word-level differences (jieba tokens, full/half width ignored) with source lines.

    >>> [(d["a_text"], d["b_text"]) for d in token_diff("给予最高500万元奖补", "给予最高1000万元奖补")]
    [('500', '1000')]
    """
    ta, tb = _tokens(a), _tokens(b)
    na = [t for t, _ in ta]
    nb = [t for t, _ in tb]
    ops = [op for op in SequenceMatcher(None, na, nb, autojunk=False).get_opcodes() if op[0] != "equal"]
    merged: list[tuple[str, int, int, int, int]] = []
    for op in ops:  # one change split by a single shared token reads as one difference
        if merged and op[1] - merged[-1][2] <= 1 and op[3] - merged[-1][4] <= 1:
            merged[-1] = ("replace", merged[-1][1], op[2], merged[-1][3], op[4])
        else:
            merged.append(op)
    out: list[TokenDifference] = []
    for _, i1, i2, j1, j2 in merged:
        a_off = ta[i1][1] if i1 < len(ta) else len(a)
        b_off = tb[j1][1] if j1 < len(tb) else len(b)
        a_end = ta[i2 - 1][1] + len(ta[i2 - 1][0]) if i2 > i1 else a_off
        b_end = tb[j2 - 1][1] + len(tb[j2 - 1][0]) if j2 > j1 else b_off
        out.append({"a_text": a[a_off:a_end], "b_text": b[b_off:b_end],
                    "a_line": line_at(a_map, a_off), "b_line": line_at(b_map, b_off),
                    "context": a[max(0, a_off - 12):a_off]})
    return out


def align_provisions(da, db, min_similarity: float = 0.5):
    """Pairs (a provision | None, b provision | None, similarity) in reading order: identical
    texts first, then the most similar remaining pairs (a shared label counts in favour)."""
    ua, ub = clause_units(da), clause_units(db)
    fa, fb = [match_form(p.text) for p in ua], [match_form(p.text) for p in ub]
    pairs, free_b = {}, set(range(len(ub)))
    by_text = defaultdict(list)
    for j, f in enumerate(fb):
        by_text[f].append(j)
    for i, f in enumerate(fa):
        if by_text.get(f):
            j = by_text[f].pop(0)
            pairs[i] = (j, 1.0)
            free_b.discard(j)
    rest_a = [i for i in range(len(ua)) if i not in pairs]
    rest_b = sorted(free_b)
    if rest_a and rest_b:
        m = process.cdist([fa[i] for i in rest_a], [fb[j] for j in rest_b], scorer=fuzz.ratio)
        for x, i in enumerate(rest_a):
            for y, j in enumerate(rest_b):
                if ua[i].label and ua[i].label == ub[j].label:
                    m[x, y] += 10
        order = np.dstack(np.unravel_index(np.argsort(-m, axis=None), m.shape))[0]
        used_a, used_b = set(), set()
        for x, y in order:
            if m[x, y] < min_similarity * 100:
                break
            if x in used_a or y in used_b:
                continue
            used_a.add(x)
            used_b.add(y)
            pairs[rest_a[x]] = (rest_b[y], min(m[x, y], 100) / 100)
    matched_b = {j for j, _ in pairs.values()}
    rows = [(i, pairs[i][0], ua[i], ub[pairs[i][0]], pairs[i][1]) if i in pairs else (i, None, ua[i], None, 0.0)
            for i in range(len(ua))]
    last_a = {}
    for i, (j, _) in pairs.items():
        last_a[j] = i
    for j in range(len(ub)):
        if j not in matched_b:
            before = max((last_a[k] for k in last_a if k < j), default=-1)
            rows.append((before + 0.5, j, None, ub[j], 0.0))  # type: ignore[arg-type]  # sorts between a's rows
    rows.sort(key=lambda r: (r[0], r[1] if r[1] is not None else -1))
    return [(pa, pb, s) for _, _, pa, pb, s in rows]


def provision_side(doc, p) -> dict:
    """One side of a pair of provisions (overlaps, conflicts): document, provision, lines, text."""
    return {"document": doc.id, "title": doc.title, "provision": p.id, "label": p.label,
            "line_start": p.span.line_start, "line_end": p.span.line_end, "text": p.text}
