"""The report of benchmarks/run_all.py: Markdown tables of medians, the goals, growth exponents,
the national-corpus projection and the scaling plot, from a Recorder's runs."""
from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from run_all import Recorder

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


INGEST_VARIANTS = ("1 worker, 1 core", "1 worker", "2 workers")


def num(x, fmt="{:.2f}") -> str:
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
            rows.append([label, name, num(pages / t, "{:.1f}"), num(_ratio(base, t), "{:.3f}"),
                         chars, num(rec.med("pdf", name, label, "maxrss_mb"), "{:.0f}"),
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
            rows.append([name, num(t, "{:.3f}"), num(mb / t, "{:.3f}"), num(_ratio(jb, t)), rec.count("extract", "jieba", "seed corpus")])
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
            rows.append([f"{rec.med('store', mode, n, 'triples'):,.0f}", mode, num(t), num(q, "{:.1f}"),
                         num(_ratio(b_load, t), "{:.1f}"), num(_ratio(b_q, q), "{:.1f}"),
                         num(rec.med("store", mode, n, "maxrss_mb"), "{:.0f}"), num(rec.med("store", mode, n, "disk_mb"), "{:.1f}"),
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
            rows.append([f"{n:,}", v, num(t), how, pairs,
                         num(rc.get("recall"), "{:.3f}") + (f" ({rc['recall_on']})" if rc else ""),
                         num(rec.med("overlaps", v, n, "maxrss_mb"), "{:.0f}"), rec.count("overlaps", v, n)])
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
            rows.append([f"{n:,}", v, num(t, "{:.1f}"), num(docs / t, "{:.1f}"), f"{tri:,.0f}",
                         num(rec.med("ingest", v, n, "disk_mb"), "{:.0f}"), num(rec.med("ingest", v, n, "sst_mb"), "{:.0f}"),
                         num(rec.med("ingest", v, n, "cpu_main_s"), "{:.1f}") + " / " + num(rec.med("ingest", v, n, "cpu_workers_s"), "{:.1f}"),
                         num(rec.med("ingest", v, n, "maxrss_mb"), "{:.0f}"),
                         num(rec.med("ingest", v, n, "children_mb"), "{:.0f}"), rec.count("ingest", v, n)])
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
        rows.append([f"{n:,}", num(rec.med("queries", v, n, "catalog_s")), num(rec.med("queries", v, n, "catalog_warm_s")),
                     num(rec.med("queries", v, n, "eligibility_first_ms"), "{:.0f}"),
                     num(rec.med("queries", v, n, "eligibility_ms"), "{:.1f}"), num(rec.med("queries", v, n, "status_first_ms"), "{:.0f}"),
                     num(rec.med("queries", v, n, "status_ms"), "{:.0f}"), num(rec.med("queries", v, n, "seconds")),
                     num(rec.med("queries", v, n, "maxrss_mb"), "{:.0f}"), rec.count("queries", v, n)])
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
