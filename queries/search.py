"""Full-text search over provisions: an inverted index of jieba words and character bigrams
(bigrams give recall where jieba cuts a query differently from the text), BM25-ranked,
filtered by status, issuer, document type and issue date, every hit with its citation."""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from datetime import date

from .catalog import Catalog, catalog_for_store, clause_units, doc_ref, norm_text, parse_as_of, prov_ref
from .contract import SearchHit, SearchResult

K1, B = 1.2, 0.75
_WORDISH = re.compile(r"\w")


def terms(text: str) -> list[str]:
    """Index terms of a text: jieba words (search mode) and character bigrams, matching form.

    >>> terms("研发投入")
    ['w:研发', 'w:投入', 'b:研发', 'b:发投', 'b:投入']
    """
    import jieba
    t = norm_text(text).lower()
    words = [f"w:{w}" for w in jieba.cut_for_search(t) if _WORDISH.search(w)]
    chars = [c for c in t if _WORDISH.match(c)]
    return words + [f"b:{a}{b}" for a, b in zip(chars, chars[1:])]


def search_index(catalog: Catalog) -> dict:
    """The inverted index of a catalog (memoised): postings term → [(unit, tf)], lengths."""
    if "search" in catalog.memo:
        return catalog.memo["search"]
    units = [(d, p) for d in catalog.documents for p in clause_units(d)]
    postings, lengths = defaultdict(list), []
    for i, (d, p) in enumerate(units):
        tf = Counter(terms(" ".join(x for x in (p.heading, p.text) if x)))
        lengths.append(sum(tf.values()))
        for t, n in tf.items():
            postings[t].append((i, n))
    idx = {"units": units, "postings": dict(postings), "lengths": lengths,
           "avg": (sum(lengths) / len(lengths)) if lengths else 1.0}
    catalog.memo["search"] = idx
    return idx


def _date(v) -> date | None:
    return None if v in (None, "") else v if isinstance(v, date) else date.fromisoformat(str(v))


def search(catalog: Catalog, text: str, limit: int = 20, *, status: str | list | None = None,
           issuer: str | None = None, doc_type: str | None = None, date_from=None, date_to=None,
           as_of=None) -> SearchResult:
    """Ranked provisions matching ``text``; ``status`` filters on the status as of ``as_of``."""
    if not text or not text.strip():
        raise ValueError("search: the query is empty")
    if limit < 1:
        raise ValueError(f"search: limit {limit!r} must be at least 1")
    idx = search_index(catalog)
    n = len(idx["units"])
    q = Counter(terms(text))
    scores: defaultdict[tuple, float] = defaultdict(float)
    for t, qn in q.items():
        plist = idx["postings"].get(t, ())
        if not plist:
            continue
        idf = math.log(1 + (n - len(plist) + 0.5) / (len(plist) + 0.5))
        for i, tf in plist:
            norm = K1 * (1 - B + B * idx["lengths"][i] / idx["avg"])
            scores[i] += qn * idf * tf * (K1 + 1) / (tf + norm)
    day = parse_as_of(as_of)
    wanted = {status} if isinstance(status, str) else set(status or ())
    smap = None
    if wanted:
        from .status import status_map
        smap = status_map(catalog, day)
    lo, hi = _date(date_from), _date(date_to)
    phrase = norm_text(text).lower()
    hits: list[SearchHit] = []
    for i, s in sorted(scores.items(), key=lambda kv: -kv[1]):
        d, p = idx["units"][i]
        if issuer and not any(issuer in x for x in d.issuers):
            continue
        if doc_type and d.doc_type != doc_type:
            continue
        if (lo or hi) and (not d.issue_date or (lo and d.issue_date < lo) or (hi and d.issue_date > hi)):
            continue
        st = smap[d.id]["status"] if smap else None
        if wanted and st not in wanted:
            continue
        body = norm_text(p.text).lower()
        if phrase in body:
            s *= 2  # the whole query as written
        hits.append({"score": round(s, 4), "document": doc_ref(d), "provision": prov_ref(p, text=False),
                     "snippet": _snippet(p.text, text), "status": st})
    hits.sort(key=lambda h: -h["score"])
    return {"query": text, "as_of": day.isoformat(), "total": len(hits), "hits": hits[:limit]}


def _snippet(text: str, query: str, width: int = 60) -> str:
    import jieba
    pos = -1
    for w in sorted((w for w in jieba.cut(query) if _WORDISH.search(w)), key=len, reverse=True):
        pos = text.find(w)
        if pos >= 0:
            break
    start = max(0, pos - width // 3) if pos >= 0 else 0
    return ("…" if start else "") + text[start:start + width] + ("…" if start + width < len(text) else "")


def search_for_store(store: str, text: str, limit: int = 20, **filters) -> SearchResult:
    return search(catalog_for_store(store), text, limit, **filters)
