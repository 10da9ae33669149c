"""Near-duplicate texts in linear time: normalised text → character 3-grams → MinHash
(vectorised with numpy, one pass over all texts) → LSH banding at a low threshold → rapidfuzz
check of the candidates. ``all_pairs`` is the quadratic oracle (tests, benchmarks).
Used by queries/overlaps.py (near-duplicate provisions) and queries/status.py (override candidates).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

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


def _grams(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The character 3-grams of every text as 63-bit integers (three 21-bit code points), in
    text order with repeats (a minimum does not mind them; sorting them out cost more than the
    MinHash), and each text's first offset. Texts are NUL-padded to at least one gram."""
    texts = [t if len(t) >= 3 else t + "\0" * (3 - len(t)) for t in texts]
    lens = np.array([len(t) for t in texts], dtype=np.int64)
    c = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    grams = (c[:-2] << np.uint64(42)) | (c[1:-1] << np.uint64(21)) | c[2:]
    ends = np.cumsum(lens)
    inside = np.ones(len(grams), dtype=bool)  # grams across two texts: the last two of each
    inside[ends[:-1] - 2] = inside[ends[:-1] - 1] = False
    return grams[inside], ends - lens - 2 * np.arange(len(texts))


def minhash_signatures(texts: list[str], num_perm: int = NUM_PERM, seed: int = 1) -> np.ndarray:
    """MinHash signatures (len(texts) × num_perm, uint64 < 2**32) of the texts' 3-gram sets.

    The permutations are multiply-shift hashes ((a·x + b) mod 2**64) >> 32 with odd a: a
    universal family that numpy computes without a modulo. Each distinct text is hashed once,
    in chunks of ~4k grams (permutations × grams stay in cache: 2.5× faster than 64k).

    >>> s = minhash_signatures(["研发投入给予奖补", "研发投入给予奖补", "人才引进"])
    >>> s.shape, bool((s[0] == s[1]).all()), int((s[0] == s[2]).sum())
    ((3, 128), True, 0)
    """
    rng = np.random.RandomState(seed)
    a = (rng.randint(0, 1 << 62, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1))[:, None]
    b = rng.randint(0, 1 << 62, size=num_perm, dtype=np.uint64)[:, None]
    index: dict[str, int] = {}
    which = np.array([index.setdefault(t, len(index)) for t in texts], dtype=np.int64)
    out = np.empty((len(index), num_perm), dtype=np.uint64)
    if not texts:
        return out
    grams, starts = _grams(list(index))
    bounds = np.r_[starts, len(grams)]
    i = 0
    while i < len(index):  # chunks of whole texts
        j = max(i + 1, int(np.searchsorted(bounds, bounds[i] + 4096, side="right")) - 1)
        j = min(j, len(index))
        lo, hi = bounds[i], bounds[j]
        phv = np.multiply(a, grams[None, lo:hi])  # permutations × grams, in place from here on
        phv += b
        phv >>= np.uint64(32)
        out[i:j] = np.minimum.reduceat(phv, starts[i:j] - lo, axis=1).T
        i = j
    return out[which]


@lru_cache(maxsize=None)
def lsh_params(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows) datasketch's ``MinHashLSH`` chooses for the threshold, weighted towards
    recall: the first (b, r) of least weighted false positive + negative area. The integrands are
    polynomials of degree ≤ num_perm: Gauss-Legendre integrates them exactly (datasketch imports
    scipy and calls ``quad`` ~20k times: 1-2 s per process).

    >>> lsh_params(0.5)
    (32, 4)
    >>> from datasketch.lsh import _optimal_param
    >>> all(lsh_params(t) == _optimal_param(t, NUM_PERM, *WEIGHTS) for t in (0.2, 0.5, 0.7, 0.9))
    True
    """
    x, w = np.polynomial.legendre.leggauss(num_perm // 2 + 2)
    b = np.repeat(np.arange(1, num_perm + 1), [num_perm // k for k in range(1, num_perm + 1)])[:, None]
    r = np.concatenate([np.arange(1, num_perm // k + 1) for k in range(1, num_perm + 1)])[:, None]
    s = np.r_[threshold * (x + 1) / 2, threshold + (1 - threshold) * (x + 1) / 2]  # nodes in [0, t], [t, 1]
    p = 1 - (1 - s ** r.astype(float)) ** b.astype(float)  # P(candidate | Jaccard s)
    error = (WEIGHTS[0] * threshold / 2 * (p[:, :len(x)] @ w)
             + WEIGHTS[1] * (1 - threshold) / 2 * ((1 - p[:, len(x):]) @ w))
    k = int(np.argmin(error))  # the first minimum, as datasketch's strict < keeps it
    return int(b[k, 0]), int(r[k, 0])


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
        found.append(np.repeat(qs, cnt) * n + order[ranges(lo, cnt)])
    codes = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    q, j = codes // max(n, 1), codes % max(n, 1)
    return q[q != j], j[q != j]


def ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The concatenated ranges starts[i] .. starts[i] + counts[i] - 1, without a Python loop.

    >>> ranges(np.array([5, 0, 9]), np.array([2, 0, 3])).tolist()
    [5, 6, 9, 10, 11]
    """
    return np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))


def _band_pairs(sigs: np.ndarray, bands: int, rows: int, groups: np.ndarray | None = None,
                max_groups: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) arrays, i < j, sorted, of rows sharing at least one band of ``rows`` values.
    With ``groups`` (an integer per row) and ``max_groups``: a bucket whose rows come from more
    than ``max_groups`` groups (a clause that recurs in that many documents: a template) makes
    no pairs, so boilerplate costs nothing however often it recurs."""
    n, found = len(sigs), []
    for key in band_keys(sigs, bands, rows):
        order = np.argsort(key, kind="stable")
        sk = key[order]
        starts = np.flatnonzero(np.r_[True, sk[1:] != sk[:-1]])
        sizes = np.diff(np.r_[starts, n])
        if max_groups is not None and groups is not None:
            sizes = np.where(_groups_per_bucket(starts, sizes, groups[order]) > max_groups, 1, sizes)
        for size in np.unique(sizes[sizes > 1]).tolist():  # all buckets of one size at once
            first = starts[sizes == size]
            members = np.sort(order[first[:, None] + np.arange(size)], axis=1).astype(np.int64)
            ii, jj = np.triu_indices(size, 1)
            found.append((members[:, ii] * n + members[:, jj]).ravel())
    codes = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    return codes // max(n, 1), codes % max(n, 1)


def _groups_per_bucket(starts: np.ndarray, sizes: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """The number of distinct groups in each bucket (rows sorted by bucket)."""
    bucket = np.repeat(np.arange(len(starts)), sizes)
    codes = np.unique(bucket * (int(groups.max(initial=0)) + 1) + groups)
    return np.bincount(codes // (int(groups.max(initial=0)) + 1), minlength=len(starts))


def near_duplicates(texts: list[str], threshold: float = 0.5, min_similarity: float = MIN_SIMILARITY,
                    groups: list | None = None, max_groups: int | None = None,
                    sigs: np.ndarray | None = None, normalised: bool = False) -> list[tuple[int, int, float]]:
    """(i, j, similarity) of texts at least ``min_similarity`` alike (rapidfuzz ratio of the
    match form), found through LSH candidates; pairs within one group are skipped, and with
    ``max_groups`` so are candidates only a template (a bucket of more groups) brings together.
    ``sigs``: the texts' MinHash signatures when already known (a persisted index);
    ``normalised``: the texts are match forms already."""
    forms = list(texts) if normalised else [match_form(t) for t in texts]
    if sigs is None:
        sigs = minhash_signatures(forms)
    g = np.unique(np.asarray(groups, dtype=object), return_inverse=True)[1] if groups is not None else None
    ii, jj = _band_pairs(sigs, *lsh_params(threshold), groups=g, max_groups=max_groups)
    if g is not None and len(ii):
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
