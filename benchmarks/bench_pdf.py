"""PDF text extraction speed: pypdfium2, pdfplumber, our read_file, parse_file, pdftotext.

    python benchmarks/bench_pdf.py                 # PDFs generated from data/corpus (UMing + Noto)
    python benchmarks/bench_pdf.py a.pdf b.pdf     # your own PDFs
    python benchmarks/bench_pdf.py --repeats 5 --keep /tmp/benchpdf
    python benchmarks/bench_pdf.py --whole ../shared/corpus/lawrefbook --repeats 7 [--before DIR]

Every extractor runs on the same files, interleaved, ``--repeats`` times; the table shows
the median total time as pages/s and as a time ratio to ``pdftotext`` (x pdftotext: higher
is slower), and the non-whitespace characters each one extracted (pdfplumber's 0 on the
Noto set is pdfminer.six#1072). ``parse_file`` is PDF -> parsed documents (its output
column counts documents; n/a while the pipeline's later stages cannot be imported).
The "uming+tables" set has a ruled table every 25 lines (~1 a page): what table detection costs.

``--whole LAWREFBOOK``: as a user meets it, whole process — ``policygraph parse PDF --json`` of a
120-page PDF of real text (the first 17 浙江 regulations in name order, UMing) against ``pdftotext
PDF /dev/null``, interleaved, wall and CPU (user+sys, its worker process included) under GNU time,
with the 1-minute load average. Ours runs with its bytecode cached (as any install leaves it) and,
from a copy of the code with ``PYTHONDONTWRITEBYTECODE=1``, without; ``--before DIR``: also the
code of another checkout (``git archive COMMIT | tar -x -C DIR``).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
TABLE_EVERY = 25


def make_corpus(out: Path, fonts: list[str]) -> dict[str, list[Path]]:
    import docgen

    sets: dict[str, list[Path]] = {}
    for font in fonts:
        sets[font] = []
        for seed in sorted((ROOT / "data" / "corpus").glob("*.txt")):
            path = out / f"{seed.stem}_{font}.pdf"
            if not path.exists():
                docgen.make_pdf(seed.read_text(encoding="utf-8"), path, font=font)
            sets[font].append(path)
    # table-heavy variant: where read_file pays for pdfplumber's table geometry
    rows = [("序号", "平台类别", "奖补金额"), ("1", "国家级重点实验室", "500万元"), ("2", "省级技术创新中心", "100万元")]
    sets["uming+tables"] = []
    for seed in sorted((ROOT / "data" / "corpus").glob("*.txt")):
        path = out / f"{seed.stem}_tables.pdf"
        if not path.exists():
            docgen.make_pdf(seed.read_text(encoding="utf-8"), path, table_rows=rows, table_every=TABLE_EVERY)
        sets["uming+tables"].append(path)
    return sets


def pdfium_text(path: Path) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def plumber_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "".join(page.extract_text() or "" for page in pdf.pages)


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")


def read_file_text(path: Path) -> str:
    from ingest.readers import read_file

    return "\n".join(read_file(path).lines)


def read_file_plumber_tables(path: Path) -> str:
    from ingest import readers_pdf

    readers_pdf.TABLE_FINDER = "pdfplumber"
    try:
        return read_file_text(path)
    finally:
        readers_pdf.TABLE_FINDER = "pdfium"


def parse_file_text(path: Path) -> int:
    from ingest.pipeline import parse_file

    return len(parse_file(path).documents)


EXTRACTORS = {
    "pdftotext (poppler)": pdftotext,
    "pypdfium2 get_text_range": pdfium_text,
    "pdfplumber extract_text": plumber_text,
    "ingest.readers.read_file": read_file_text,
    "read_file, pdfplumber tables": read_file_plumber_tables,
    "ingest.pipeline.parse_file": parse_file_text,
}


def page_count(paths: list[Path]) -> int:
    import pypdfium2 as pdfium

    return sum(len(pdfium.PdfDocument(str(p))) for p in paths)


def bench(sets: dict[str, list[Path]], repeats: int, skip: set[str]) -> dict:
    times: dict[tuple[str, str], list[float]] = {}
    chars: dict[tuple[str, str], int | str] = {}
    for _ in range(repeats):
        for name, fn in EXTRACTORS.items():
            for label, paths in sets.items():
                key = (name, label)
                if name in skip or chars.get(key) == "n/a":
                    chars[key] = chars.get(key, "skipped") if name in skip else "n/a"
                    continue
                try:
                    t0 = time.perf_counter()
                    outputs = [fn(p) for p in paths]
                    times.setdefault(key, []).append(time.perf_counter() - t0)
                    chars[key] = (f"{sum(outputs)} docs" if isinstance(outputs[0], int)
                                  else len("".join("".join(outputs).split())))
                except Exception as e:  # e.g. pipeline stages not written yet
                    chars[key] = "n/a"
                    print(f"  {name} on {label}: n/a ({type(e).__name__}: {e})", file=sys.stderr)
    return {"times": times, "chars": chars}


LAW_PDF_FILES = 17  # the first 17 浙江 regulations by name: 120 pages
CODE = ("ingest", "graph", "queries", "app_pages", "data", "cli.py", "cli_render.py", "app.py")


def law_pdf(corpus: Path, out: Path) -> Path:
    """A 120-page PDF of real regulations (markdown heading marks dropped), made once."""
    import docgen

    pdf = out / "lawrefbook-120p.pdf"
    if not pdf.exists():
        files = sorted((corpus / "浙江地方法规").glob("*.md"))[:LAW_PDF_FILES]
        lines = (re.sub(r"^#+\s*", "", ln) for f in files for ln in f.read_text(encoding="utf-8").splitlines())
        docgen.make_pdf("\n".join(lines), pdf, font="uming")
    return pdf


def code_copy(src: Path, dst: Path, bytecode: bool) -> Path:
    """The code of ``src`` in ``dst``: its bytecode compiled (as an install leaves it), or none."""
    shutil.rmtree(dst, ignore_errors=True)
    dst.mkdir(parents=True)
    for name in CODE:
        (shutil.copytree if (src / name).is_dir() else shutil.copy2)(
            src / name, dst / name, **({"ignore": shutil.ignore_patterns("__pycache__")} if (src / name).is_dir() else {}))
    if bytecode:
        subprocess.run([sys.executable, "-m", "compileall", "-q", *(str(dst / n) for n in CODE)], check=True,
                       stdout=subprocess.DEVNULL)
    return dst


def run_timed(argv: list[str], code: Path | None = None) -> dict:
    """``argv`` under GNU time: wall and CPU seconds (waited-for children included), load average."""
    env = dict(os.environ, PYTHONPATH=str(code or ROOT))
    if code is not None and not any(code.glob("ingest/__pycache__")):
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    load = os.getloadavg()[0]
    p = subprocess.run(["/usr/bin/time", "-f", "%e %U %S", *argv], cwd=code or ROOT, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    wall, user, system = map(float, p.stderr.strip().splitlines()[-1].split())
    return {"wall": wall, "cpu": user + system, "load": load}


def whole_process(corpus: Path, repeats: int, work: Path, before: Path | None) -> dict[str, list[dict]]:
    """parse PDF --json (bytecode cached / not, ``before``) and pdftotext, interleaved."""
    pdf = law_pdf(corpus, work)
    parse = [sys.executable, "-m", "cli", "parse", str(pdf), "--json"]
    variants = {"policygraph parse --json": code_copy(ROOT, work / "code", True),
                "same, no cached bytecode": code_copy(ROOT, work / "code-cold", False)}
    if before:
        variants["before (--before), bytecode cached"] = code_copy(before, work / "code-before", True)
    runs: dict[str, list[dict]] = {name: [] for name in [*variants, "pdftotext"]}
    for _ in range(repeats):
        for name, code in variants.items():
            runs[name].append(run_timed(parse, code))
        runs["pdftotext"].append(run_timed(["pdftotext", str(pdf), "/dev/null"]))
    pages = page_count([pdf])
    base = {k: statistics.median(r[k] for r in runs["pdftotext"]) for k in ("wall", "cpu")}
    print(f"\n{pages} pages; median of {repeats} interleaved runs")
    print("| command | wall s (median) | runs | × pdftotext | CPU s | × pdftotext CPU | load (1 min) |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
    for name, rs in runs.items():
        wall, cpu = (statistics.median(r[k] for r in rs) for k in ("wall", "cpu"))
        loads = [r["load"] for r in rs]
        walls = " / ".join(f"{w:.2f}" for w in sorted(r["wall"] for r in rs))
        print(f"| {name} | {wall:.2f} | {walls} | {wall / base['wall']:.1f} | {cpu:.2f} | {cpu / base['cpu']:.1f} | "
              f"{min(loads):.1f}-{max(loads):.1f} |")
    return runs


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--fonts", default="uming,noto")
    ap.add_argument("--keep", type=Path, help="generate/keep the PDFs here (reused when present)")
    ap.add_argument("--skip", default="", help="comma-separated extractor names to skip (e.g. pdfplumber)")
    ap.add_argument("--whole", type=Path, metavar="LAWREFBOOK", help="whole-process parse vs pdftotext (module doc)")
    ap.add_argument("--before", type=Path, help="with --whole: also time the code of this checkout")
    args = ap.parse_args(argv)
    if args.whole:
        work = args.keep or Path(tempfile.mkdtemp(prefix="bench_pdf_whole_"))
        work.mkdir(parents=True, exist_ok=True)
        whole_process(args.whole, args.repeats, work, args.before)
        return
    tmp = None
    if args.pdfs:
        sets = {"given": args.pdfs}
    else:
        out = args.keep or Path(tmp := tempfile.mkdtemp(prefix="bench_pdf_"))
        out.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        sets = make_corpus(out, args.fonts.split(","))
        print(f"generated/loaded {sum(map(len, sets.values()))} PDFs in {time.perf_counter() - t0:.1f} s ({out})")
    skip = {n for n in EXTRACTORS if any(s and s in n for s in args.skip.split(","))}
    pages = {label: page_count(paths) for label, paths in sets.items()}
    result = bench(sets, args.repeats, skip)
    times, chars = result["times"], result["chars"]
    labels = list(sets)
    print(f"\nmedian of {args.repeats} interleaved runs; pages: "
          + ", ".join(f"{lb} {pages[lb]} in {len(sets[lb])} files" for lb in labels))
    head = "| extractor | " + " | ".join(f"{lb} pages/s | x pdftotext | {lb} chars" for lb in labels) + " |"
    print(head)
    print("|" + " --- |" + " ---: | ---: | ---: |" * len(labels))
    for name in EXTRACTORS:
        cells = []
        for lb in labels:
            ts = times.get((name, lb))
            base = times.get(("pdftotext (poppler)", lb))
            if not ts:
                cells += ["n/a", "n/a", str(chars.get((name, lb), "n/a"))]
                continue
            med = statistics.median(ts)
            ratio = f"{med / statistics.median(base):.2f}" if base else "n/a"
            cells += [f"{pages[lb] / med:.1f}", ratio, str(chars[(name, lb)])]
        print(f"| {name} | " + " | ".join(cells) + " |")
    if tmp:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
