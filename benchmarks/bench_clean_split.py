"""Time ingest.clean + ingest.split on the bundled corpus (median of N runs per file), then
ingest.clean alone on unpunctuated hard-wrapped files of 3,000 / 20,000 / 100,000 lines (one
paragraph: the case that was quadratic before clean_joins.Run; it must grow linearly).

    python benchmarks/bench_clean_split.py [N]
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ingest.clean import clean  # noqa: E402
from ingest.model import RawText  # noqa: E402
from ingest.split import split_documents  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def main(runs: int = 5) -> None:
    raws = []
    for path in sorted(CORPUS.glob("*.txt")):
        lines = tuple(path.read_text(encoding="utf-8").splitlines())
        raws.append((path, RawText(str(path), "txt", lines, (None,) * len(lines))))
    clean(raws[0][1])  # load rules and OpenCC once, outside the timings
    print(f"{'file':28} {'KB':>6} {'lines':>6} {'paras':>6} {'docs':>5} {'clean ms':>9} {'split ms':>9}")
    tot_c, tot_s, tot_kb = [], [], 0.0
    for path, raw in raws:
        tc, ts = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            tm = clean(raw)
            t1 = time.perf_counter()
            docs = split_documents(tm)
            t2 = time.perf_counter()
            tc.append(t1 - t0)
            ts.append(t2 - t1)
        kb = path.stat().st_size / 1024
        tot_kb += kb
        tot_c.append(statistics.median(tc))
        tot_s.append(statistics.median(ts))
        print(f"{path.name:28} {kb:6.0f} {len(raw.lines):6d} {len(tm.paras):6d} {len(docs):5d} "
              f"{tot_c[-1] * 1000:9.1f} {tot_s[-1] * 1000:9.1f}")
    print(f"{'total':28} {tot_kb:6.0f} {'':6} {'':6} {'':5} {sum(tot_c) * 1000:9.1f} {sum(tot_s) * 1000:9.1f}"
          f"   (clean+split {(sum(tot_c) + sum(tot_s)) * 1000:.0f} ms, median of {runs} runs per file)")


def unpunctuated(n: int) -> RawText:
    """``n`` lines of 40 CJK characters without punctuation: one hard-wrapped paragraph."""
    base = "坚持把科技创新摆在发展全局的核心位置推动全市创新发展力争到全社会研发经费超过亿元"
    lines = tuple(base[i % 20:] + base[:i % 20] for i in range(n))
    return RawText("unpunctuated.txt", "txt", lines, (None,) * n)


def long_paragraphs(runs: int = 3, sizes=(3_000, 20_000, 100_000)) -> None:
    print(f"\n{'unpunctuated file':28} {'lines':>8} {'paras':>6} {'clean ms':>9} {'us/line':>8}")
    for n in sizes:
        raw, times = unpunctuated(n), []
        for _ in range(runs):
            t0 = time.perf_counter()
            tm = clean(raw)
            times.append(time.perf_counter() - t0)
        t = statistics.median(times)
        print(f"{'':28} {n:8d} {len(tm.paras):6d} {t * 1000:9.1f} {t / n * 1e6:8.1f}")
    print(f"(median of {runs} runs)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
    long_paragraphs()
