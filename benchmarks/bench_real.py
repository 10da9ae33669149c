"""The CLI on real text as a user meets it: whole process, wall time and peak RSS (GNU time).

    python benchmarks/bench_real.py --corpus /path/to/lawrefbook --factors 1,2.4 --repeats 3
    python benchmarks/bench_real.py --store DIR --commands ask,status   # an existing store

For each factor: the corpus replicated (benchmarks/replicate_lawrefbook.py), ingested once, then
each command run ``--repeats`` times, interleaved. ``status`` is timed on its first call on a fresh
copy of the store just ingested (nothing derived at query time yet); ``ask`` and ``overlaps`` on
the store after one such call; ``ingest+1`` ingests one more file (an edited copy) into a fresh
copy of the store, its derived results brought up to date (``--corpus`` needed). Prints a Markdown table of medians and the growth exponent between
factors; ``--json`` writes every run with the 1-minute load average before and after it, and
``--load`` re-renders earlier ``--json`` files (sizes run apart, e.g. the 10x alone) as one table:

    python benchmarks/bench_real.py --load one.json ten.json
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
    "ingest+1": [],  # one more file into a copy of the store (ingest_one_more)
}
_WALL = re.compile(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)")
_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
_CPU = re.compile(r"(?:User|System) time \(seconds\): ([\d.]+)")


def timed(argv: list[str], env: dict | None = None, timeout: float = 3600, derived: bool = False) -> dict:
    """Run ``argv`` under /usr/bin/time -v: wall seconds, peak RSS (MB), exit code, load average."""
    load0 = os.getloadavg()[0]
    p = subprocess.run(["/usr/bin/time", "-v", *argv], capture_output=True, text=True, timeout=timeout,
                       env=dict(os.environ, PYTHONPATH=str(ROOT), **(env or {})), cwd=ROOT)
    w, r = _WALL.search(p.stderr), _RSS.search(p.stderr)
    if not (w and r):
        raise RuntimeError(f"{argv}: no GNU time figures in {p.stderr[-400:]!r}")
    secs = int(w.group(1) or 0) * 3600 + int(w.group(2)) * 60 + float(w.group(3))
    out = {"seconds": secs, "rss_mb": int(r.group(1)) / 1024, "rc": p.returncode, "stdout_bytes": len(p.stdout),
           "cpu_seconds": sum(float(x) for x in _CPU.findall(p.stderr)),  # user + system: less load-bound than wall
           "load_before": load0, "load_after": os.getloadavg()[0]}
    if derived and p.returncode == 0:
        out["derived_seconds"] = json.loads(p.stdout).get("derived_seconds")
    return out


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "cli", *args]


def ingest(corpus: Path, store: Path, workers: int = 2) -> dict:
    """Ingest timed whole; ``derived_seconds``: the part spent storing the derived results."""
    return timed(cli("ingest", str(corpus), "--store", str(store), "--workers", str(workers), "--json"),
                 derived=True)


def one_more_file(corpus: Path, work: Path) -> Path:
    """A folder holding one file no replica has: an edited copy of the corpus's first file with
    its years moved 97 on (replicate_lawrefbook.edited_copy)."""
    import random
    from replicate_lawrefbook import corpus_files, edited_copy, places_of
    files = corpus_files(corpus)
    text, name = edited_copy(files[0].read_text(encoding="utf-8"), files[0].name, 97, places_of(files),
                             random.Random(97))
    out = work / "one-more"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    (out / name).write_text(text, encoding="utf-8")
    return out


def ingest_one_more(store: Path, extra: Path, work: Path) -> dict:
    """Ingest of one more file into a fresh copy of the store (its derived results kept up to date)."""
    fresh = work / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(store, fresh)
    try:
        return ingest(extra, fresh)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def run_commands(store: Path, commands: list[str], repeats: int, work: Path,
                 extra: Path | None = None) -> dict[str, list[dict]]:
    """Each command ``repeats`` times, interleaved; status first on a fresh copy of the store;
    ``ingest+1``: ``extra`` (a folder of one file) ingested into another fresh copy."""
    runs: dict[str, list[dict]] = {c: [] for c in commands}
    for _ in range(repeats):
        for c in commands:
            if c == "ingest+1":
                if extra is None:
                    raise SystemExit("ingest+1 needs --corpus (the extra file is an edited copy of one of it)")
                runs[c].append(ingest_one_more(store, extra, work))
            elif c == "status":
                fresh = work / "fresh"
                shutil.rmtree(fresh, ignore_errors=True)
                shutil.copytree(store, fresh)
                runs[c].append(timed(cli(*COMMANDS[c], "--store", str(fresh))))
                shutil.rmtree(fresh, ignore_errors=True)
            else:
                where = [] if c == "help" else ["--store", str(store)]
                runs[c].append(timed(cli(*COMMANDS[c], *where)))
    return runs


def medians(runs: list[dict]) -> dict:
    out = {k: statistics.median(r[k] for r in runs) for k in ("seconds", "rss_mb", "load_before")}
    if all(r.get("cpu_seconds") is not None for r in runs):
        out["cpu_seconds"] = statistics.median(r["cpu_seconds"] for r in runs)
    if any(r.get("derived_seconds") is not None for r in runs):
        out["derived_seconds"] = statistics.median(r["derived_seconds"] for r in runs if r.get("derived_seconds") is not None)
    return out


def exponent(n0: float, t0: float, n1: float, t1: float) -> float | None:
    """Growth exponent k of t ∝ n^k between two sizes."""
    if min(n0, t0, n1, t1) <= 0 or n0 == n1:
        return None
    return math.log(t1 / t0) / math.log(n1 / n0)


def table(rows: list[dict]) -> list[str]:
    """A Markdown table: per command, each size's median seconds and peak RSS (with the load
    average the runs began at; for ingest also the seconds spent storing derived results), then
    the growth exponents between successive sizes and first → last (log-log slopes of seconds /
    of peak RSS; 1 = linear)."""
    sizes = [r for r in rows if r.get("documents")]
    cmds = list(dict.fromkeys(["ingest"] * any(r.get("ingest") for r in sizes)
                              + [c for r in sizes for c in r["medians"]]))
    head = [f"{r['size']} ({r['documents']:,} docs)" for r in sizes]
    steps = [f"k {a['size']}→{b['size']} (s / MB)" for a, b in zip(sizes, sizes[1:])]
    if len(sizes) > 2:
        steps.append(f"k {sizes[0]['size']}→{sizes[-1]['size']} (s / MB)")
    out = ["| command | " + " | ".join(head + steps) + " |", "|---|" + "---:|" * (len(head) + len(steps))]
    for c in cmds:
        med = [(r["documents"], medians([r["ingest"]]) if c == "ingest" and r.get("ingest") else r["medians"].get(c))
               for r in sizes]
        cells = [_cell(m) for _, m in med]
        pairs = list(zip(med, med[1:])) + ([(med[0], med[-1])] if len(sizes) > 2 else [])
        for (n0, m0), (n1, m1) in pairs:
            ks = [exponent(n0, m0[f], n1, m1[f]) for f in ("seconds", "rss_mb")] if m0 and m1 else [None]
            cells.append(" / ".join("?" if k is None else f"{k:.2f}" for k in ks) if m0 and m1 else "")
        out.append(f"| {c} | " + " | ".join(cells) + " |")
    return out


def merged(rows: list[dict]) -> list[dict]:
    """Rows of one size joined: the later row's commands and ingest replace the earlier's."""
    out: dict[str, dict] = {}
    for r in rows:
        have = out.setdefault(r["size"], {"size": r["size"], "documents": None, "ingest": None, "runs": {}, "medians": {}})
        have["documents"] = r.get("documents") or have["documents"]
        have["ingest"] = r.get("ingest") or have["ingest"]
        have["runs"].update(r.get("runs", {}))
        have["medians"].update(r.get("medians", {}))
    return list(out.values())


def _cell(m: dict | None) -> str:
    if not m:
        return ""
    derived = f", derived {m['derived_seconds']:.1f} s" if m.get("derived_seconds") is not None else ""
    cpu = f", CPU {m['cpu_seconds']:.1f} s" if m.get("cpu_seconds") is not None else ""
    return f"{m['seconds']:.2f} s, {m['rss_mb']:.0f} MB (load {m['load_before']:.1f}{cpu}{derived})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, help="real corpus folder (lawrefbook)")
    ap.add_argument("--store", type=Path, help="an existing store instead of --corpus")
    ap.add_argument("--factors", default="1,2.4")
    ap.add_argument("--commands", default="help,status,ask,overlaps")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--work", type=Path, default=None, help="where replicas and stores go (default: a temp dir)")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--load", type=Path, nargs="*", default=[],
                    help="earlier --json files joined into the table (per size; a command measured again replaces them)")
    a = ap.parse_args()
    from replicate_lawrefbook import replicate
    commands = [c for c in a.commands.split(",") if c]
    for c in commands:
        if c not in COMMANDS:
            raise SystemExit(f"--commands: unknown {c!r} (known: {', '.join(COMMANDS)})")
    rows: list[dict] = []
    work = a.work or Path(tempfile.mkdtemp(prefix="pg-real-"))
    sizes: list[tuple[str, Path, dict | None]]
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
    elif not a.load:
        raise SystemExit("give --corpus, --store or --load")
    else:
        sizes = []
    for label, store, ing in sizes:
        docs = sum(1 for _ in (work / f"corpus-{label[:-1]}").rglob("*.md")) if ing is not None or \
            (work / f"corpus-{label[:-1]}").exists() else None
        extra = one_more_file(a.corpus, work) if a.corpus and "ingest+1" in commands else None
        runs = run_commands(store, commands, a.repeats, work, extra)
        rows.append({"size": label, "documents": docs, "ingest": ing, "runs": runs,
                     "medians": {c: medians(r) for c, r in runs.items()}})
        print(f"{label}: " + json.dumps(rows[-1]["medians"]), file=sys.stderr)
    if a.json:
        a.json.write_text(json.dumps(rows, indent=1))
    rows = merged([r for f in a.load for r in json.loads(f.read_text())] + rows)
    rows.sort(key=lambda r: r.get("documents") or 0)
    print("\n" + "\n".join(table(rows)))


if __name__ == "__main__":
    main()
