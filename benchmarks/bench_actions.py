"""Action features on real text: application-window extraction, 政策月历, watch check, reports.

    python benchmarks/bench_actions.py [--repeat 3] [--lawrefbook N]

Prints a table of medians over ``--repeat`` runs (seconds): windows read over every provision of N
real regulations (../shared/corpus/lawrefbook, parsed once beforehand) and of the notices in
tests/fixtures/notices; then on a store of the bundled corpus plus those notices: ``calendar`` for a
year, ``watch check`` of one saved profile, and the report of data/profiles/qingdao_rd_firm.json as
DOCX and as PDF (the PDF embeds a subset of Noto Sans CJK SC: fontTools subsetting dominates).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.extract.windows import find_windows  # noqa: E402
from ingest.pipeline import parse_file  # noqa: E402


def _median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--lawrefbook", type=int, default=150)
    args = ap.parse_args()
    shared = next((p for p in (ROOT.parent / "shared", ROOT.parents[1] / "shared") if p.is_dir()), ROOT.parent / "shared")
    law = sorted((shared / "corpus" / "lawrefbook").glob("*/*.md"))[::6][:args.lawrefbook]
    notices = sorted((ROOT / "tests" / "fixtures" / "notices").glob("*/*.txt"))
    rows = []
    for label, files in (("windows: lawrefbook regulations", law), ("windows: notices", notices)):
        provs = [(p, d) for f in files for d in parse_file(str(f)).documents for p in d.walk()]
        sec = _median(lambda: [find_windows(p.text, lambda o: 1, d.issue_date) for p, d in provs], args.repeat)
        rows.append((f"{label} ({len(files)} files, {len(provs)} provisions)", sec, f"{sec / max(len(provs), 1) * 1e6:.1f} µs/provision"))
    from queries.calendar import calendar
    from queries.catalog import catalog_for_store
    from graph.ingesting import ingest_paths
    from queries.report import report_data
    from app_pages.views_report import report_bytes
    from queries.watch import add_watch, check_watches
    with tempfile.TemporaryDirectory() as tmp:
        store = str(Path(tmp) / "store")
        ingest_paths([ROOT / "data" / "corpus", *notices], store)
        cat = catalog_for_store(store)
        profile = json.loads((ROOT / "data" / "profiles" / "qingdao_rd_firm.json").read_text(encoding="utf-8"))
        add_watch(store, "bench", profile)
        rows.append(("calendar, one year, all documents", _median(lambda: calendar(cat, "2025-01-01", "2025-12-31"), args.repeat), ""))
        rows.append(("calendar, one year, --profile", _median(lambda: calendar(cat, "2025-01-01", "2025-12-31", profile), args.repeat), ""))
        rows.append(("watch check (one profile)", _median(lambda: check_watches(store, "2025-06-01"), args.repeat), ""))
        data = report_data(cat, profile, "2025-06-01")
        for fmt in ("docx", "pdf"):
            size = len(report_bytes(data, fmt))
            rows.append((f"report {fmt} ({len(data['measures'])} measures)",
                         _median(lambda: report_bytes(data, fmt), args.repeat), f"{size / 1024:.0f} KiB"))
    width = max(len(r[0]) for r in rows)
    print(f"{'what':<{width}}  {'median s':>9}  note")
    for what, sec, note in rows:
        print(f"{what:<{width}}  {sec:>9.3f}  {note}")


if __name__ == "__main__":
    main()
