"""Time (and optionally profile) the first and warm (median of 3) ``status_report`` calls on a catalog.

    python benchmarks/profile_status.py --docs 1000 [--runs 3] [--profile 25] [--json OUT_PREFIX]
    python benchmarks/profile_status.py --seed-corpus --json /tmp/st_seed

A synthetic catalog of ``--docs`` documents (``synth.write_corpus(..., seed=0)`` under
``/tmp/st_<N>``) is parsed once and pickled beside it, so later runs start from the documents.
Each run is a fresh process (the first call builds the catalog-level indexes, as one
``policygraph status`` invocation does). ``--json`` writes ``status_report`` as the CLI prints
it (``--json``) for 2026-11-22 and 2024-09-15, to compare outputs across code changes.
"""
from __future__ import annotations

import argparse
import json
import pickle
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]  # this tree's queries, not an installed copy
DATES = ("2026-11-22", "2024-09-15")


def catalog_documents(docs: int | None):
    """The documents of the seed corpus (docs None) or of a pickled synthetic catalog."""
    from queries.catalog import catalog_from_paths
    if docs is None:
        return catalog_from_paths([str(ROOT / "data" / "corpus")]).documents
    folder = Path(f"/tmp/st_{docs}")
    cache = folder.with_suffix(".pickle")
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    if not folder.exists():
        import synth
        synth.write_corpus(folder, docs, seed=0)
    documents = catalog_from_paths([str(folder)]).documents
    cache.write_bytes(pickle.dumps(documents, protocol=pickle.HIGHEST_PROTOCOL))
    return documents


def one_run(docs: int | None, profile: int, json_prefix: str | None) -> dict:
    """Time the first and a warm call in this process; print the top of a profile if asked."""
    from queries.catalog import build_catalog
    from queries.status import status_report
    catalog = build_catalog(catalog_documents(docs))
    prof = None
    if profile:
        import cProfile
        prof = cProfile.Profile()
        prof.enable()
    t0 = time.perf_counter()
    first = status_report(catalog, DATES[0])
    t1 = time.perf_counter()
    if prof:
        prof.disable()
        import pstats
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(profile)
        pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(profile)
    warm = []
    for _ in range(3):  # the median of three: a full garbage collection may land in one of them
        t2 = time.perf_counter()
        status_report(catalog, DATES[0])
        warm.append(time.perf_counter() - t2)
    if json_prefix:
        for day in DATES:
            result = first if day == DATES[0] else status_report(catalog, day)
            Path(f"{json_prefix}_{day}.json").write_text(
                json.dumps(result, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    return {"documents": len(catalog.documents), "first_s": t1 - t0, "warm_s": statistics.median(warm)}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seed-corpus", action="store_true", help="data/corpus instead of a synthetic catalog")
    ap.add_argument("--runs", type=int, default=1, help="fresh processes, median reported")
    ap.add_argument("--profile", type=int, default=0, help="print the top N cProfile rows of the first call")
    ap.add_argument("--json", dest="json_prefix", help="write OUT_PREFIX_<date>.json")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    docs = None if a.seed_corpus else a.docs
    if a.child:
        print(json.dumps(one_run(docs, a.profile, a.json_prefix)))
        return
    catalog_documents(docs)  # build the pickle once, outside the timed runs
    rows = []
    for _ in range(a.runs):
        cmd = [sys.executable, __file__, "--child", "--profile", str(a.profile)]
        cmd += ["--seed-corpus"] if docs is None else ["--docs", str(docs)]
        cmd += ["--json", a.json_prefix] if a.json_prefix else []
        load = Path("/proc/loadavg").read_text().split()[0]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
        sys.stderr.write(out.stderr)
        rows.append(dict(json.loads(out.stdout.strip().splitlines()[-1]), load=float(load)))
    print("| documents | run | first call (s) | warm call (s) | 1-min load |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for i, r in enumerate(rows, 1):
        print(f"| {r['documents']} | {i} | {r['first_s']:.2f} | {r['warm_s']:.3f} | {r['load']:.1f} |")
    print(f"| {rows[0]['documents']} | median | {statistics.median(r['first_s'] for r in rows):.2f} | "
          f"{statistics.median(r['warm_s'] for r in rows):.3f} | |")


if __name__ == "__main__":
    main()
