"""Overlaps and conflicts: duplicate documents, near-duplicate provisions, competing measures.

Near-duplicate provisions: normalised text → character 3-grams → MinHash (vectorised with
numpy, one pass over all clauses) → datasketch LSH at a low threshold → rapidfuzz check of the
candidates. Linear in the number of clauses; all-pairs comparison is only the tests' oracle.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from ingest.meta import report_types

from .catalog import (Catalog, benefit_values, catalog_for_store, clause_units, doc_text, no_stacking_clauses,
                      norm_title, parse_as_of)
from .conflicts import conflict_key, measure_conflicts, overrides, same_beneficiary  # noqa: F401

NUM_PERM = 128
WEIGHTS = (0.1, 0.9)  # (false positive, false negative): recall matters, rapidfuzz removes the rest
MIN_SIMILARITY = 0.85  # rapidfuzz ratio of normalised texts for a near-duplicate pair
MIN_CHARS = 12  # shorter clauses (headings, 附则) are not compared
DUPLICATE = 0.98
_PRIME = np.uint64((1 << 61) - 1)
_MASK32 = np.uint64(0xFFFFFFFF)
_NOISE = re.compile(r"[\W_]+")


def match_form(text: str) -> str:
    """What near-duplicate matching compares: NFKC, no spaces or punctuation.

    >>> match_form("（一）研发投入 ，给予奖补。")
    '一研发投入给予奖补'
    """
    return _NOISE.sub("", unicodedata.normalize("NFKC", text or ""))


def _shingles(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct character 3-grams of every text as 63-bit integers (three 21-bit code
    points), sorted by text: (grams, start offset of each text's grams). Texts shorter than
    three characters are padded with NULs, so every text has at least one gram."""
    texts = [t if len(t) >= 3 else t + "\0" * (3 - len(t)) for t in texts]
    lens = np.array([len(t) for t in texts], dtype=np.int64)
    c = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    grams = (c[:-2] << np.uint64(42)) | (c[1:-1] << np.uint64(21)) | c[2:]
    owner = np.repeat(np.arange(len(texts), dtype=np.int64), lens)[:-2]
    ends = np.cumsum(lens)
    keep = np.arange(len(grams)) + 2 < ends[owner]  # grams inside one text only
    grams, owner = grams[keep], owner[keep]
    order = np.lexsort((grams, owner))
    grams, owner = grams[order], owner[order]
    first = np.r_[True, (grams[1:] != grams[:-1]) | (owner[1:] != owner[:-1])]
    grams, owner = grams[first], owner[first]
    return grams, np.searchsorted(owner, np.arange(len(texts)))


def minhash_signatures(texts: list[str], num_perm: int = NUM_PERM, seed: int = 1) -> np.ndarray:
    """MinHash signatures (len(texts) × num_perm, uint64 < 2**32) of the texts' 3-gram sets.

    The permutations are multiply-shift hashes ((a·x + b) mod 2**64) >> 32 with odd a: a
    universal family that numpy computes without a modulo, over all clauses in a few passes.
    """
    rng = np.random.RandomState(seed)
    a = (rng.randint(0, 1 << 62, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1))[:, None]
    b = rng.randint(0, 1 << 62, size=num_perm, dtype=np.uint64)[:, None]
    out = np.empty((len(texts), num_perm), dtype=np.uint64)
    if not texts:
        return out
    grams, starts = _shingles(texts)
    bounds = np.r_[starts, len(grams)]
    i = 0
    while i < len(texts):  # chunks of whole texts, ~64k grams each
        j = max(i + 1, int(np.searchsorted(bounds, bounds[i] + 65_536, side="right")) - 1)
        j = min(j, len(texts))
        lo, hi = bounds[i], bounds[j]
        phv = np.multiply(a, grams[None, lo:hi])  # permutations × grams, in place from here on
        phv += b
        phv >>= np.uint64(32)
        out[i:j] = np.minimum.reduceat(phv, starts[i:j] - lo, axis=1).T
        i = j
    return out


@lru_cache(maxsize=None)  # datasketch integrates numerically (scipy quad) on every call
def lsh_params(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows) datasketch chooses for the threshold, weighted towards recall."""
    from datasketch.lsh import _optimal_param
    return _optimal_param(threshold, num_perm, *WEIGHTS)


def candidate_pairs(texts: list[str], threshold: float = 0.5, num_perm: int = NUM_PERM,
                    engine: str = "numpy") -> set[tuple[int, int]]:
    """Index pairs (i < j) that share a band of their MinHash signatures: the LSH candidates for
    3-gram Jaccard ``threshold``. ``engine="datasketch"`` uses datasketch's MinHashLSH index;
    the default buckets the same bands with numpy sorting (same pairs, several times faster)."""
    sigs = minhash_signatures(texts, num_perm)
    bands, rows = lsh_params(threshold, num_perm)
    if engine == "datasketch":
        from datasketch import LeanMinHash, MinHashLSH
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, params=(bands, rows))
        mhs = [LeanMinHash(seed=1, hashvalues=s, scheme="legacy") for s in sigs]
        with lsh.insertion_session() as session:
            for i, m in enumerate(mhs):
                session.insert(i, m, check_duplication=False)
        return {(i, j) for i, m in enumerate(mhs) for j in lsh.query(m) if j > i}
    return set(zip(*(a.tolist() for a in _band_pairs(sigs, bands, rows))))


def band_keys(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """bands × len(sigs) hashes: two signatures share a band exactly when they share its key."""
    keys = np.zeros((bands, len(sigs)), dtype=np.uint64)
    for band in range(bands):
        for col in range(band * rows, (band + 1) * rows):
            keys[band] = (keys[band] * np.uint64(0x100000001B3)) ^ sigs[:, col]
    return keys


def band_neighbours(keys: np.ndarray, queries) -> tuple[np.ndarray, np.ndarray]:
    """(q, j) arrays, sorted, of every row j != q that shares a band key with a query row q:
    the LSH candidates of a few rows against all, one sort per band for all the queries."""
    n, qs, found = keys.shape[1], np.asarray(queries, dtype=np.int64), []
    for key in keys:
        order = np.argsort(key, kind="stable")
        sk = key[order]
        lo = np.searchsorted(sk, key[qs], "left")
        cnt = np.searchsorted(sk, key[qs], "right") - lo
        pos = np.repeat(lo - np.cumsum(cnt) + cnt, cnt) + np.arange(int(cnt.sum()))
        found.append(np.repeat(qs, cnt) * n + order[pos])
    codes = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    q, j = codes // max(n, 1), codes % max(n, 1)
    return q[q != j], j[q != j]


def _band_pairs(sigs: np.ndarray, bands: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) arrays, i < j, sorted, of rows sharing at least one band of ``rows`` values."""
    n, found = len(sigs), []
    for key in band_keys(sigs, bands, rows):
        order = np.argsort(key, kind="stable")
        sk = key[order]
        starts = np.flatnonzero(np.r_[True, sk[1:] != sk[:-1]])
        sizes = np.diff(np.r_[starts, n])
        for size in np.unique(sizes[sizes > 1]).tolist():  # all buckets of one size at once
            first = starts[sizes == size]
            members = np.sort(order[first[:, None] + np.arange(size)], axis=1).astype(np.int64)
            ii, jj = np.triu_indices(size, 1)
            found.append((members[:, ii] * n + members[:, jj]).ravel())
    codes = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    return codes // max(n, 1), codes % max(n, 1)


def near_duplicates(texts: list[str], threshold: float = 0.5, min_similarity: float = MIN_SIMILARITY,
                    groups: list | None = None) -> list[tuple[int, int, float]]:
    """(i, j, similarity) of texts at least ``min_similarity`` alike (rapidfuzz ratio of the
    match form), found through LSH candidates; pairs within one group are skipped."""
    forms = [match_form(t) for t in texts]
    sigs = minhash_signatures(forms)
    ii, jj = _band_pairs(sigs, *lsh_params(threshold))
    if groups is not None and len(ii):
        g = np.unique(np.asarray(groups, dtype=object), return_inverse=True)[1]
        keep = g[ii] != g[jj]
        ii, jj = ii[keep], jj[keep]
    if not len(ii):
        return []
    scores = process.cpdist([forms[i] for i in ii.tolist()], [forms[j] for j in jj.tolist()],
                            scorer=fuzz.ratio, score_cutoff=min_similarity * 100, workers=1)
    hit = np.flatnonzero(scores)
    return [(i, j, s / 100) for i, j, s in zip(ii[hit].tolist(), jj[hit].tolist(), scores[hit].tolist())]


def all_pairs(texts: list[str], min_similarity: float = MIN_SIMILARITY) -> set[tuple[int, int]]:
    """The quadratic oracle: every pair at least ``min_similarity`` alike (tests, benchmarks)."""
    forms = [match_form(t) for t in texts]
    m = process.cdist(forms, forms, scorer=fuzz.ratio, score_cutoff=min_similarity * 100, dtype=np.uint8)
    ii, jj = np.nonzero(np.triu(m, 1))
    return set(zip(ii.tolist(), jj.tolist()))


# ---- word-level differences ---------------------------------------------------------------------

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


def _line(line_map, offset):
    if not line_map:
        return None
    i = bisect_right([o for o, _ in line_map], offset) - 1
    return line_map[max(i, 0)][1]


def token_diff(a: str, b: str, a_map=None, b_map=None) -> list[dict]:
    """Word-level differences (jieba tokens, full/half width ignored) with source lines.

    >>> [(d["a_text"], d["b_text"]) for d in token_diff("给予最高500万元奖补", "给予最高1000万元奖补")]
    [('500', '1000')]
    """
    ta, tb = _tokens(a), _tokens(b)
    na = [t for t, _ in ta]
    nb = [t for t, _ in tb]
    ops = [op for op in SequenceMatcher(None, na, nb, autojunk=False).get_opcodes() if op[0] != "equal"]
    merged = []
    for op in ops:  # one change split by a single shared token reads as one difference
        if merged and op[1] - merged[-1][2] <= 1 and op[3] - merged[-1][4] <= 1:
            merged[-1] = ("replace", merged[-1][1], op[2], merged[-1][3], op[4])
        else:
            merged.append(op)
    out = []
    for _, i1, i2, j1, j2 in merged:
        a_off = ta[i1][1] if i1 < len(ta) else len(a)
        b_off = tb[j1][1] if j1 < len(tb) else len(b)
        a_end = ta[i2 - 1][1] + len(ta[i2 - 1][0]) if i2 > i1 else a_off
        b_end = tb[j2 - 1][1] + len(tb[j2 - 1][0]) if j2 > j1 else b_off
        out.append({"a_text": a[a_off:a_end], "b_text": b[b_off:b_end],
                    "a_line": _line(a_map, a_off), "b_line": _line(b_map, b_off),
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
            rows.append((before + 0.5, j, None, ub[j], 0.0))
    rows.sort(key=lambda r: (r[0], r[1] if r[1] is not None else -1))
    return [(pa, pb, s) for _, _, pa, pb, s in rows]


# ---- the report ---------------------------------------------------------------------------------

def _side(doc, p) -> dict:
    return {"document": doc.id, "title": doc.title, "provision": p.id, "label": p.label,
            "line_start": p.span.line_start, "line_end": p.span.line_end, "text": p.text}


def provision_overlaps(catalog: Catalog, threshold: float = 0.5, min_similarity: float = MIN_SIMILARITY) -> list[dict]:
    """Near-duplicate provisions across documents."""
    units = [(d, p) for d in catalog.documents for p in clause_units(d) if len(match_form(p.text)) >= MIN_CHARS]
    found = near_duplicates([p.text for _, p in units], threshold, min_similarity, groups=[d.id for d, _ in units])
    return [{"a": _side(*units[i]), "b": _side(*units[j]), "similarity": round(s, 3)} for i, j, s in found]


def document_overlaps(catalog: Catalog, prov_pairs: list[dict]) -> list[dict]:
    """Document pairs that share provisions or a title: duplicate, revision or overlap, with
    the word-level differences of duplicates and revisions."""
    from .lineage import lineage_edges, same_work_groups
    shared = defaultdict(int)
    for pp in prov_pairs:
        shared[tuple(sorted((pp["a"]["document"], pp["b"]["document"])))] += 1
    by_title = defaultdict(list)
    for d in catalog.documents:
        if d.title:
            by_title[norm_title(d.title)].append(d.id)
    for ids in by_title.values():
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                shared.setdefault(tuple(sorted((a, b))), 0)
    versions = {tuple(sorted((e.old, e.new))) for e in lineage_edges(catalog)}
    same = same_work_groups(catalog)
    out = []
    for (a, b), n in sorted(shared.items()):
        da, db = catalog.by_id[a], catalog.by_id[b]
        ta, ma = doc_text(da)
        tb, mb = doc_text(db)
        sim = fuzz.ratio(match_form(ta), match_form(tb)) / 100
        if sim >= DUPLICATE or b in same.get(a, ()):
            rel = "duplicate"
        elif (a, b) in versions or norm_title(da.title) == norm_title(db.title):
            rel = "revision"
        elif n >= 2:
            rel = "overlap"
        else:
            continue
        diffs = token_diff(ta, tb, ma, mb) if rel != "overlap" else []
        out.append({"a": a, "b": b, "similarity": round(sim, 4), "relation": rel, "shared_provisions": n,
                    "differences": [{k: d[k] for k in ("a_text", "b_text", "a_line", "b_line")} for d in diffs]})
    return out


def conflicts(catalog: Catalog, as_of, dup_pairs=(), prov_pairs=()) -> list[dict]:
    """Measures for the same beneficiary and purpose, in force at the same time in different
    documents, with different amounts or conditions; restatements of one provision (near
    duplicates) naming different amounts — and what 就高/不重复 clauses say."""
    from .status import status_map
    smap = status_map(catalog, parse_as_of(as_of))
    skip = {tuple(sorted((d["a"], d["b"]))) for d in dup_pairs if d["relation"] == "duplicate"}
    live = {d: st["status"] for d, st in smap.items() if st["status"] in ("in_force", "partly_superseded", "unknown")}
    out = measure_conflicts(catalog, live, skip)
    seen = {tuple(sorted([(c["a"]["document"], c["a"]["provision"]), (c["b"]["document"], c["b"]["provision"])]))
            for c in out}
    units = {(d.id, p.id): (d, p) for d in catalog.documents for p in d.walk()}
    for pp in prov_pairs:
        ka, kb = (pp["a"]["document"], pp["a"]["provision"]), (pp["b"]["document"], pp["b"]["provision"])
        if ka[0] not in live or kb[0] not in live or tuple(sorted((ka[0], kb[0]))) in skip \
                or tuple(sorted([ka, kb])) in seen:
            continue
        (da, pa), (db, pb) = units[ka], units[kb]
        if da.doc_type in report_types() or db.doc_type in report_types():
            continue  # a report restating a policy is an overlap, not a conflict
        va, vb = benefit_values(pa), benefit_values(pb)
        if va and vb and va != vb:
            rules = no_stacking_clauses(da) + no_stacking_clauses(db)
            later = overrides(da, db) or overrides(db, da)
            out.append({"a": _side(da, pa), "b": _side(db, pb), "beneficiary": None, "purpose": None,
                        "reason": f"相近条款（相似度 {pp['similarity']:.2f}）金额不同：{va} vs {vb} 元",
                        "a_text": pa.text, "b_text": pb.text, "no_stacking": rules,
                        "resolution": later or ("按就高/不重复原则取其一（较高者）" if rules else None)})
    return out


def overlaps_report(catalog: Catalog, as_of=None, threshold: float = 0.5,
                    min_similarity: float = MIN_SIMILARITY) -> dict:
    """``policygraph overlaps --json`` (contract: overlaps.schema.json)."""
    if not 0 < threshold <= 1:
        raise ValueError(f"--threshold {threshold!r} must be in (0, 1]")
    provs = provision_overlaps(catalog, threshold, min_similarity)
    docs = document_overlaps(catalog, provs)
    return {"as_of": parse_as_of(as_of).isoformat(), "threshold": threshold, "min_similarity": min_similarity,
            "documents": docs, "provisions": provs, "conflicts": conflicts(catalog, as_of, docs, provs)}


def overlaps_for_store(store: str, as_of=None, threshold: float = 0.5) -> dict:
    return overlaps_report(catalog_for_store(store), as_of, threshold)


def print_overlaps(result: dict, console) -> None:
    from rich.table import Table
    t = Table(title="重复/相近文件")
    for c in ("a", "b", "relation", "similarity", "differences"):
        t.add_column(c, overflow="fold")
    for d in result["documents"]:
        diffs = "\n".join(f"L{x['a_line']}「{x['a_text']}」→ L{x['b_line']}「{x['b_text']}」" for x in d["differences"][:6])
        t.add_row(d["a"], d["b"], d["relation"], f"{d['similarity']:.3f}", diffs)
    console.print(t)
    console.print(f"近似条款 {len(result['provisions'])} 对；冲突 {len(result['conflicts'])} 处", highlight=False)
    for c in result["conflicts"][:20]:
        console.print(f"[yellow]冲突[/yellow] {c['a']['document']} {c['a']['label'] or ''} L{c['a']['line_start']} ↔ "
                      f"{c['b']['document']} {c['b']['label'] or ''} L{c['b']['line_start']}: {c['reason']}"
                      + (f"  ({c['resolution']})" if c.get("resolution") else ""), highlight=False)
