"""Golden snapshots: the `--json` answers on the bundled corpus — parse (each seed file), ask (the
README's question), status and eligibility (an example profile) as of a fixed date — compared with
tests/golden/*.json, so any change in an answer shows up as a diff to review.

After a deliberate change, write the new answers and review them like code:

    POLICYGRAPH_REGEN_GOLDEN=1 python -m pytest -p no:xdist -q tests/test_golden.py && git diff tests/golden

Volatile parts are normalised: the repository's own path (answers say ``data/corpus/…`` wherever
the checkout is), the temporary store's path and timings.
"""
from __future__ import annotations

import difflib
import json
import os
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT

GOLDEN = Path(__file__).resolve().parent / "golden"
REGENERATE = os.environ.get("POLICYGRAPH_REGEN_GOLDEN") == "1"
AS_OF = "2026-11-22"
QUESTION = "我们是青岛的高新技术企业，去年研发投入3000万元，比前年增长50%，能申请哪些补贴？"
VOLATILE = {"seconds"}  # timings: never the same twice

pytestmark = pytest.mark.slow  # ~15 s: the five seeds parsed and ingested, three queries


def normalised(obj, store: str = "\0"):
    """``obj`` with the repository's path and the store's path taken out, timings zeroed."""
    if isinstance(obj, dict):
        return {k: 0 if k in VOLATILE else normalised(v, store) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [normalised(v, store) for v in obj]
    if isinstance(obj, str):
        return obj.replace(store, "<store>").replace(f"{ROOT}/", "")
    return obj


def as_cli_json(obj) -> str:
    """The text `policygraph … --json` prints for ``obj`` (cli.py _emit_json)."""
    return json.dumps(obj, ensure_ascii=False, indent=1, default=str) + "\n"


def check(name: str, obj, store: str = "\0") -> None:
    path = GOLDEN / f"{name}.json"
    text = as_cli_json(normalised(json.loads(as_cli_json(obj)), store))
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no snapshot {path.name}: run with POLICYGRAPH_REGEN_GOLDEN=1 and review it"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = difflib.unified_diff(expected.splitlines(), text.splitlines(), f"golden/{path.name}", "now", lineterm="", n=2)
        pytest.fail(f"{name} changed (POLICYGRAPH_REGEN_GOLDEN=1 to accept, then review `git diff tests/golden`):\n"
                    + "\n".join(list(diff)[:60]), pytrace=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    from graph.ingesting import ingest_paths
    path = str(tmp_path_factory.mktemp("golden") / "store")
    summary = ingest_paths([CORPUS], path)
    assert summary["files"] == len(list(CORPUS.glob("*.txt"))) and not summary["errors"], summary["errors"]
    return path


@pytest.mark.parametrize("seed", sorted(p.name for p in CORPUS.glob("*.txt")))
def test_parse_snapshot(seed):
    from ingest.parsing import parse_files
    check(f"parse_{Path(seed).stem}", parse_files([CORPUS / seed]))


def test_ask_snapshot(store):
    from queries.ask import ask
    check("ask", ask(store, QUESTION, as_of=AS_OF), store)


def test_status_snapshot(store):
    from queries.status import status_for_store
    check("status", status_for_store(store, as_of=AS_OF), store)


def test_eligibility_snapshot(store):
    from queries.eligibility import eligibility_for_store, load_profile
    check("eligibility_qingdao_rd_firm", eligibility_for_store(store, load_profile("qingdao_rd_firm"), as_of=AS_OF), store)


def test_a_changed_answer_fails_with_its_diff(tmp_path, monkeypatch):
    """The comparison itself: a snapshot that differs by one value fails and shows that value."""
    monkeypatch.setattr(sys.modules[__name__], "GOLDEN", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "REGENERATE", False)
    (tmp_path / "x.json").write_text(as_cli_json({"max_yuan": 1000000, "seconds": 0}), encoding="utf-8")
    check("x", {"max_yuan": 1000000, "seconds": 3.2})  # timings do not count
    with pytest.raises(pytest.fail.Exception, match=r'(?s)-.*"max_yuan": 1000000.*\+.*"max_yuan": 1500000'):
        check("x", {"max_yuan": 1500000, "seconds": 0})
