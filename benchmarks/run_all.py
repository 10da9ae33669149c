"""Every stage beside its natural limit, in one run: a table, results/latest.json, results/scaling.png.

    python benchmarks/run_all.py            # default, ~10-15 min on 2 cores: 1k and 10k documents
    python benchmarks/run_all.py --quick    # < 2 min: small sizes (CI smoke run)
    python benchmarks/run_all.py --full     # + 1M triples, 100k clauses, 10k-document runs x3
    python benchmarks/run_all.py --stages ingest,queries --repeats 5

Each measurement runs in its own process (benchmarks/bench_scale.py) so that its peak RSS is its
own; repeats are interleaved (run 1 of every variant, then run 2 …) and the table shows medians
with the 1-minute load average seen around them (the machine is shared: compare ratios taken in
one run, not absolute seconds across runs). Corpora: benchmarks/synth.py (seeded), PDFs made from
data/corpus by tests/docgen.py (cached in --work).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE), str(ROOT / "tests")]

PLANS = {
    "quick": dict(pdf_sets=["uming"], pdf_files=2, text_files=3, store=[10_000], overlaps=[1_000],
                  allpairs_max=1_000, docs=[100], worker_docs=100, big_repeats=1),
    "default": dict(pdf_sets=["uming", "noto"], pdf_files=5, text_files=5, store=[10_000, 100_000],
                    overlaps=[1_000, 10_000], allpairs_max=2_000, docs=[1_000, 10_000], worker_docs=1_000,
                    big_repeats=1),
    "full": dict(pdf_sets=["uming", "noto", "uming+tables"], pdf_files=5, text_files=5,
                 store=[10_000, 100_000, 1_000_000], overlaps=[1_000, 10_000, 100_000], allpairs_max=2_000,
                 docs=[1_000, 10_000], worker_docs=1_000, big_repeats=3),
}
STORE_MODES = ["rdflib-memory", "ours (transactional)", "ours (bulk)"]
GOALS_TEXT = {
    "pdf": "PDF → parsed ≥ 1/3 of pdftotext's speed",
    "extract": "text → provisions + extraction ≥ 0.7× bare jieba.lcut throughput",
    "store_load": "store load ≥ 5× rdflib Memory at 1M triples",
    "store_query": "store query ≥ 3× rdflib Memory at 1M triples",
    "overlaps": "overlaps ≤ 60 s at 100k clauses with ≥ 95 % recall",
    "eligibility": "eligibility < 200 ms at 10k documents",
    "workers": "two workers ≥ 1.7× one on ingest",
}


# ---- running measurements ------------------------------------------------------------------------

def child(name: str, timeout: float = 3600, **kw) -> dict:
    """Run one bench_scale measurement in a fresh process; its JSON result plus load averages."""
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    try:
        p = subprocess.run([sys.executable, str(HERE / "bench_scale.py"), name, json.dumps(kw)],
                           capture_output=True, text=True, timeout=timeout, cwd=ROOT)
        lines = p.stdout.strip().splitlines()
        out = json.loads(lines[-1]) if p.returncode == 0 and lines else {"error": p.stderr.strip()[-600:]}
    except subprocess.TimeoutExpired:
        out = {"error": f"timeout after {timeout:.0f} s"}
    out.update(load_before=load0, load_after=os.getloadavg()[0], wall_s=time.perf_counter() - t0)
    return out


class Recorder:
    """Collects every run; prints one progress line per run on stderr."""

    def __init__(self):
        self.runs: list[dict] = []

    def run(self, stage: str, variant: str, size, measurement: str, **kw) -> dict:
        res = child(measurement, **kw)
        rec = {"stage": stage, "variant": variant, "size": size, **res}
        self.runs.append(rec)
        msg = res.get("error") or f"{res['seconds']:.3f} s, peak {res.get('maxrss_mb', 0):.0f} MB"
        print(f"  [{stage}] {variant} @ {size}: {msg} (load {res['load_before']:.1f})", file=sys.stderr, flush=True)
        return rec

    def med(self, stage: str, variant: str, size, key: str = "seconds"):
        xs = [r[key] for r in self.runs if (r["stage"], r["variant"], r["size"]) == (stage, variant, size)
              and isinstance(r.get(key), int | float)]
        return statistics.median(xs) if xs else None

    def sizes(self, stage: str) -> list:
        seen = []
        for r in self.runs:
            if r["stage"] == stage and r["size"] not in seen:
                seen.append(r["size"])
        return sorted(seen) if all(isinstance(x, int) for x in seen) else seen

    def count(self, stage, variant, size) -> int:
        return sum(1 for r in self.runs if (r["stage"], r["variant"], r["size"]) == (stage, variant, size)
                   and "error" not in r)

    def load(self, stage: str) -> str:
        xs = [r["load_before"] for r in self.runs if r["stage"] == stage]
        return f"{min(xs):.1f}-{max(xs):.1f}" if xs else "-"


def stage_pdf(rec: Recorder, plan: dict, repeats: int, work: Path) -> None:
    import bench_pdf
    out = work / "pdfs"
    out.mkdir(parents=True, exist_ok=True)
    sets = bench_pdf.make_corpus(out, [s for s in plan["pdf_sets"] if s != "uming+tables"])
    warm = work / "warmup.pdf"
    if not warm.exists():
        import docgen
        docgen.make_pdf((ROOT / "data" / "corpus").glob("002_*.txt").__next__().read_text(encoding="utf-8")[:400], warm)
    for r in range(repeats):
        for label in plan["pdf_sets"]:
            paths = [str(p) for p in sets[label][:plan["pdf_files"]]]
            for name in bench_pdf.EXTRACTORS:
                if "tables" in name and label != "uming+tables":
                    continue
                rec.run("pdf", name, label, "pdf", extractor=name, paths=paths, warmup=str(warm))


def stage_text(rec: Recorder, plan: dict, repeats: int, work: Path) -> None:
    paths = [str(p) for p in sorted((ROOT / "data" / "corpus").glob("*.txt"))[:plan["text_files"]]]
    for r in range(repeats):
        for mode in ("jieba", "parse", "parse_noextract"):
            rec.run("extract", mode, "seed corpus", "text", mode=mode, paths=paths)


def stage_store(rec: Recorder, plan: dict, repeats: int, work: Path) -> None:
    for n in plan["store"]:
        for r in range(repeats if n < 1_000_000 else max(1, min(repeats, 3))):
            for mode in STORE_MODES:
                rec.run("store", mode, n, "store", mode=mode, triples=n)


def stage_overlaps(rec: Recorder, plan: dict, repeats: int, work: Path) -> None:
    for n in plan["overlaps"]:
        for r in range(repeats if n <= 10_000 else 1):
            rec.run("overlaps", "ours (MinHash LSH + rapidfuzz)", n, "overlaps", n=n, mode="lsh",
                    sample=300 if r == 0 else 0, oracle_max=plan["allpairs_max"])
            if n <= 10_000:
                rec.run("overlaps", "all pairs (rapidfuzz cdist, 1 core)", n, "overlaps", n=n, mode="allpairs",
                        oracle_max=plan["allpairs_max"])


def corpus(work: Path, n: int) -> Path:
    import synth
    out = work / f"synth_{n}"
    if not (out / "manifest.json").exists() or json.loads((out / "manifest.json").read_text())["documents"] != n:
        t = time.perf_counter()
        synth.write_corpus(out, n, seed=0)
        print(f"  synth: {n} documents in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return out


INGEST_VARIANTS = ("1 worker, 1 core", "1 worker", "2 workers")


def stage_ingest(rec: Recorder, plan: dict, repeats: int, work: Path) -> None:
    """1 vs 2 workers at worker_docs (interleaved); every size with 2 workers, stores kept for queries."""
    small = corpus(work, plan["worker_docs"])
    for r in range(repeats):  # "1 core": the whole ingest pinned to one CPU, the one-core baseline
        for variant, w, cores in (("1 worker, 1 core", 1, 1), ("1 worker", 1, 0), ("2 workers", 2, 0)):
            rec.run("ingest", variant, plan["worker_docs"], "ingest", corpus=str(small),
                    store_dir=str(work / f"store_{plan['worker_docs']}"), workers=w, keep=True, cores=cores)
    for n in plan["docs"]:
        if n == plan["worker_docs"]:
            continue
        for r in range(plan["big_repeats"]):
            rec.run("ingest", "2 workers", n, "ingest", corpus=str(corpus(work, n)),
                    store_dir=str(work / f"store_{n}"), workers=2, keep=True)


def stage_queries(rec: Recorder, plan: dict, repeats: int, work: Path) -> None:
    for n in plan["docs"]:
        store = work / f"store_{n}"
        if not (store / "CURRENT").exists():
            print(f"  [queries] no store for {n} documents (run the ingest stage)", file=sys.stderr)
            continue
        for r in range(repeats if n <= 1_000 else plan["big_repeats"]):
            rec.run("queries", "catalog + eligibility + status", n, "queries", store_dir=str(store))


STAGES = {"pdf": stage_pdf, "extract": stage_text, "store": stage_store, "overlaps": stage_overlaps,
          "ingest": stage_ingest, "queries": stage_queries}


# ---- report ----------------------------------------------------------------------------------------

def _f(x, fmt="{:.2f}") -> str:
    return "-" if x is None else fmt.format(x)


def _ratio(a, b) -> float | None:
    return a / b if a and b else None


def tables(rec: Recorder, plan: dict) -> tuple[list[str], dict]:
    """Markdown tables of medians, the goals and the summary numbers the README arithmetic uses."""
    out, summary = [], {}

    def table(title, head, rows):
        if rows:
            out.extend(["", f"### {title}", "", "| " + " | ".join(head) + " |",
                        "|" + "|".join(" ---: " if i else " --- " for i in range(len(head))) + "|"])
            out.extend("| " + " | ".join(str(c) for c in row) + " |" for row in rows)

    import bench_pdf
    rows = []
    for label in rec.sizes("pdf"):
        base = rec.med("pdf", "pdftotext (poppler)", label)
        for name in bench_pdf.EXTRACTORS:
            t = rec.med("pdf", name, label)
            if t is None:
                continue
            pages = rec.med("pdf", name, label, "pages")
            chars = int(rec.med("pdf", name, label, "chars") or 0)
            chars = f"({chars} documents)" if name.endswith("parse_file") else chars
            rows.append([label, name, _f(pages / t, "{:.1f}"), _f(_ratio(base, t), "{:.3f}"),
                         chars, _f(rec.med("pdf", name, label, "maxrss_mb"), "{:.0f}"),
                         rec.count("pdf", name, label)])
        summary.setdefault("pdf_speed_vs_pdftotext", _ratio(base, rec.med("pdf", "ingest.pipeline.parse_file", label)))
    table(f"PDF → text (load {rec.load('pdf')})", ["PDF set", "extractor", "pages/s", "speed ÷ pdftotext",
          "chars (non-space)", "peak MB", "runs"], rows)

    rows, jb = [], rec.med("extract", "jieba", "seed corpus")
    parse, noex = rec.med("extract", "parse", "seed corpus"), rec.med("extract", "parse_noextract", "seed corpus")
    mb = (rec.med("extract", "jieba", "seed corpus", "bytes") or 0) / 1e6
    for name, t in (("bare jieba.lcut per line", jb), ("parse_file (provisions + extraction)", parse),
                    ("parse_file, extract=False", noex),
                    ("extraction alone (difference)", parse - noex if parse and noex else None)):
        if t:
            rows.append([name, _f(t, "{:.3f}"), _f(mb / t, "{:.3f}"), _f(_ratio(jb, t)), rec.count("extract", "jieba", "seed corpus")])
    summary.update(extract_vs_jieba=_ratio(jb, parse), extract_only_vs_jieba=_ratio(jb, parse - noex if parse and noex else None),
                   parse_mb_s=_ratio(mb, parse))
    table(f"text → provisions + extraction, seed corpus {mb:.2f} MB (load {rec.load('extract')})",
          ["step", "s", "MB/s", "throughput ÷ jieba", "runs"], rows)

    rows = []
    for n in rec.sizes("store"):
        b_load, b_q = rec.med("store", "rdflib-memory", n), rec.med("store", "rdflib-memory", n, "query_ms")
        for mode in STORE_MODES:
            t = rec.med("store", mode, n)
            if t is None:
                continue
            q = rec.med("store", mode, n, "query_ms")
            rows.append([f"{rec.med('store', mode, n, 'triples'):,.0f}", mode, _f(t), _f(q, "{:.1f}"),
                         _f(_ratio(b_load, t), "{:.1f}"), _f(_ratio(b_q, q), "{:.1f}"),
                         _f(rec.med("store", mode, n, "maxrss_mb"), "{:.0f}"), _f(rec.med("store", mode, n, "disk_mb"), "{:.1f}"),
                         rec.count("store", mode, n)])
        summary[f"store_{n}"] = {"load_x": _ratio(b_load, rec.med("store", "ours (transactional)", n)),
                                 "bulk_load_x": _ratio(b_load, rec.med("store", "ours (bulk)", n)),
                                 "query_x": _ratio(b_q, rec.med("store", "ours (transactional)", n, "query_ms"))}
    table(f"graph load + eligibility-style SPARQL query (load {rec.load('store')})",
          ["triples", "store", "load s", "warm query ms", "load × faster", "query × faster", "peak MB", "disk MB", "runs"], rows)

    rows = []
    for n in rec.sizes("overlaps"):
        for v in ("ours (MinHash LSH + rapidfuzz)", "all pairs (rapidfuzz cdist, 1 core)"):
            t = rec.med("overlaps", v, n)
            if t is None:
                continue
            ex = [r for r in rec.runs if (r["stage"], r["variant"], r["size"]) == ("overlaps", v, n)]
            how = (f"extrapolated from {ex[0]['measured_n']:,}" if ex and ex[0].get("extrapolated") else "measured")
            rc = next((r for r in ex if "recall" in r), {})
            pairs = rec.med("overlaps", v, n, "pairs")
            pairs = f"{pairs:.0f} (in {ex[0]['measured_n']:,})" if ex and ex[0].get("extrapolated") else f"{pairs:.0f}"
            rows.append([f"{n:,}", v, _f(t), how, pairs,
                         _f(rc.get("recall"), "{:.3f}") + (f" ({rc['recall_on']})" if rc else ""),
                         _f(rec.med("overlaps", v, n, "maxrss_mb"), "{:.0f}"), rec.count("overlaps", v, n)])
        summary[f"overlaps_{n}"] = {"s": rec.med("overlaps", "ours (MinHash LSH + rapidfuzz)", n),
                                    "recall": next((r["recall"] for r in rec.runs if r["stage"] == "overlaps"
                                                    and r["size"] == n and "recall" in r), None)}
    table(f"near-duplicate clauses (load {rec.load('overlaps')})",
          ["clauses", "method", "s", "how", "pairs", "recall vs all pairs", "peak MB", "runs"], rows)

    rows = []
    for n in sorted({r["size"] for r in rec.runs if r["stage"] == "ingest"}):
        for v in INGEST_VARIANTS:
            t = rec.med("ingest", v, n)
            if t is None:
                continue
            docs, tri = rec.med("ingest", v, n, "documents"), rec.med("ingest", v, n, "triples")
            rows.append([f"{n:,}", v, _f(t, "{:.1f}"), _f(docs / t, "{:.1f}"), f"{tri:,.0f}",
                         _f(rec.med("ingest", v, n, "disk_mb"), "{:.0f}"), _f(rec.med("ingest", v, n, "sst_mb"), "{:.0f}"),
                         _f(rec.med("ingest", v, n, "cpu_main_s"), "{:.1f}") + " / " + _f(rec.med("ingest", v, n, "cpu_workers_s"), "{:.1f}"),
                         _f(rec.med("ingest", v, n, "maxrss_mb"), "{:.0f}"),
                         _f(rec.med("ingest", v, n, "children_mb"), "{:.0f}"), rec.count("ingest", v, n)])
    n0 = max((n for n in rec.sizes("ingest") if rec.med("ingest", "1 worker", n)), default=plan["worker_docs"])
    summary["worker_docs"] = n0
    summary["workers_speedup_1core"] = _ratio(rec.med("ingest", "1 worker, 1 core", n0), rec.med("ingest", "2 workers", n0))
    summary["workers_speedup"] = _ratio(rec.med("ingest", "1 worker", n0), rec.med("ingest", "2 workers", n0))
    summary["ingest"] = {str(n): {k: rec.med("ingest", v, n, k) for k in ("seconds", "documents", "triples", "disk_mb", "bytes",
                                                                          "maxrss_mb", "children_mb")}
                         for n in rec.sizes("ingest") for v in ("1 worker", "2 workers") if rec.med("ingest", v, n)}
    summary["ingest_1core"] = {k: rec.med("ingest", "1 worker, 1 core", n0, k) for k in ("seconds", "documents", "triples", "disk_mb", "sst_mb", "bytes")}
    table(f"ingest of synthetic documents (parse + extract + graph + store; load {rec.load('ingest')})",
          ["documents", "workers", "s", "docs/s", "triples", "store MB", "of which tables MB", "CPU s main / workers", "peak MB (main)",
           "peak MB (worker)", "runs"], rows)

    rows = []
    for n in rec.sizes("queries"):
        v = "catalog + eligibility + status"
        if rec.med("queries", v, n) is None:
            continue
        rows.append([f"{n:,}", _f(rec.med("queries", v, n, "catalog_s")), _f(rec.med("queries", v, n, "catalog_warm_s")),
                     _f(rec.med("queries", v, n, "eligibility_first_ms"), "{:.0f}"),
                     _f(rec.med("queries", v, n, "eligibility_ms"), "{:.1f}"), _f(rec.med("queries", v, n, "status_first_ms"), "{:.0f}"),
                     _f(rec.med("queries", v, n, "status_ms"), "{:.0f}"), _f(rec.med("queries", v, n, "seconds")),
                     _f(rec.med("queries", v, n, "maxrss_mb"), "{:.0f}"), rec.count("queries", v, n)])
        summary[f"queries_{n}"] = {k: rec.med("queries", v, n, k) for k in ("catalog_s", "catalog_warm_s", "eligibility_ms", "status_ms",
                                                                            "status_first_ms", "eligibility_first_ms", "maxrss_mb", "seconds")}
    table(f"queries on the ingested store (load {rec.load('queries')})",
          ["documents", "load catalog s (cold)", "from its cache s (new process)", "eligibility first ms", "eligibility warm ms", "status first ms",
           "status warm ms", "first answer s", "peak MB", "runs"], rows)
    return out, summary


def goals(rec: Recorder, summary: dict, plan: dict) -> list[dict]:
    """Each goal: measured value, target, met, and at what size it was measured."""
    big_store = max(rec.sizes("store") or [0])
    big_ov = max(rec.sizes("overlaps") or [1])
    s_store = summary.get(f"store_{big_store}", {})
    ov = summary.get(f"overlaps_{big_ov}", {})
    ov_s = ov.get("s") and ov["s"] * (100_000 / big_ov)  # linear extrapolation when 100k was not run
    big_docs = max(rec.sizes("queries") or [0])
    q = summary.get(f"queries_{big_docs}", {})
    rows = [("pdf", summary.get("pdf_speed_vs_pdftotext"), 1 / 3, ">=", "PDF set 1"),
            ("extract", summary.get("extract_vs_jieba"), 0.7, ">=", "seed corpus"),
            ("store_load", s_store.get("bulk_load_x"), 5, ">=", f"{big_store:,} triples, bulk loader (ingest of new files)"),
            ("store_load", s_store.get("load_x"), 5, ">=", f"{big_store:,} triples, one transaction per file (re-ingest)"),
            ("store_query", s_store.get("query_x"), 3, ">=", f"{big_store:,} triples"),
            ("overlaps", ov_s, 60, "<=", f"{big_ov:,} clauses" + ("" if big_ov == 100_000 else ", × linear to 100k")),
            ("overlaps", ov.get("recall"), 0.95, ">=", f"recall at {big_ov:,} clauses"),
            ("eligibility", q.get("eligibility_ms"), 200, "<", f"{big_docs:,} documents, warm"),
            ("workers", summary.get("workers_speedup"), 1.7, ">=", f"{summary.get('worker_docs', 0):,} documents, wall time"),
            ("workers", summary.get("workers_speedup_1core"), 1.7, ">=",
             "one core → two: `--workers 1` pinned to 1 CPU vs `--workers 2` (plain `--workers 1` already "
             "writes the store on the second core while its worker parses)")]
    out = []
    for key, v, target, op, where in rows:
        met = None if v is None else (v >= target if op == ">=" else v <= target if op == "<=" else v < target)
        out.append({"goal": GOALS_TEXT[key], "measured": v, "target": f"{op} {target:.3g}", "met": met, "where": where})
    return out


def projection(rec: Recorder, summary: dict) -> list[str]:
    """What ≈1M documents would need, from this run's per-document figures."""
    one = summary.get("ingest_1core") or {}
    if not one.get("seconds"):
        return []
    docs, s = one["documents"], one["seconds"]
    per_doc_s, tri_doc = s / docs, one["triples"] / docs
    b_tri = (one.get("sst_mb") or one["disk_mb"]) * 2 ** 20 / one["triples"]
    n = 1_000_000
    lines = ["", "### national corpus projection (1M documents, from the one-core ingest above)", "",
             f"- {per_doc_s * 1e3:.1f} ms per document per core → {n * per_doc_s / 3600:.1f} core-hours "
             f"({n * per_doc_s / 3600 / 2:.1f} h on this 2-core machine; {n * per_doc_s / 60 / 64:.0f} min on 64 cores "
             f"if the store keeps up)",
             f"- {tri_doc:.0f} triples per document → {n * tri_doc / 1e6:.0f} M triples; "
             f"{b_tri:.0f} bytes of store per triple (RocksDB tables, without write-ahead logs) → "
             f"{n * tri_doc * b_tri / 2 ** 30:.0f} GiB on disk",
             f"- source text {one['bytes'] / docs / 1024:.1f} KiB per document → {n * one['bytes'] / docs / 2 ** 30:.1f} GiB"]
    big = max(rec.sizes("queries") or [0])
    q = summary.get(f"queries_{big}") or {}
    if q.get("maxrss_mb"):
        per_doc = (q["maxrss_mb"] - (rec.med("queries", "catalog + eligibility + status", big, "base_mb") or 0)) / big
        lines.append(f"- query process (catalog held in memory) {q['maxrss_mb']:.0f} MB at {big:,} documents → "
                     f"{per_doc * n / 1024:.0f} GiB at 1M if it stays linear; catalog built from scratch "
                     f"{q['catalog_s']:.1f} s → {q['catalog_s'] / big * n / 3600:.1f} h (once: after an ingest only the "
                     f"changed graphs are decoded), read from its cache {q.get('catalog_warm_s') or 0:.1f} s → "
                     f"{(q.get('catalog_warm_s') or 0) / big * n / 60:.0f} min")
    return lines


def plot(rec: Recorder, plan: dict, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.8))
    series = [(axes[0], "ingest", "2 workers", "seconds", "ingest (2 workers), s"),
              (axes[0], "queries", "catalog + eligibility + status", "catalog_s", "load catalog, s"),
              (axes[0], "queries", "catalog + eligibility + status", "eligibility_ms", "eligibility warm, ms"),
              (axes[0], "queries", "catalog + eligibility + status", "status_ms", "status warm, ms")]
    series += [(axes[1], "store", m, "seconds", f"{m} load, s") for m in STORE_MODES]
    series += [(axes[1], "store", m, "query_ms", f"{m} query, ms") for m in STORE_MODES[:2]]
    series += [(axes[2], "overlaps", v, "seconds", v + ", s") for v in
               ("ours (MinHash LSH + rapidfuzz)", "all pairs (rapidfuzz cdist, 1 core)")]
    for ax, stage, variant, key, label in series:
        sizes = sorted({r["size"] for r in rec.runs if r["stage"] == stage and r["variant"] == variant
                        and isinstance(r["size"], int)})
        pts = [(n, rec.med(stage, variant, n, key)) for n in sizes]
        pts = [(n, y) for n, y in pts if y]
        if pts:
            ax.plot(*zip(*pts), marker="o", label=label)
            if not getattr(ax, "_guide", False) and len(pts) > 1:  # slope-1 reference through the first point
                (x0, y0), x1 = pts[0], pts[-1][0]
                ax.plot([x0, x1], [y0, y0 * x1 / x0], ls="--", color="gray", lw=0.8, label="linear (slope 1)")
                ax._guide = True
    for ax, xl, title in zip(axes, ("documents", "triples", "clauses"),
                             ("ingest and queries vs corpus size", "graph store vs size", "near-duplicate clauses")):
        ax.set(xscale="log", yscale="log", xlabel=xl, title=title)
        lo, hi = ax.get_xlim()
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle("policygraph scaling (log-log; slope 1 = linear), medians", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)


def exponents(rec: Recorder) -> list[str]:
    """Growth exponent between the two largest sizes of each sized series (1.0 = linear)."""
    out = []
    keys = {(r["stage"], r["variant"]) for r in rec.runs if isinstance(r["size"], int)}
    for stage, variant in sorted(keys):
        sizes = sorted({r["size"] for r in rec.runs if (r["stage"], r["variant"]) == (stage, variant)})
        metric = ["seconds"] + (["eligibility_ms", "status_ms", "catalog_s"] if stage == "queries" else [])
        for key in metric:
            pts = [(n, rec.med(stage, variant, n, key)) for n in sizes]
            pts = [(n, y) for n, y in pts if y]
            if len(pts) >= 2:
                (n1, y1), (n2, y2) = pts[0], pts[-1]
                out.append(f"- {stage} / {variant} / {key}: {n1:,} → {n2:,}: ×{y2 / y1:.1f} for ×{n2 / n1:.0f} "
                           f"(exponent {math.log(y2 / y1) / math.log(n2 / n1):.2f})")
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--quick", action="store_true")
    g.add_argument("--full", action="store_true")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--docs", help="comma-separated corpus sizes for ingest/queries (first: 1 vs 2 workers)")
    ap.add_argument("--triples", help="comma-separated graph sizes for the store stage")
    ap.add_argument("--clauses", help="comma-separated clause counts for the overlaps stage")
    ap.add_argument("--stages", default=",".join(STAGES), help="comma-separated subset of " + ",".join(STAGES))
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "policygraph-bench")
    ap.add_argument("--out", type=Path, default=HERE / "results")
    ap.add_argument("--load", type=Path, nargs="*", default=[],
                    help="add the runs of earlier latest.json files (e.g. a --full store run) to this report")
    a = ap.parse_args(argv)
    mode = "quick" if a.quick else "full" if a.full else "default"
    plan = dict(PLANS[mode])
    if a.docs:
        plan["docs"] = [int(x) for x in a.docs.split(",")]
        plan["worker_docs"] = plan["docs"][0]
    for key, opt in (("store", a.triples), ("overlaps", a.clauses)):
        if opt:
            plan[key] = [int(float(x)) for x in opt.split(",")]
    a.work.mkdir(parents=True, exist_ok=True)
    started, t0 = datetime.now(timezone.utc), time.perf_counter()
    rec = Recorder()
    for f in a.load:
        rec.runs.extend(json.loads(f.read_text(encoding="utf-8"))["runs"])
    stages = [s.strip() for s in a.stages.split(",") if s.strip()]
    a.out.mkdir(parents=True, exist_ok=True)
    for s in stages:
        print(f"== {s}", file=sys.stderr, flush=True)
        STAGES[s](rec, plan, a.repeats, a.work)
        (a.work / "runs.partial.json").write_text(json.dumps({"runs": rec.runs}, default=str))  # a crash loses nothing
    lines, summary = tables(rec, plan)
    gl = goals(rec, summary, plan)
    head = [f"## policygraph benchmarks ({mode}; {started:%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores; "
            f"median of {a.repeats} interleaved runs unless 'runs' says otherwise; load = 1-min load average)"]
    glines = ["", "### goals", "", "| goal | measured | target | met | where |", "| --- | ---: | ---: | --- | --- |"]
    glines += [f"| {x['goal']} | {_f(x['measured'], '{:.3g}')} | {x['target']} | "
               f"{'n/a' if x['met'] is None else 'yes' if x['met'] else 'NO'} | {x['where']} |" for x in gl]
    scal = ["", "### growth (1.0 = linear)", ""] + exponents(rec)
    text = "\n".join(head + lines + glines + scal + projection(rec, summary))
    print(text)
    a.out.mkdir(parents=True, exist_ok=True)
    meta = {"mode": mode, "started": started.isoformat(), "seconds": time.perf_counter() - t0, "repeats": a.repeats,
            "stages": stages, "cpu_count": os.cpu_count(), "python": platform.python_version(),
            "machine": platform.platform(), "plan": plan}
    (a.out / "latest.json").write_text(json.dumps({"meta": meta, "summary": summary, "goals": gl, "runs": rec.runs,
                                                   "table": text}, ensure_ascii=False, indent=1, default=str))
    try:
        plot(rec, plan, a.out / "scaling.png")
    except ImportError as e:
        print(f"no plot: {e}", file=sys.stderr)
    print(f"\nwrote {a.out / 'latest.json'} and {a.out / 'scaling.png'} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
