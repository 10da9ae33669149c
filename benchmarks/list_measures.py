"""Print every benefit Measure the pipeline extracts (and every non-benefit amount), for reading
by hand: document (type/class), provision, amounts as kind:value, beneficiary, purpose, tier
group, conditions and text. Not a benchmark: a QA listing.

    python benchmarks/list_measures.py [PATH ...]      (default: data/corpus)
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.pipeline import discover, parse_file  # noqa: E402
from ingest.extract.amounts import is_benefit  # noqa: E402
from queries.catalog import provision_measures  # noqa: E402


def main(paths: list[str]) -> None:
    n_measures = n_benefit = 0
    for f in discover(paths or ["data/corpus"]):
        for d in parse_file(f).documents:
            print(f"=== {d.id} [{d.doc_type}/{d.doc_class}] {d.title}  issuers={list(d.issuers)}")
            for p in d.walk():
                for m in provision_measures(p):
                    n_measures += 1
                    am = ", ".join(f"{a.kind}:{a.value_yuan if a.value_yuan is not None else a.ratio}" for a in m.amounts)
                    print(f"  {p.id} L{m.line} [{am}] who={m.beneficiary} what={m.purpose} tier={m.tier_group}")
                    print(f"      conds: " + "; ".join(f"{c.field}{c.op}{c.value}" for c in m.conditions))
                    print(f"      text: {m.text[:160]}")
                for a in p.amounts:
                    n_benefit += is_benefit(a)
                    if not is_benefit(a):
                        print(f"  {p.id} L{a.line} NONBENEFIT {a.kind}:{a.value_yuan} {a.text}")
    print(f"measures: {n_measures}; benefit amounts: {n_benefit}")


if __name__ == "__main__":
    main(sys.argv[1:])
