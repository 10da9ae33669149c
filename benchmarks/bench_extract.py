"""Extraction throughput over the whole seed corpus beside bare jieba.lcut, in the same run.

    python benchmarks/bench_extract.py [--runs 3] [--no-spacy]

Prints a table (median of the runs): seconds, MB/s (10^6 bytes of UTF-8 text) and throughput as a
multiple of jieba.lcut's (goal for the extract stage: >= 0.7x). Start-up costs (jieba dictionary,
spaCy pipeline build, rule loading) are warmed up first and reported separately.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import jieba  # noqa: E402

from ingest.extract import enrich, relations  # noqa: E402
from ingest.model import DocMeta, Para, Provision, Span  # noqa: E402

CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))
META = DocMeta(title=None, region="青岛市")


def _paras(path: Path) -> tuple[Para, ...]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(Para(t, t, i, i, None, ((0, i),)) for i, t in enumerate(lines, 1) if t.strip())


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-spacy", action="store_true")
    ap.add_argument("--pipeline", action="store_true", help="also time ingest.pipeline.parse_file with/without extract")
    args = ap.parse_args()

    docs = {p: _paras(p) for p in CORPUS}
    lines = [para.text for paras in docs.values() for para in paras]
    provisions = [Provision(f"L{para.line_start}", "paragraph", None, None, para.text,
                            Span(p.name, para.line_start, para.line_start), line_map=para.line_map)
                  for p, paras in docs.items() for para in paras]
    mb = sum(len(x.encode("utf-8")) for x in lines) / 1e6

    init = {"jieba dictionary": _timed(jieba.initialize),
            "rules (first enrich)": _timed(lambda: enrich(provisions[0], META))}

    def extract():
        for p in provisions:
            enrich(p, META)
        for paras in docs.values():
            relations(paras)

    steps = {"jieba.lcut per line (bare)": lambda: [jieba.lcut(x) for x in lines],
             "extract: enrich + relations (regex, default)": extract}
    if not args.no_spacy:
        from ingest.extract.nlp import get_nlp, spacy_mentions
        init["spaCy zh+jieba+span_ruler build"] = _timed(get_nlp)
        steps["spaCy zh+jieba+span_ruler, nlp.pipe(lines)"] = lambda: spacy_mentions(lines)
        steps["extract + spaCy phrases (rejected design)"] = lambda: (extract(), spacy_mentions(lines))
    if args.pipeline:
        from ingest.pipeline import parse_file
        steps["parse_file, extract=False"] = lambda: [parse_file(p, extract=False) for p in CORPUS]
        steps["parse_file, extract=True"] = lambda: [parse_file(p, extract=True) for p in CORPUS]

    times = {name: statistics.median(_timed(fn) for _ in range(args.runs)) for name, fn in steps.items()}
    base = times["jieba.lcut per line (bare)"]
    print(f"corpus: {len(CORPUS)} files, {len(lines)} paragraphs, {mb:.3f} MB; median of {args.runs} runs\n")
    print("| step | s | MB/s | throughput x jieba.lcut |")
    print("| --- | ---: | ---: | ---: |")
    for name, t in times.items():
        print(f"| {name} | {t:.3f} | {mb / t:.3f} | {base / t:.2f} |")
    print("\n| start-up (once per process) | s |\n| --- | ---: |")
    for name, t in init.items():
        print(f"| {name} | {t:.2f} |")


if __name__ == "__main__":
    main()
