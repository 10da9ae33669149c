"""Saved profiles (`policygraph watch`): a new notice's award is reported once and only once,
kept beside an embedded store and in a named graph of a real Virtuoso."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from conftest import ROOT, seed
from test_virtuoso import virtuoso  # noqa: F401  (the real Virtuoso fixture)

POLICIES = ROOT / "tests" / "fixtures" / "guangzhou"
NEW_NOTICE = "county_guangzhou-tianhe_gangao-qingnian-chuangye_2023.txt"
runner = CliRunner()


def run(*args, code: int = 0) -> dict:
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == code, res.output
    return json.loads(res.stdout) if code == 0 else {"output": res.output}


def _corpus(tmp_path) -> tuple[Path, Path]:
    """The Guangzhou policies but one in a folder; that one apart, to arrive later."""
    old, new = tmp_path / "corpus", tmp_path / "new"
    old.mkdir(), new.mkdir()
    for f in POLICIES.glob("*.txt"):
        shutil.copy(f, (new if f.name == NEW_NOTICE else old) / f.name)
    return old, new


def _check(store: str, as_of: str = "2025-01-01") -> dict:
    return {w["name"]: w for w in run("watch", "check", "--store", store, "--as-of", as_of)["watches"]}


def test_a_new_notice_award_is_reported_once_and_only_once(tmp_path):
    old, new = _corpus(tmp_path)
    store = str(tmp_path / "store")
    run("ingest", str(old), "--store", store)
    prof = tmp_path / "firm.json"
    prof.write_text(json.dumps({"region": "广州市", "entity_type": "enterprise"}), encoding="utf-8")
    assert run("watch", "add", "广州企业", "--profile", str(prof), "--store", store)["kind"] == "profile"
    first = _check(store)["广州企业"]
    assert first["first_check"] and first["new"] and len(first["new"]) == first["applicable"]
    assert NEW_NOTICE not in {Path(r["document"]["source"]).name for r in first["new"]}

    run("ingest", str(new / NEW_NOTICE), "--store", store)
    second = _check(store)["广州企业"]
    from queries.catalog import catalog_for_store
    from queries.eligibility import eligibility
    expected = {(r["document"]["id"], r["provision"]["id"], r["measure"]["text"])
                for r in eligibility(catalog_for_store(store), json.loads(prof.read_text()), "2025-01-01")["results"]
                if Path(r["document"]["source"]).name == NEW_NOTICE and r["verdict"] != "ineligible"}
    got = {(r["document"]["id"], r["provision"]["id"], r["measure"]["text"]) for r in second["new"]}
    assert not second["first_check"] and expected and got == expected  # exactly the new notice's awards
    assert any(r["benefit"]["max_yuan"] == 100000 and "落户" in r["measure"]["text"] for r in second["new"])

    third = _check(store)["广州企业"]
    assert third["new"] == [] and third["applicable"] == second["applicable"]
    assert (Path(store) / "policygraph-watch.json").exists()


def test_watch_add_list_remove_and_errors(tmp_path):
    store = str(tmp_path / "store")
    run("ingest", str(seed("000")), "--store", store)
    run("watch", "add", "问答", "--question", "我们是青岛的高新技术企业，能申请哪些补贴？", "--store", store)
    assert [w["name"] for w in run("watch", "list", "--store", store)["watches"]] == ["问答"]
    assert _check(store)["问答"]["first_check"] is True
    assert "exists" in run("watch", "add", "问答", "--question", "x", "--store", store, code=2)["output"]
    assert "exactly one" in run("watch", "add", "两者", "--store", store, code=2)["output"]
    assert "no watch named" in run("watch", "remove", "无此名", "--store", store, code=2)["output"]
    assert run("watch", "remove", "问答", "--store", store) == {"removed": "问答"}
    assert run("watch", "list", "--store", store)["watches"] == []


def test_watch_state_that_is_not_json_is_a_clear_error(tmp_path):
    store = tmp_path / "store"
    run("ingest", str(seed("000")), "--store", str(store))
    (store / "policygraph-watch.json").write_text("{not json", encoding="utf-8")
    out = run("watch", "list", "--store", str(store), code=2)["output"]
    assert "not valid JSON" in out and "policygraph-watch" not in out or "store" in out


def test_peek_does_not_mark_results_seen(tmp_path):
    from queries.watch import add_watch, check_watches
    store = str(tmp_path / "store")
    run("ingest", str(seed("000")), "--store", store)
    add_watch(store, "青岛", {"region": "青岛市", "qualifications": ["高新技术企业"]})
    peek = check_watches(store, "2025-01-01", update=False)["watches"][0]
    again = check_watches(store, "2025-01-01")["watches"][0]
    assert peek["new"] and peek["new"] == again["new"]
    assert check_watches(store, "2025-01-01")["watches"][0]["new"] == []


@pytest.mark.virtuoso
@pytest.mark.slow
def test_watch_on_virtuoso_kept_in_a_named_graph_not_read_as_a_source(virtuoso, tmp_path):  # noqa: F811
    from graph.store import open_store
    from queries.watch import WATCH_GRAPH
    old, new = _corpus(tmp_path)
    run("ingest", str(old), "--store", virtuoso)
    run("watch", "add", "广州", "--question", "我们是广州的企业，能申请哪些补贴？", "--store", virtuoso)
    first = _check(virtuoso)["广州"]
    assert first["first_check"] and first["new"]
    run("ingest", str(new / NEW_NOTICE), "--store", virtuoso)
    second = _check(virtuoso)["广州"]
    assert second["new"] and {Path(r["document"]["source"]).name for r in second["new"]} == {NEW_NOTICE}
    assert _check(virtuoso)["广州"]["new"] == []
    with open_store(virtuoso) as st:
        assert WATCH_GRAPH not in st.graphs()  # only source graphs are listed and read as documents
        (row,) = st.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{WATCH_GRAPH}> {{ ?s ?p ?o }} }}")
        assert int(row["n"].value) == 1  # the state: one rdf:JSON literal
    run("watch", "remove", "广州", "--store", virtuoso)


def test_a_store_that_cannot_be_written_is_a_message(tmp_path):
    store = tmp_path / "store"
    run("ingest", str(seed("000")), "--store", str(store))
    (store / "policygraph-watch.json").mkdir()  # where the file goes: a directory
    out = run("watch", "add", "x", "--question", "青岛的企业", "--store", str(store), code=2)["output"]
    assert "the saved profiles in" in out and "policygraph-watch.json" in out
