"""App time to first answer, in a real headless Chromium (Debian /usr/bin/chromium).

For each run: start `streamlit run app.py` on a free loopback port and measure
  up      — process start → health endpoint answers
  page    — → the eligibility form is rendered (cold: includes the first-start ingest)
  answer  — form submitted → the R&D increment subsidy card is shown
  again   — a second query in the same session
Cold runs start on an empty store, warm runs reuse the store of the cold run.
Prints a table of medians over --runs (default 3).

    python benchmarks/bench_app.py --runs 3
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from test_app_e2e import ARGS, CHROMIUM, fill_rd_firm, free_port, idle, wait_http  # noqa: E402


def one_run(store: Path) -> dict:
    from playwright.sync_api import sync_playwright
    port = free_port()
    env = dict(os.environ, POLICYGRAPH_STORE=str(store))
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true",
                             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, text=True)
    try:
        wait_http(f"http://127.0.0.1:{port}/_stcore/health", proc)
        up = time.monotonic() - t0
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(120_000)
            page.goto(f"http://127.0.0.1:{port}")
            page.get_by_text("查询可申请政策").wait_for()
            idle(page, 120_000)
            ready = time.monotonic() - t0
            fill_rd_firm(page)
            card = page.locator('[class*="st-key-card_"]').filter(has_text="增量").filter(has_text="100万元").first
            t1 = time.monotonic()
            page.get_by_role("button", name="查询可申请政策").click()
            card.wait_for()
            answer = time.monotonic() - t1
            idle(page)
            t2 = time.monotonic()
            page.get_by_role("button", name="查询可申请政策").click()
            idle(page)
            card.wait_for()
            again = time.monotonic() - t2
            browser.close()
        return {"up": up, "page": ready, "answer": answer, "again": again, "first answer": ready + answer}
    finally:
        proc.terminate()
        proc.wait(10)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing")
    rows = {"cold": [], "warm": []}
    for _ in range(a.runs):
        with tempfile.TemporaryDirectory() as d:
            store = Path(d) / "store"
            rows["cold"].append(one_run(store))
            rows["warm"].append(one_run(store))
    keys = ["up", "page", "answer", "again", "first answer"]
    print(f"{'start':<6}" + "".join(f"{k:>14}" for k in keys) + f"   (median of {a.runs} runs, seconds)")
    for kind, rs in rows.items():
        print(f"{kind:<6}" + "".join(f"{statistics.median(r[k] for r in rs):>14.2f}" for k in keys))


if __name__ == "__main__":
    main()
