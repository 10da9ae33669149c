"""Score parsing of real laws and regulations against LawRefBook's catalogue.

    python benchmarks/score_lawrefbook.py [--corpus ../shared/corpus/lawrefbook] [--workers 2]
                                          [--misses tuned|heldout|all|none] [--cli]

The corpus: one folder per province with Markdown files and ``metadata.sqlite3`` (table ``law``:
name, publish, valid_from, expired). Every 5th file of each province (sorted by name) is held out
from tuning; the table shows the whole set, the tuned part and the held-out part.

Figures (as of ``--as-of``, default 2026-11-22):

- articles exact: among the files whose ``第X条`` lines (line starts, body only) run 1..N (之一
  forms allowed), the share whose parsed article count equals the number of those lines.
- version exact / version ≤62d: ``issue_date`` equals the catalogue's ``publish`` date; or lies
  at most 62 days before it (a 设区的市 regulation is published by the city's 公告 some days after
  the province's 批准, a date the text often does not state).
- effective exact / ≤62d: ``effective.start`` against ``valid_from`` where the catalogue has one.
- latest in_force: catalogue ``expired = 0`` rows whose status is ``in_force``; … presumed: those
  in force with no effective date (the text states none: presumed in force a bounded time after
  its version date, queries.lineage.presumption); earlier displaced: ``expired = 1`` rows whose
  status is superseded, repealed or expired.
- file errors: files whose parse raised.

``--cli`` also ingests the whole set into a temporary store and runs every query command on it
(exit code and seconds of each).
"""
from __future__ import annotations

import argparse
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.patterns import cn_int  # noqa: E402

import os  # noqa: E402


def default_corpus() -> Path:
    """$POLICYGRAPH_LAWREFBOOK, else ../shared/corpus/lawrefbook beside the checkout (CI), else
    beside its parent (a worktree under wt/)."""
    if os.environ.get("POLICYGRAPH_LAWREFBOOK"):
        return Path(os.environ["POLICYGRAPH_LAWREFBOOK"])
    cands = [base / "shared" / "corpus" / "lawrefbook" for base in (ROOT.parent, ROOT.parent.parent)]
    return next((c for c in cands if c.is_dir()), cands[0])


DEFAULT_CORPUS = default_corpus()
AS_OF = date(2026, 11, 22)
NEAR_DAYS = 62
HOLDOUT_EVERY = 5
_ARTICLE_LINE = re.compile(r"^\s*第\s*([一二三四五六七八九十百千零〇两\d\s]+?)\s*条(之[一二三四五六七八九十]+)?(?:\s|　|$)")


@dataclass
class Row:
    path: Path
    province: str
    name: str
    publish: date | None
    valid_from: date | None
    expired: bool
    heldout: bool = False
    truth_articles: int | None = None  # None: numbering not 1..N in the text
    got: dict = field(default_factory=dict)


def _day(s) -> date | None:
    try:
        return date.fromisoformat(s) if s else None
    except ValueError:
        return None


def catalogue(corpus: Path) -> list[Row]:
    """Every catalogue row with its file; every ``HOLDOUT_EVERY``-th file of a province held out."""
    rows = []
    for prov in sorted(p for p in corpus.iterdir() if (p / "metadata.sqlite3").exists()):
        con = sqlite3.connect(f"file:{prov / 'metadata.sqlite3'}?mode=ro", uri=True)
        found = []
        for name, pub, vf, expired in con.execute("SELECT name, publish, valid_from, expired FROM law"):
            f = prov / f"{name}({pub}).md"
            if not f.exists():
                f = prov / f"{name}.md"
            if f.exists():
                found.append(Row(f, prov.name, name, _day(pub), _day(vf), bool(expired)))
        con.close()
        found.sort(key=lambda r: r.path.name)
        for i, r in enumerate(found):
            r.heldout = i % HOLDOUT_EVERY == HOLDOUT_EVERY - 1
        rows += found
    return rows


def catalogue_json(path: Path) -> list[Row]:
    """Rows of a sample copied with its catalogue rows (tests/fixtures/lawrefbook/catalogue.json)."""
    import json
    rows = []
    for c in json.loads(path.read_text(encoding="utf-8")):
        f = path.parent / c["file"]
        rows.append(Row(f, f.parent.name, c["name"], _day(c["publish"]), _day(c["valid_from"]), bool(c["expired"]),
                        bool(c.get("heldout"))))
    return rows


def article_truth(text: str) -> int | None:
    """The number of 第X条 lines of a body when their numbers run 1..N (之一 forms may follow
    their base article), else None.

    >>> article_truth("# T\\n第一条 a\\n第二条 b\\n第二条之一 c\\n第三条 d")
    4
    >>> article_truth("第一条 a\\n第三条 b") is None
    True
    """
    body = text.split("<!-- INFO END -->", 1)[-1]
    nums, count = [], 0
    for line in body.splitlines():
        m = _ARTICLE_LINE.match(line)
        if not m:
            continue
        n = cn_int(re.sub(r"\s", "", m.group(1)))
        if n is None:
            return None
        count += 1
        if not m.group(2):
            nums.append(n)
    return count if nums and nums == list(range(1, len(nums) + 1)) else None


def _parse(path: str, name_dates: bool = True) -> dict:
    from ingest.pipeline import parse_file
    try:
        pf = parse_file(path, name_dates=name_dates)
    except Exception as e:  # noqa: BLE001 — a file error is a figure here
        return {"error": f"{type(e).__name__}: {e}"}
    return {"documents": pf.documents, "warnings": pf.warnings}


def parse_all(rows: list[Row], workers: int, name_dates: bool = True) -> dict[str, dict]:
    paths = [str(r.path) for r in rows]
    parse = partial(_parse, name_dates=name_dates)
    if workers <= 1:
        return {p: parse(p) for p in paths}
    with Pool(workers) as pool:
        return dict(zip(paths, pool.map(parse, paths, chunksize=4)))


def _status(parsed: dict[str, dict], as_of: date) -> dict[str, tuple[str, bool]]:
    """id → (status, whether it is in force only by presumption: no 施行 date in the text)."""
    from queries.catalog import build_catalog
    from queries.status import status_map
    docs = [d for res in parsed.values() for d in res.get("documents", ())]
    cat = build_catalog(docs)
    smap = status_map(cat, as_of)
    return {d.id: (smap[d.id]["status"], smap[d.id]["effective_start"] is None and smap[d.id]["status"] == "in_force")
            for d in docs}


def _near(got: date | None, want: date | None) -> bool:
    return bool(got and want and 0 <= (want - got).days <= NEAR_DAYS)


def judge(rows: list[Row], parsed: dict[str, dict], as_of: date) -> None:
    """Fill ``row.got`` with what was parsed and each figure's verdict."""
    status = _status(parsed, as_of)
    for r in rows:
        res = parsed[str(r.path)]
        g = r.got
        g["error"] = res.get("error")
        r.truth_articles = article_truth(r.path.read_text(encoding="utf-8"))
        if g["error"]:
            continue
        docs = res["documents"]
        main = max(docs, key=lambda d: sum(1 for _ in d.walk()))
        g["articles"] = sum(1 for d in docs for p in d.walk() if p.kind == "article")
        g["issue_date"], g["start"] = main.issue_date, main.validity.start
        g["status"], g["presumed"] = status.get(main.id, (None, False))
        g["revisions"] = len(main.revisions)


def _head(r: Row) -> str:
    return r.path.read_text(encoding="utf-8").split("<!-- INFO END -->")[0]


def _cause_version(r: Row) -> str:
    g, dates = r.got, sorted(_iso_dates(_head(r)))
    if g["issue_date"] is None:
        return "no issue date"
    if dates and g["issue_date"].isoformat() == dates[-1] and g["issue_date"] > r.publish:
        return "catalogue older than the text (the text states a later revision)"
    if r.publish.isoformat() not in dates:
        return "publish date not in the text" + (" (text older)" if g["issue_date"] < r.publish else " (text newer)")
    return "wrong date chosen"


def _iso_dates(text: str) -> set[str]:
    from ingest.dates import DATE_RX, parse_date
    return {d.isoformat() for m in DATE_RX.finditer(text) if (d := parse_date(m.group(0)))}


def _cause_effective(r: Row) -> str:
    g = r.got
    text = r.path.read_text(encoding="utf-8")
    if not _STATES_START.search(text):
        return "the text states no 施行 (truncated text)"
    if g["start"] is None:
        return "no effective date"
    revised = [d for d in _iso_dates(_head(r)) if d > r.valid_from.isoformat()]
    if g["start"] > r.valid_from and g["start"].isoformat() in revised:
        return "catalogue gives the original's 施行 date; this version's revision is later (by design)"
    if r.valid_from.isoformat() not in _iso_dates(text):
        return "valid_from not in the text" + (" (公布之日起)" if re.search(r"自\S{0,4}公布之日起施行", text) else "")
    said = [m.group(0) for m in re.finditer(r"本[^。\n]{0,8}自[^。\n]{0,20}?施行", text)]
    if r.valid_from == r.publish and said and r.valid_from.isoformat() not in _iso_dates(" ".join(said)):
        return f"catalogue valid_from = publish, the text says {said[-1]}"
    return "wrong date chosen"


FIGURES = ("files", "file errors", "articles exact", "version exact", "version exact, date in text",
           f"version ≤{NEAR_DAYS}d", "effective exact", "effective exact, text states it", f"effective ≤{NEAR_DAYS}d",
           "latest in_force", "latest in_force, presumed", "earlier displaced")
# The text states when it takes effect: 本条例自…起施行 / 自公布之日起施行 / a history line …日 施行.
_STATES_START = re.compile(r"本(?:法|[\u4e00-\u9fff]{0,4}?(?:条例|规定|办法|细则|规则|解释|决定|意见))[^。；\n]{0,6}?自"
                           r"[^。；\n]{0,30}?(?:施行|实施|生效)|^\s*[（(]?\d{4}年\d{1,2}月\d{1,2}日\s*(?:起)?施行", re.M)


def figures(rows: list[Row]) -> dict[str, tuple[int, int]]:
    """figure → (hits, out of)."""
    ok = [r for r in rows if not r.got.get("error")]
    art = [r for r in ok if r.truth_articles is not None]
    ver = [r for r in ok if r.publish]
    ver_text = [r for r in ver if r.publish.isoformat() in _iso_dates(_head(r))]
    eff = [r for r in ok if r.valid_from]
    eff_text = [r for r in eff if _STATES_START.search(r.path.read_text(encoding="utf-8"))]
    latest, earlier = [r for r in ok if not r.expired], [r for r in ok if r.expired]
    return {
        "files": (len(rows), len(rows)),
        "file errors": (len(rows) - len(ok), len(rows)),
        "articles exact": (sum(r.got["articles"] == r.truth_articles for r in art), len(art)),
        "version exact": (sum(r.got["issue_date"] == r.publish for r in ver), len(ver)),
        "version exact, date in text": (sum(r.got["issue_date"] == r.publish for r in ver_text), len(ver_text)),
        f"version ≤{NEAR_DAYS}d": (sum(_near(r.got["issue_date"], r.publish) for r in ver), len(ver)),
        "effective exact": (sum(r.got["start"] == r.valid_from for r in eff), len(eff)),
        "effective exact, text states it": (sum(r.got["start"] == r.valid_from for r in eff_text), len(eff_text)),
        f"effective ≤{NEAR_DAYS}d": (sum(_near(r.got["start"], r.valid_from) for r in eff), len(eff)),
        "latest in_force": (sum(r.got["status"] == "in_force" for r in latest), len(latest)),
        "latest in_force, presumed": (sum(r.got["presumed"] for r in latest), len(latest)),
        "earlier displaced": (sum(r.got["status"] in ("superseded", "repealed", "expired") for r in earlier),
                              len(earlier)),
    }


def misses(rows: list[Row]) -> dict[str, Counter]:
    """figure → cause → count, with up to 3 example files per cause (in ``examples``)."""
    out: dict[str, Counter] = defaultdict(Counter)
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in rows:
        g = r.got
        if g.get("error"):
            key = ("file errors", g["error"][:80])
        else:
            key = None
        found = []
        if key:
            found.append(key)
        else:
            if r.truth_articles is not None and g["articles"] != r.truth_articles:
                found.append(("articles exact", "one lost" if g["articles"] == r.truth_articles - 1 else
                              ("lost" if g["articles"] < r.truth_articles else "extra")))
            if r.publish and not _near(g["issue_date"], r.publish):
                found.append((f"version ≤{NEAR_DAYS}d", _cause_version(r)))
            if r.valid_from and g["start"] != r.valid_from:
                found.append(("effective exact", _cause_effective(r)))
            if not r.expired and g["status"] != "in_force":
                found.append(("latest in_force", f"status {g['status']}"))
            if r.expired and g["status"] not in ("superseded", "repealed", "expired"):
                found.append(("earlier displaced", f"status {g['status']}"))
        for fig, cause in found:
            out[fig][cause] += 1
            if len(examples[fig, cause]) < 3:
                examples[fig, cause].append(f"{r.path.parent.name}/{r.path.name} (got {_got(fig, g)})")
    out["examples"] = examples  # type: ignore[assignment]
    return out


def _got(fig: str, g: dict) -> str:
    if fig.startswith("articles"):
        return str(g.get("articles"))
    if fig.startswith("version"):
        return str(g.get("issue_date"))
    if fig.startswith("effective"):
        return str(g.get("start"))
    return str(g.get("status") or g.get("error"))


def _pct(hit: int, n: int) -> str:
    return f"{100 * hit / n:5.1f}% ({hit}/{n})" if n else "n/a"


def print_table(parts: dict[str, list[Row]]) -> None:
    figs = {name: figures(rows) for name, rows in parts.items()}
    print("| figure | " + " | ".join(parts) + " |")
    print("|---|" + "---|" * len(parts))
    for f in FIGURES:
        cells = []
        for name in parts:
            hit, n = figs[name][f]
            cells.append(str(hit) if f in ("files", "file errors") else _pct(hit, n))
        print(f"| {f} | " + " | ".join(cells) + " |")


def print_misses(rows: list[Row], label: str) -> None:
    out = misses(rows)
    examples = out.pop("examples")
    print(f"\nMisses by cause ({label}):")
    for fig in FIGURES:
        if fig not in out:
            continue
        print(f"  {fig}:")
        for cause, n in out[fig].most_common():
            print(f"    {n:4d}  {cause}: " + "; ".join(examples[fig, cause]))


COMMANDS = (["status", "--json"], ["overlaps", "--json"], ["search", "条例", "--json"], ["stats", "--json"],
            ["ask", "我们是浙江省杭州市的高新技术企业，有哪些支持政策？", "--json"],
            ["eligibility", "--profile", str(ROOT / "data" / "profiles" / "qingdao_rd_firm.json"), "--json"],
            ["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"])


def run_cli(corpus: Path, as_of: date) -> None:
    """Ingest the whole set into a temporary store, then run every query command on it."""
    with tempfile.TemporaryDirectory() as tmp:
        store = f"{tmp}/store"
        base = [sys.executable, str(ROOT / "cli.py")]
        print("\n| command | exit | seconds |\n|---|---|---|")
        for cmd in (["ingest", str(corpus), "--workers", "2", "--json"], *COMMANDS,
                    ["export", "--format", "ttl", "-o", f"{tmp}/g.ttl"]):
            extra = ["--as-of", as_of.isoformat()] if cmd[0] in ("status", "overlaps", "ask", "eligibility") else []
            t = time.perf_counter()
            p = subprocess.run(base + cmd + ["--store", store] + extra, capture_output=True, text=True)
            print(f"| {cmd[0]} | {p.returncode} | {time.perf_counter() - t:.1f} |")
            if p.returncode:
                print("    " + (p.stderr.strip().splitlines() or ["?"])[-1][:200])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--as-of", type=date.fromisoformat, default=AS_OF)
    ap.add_argument("--misses", choices=("tuned", "heldout", "all", "none"), default="tuned")
    ap.add_argument("--text-only", action="store_true",
                    help="ignore dates in file names (LawRefBook names files by the catalogue's publish date)")
    ap.add_argument("--cli", action="store_true", help="also ingest the set and run every query command")
    args = ap.parse_args()
    rows = catalogue(args.corpus)
    t = time.perf_counter()
    parsed = parse_all(rows, args.workers, name_dates=not args.text_only)
    judge(rows, parsed, args.as_of)
    print(f"{len(rows)} files parsed and scored in {time.perf_counter() - t:.0f} s (as of {args.as_of})\n")
    print_table({"whole": rows, "tuned": [r for r in rows if not r.heldout],
                 "held-out": [r for r in rows if r.heldout]})
    if args.misses != "none":
        pick = {"tuned": lambda r: not r.heldout, "heldout": lambda r: r.heldout, "all": lambda r: True}[args.misses]
        print_misses([r for r in rows if pick(r)], args.misses)
    if args.cli:
        run_cli(args.corpus, args.as_of)


if __name__ == "__main__":
    main()
