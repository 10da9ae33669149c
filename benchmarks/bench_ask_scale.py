"""`ask` against a store whose measure index holds N documents: what a question costs as the
corpus grows, on this machine, without ingesting N documents.

    python benchmarks/bench_ask_scale.py --store STORE --documents 100000 --repeats 3

The store (an ingested real corpus, e.g. lawrefbook ×2.4) is linked into a work directory (hard
links: same fingerprint, no copy of the RocksDB files) with its own copy of the catalog cache, in
which the stored measure index (queries/derived.py) and document list are grown to N documents by
copies of the real documents' measures moved to places that no question names (``某地N市``):
every question then checks N documents' measures, and reads, as from a national corpus, only the
documents of its own place. Prints wall time and peak RSS of the whole `ask` process (GNU time).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from bench_real import COMMANDS, cli, timed  # noqa: E402


def grown_store(store: Path, work: Path, documents: int) -> tuple[Path, int]:
    """(a linked copy of ``store`` whose measure index holds whole copies of the corpus's measures,
    as many as ``documents`` allows; the number of documents it stands for)."""
    from queries import derived
    from graph.catalog_cache import CACHE_NAME, model_dumps, model_loads
    assert derived.refresh(str(store)), f"{store}: derived results cannot be stored"
    out = work / f"store-{documents}"
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(store, out, copy_function=os.link, ignore=shutil.ignore_patterns(CACHE_NAME + "*"))
    shutil.copyfile(store / CACHE_NAME, out / CACHE_NAME)
    con = sqlite3.connect(out / CACHE_NAME, isolation_level=None)
    m = model_loads(con.execute("SELECT v FROM derived WHERE k = 'measures'").fetchone()[0])
    n = con.execute("SELECT COUNT(*) FROM doc_status").fetchone()[0]
    conds, docs, ids, copy = list(m["conditions"]), list(m["doc"]), list(m["ids"]), 1
    while n * (copy + 1) <= documents:  # whole copies of the corpus's measures, each in a place of its own
        place = f"某地{copy}市"
        base = len(ids)
        for cs, d in zip(m["conditions"], m["doc"]):
            conds.append(tuple(replace(c, value=place) if c.field in ("region", "district") else c for c in cs))
            docs.append(base + d)
        ids.extend(f"{i}~{copy}" for i in m["ids"])
        copy += 1
    con.execute("UPDATE derived SET v = ? WHERE k = 'measures'",
                (model_dumps({"conditions": conds, "doc": docs, "ids": ids}),))
    con.close()
    return out, n * copy


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--documents", default="100000", help="comma-separated sizes")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--work", type=Path, default=Path("/tmp/pg-ask-scale"))
    a = ap.parse_args()
    a.work.mkdir(parents=True, exist_ok=True)
    print("| documents the index stands for | median s | peak RSS MB | runs (s) | load |\n|---:|---:|---:|---|---:|")
    for size in (int(x) for x in a.documents.split(",")):
        store, size = grown_store(a.store, a.work, size)
        runs = [timed(cli(*COMMANDS["ask"], "--store", str(store))) for _ in range(a.repeats)]
        assert all(r["rc"] == 0 for r in runs), runs
        secs = ", ".join(f"{r['seconds']:.2f}" for r in runs)
        print(f"| {size:,} | {statistics.median(r['seconds'] for r in runs):.2f} | "
              f"{statistics.median(r['rss_mb'] for r in runs):.0f} | {secs} | "
              f"{statistics.median(r['load_before'] for r in runs):.1f} |", flush=True)
        shutil.rmtree(store, ignore_errors=True)


if __name__ == "__main__":
    main()
