"""One measurement per process, for benchmarks/run_all.py (peak memory = this process' peak RSS).

    python benchmarks/bench_scale.py MEASUREMENT '{"json": "kwargs"}'

prints one JSON line: the measurement's result plus ``maxrss_mb`` (this process), ``children_mb``
(largest terminated child, e.g. an ingest worker) and ``base_mb`` (RSS after imports, before the
work). Measurements reuse the other benchmark modules' functions where they exist (bench_pdf's
extractors, bench_store's synthetic graph and loaders, bench_queries' sampled recall).
"""
from __future__ import annotations

import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks"), str(ROOT / "tests")]

PROFILE = ROOT / "data" / "profiles" / "qingdao_rd_firm.json"
AS_OF = "2026-11-22"


def _rss_mb(who=resource.RUSAGE_SELF) -> float:
    """Peak RSS. For this process VmHWM, since ru_maxrss survives exec: a child started by a big
    parent would report the parent's size. Children: ru_maxrss of the largest one (pool workers are
    forked, so pages shared with this process count in theirs too)."""
    if who == resource.RUSAGE_SELF:
        with open("/proc/self/status") as f:
            return next(int(ln.split()[1]) for ln in f if ln.startswith("VmHWM:")) / 1024
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def _current_rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2 ** 20


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


# ---- PDF → text ---------------------------------------------------------------------------------

def pdf(extractor: str, paths: list[str], warmup: str) -> dict:
    """One extractor of bench_pdf.EXTRACTORS over the PDFs (after one warm-up call on a tiny PDF)."""
    import bench_pdf
    fn = bench_pdf.EXTRACTORS[extractor]
    fn(Path(warmup))  # imports, font/rule loading: not part of the throughput
    base = _current_rss_mb()
    t, out = _timed(lambda: [fn(Path(p)) for p in paths])
    chars = sum(len("".join(x.split())) if isinstance(x, str) else int(x) for x in out)
    return {"seconds": t, "chars": chars, "pages": bench_pdf.page_count([Path(p) for p in paths]), "base_mb": base}


# ---- text → provisions + extraction, beside jieba ---------------------------------------------------

def text(mode: str, paths: list[str]) -> dict:
    """``jieba`` (bare jieba.lcut per line), ``parse`` (parse_file) or ``parse_noextract``."""
    files = [Path(p) for p in paths]
    size = sum(f.stat().st_size for f in files)
    if mode == "jieba":
        import jieba
        t_init, _ = _timed(jieba.initialize)
        lines = [ln for f in files for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
        base = _current_rss_mb()
        t, _ = _timed(lambda: [jieba.lcut(x) for x in lines])
        return {"seconds": t, "bytes": size, "init_s": t_init, "base_mb": base}
    from ingest.pipeline import parse_file
    extract = mode == "parse"
    t_init, _ = _timed(lambda: parse_file(files[0], extract=extract))  # rules, OpenCC, regexes
    base = _current_rss_mb()
    t, out = _timed(lambda: [parse_file(f, extract=extract) for f in files])
    return {"seconds": t, "bytes": size, "init_s": t_init, "base_mb": base,
            "documents": sum(len(pf.documents) for pf in out),
            "provisions": sum(1 for pf in out for d in pf.documents for _ in d.walk())}


# ---- graph store ---------------------------------------------------------------------------------------

def store(mode: str, triples: int) -> dict:
    """bench_store's synthetic graph, loaded and queried by one mode (rdflib-memory, ours (bulk) …)."""
    import bench_store
    files = bench_store.synthetic(triples)
    nt = "".join(files)
    base = _current_rss_mb()
    tmp = Path(tempfile.mkdtemp(prefix="pg_store_"))
    try:
        if mode == "rdflib-memory":
            load, q = bench_store.bench_rdflib(nt)
        elif mode == "rdflib+oxrdflib":
            load, q = bench_store.bench_oxrdflib(nt, tmp)
        else:
            load, q = bench_store.bench_ours(files, tmp, bulk=mode == "ours (bulk)")
        disk = sum(f.stat().st_size for f in tmp.rglob("*") if f.is_file())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"seconds": load, "query_cold_ms": q[0] * 1e3, "query_ms": q[1] * 1e3, "rows": q[2],
            "triples": nt.count("\n"), "base_mb": base, "disk_mb": disk / 2 ** 20}


# ---- near-duplicate clauses ---------------------------------------------------------------------------

def overlaps(n: int, mode: str, seed: int = 0, sample: int = 0, oracle_max: int = 2000) -> dict:
    """``lsh``: queries.neardup.near_duplicates over n synthetic clauses (+ recall on ``sample``
    clauses scanned exactly against all, or against all pairs when n <= oracle_max);
    ``allpairs``: the quadratic oracle on min(n, oracle_max) clauses, extrapolated to n by (n/m)²."""
    import synth
    from queries import neardup as ov
    texts = synth.clauses(n, seed)
    base = _current_rss_mb()
    if mode == "allpairs":
        m = min(n, oracle_max)
        t, pairs = _timed(lambda: ov.all_pairs(texts[:m]))
        return {"seconds": t * (n / m) ** 2, "measured_s": t, "measured_n": m, "extrapolated": m < n,
                "pairs": len(pairs), "base_mb": base}
    ov.near_duplicates(texts[:50])  # import datasketch, build hash params: not per-clause cost
    t, found = _timed(lambda: ov.near_duplicates(texts))
    out = {"seconds": t, "pairs": len(found), "base_mb": base, "maxrss_mb": _rss_mb()}  # before the oracle
    if sample:
        pairs = {(i, j) for i, j, _ in found}
        if n <= oracle_max:
            truth = ov.all_pairs(texts)
            out.update(recall=len(truth & pairs) / max(len(truth), 1), true_pairs=len(truth), recall_on="all pairs")
        else:
            import bench_queries
            r, k = bench_queries.sampled_recall(texts, pairs, sample, ov.MIN_SIMILARITY)
            out.update(recall=r, true_pairs=k, recall_on=f"{sample} sampled clauses x all")
    return out


# ---- ingest and queries on a synthetic corpus ------------------------------------------------------------

def ingest(corpus: str, store_dir: str, workers: int, keep: bool = False, cores: int = 0) -> dict:
    """``policygraph ingest CORPUS --workers N`` into a fresh store; store size on disk after close.
    ``cores``: pin this process (and so its workers and threads) to that many CPUs (0: all)."""
    from graph.ingesting import ingest_paths
    if cores:
        import os
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:cores])
    shutil.rmtree(store_dir, ignore_errors=True)
    base = _current_rss_mb()
    r0, c0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    t, s = _timed(lambda: ingest_paths([corpus], store_dir, workers=workers))
    r1, c1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_main = r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime  # parsing too when workers == 1
    cpu_workers = c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime
    files = [f for f in Path(store_dir).rglob("*") if f.is_file()]
    disk = sum(f.stat().st_size for f in files)
    sst = sum(f.stat().st_size for f in files if f.suffix == ".sst")  # without RocksDB's write-ahead logs
    if not keep:
        shutil.rmtree(store_dir, ignore_errors=True)
    return {"seconds": t, "files": s["files"], "documents": s["documents"], "provisions": s["provisions"],
            "triples": s["store_triples"], "errors": len(s["errors"]), "disk_mb": disk / 2 ** 20, "sst_mb": sst / 2 ** 20,
            "cpu_main_s": cpu_main, "cpu_workers_s": cpu_workers,
            "bytes": sum(f.stat().st_size for f in Path(corpus).glob("*.txt")), "base_mb": base}


def queries(store_dir: str, warm: int = 5) -> dict:
    """First answer (open store + load catalog + eligibility) then warm eligibility and status;
    ``catalog_s`` is the load without the catalog's disk cache, ``catalog_warm_s`` the next
    process' load (from the cache file written by the first)."""
    from queries import catalog as catmod
    from queries.catalog import catalog_for_store
    from queries.eligibility import eligibility, load_profile
    from queries.status import status_report
    prof = load_profile(PROFILE)
    cache = Path(store_dir) / catmod.CACHE_NAME
    cache.unlink(missing_ok=True)
    base = _current_rss_mb()
    t_cat, cat = _timed(lambda: catalog_for_store(store_dir))
    t_el1, res = _timed(lambda: eligibility(cat, prof, AS_OF))
    el = [_timed(lambda: eligibility(cat, prof, AS_OF))[0] for _ in range(warm)]
    t_st1, st = _timed(lambda: status_report(cat, AS_OF))
    sts = [_timed(lambda: status_report(cat, AS_OF))[0] for _ in range(max(1, warm // 2))]
    n_docs, n_res, n_st = len(cat.documents), len(res["results"]), len(st["documents"])
    del cat, res, st
    catmod._STORE_CACHE.clear()  # as a new process finds it
    t_warm, _ = _timed(lambda: catalog_for_store(store_dir))
    return {"seconds": t_cat + t_el1, "catalog_s": t_cat, "eligibility_first_ms": t_el1 * 1e3,
            "catalog_warm_s": t_warm, "catalog_cache_mb": cache.stat().st_size / 2 ** 20 if cache.exists() else 0,
            "eligibility_ms": statistics.median(el) * 1e3, "status_first_ms": t_st1 * 1e3,
            "status_ms": statistics.median(sts) * 1e3, "documents": n_docs,
            "results": n_res, "statuses": n_st, "base_mb": base}


MEASUREMENTS = {f.__name__: f for f in (pdf, text, store, overlaps, ingest, queries)}


def main() -> None:
    name, kwargs = sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    out = MEASUREMENTS[name](**kwargs)
    out.setdefault("maxrss_mb", _rss_mb())
    out.update(children_mb=_rss_mb(resource.RUSAGE_CHILDREN))
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
