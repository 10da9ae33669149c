"""Score the eligibility dev set (questions.yaml) on its real documents: tuned and held-out apart.

    python tests/eligibility_devset/score.py [-v]
"""
from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OFFERED = ("eligible", "possible")


def sources() -> list[Path]:
    """The fixtures: real policies of several provinces, with the shared 广州/天河 policies and the
    national 高企 办法 copied in (tests need nothing beside the repository)."""
    return sorted(p for p in (HERE / "fixtures").iterdir() if p.suffix in (".txt", ".md"))


@lru_cache(maxsize=1)
def catalog():
    from ingest.pipeline import parse_file
    from queries.catalog import build_catalog
    return build_catalog([d for f in sources() for d in parse_file(f).documents])


def questions() -> list[dict]:
    return yaml.safe_load((HERE / "questions.yaml").read_text(encoding="utf-8"))["questions"]


def answer(q: dict) -> dict:
    from queries.ask import answer as ask
    from queries.eligibility import eligibility
    day = str(q.get("as_of", "2026-11-30"))
    if "ask" in q:
        return ask(catalog(), q["ask"], as_of=day)
    return eligibility(catalog(), q["profile"], as_of=day)


def _matches(r: dict, e: dict) -> bool:
    return (e["doc"] in Path(r["document"]["source"]).name
            and e.get("text", "") in r["measure"]["text"]
            and ("max_yuan" not in e or r["benefit"]["max_yuan"] == e["max_yuan"]))


def check(res: dict, e: dict) -> str | None:
    """None when the answer shows what ``e`` expects, else what is wrong."""
    found = [r for r in res["results"] if _matches(r, e) and r["verdict"] in OFFERED]
    want = e["verdict"]
    if want == "absent":
        return None if not found else f"offered: {found[0]['verdict']} {found[0]['measure']['text'][:50]}"
    if not found:
        return "not offered"
    if want == "offered":
        return None
    bad = [r for r in found if r["verdict"] != want and not (
        want == "eligible" and r["deciding_fields"] == ["document_status"])]  # dates not in the text
    if bad:
        return f"{bad[0]['verdict']} (deciding {bad[0]['deciding_fields']}), expected {want}"
    if e.get("deciding") and any(e["deciding"] not in r["deciding_fields"] for r in found):
        return f"deciding {found[0]['deciding_fields']}, expected {e['deciding']}"
    return None


def score() -> dict:
    """{tuned: (right, total), held_out: (right, total), failures: [(id, problem)]}"""
    out = {"tuned": [0, 0], "held_out": [0, 0], "failures": []}
    for q in questions():
        res = answer(q)
        problems = [p for p in (check(res, e) for e in q["expect"]) if p]
        part = out["held_out" if q.get("held_out") else "tuned"]
        part[1] += 1
        part[0] += not problems
        if problems:
            out["failures"].append((q["id"], "; ".join(problems)))
    return out


def main() -> None:
    sys.path.insert(0, str(ROOT))
    s = score()
    for part in ("tuned", "held_out"):
        right, total = s[part]
        print(f"{part:<9} {right}/{total} right ({right / total:.0%})")
    for qid, problem in s["failures"]:
        print(f"  ✗ {qid}: {problem}")


if __name__ == "__main__":
    main()
