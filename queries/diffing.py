"""Comparing texts and documents: word-level differences with their source lines, provisions of
two documents aligned clause by clause (新旧对照, duplicates), and how one side of a pair is cited.
Used by the overlaps, conflicts and status answers alike.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from collections import defaultdict
from functools import lru_cache, partial
from typing import Callable
from difflib import SequenceMatcher

import numpy as np
from rapidfuzz import fuzz, process

from ingest.model import LineMap, line_at

from .catalog import clause_units
from .contract import TokenDifference
from .neardup import match_form


class _WidthTable(dict):
    """str.translate table: a character to its NFKC form where that is one character (so that
    offsets stay valid), else to itself; filled as characters are met."""

    def __missing__(self, code: int) -> str:
        n = unicodedata.normalize("NFKC", chr(code))
        self[code] = out = n if len(n) == 1 else chr(code)
        return out


_WIDTH = _WidthTable()


def _width_form(text: str) -> str:
    """Full/half width folded (NFKC character by character where that keeps one character)."""
    return text.translate(_WIDTH)


# a sentence, or what of a line has no sentence end: jieba never cuts a word across these ends
_SENTENCE = re.compile(r"[^\n。；;！!？?]*[。；;！!？?]+|[^\n]+")


@lru_cache(maxsize=1 << 16)
def _block_words(block: str) -> tuple[str, ...]:
    """jieba words of one of its blocks, interned (~8 bytes a word cached)."""
    import jieba
    return tuple(sys.intern(t) for t in jieba.cut(block, HMM=False))


def _sentence_words(sentence: str) -> tuple[str, ...]:
    """jieba words of one sentence (width-normalised), blanks included. jieba cuts the blocks
    of its word pattern (``re_han_default``) one by one, so cut block by block (each once: a
    changed sentence keeps most of its blocks, and blocks recur across the copies and versions
    of a work and its templates) a text gives the words it gives whole."""
    import jieba
    return tuple(w for block in jieba.re_han_default.split(_width_form(sentence)) if block
                 for w in _block_words(block))


def _sentences(text: str) -> list[tuple[int, str, str]]:
    """(offset, sentence, the sentence without blanks: what sentences are compared by) of each
    sentence (``_SENTENCE``) that has more than blanks."""
    return [(m.start(), m.group(), key) for m in _SENTENCE.finditer(text) if (key := "".join(m.group().split()))]


def _words(sentences: list[tuple[int, str, str]]) -> list[tuple[str, int]]:
    """The words of sentences (``_sentences``) with their offsets in the text, blanks dropped."""
    out = []
    for off, sentence, _ in sentences:
        for t in _sentence_words(sentence):
            if t.strip():
                out.append((t, off))
            off += len(t)
    return out


# a change: word indexes i1, i2 (side a), j1, j2 (side b) as far as merging neighbours needs them,
# then per side the text offset of its first word and the end of its word before the next change
Change = tuple[int, int, int, int, int, int, int, int]


def _bounds(sentences: list[tuple[int, str, str]], i1: int, i2: int, text_len: int) -> tuple[int, int]:
    """(end of the last word before sentences i1..i2, start of the first word after them)."""
    s = sentences
    before = s[i1 - 1][0] + len(s[i1 - 1][1].rstrip()) if i1 > 0 else 0
    after = s[i2][0] + len(s[i2][1]) - len(s[i2][1].lstrip()) if i2 < len(s) else text_len
    return before, after


def _span(words: list[tuple[str, int]], x1: int, x2: int, bounds: tuple[int, int]) -> tuple[int, int]:
    """(offset of word x1, end of word x2 - 1) of a run's words; past its ends, the bounds."""
    start = words[x1][1] if x1 < len(words) else bounds[1]
    return start, words[x2 - 1][1] + len(words[x2 - 1][0]) if x2 > 0 else bounds[0]


def _changes(a: str, b: str) -> list[Change]:
    """The word changes from a to b: sentences aligned by their text first, words compared only
    inside runs of sentences that differ. Word indexes count from the start of each text as far
    as merging needs: a run of equal sentences counts as its words if it is one sentence, else
    as its sentences (at least two words, so never merged across)."""
    la, lb = _sentences(a), _sentences(b)
    out: list[Change] = []
    at_a = at_b = 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, [k for _, _, k in la], [k for _, _, k in lb],
                                               autojunk=False).get_opcodes():
        if tag == "equal":
            gap = len(_words(la[i1:i2])) if i2 - i1 == 1 else i2 - i1
            at_a, at_b = at_a + gap, at_b + gap
            continue
        wa, wb = _words(la[i1:i2]), _words(lb[j1:j2])
        ba, bb = _bounds(la, i1, i2, len(a)), _bounds(lb, j1, j2, len(b))
        for t, x1, x2, y1, y2 in SequenceMatcher(None, [w for w, _ in wa], [w for w, _ in wb],
                                                 autojunk=False).get_opcodes():
            if t != "equal":
                out.append((x1 + at_a, x2 + at_a, y1 + at_b, y2 + at_b, *_span(wa, x1, x2, ba), *_span(wb, y1, y2, bb)))
        at_a, at_b = at_a + len(wa), at_b + len(wb)
    return out


def _line_finder(line_map: LineMap | Callable[[int], int | None] | None) -> Callable[[int], int | None]:
    return line_map if callable(line_map) else partial(line_at, line_map or ())


def token_diff(a: str, b: str, a_map: LineMap | Callable[[int], int | None] | None = None,
               b_map: LineMap | Callable[[int], int | None] | None = None) -> list[TokenDifference]:
    """Word-level differences (jieba words, full/half width and blanks ignored) with source lines
    (from each text's line map, or a function of the offset, called only for the differences).

    Sentences are aligned first: two copies of a 20,000-character law differ in a few sentences
    (two versions too, once renumbered articles are only a first sentence each), and matching
    their ~10,000 words at once took about a second a pair.

    >>> [(d["a_text"], d["b_text"]) for d in token_diff("给予最高500万元奖补", "给予最高1000万元奖补")]
    [('500', '1000')]
    >>> [(d["a_text"], d["b_text"]) for d in token_diff("第一条 总则\\n第二条 补贴500万元。其他。", "第一条 总则\\n第二条 补贴600万元。其他。")]
    [('500', '600')]
    """
    merged: list[Change] = []
    for c in _changes(a, b):  # one change split by a single shared word reads as one difference
        if merged and c[0] - merged[-1][1] <= 1 and c[2] - merged[-1][3] <= 1:
            m = merged[-1]
            merged[-1] = (m[0], c[1], m[2], c[3], m[4], c[5], m[6], c[7])
        else:
            merged.append(c)
    line_a, line_b = _line_finder(a_map), _line_finder(b_map)
    out: list[TokenDifference] = []
    for i1, i2, j1, j2, a_off, a_last, b_off, b_last in merged:
        a_end = a_last if i2 > i1 else a_off
        b_end = b_last if j2 > j1 else b_off
        out.append({"a_text": a[a_off:a_end], "b_text": b[b_off:b_end],
                    "a_line": line_a(a_off), "b_line": line_b(b_off),
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
