"""The CLI on real text as a user meets it: whole process, wall time and peak RSS (GNU time).

    python benchmarks/bench_real.py --corpus /path/to/lawrefbook --factors 1,2.4 --repeats 3
    python benchmarks/bench_real.py --store DIR --commands ask,status   # an existing store

For each factor: the corpus replicated (benchmarks/replicate_lawrefbook.py), ingested once, then
each command run ``--repeats`` times, interleaved. ``status`` is timed on its first call on a fresh
copy of the store just ingested (nothing derived at query time yet); ``ask`` and ``overlaps`` on
the store after one such call. Prints a Markdown table of medians and the growth exponent between
factors; ``--json`` writes every run with the 1-minute load average before and after it.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

QUESTION = "我们是浙江省杭州市的高新技术企业，有哪些支持政策？"
COMMANDS = {
    "help": ["--help"],
    "ask": ["ask", QUESTION, "--json"],
    "status": ["status", "--json"],
    "overlaps": ["overlaps", "--json"],
}
_WALL = re.compile(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)")
_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")


def timed(argv: list[str], env: dict | None = None, timeout: float = 3600) -> dict:
    """Run ``argv`` under /usr/bin/time -v: wall seconds, peak RSS (MB), exit code, load average."""
    load0 = os.getloadavg()[0]
    p = subprocess.run(["/usr/bin/time", "-v", *argv], capture_output=True, text=True, timeout=timeout,
                       env=dict(os.environ, PYTHONPATH=str(ROOT), **(env or {})), cwd=ROOT)
    w, r = _WALL.search(p.stderr), _RSS.search(p.stderr)
    if not (w and r):
        raise RuntimeError(f"{argv}: no GNU time figures in {p.stderr[-400:]!r}")
    secs = int(w.group(1) or 0) * 3600 + int(w.group(2)) * 60 + float(w.group(3))
    return {"seconds": secs, "rss_mb": int(r.group(1)) / 1024, "rc": p.returncode, "stdout_bytes": len(p.stdout),
            "load_before": load0, "load_after": os.getloadavg()[0]}


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "cli", *args]


def ingest(corpus: Path, store: Path, workers: int = 2) -> dict:
    return timed(cli("ingest", str(corpus), "--store", str(store), "--workers", str(workers), "--json"))


def run_commands(store: Path, commands: list[str], repeats: int, work: Path) -> dict[str, list[dict]]:
    """Each command ``repeats`` times, interleaved; status first on a fresh copy of the store."""
    runs: dict[str, list[dict]] = {c: [] for c in commands}
    for _ in range(repeats):
        for c in commands:
            if c == "status":
                fresh = work / "fresh"
                shutil.rmtree(fresh, ignore_errors=True)
                shutil.copytree(store, fresh)
                runs[c].append(timed(cli(*COMMANDS[c], "--store", str(fresh))))
                shutil.rmtree(fresh, ignore_errors=True)
            else:
                extra = [] if c == "help" else ["--store", str(store)]
                runs[c].append(timed(cli(*COMMANDS[c], *extra)))
    return runs


def medians(runs: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in runs) for k in ("seconds", "rss_mb", "load_before")}


def exponent(n0: float, t0: float, n1: float, t1: float) -> float | None:
    """Growth exponent k of t ∝ n^k between two sizes."""
    if min(n0, t0, n1, t1) <= 0 or n0 == n1:
        return None
    return math.log(t1 / t0) / math.log(n1 / n0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, help="real corpus folder (lawrefbook)")
    ap.add_argument("--store", type=Path, help="an existing store instead of --corpus")
    ap.add_argument("--factors", default="1,2.4")
    ap.add_argument("--commands", default="help,status,ask,overlaps")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--work", type=Path, default=None, help="where replicas and stores go (default: a temp dir)")
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args()
    from replicate_lawrefbook import replicate
    commands = [c for c in a.commands.split(",") if c]
    for c in commands:
        if c not in COMMANDS:
            raise SystemExit(f"--commands: unknown {c!r} (known: {', '.join(COMMANDS)})")
    work = a.work or Path(tempfile.mkdtemp(prefix="pg-real-"))
    rows = []
    if a.store:
        sizes = [(a.store.name, a.store, None)]
    elif a.corpus:
        sizes = []
        for f in (float(x) for x in a.factors.split(",")):
            src = work / f"corpus-{f:g}"
            if not src.exists():
                replicate(a.corpus, src, f)
            store = work / f"store-{f:g}"
            ing = None
            if not store.exists():
                ing = ingest(src, store)
            sizes.append((f"{f:g}x", store, ing))
    else:
        raise SystemExit("give --corpus or --store")
    for label, store, ing in sizes:
        docs = sum(1 for _ in (work / f"corpus-{label[:-1]}").rglob("*.md")) if ing is not None or \
            (work / f"corpus-{label[:-1]}").exists() else None
        runs = run_commands(store, commands, a.repeats, work)
        rows.append({"size": label, "documents": docs, "ingest": ing, "runs": runs,
                     "medians": {c: medians(r) for c, r in runs.items()}})
        print(f"{label}: " + json.dumps(rows[-1]["medians"]), file=sys.stderr)
    print(f"\n| size | documents | command | median s | peak RSS MB | load |\n|---|---:|---|---:|---:|---:|")
    for r in rows:
        for c, m in r["medians"].items():
            print(f"| {r['size']} | {r['documents'] or ''} | {c} | {m['seconds']:.2f} | {m['rss_mb']:.0f} | "
                  f"{m['load_before']:.1f} |")
    if len(rows) > 1 and all(r["documents"] for r in rows):
        print("\n| command | growth exponent (first → last size; 1 = linear) |\n|---|---:|")
        first, last = rows[0], rows[-1]
        for c in commands:
            k = exponent(first["documents"], first["medians"][c]["seconds"], last["documents"],
                         last["medians"][c]["seconds"])
            print(f"| {c} | {'' if k is None else f'{k:.2f}'} |")
    if a.json:
        a.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
