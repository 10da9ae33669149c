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

from report import STORE_MODES, exponents, goals, num, plot, projection, tables  # noqa: E402

PLANS = {
    "quick": dict(pdf_sets=["uming"], pdf_files=2, text_files=3, store=[10_000], overlaps=[1_000],
                  allpairs_max=1_000, docs=[100], worker_docs=100, big_repeats=1, real=[0.1]),
    "default": dict(pdf_sets=["uming", "noto"], pdf_files=5, text_files=5, store=[10_000, 100_000],
                    overlaps=[1_000, 10_000], allpairs_max=2_000, docs=[1_000, 10_000], worker_docs=1_000,
                    big_repeats=1, real=[1, 2.4]),
    "full": dict(pdf_sets=["uming", "noto", "uming+tables"], pdf_files=5, text_files=5,
                 store=[10_000, 100_000, 1_000_000], overlaps=[1_000, 10_000, 100_000], allpairs_max=2_000,
                 docs=[1_000, 10_000], worker_docs=1_000, big_repeats=3, real=[1, 2.4, 10]),
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


REAL_CORPUS = Path(os.environ.get("POLICYGRAPH_REAL_CORPUS", ROOT.parent / "shared" / "corpus" / "lawrefbook"))


def stage_real(rec: Recorder, plan: dict, repeats: int, work: Path) -> None:
    """The CLI as a user meets it on real text (benchmarks/bench_real.py): the lawrefbook corpus
    replicated by each factor (benchmarks/replicate_lawrefbook.py), ingested, then ``status`` on a
    fresh copy of the store, ``ask`` and ``overlaps``, whole process (wall time, peak RSS)."""
    import bench_real
    from replicate_lawrefbook import corpus_files, replicate
    if not REAL_CORPUS.is_dir():
        print(f"  [real] no corpus at {REAL_CORPUS} (POLICYGRAPH_REAL_CORPUS)", file=sys.stderr)
        return
    for f in plan["real"]:
        src, store = work / f"real-{f:g}", work / f"real-store-{f:g}"
        if not src.exists():
            replicate(REAL_CORPUS, src, f)
        n = len(corpus_files(src))
        if not (store / "CURRENT").exists():
            _real_run(rec, "ingest (2 workers)", n, bench_real.ingest(src, store))
        runs = bench_real.run_commands(store, ["help", "status", "ask", "overlaps"], repeats, work)
        for cmd, xs in runs.items():
            for x in xs:
                _real_run(rec, cmd, n, x)


def _real_run(rec: Recorder, variant: str, n: int, x: dict) -> None:
    r = {"stage": "real", "variant": variant, "size": n, "seconds": x["seconds"], "maxrss_mb": x["rss_mb"],
         "load_before": x["load_before"], "load_after": x["load_after"]}
    if x["rc"]:
        r["error"] = f"exit code {x['rc']}"
    rec.runs.append(r)
    print(f"  [real] {variant} @ {n}: {x['seconds']:.2f} s, peak {x['rss_mb']:.0f} MB (load {x['load_before']:.1f})",
          file=sys.stderr, flush=True)


def real_table(rec: Recorder) -> list[str]:
    """Medians of the real-text runs, one row per command and size."""
    rows = [r for r in rec.runs if r["stage"] == "real"]
    if not rows:
        return []
    out = ["", "### real text (lawrefbook, replicated; whole process)", "",
           "| command | documents | median s | peak RSS MB | runs | load |", "| --- | ---: | ---: | ---: | ---: | --- |"]
    for variant in dict.fromkeys(r["variant"] for r in rows):
        for n in sorted({r["size"] for r in rows if r["variant"] == variant}):
            out.append(f"| {variant} | {n:,} | {num(rec.med('real', variant, n), '{:.2f}')} | "
                       f"{num(rec.med('real', variant, n, 'maxrss_mb'), '{:.0f}')} | {rec.count('real', variant, n)} | "
                       f"{rec.load('real')} |")
    return out


STAGES = {"pdf": stage_pdf, "extract": stage_text, "store": stage_store, "overlaps": stage_overlaps,
          "ingest": stage_ingest, "queries": stage_queries, "real": stage_real}


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
    glines += [f"| {x['goal']} | {num(x['measured'], '{:.3g}')} | {x['target']} | "
               f"{'n/a' if x['met'] is None else 'yes' if x['met'] else 'NO'} | {x['where']} |" for x in gl]
    scal = ["", "### growth (1.0 = linear)", ""] + exponents(rec)
    text = "\n".join(head + lines + real_table(rec) + glines + scal + projection(rec, summary))
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
