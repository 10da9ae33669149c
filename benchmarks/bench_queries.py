"""Answers-layer benchmarks: eligibility latency, near-duplicate clause detection time and recall.

    python benchmarks/bench_queries.py                 # corpus + 10k documents + 10k/100k clauses
    python benchmarks/bench_queries.py --quick         # corpus + 2k documents + 10k clauses
    python benchmarks/bench_queries.py --clauses 10000 25000 --repeats 3

Prints tables (medians of --repeats runs). Goals (issue 6): eligibility < 200 ms on a 10k-document
catalog; overlaps ≤ 60 s at 100k clauses with recall ≥ 95 % of the all-pairs answer. At 100k the
all-pairs oracle (~75 min) is replaced by an exact scan for a random sample of clauses.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.model import (AgencyMention, Amount, Condition, Document, Measure, Provision,  # noqa: E402
                          Span, Validity)
from queries import neardup as ov  # noqa: E402
from queries.catalog import build_catalog  # noqa: E402
from queries.eligibility import eligibility  # noqa: E402

PROFILE = {"region": "青岛市", "entity_type": "enterprise", "qualifications": ["高新技术企业"],
           "rd_expense": 30_000_000, "rd_expense_prev": 20_000_000, "rd_increment_rank": 12,
           "revenue": 300_000_000}
AS_OF = "2026-11-22"


def median_time(fn, repeats: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


# ---- synthetic catalog --------------------------------------------------------------------------

QUALS = ["高新技术企业", "科技型中小企业", "专精特新", "瞪羚企业"]
BENEFICIARIES = ["企业", "高新技术企业", "科技型中小企业", "高校", "医疗机构", "新型研发机构", "创投机构", "人才"]
PURPOSES = ["研发投入奖补", "平台建设奖补", "成果转化奖励", "贷款贴息", "人才引进补贴", "上市奖励"]


def synthetic_documents(n: int, seed: int = 3) -> list[Document]:
    """n documents of 3-8 provisions with 1-4 measures each (conditions, amounts, formulas,
    tiers), varied regions, dates and validity."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        src = f"syn_{i // 100}.txt"
        start = date(2015 + rng.randrange(11), 1 + rng.randrange(12), 1 + rng.randrange(28))
        end = date(start.year + rng.choice([2, 3, 5]), start.month, start.day) if rng.random() < 0.7 else None
        provs = []
        for k in range(rng.randint(3, 8)):
            line = 10 + 10 * k
            measures = []
            tiered = rng.random() < 0.15
            for t in range(rng.randint(1, 4)):
                lo = rng.choice([5, 10, 50, 100, 500]) * 1_000_000 * (t + 1)
                conds = [Condition("rd_expense", "between", (lo, lo * 5), "yuan", f"研发投入{lo}元以上", line)]
                if rng.random() < 0.6:
                    conds.append(Condition("rd_growth", ">=", rng.choice([0.08, 0.15, 0.2, 0.3]), "ratio", "增长", line))
                if rng.random() < 0.4:
                    conds.append(Condition("qualifications", "has", rng.choice(QUALS), None, "资质", line))
                if rng.random() < 0.2:
                    conds.append(Condition("new_arrival", "is", True, None, "新引进", line))
                cap = rng.choice([10, 30, 50, 100, 150, 200, 500, 1000]) * 10_000
                measures.append(Measure(
                    text=f"第{t + 1}项措施，给予最高{cap // 10000}万元", conditions=tuple(conds),
                    amounts=(Amount(f"最高{cap // 10000}万元", cap, "cap", None, None, line),),
                    benefit_formula=f"min(0.10 * rd_increment, {cap})" if rng.random() < 0.5 else None,
                    beneficiary=rng.choice(BENEFICIARIES), purpose=rng.choice(PURPOSES), line=line,
                    tier_group=f"g{k}" if tiered else None))
            provs.append(Provision(id=f"art_{k + 1}", kind="article", label=f"第{k + 1}条", heading=None,
                                   text="；".join(m.text for m in measures), span=Span(src, line, line + 5),
                                   measures=tuple(measures),
                                   agencies=(AgencyMention("青岛市科学技术局", "市科技局", "responsible"),)))
        docs.append(Document(id=f"syn:{i:06d}", title=f"合成政策文件{i}", doc_type="办法",
                             issuers=(rng.choice(["青岛市人民政府", "青岛市科学技术局", "济南市人民政府"]),),
                             doc_number=None, issue_date=start, validity=Validity(start, end, "施行", 1),
                             span=Span(src, 1, 100), provisions=tuple(provs),
                             region=rng.choice(["青岛市", "青岛市", "济南市", None])))
    return docs


def bench_eligibility(label: str, cat, repeats: int) -> list:
    cold, res = median_time(lambda: eligibility(cat, PROFILE, AS_OF), 1)
    warm, res = median_time(lambda: eligibility(cat, PROFILE, AS_OF), repeats)
    n_measures = len(cat.memo["measures"])
    return [label, len(cat.documents), n_measures, f"{cold * 1000:.0f}", f"{warm * 1000:.0f}", len(res["results"])]


# ---- synthetic clauses --------------------------------------------------------------------------

def synthetic_clauses(n: int, seed: int = 11, dup_share: float = 0.3) -> list[str]:
    """n clauses: new ones spliced from 1-3 corpus sentences, and (dup_share) copies of earlier
    clauses with 1-3 character edits (substitution, insertion, deletion)."""
    import re
    rng = random.Random(seed)
    sents = sorted({s.strip() for f in sorted((ROOT / "data" / "corpus").glob("*.txt"))
                    for s in re.split(r"(?<=[。；])", f.read_text(encoding="utf-8")) if 8 <= len(s.strip()) <= 200})
    alphabet = "".join(sorted(set("".join(sents))))
    out = []
    for _ in range(n):
        if out and rng.random() < dup_share:
            t = list(rng.choice(out))
            for _ in range(rng.randint(1, 3)):
                k = rng.randrange(len(t))
                op = rng.random()
                if op < 0.5:
                    t[k] = rng.choice(alphabet)
                elif op < 0.75:
                    t.insert(k, rng.choice(alphabet))
                elif len(t) > 1:
                    del t[k]
            out.append("".join(t))
        else:
            out.append("".join(rng.choice(sents) for _ in range(rng.randint(1, 3))))
    return out


def sampled_recall(texts, found: set, sample: int, min_similarity: float, seed: int = 5) -> tuple[float, int]:
    """Recall of ``found`` on the exact pairs of a random sample of clauses (exact scan of each
    sampled clause against all others)."""
    from rapidfuzz import fuzz, process
    rng = random.Random(seed)
    forms = [ov.match_form(t) for t in texts]
    idx = rng.sample(range(len(texts)), min(sample, len(texts)))
    m = process.cdist([forms[i] for i in idx], forms, scorer=fuzz.ratio, score_cutoff=min_similarity * 100,
                      dtype=np.uint8, workers=1)
    truth = set()
    for row, i in enumerate(idx):
        for j in np.flatnonzero(m[row]).tolist():
            if j != i:
                truth.add((min(i, j), max(i, j)))
    if not truth:
        return 1.0, 0
    return len(truth & found) / len(truth), len(truth)


def bench_overlaps(n: int, repeats: int, threshold: float, oracle_limit: int, sample: int) -> list:
    texts = synthetic_clauses(n)
    t, found = median_time(lambda: ov.near_duplicates(texts, threshold), repeats)
    pairs = {(i, j) for i, j, _ in found}
    t_sig, _ = median_time(lambda: ov.minhash_signatures([ov.match_form(x) for x in texts]), 1)
    if n <= oracle_limit:
        t_all, oracle = median_time(lambda: ov.all_pairs(texts), 1)
        recall, truth = len(pairs & oracle) / max(len(oracle), 1), len(oracle)
        how = f"all pairs ({t_all:.1f} s)"
    else:
        recall, truth = sampled_recall(texts, pairs, sample, ov.MIN_SIMILARITY)
        how = f"sample of {sample}"
    return [n, f"{t:.2f}", f"{t_sig:.2f}", len(pairs), truth, f"{recall:.3f}", how]


def calibration() -> float:
    """Seconds for a fixed pure-Python loop: how busy the (shared) machine is right now."""
    t = time.perf_counter()
    sum(i * i for i in range(2_000_000))
    return time.perf_counter() - t


def table(title: str, header: list, rows: list) -> None:
    print(f"\n{title}\n| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    for r in rows:
        print("| " + " | ".join(str(x) for x in r) + " |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--docs", type=int, nargs="*", default=None)
    ap.add_argument("--clauses", type=int, nargs="*", default=None)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--sample", type=int, default=300)
    args = ap.parse_args()
    docs = args.docs if args.docs is not None else ([2000] if args.quick else [10000])
    clauses = args.clauses if args.clauses is not None else ([10000] if args.quick else [10000, 100000])

    rows = []
    try:
        from queries.catalog import catalog_from_paths
        t, cat = median_time(lambda: catalog_from_paths([ROOT / "data" / "corpus"]), 1)
        rows.append(bench_eligibility(f"seed corpus (parsed in {t:.1f} s)", cat, args.repeats))
    except Exception as e:  # the pipeline is someone else's: report, go on
        rows.append([f"seed corpus: {type(e).__name__}: {e}", "", "", "", "", ""])
    for n in docs:
        cat = build_catalog(synthetic_documents(n))
        rows.append(bench_eligibility("synthetic", cat, args.repeats))
    import os
    table(f"eligibility (median of {args.repeats}; cold = first query incl. indexing; load average "
          f"{os.getloadavg()[0]:.1f}, calibration loop {calibration():.2f} s)",
          ["catalog", "documents", "measures", "cold ms", "warm ms", "results"], rows)

    rows = [bench_overlaps(n, args.repeats if n <= 20000 else 1, args.threshold, 12000, args.sample)
            for n in clauses]
    b, r = ov.lsh_params(args.threshold)
    table(f"near-duplicate clauses (LSH threshold {args.threshold}: {b} bands × {r} rows, "
          f"exact check rapidfuzz ratio ≥ {ov.MIN_SIMILARITY})",
          ["clauses", "total s", "minhash s", "pairs found", "true pairs", "recall", "recall measured on"], rows)


if __name__ == "__main__":
    main()
