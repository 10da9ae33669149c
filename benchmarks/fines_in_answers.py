"""Fines, fees and liability limits offered as benefits, over a real corpus: a table, not a test.

Ingests the corpus into a temporary store (the real pipeline, worker processes), then asks the
eligibility question for firms in several places and counts the results (eligible or possible)
whose measure is a fine, fee or liability limit — by the amounts' roles and by the words of the
shared before-stop check (罚款, 罚金, 收费, 赔偿 in the measure). Also: documents without a
jurisdiction, and results of a division the firm is not in.

    python benchmarks/fines_in_answers.py [CORPUS_DIR] [--workers N]
      (default: ../shared/corpus/lawrefbook, 985 local regulations of 山东, 浙江, 重庆)
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.places import gazetteer  # noqa: E402
from queries.catalog import catalog_for_store  # noqa: E402
from queries.eligibility import eligibility  # noqa: E402
from graph.ingesting import ingest_paths  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
WORDS = ("罚款", "罚金", "收费", "赔偿")  # the shared before-stop check's words
FIRMS = {
    "杭州高企": {"location": "浙江省杭州市", "entity_type": "enterprise", "qualifications": ["高新技术企业"]},
    "北京高企": {"location": "北京市", "entity_type": "enterprise", "qualifications": ["高新技术企业"]},
    "重庆渝北企业": {"location": "重庆市渝北区", "entity_type": "enterprise"},
    "济南企业": {"location": "山东省济南市", "entity_type": "enterprise"},
    "地点不明企业": {"entity_type": "enterprise"},
}


def bad_results(res: dict) -> tuple[int, int]:
    """(by role, by words) counts of fines/fees/liability limits among offered results."""
    offered = [r for r in res["results"] if r["verdict"] in ("eligible", "possible")]
    by_words = sum(any(w in json.dumps(r.get("measure"), ensure_ascii=False) for w in WORDS) for r in offered)
    return len(offered), by_words


def outside(res: dict, profile: dict) -> int:
    """Offered results of a document whose jurisdiction the firm is known not to be in."""
    if "location" not in profile:
        return 0
    g = gazetteer()
    firm = g.resolve(profile["location"])
    inside = {a.key for a in g.ancestors(firm.key)}
    n = 0
    for r in res["results"]:
        j = r["document"].get("jurisdiction")
        if r["verdict"] == "eligible" and j and j["key"] not in inside:
            n += 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus" / "lawrefbook"))
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        summary = ingest_paths([args.corpus], str(Path(tmp) / "store"), workers=args.workers)
        cat = catalog_for_store(str(Path(tmp) / "store"))
        t1 = time.perf_counter()
        no_j = sum(d.jurisdiction is None for d in cat.documents)
        levels: dict = {}
        for d in cat.documents:
            key = d.jurisdiction.level if d.jurisdiction else None
            levels[key] = levels.get(key, 0) + 1
        print(f"corpus {args.corpus}: {summary['documents']} documents, {len(summary['errors'])} file errors, "
              f"ingest {t1 - t0:.0f} s; jurisdictions by level {levels}; without one: {no_j}")
        print(f"{'firm':<14} {'offered':>8} {'fines/fees/limits':>18} {'outside its division':>21}")
        for name, prof in FIRMS.items():
            res = eligibility(cat, prof)
            offered, bad = bad_results(res)
            print(f"{name:<14} {offered:>8} {bad:>18} {outside(res, prof):>21}")


if __name__ == "__main__":
    main()
