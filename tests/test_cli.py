"""Every `policygraph … --json` command, run through the CLI on the bundled corpus, against the contract."""
import json

import pytest
from typer.testing import CliRunner

from cli import app
from conftest import CORPUS, ROOT, seed

runner = CliRunner()


def run_json(*args):
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "store"
    summary = run_json("ingest", str(CORPUS), "--store", str(path))
    assert summary["errors"] == [] and summary["documents"] >= 5
    return str(path)


def test_parse_json_follows_contract(schema):
    out = run_json("parse", str(seed("000")))
    schema("parse", out)
    assert len(out["files"][0]["documents"]) == 1


def test_parse_bad_file_exits_nonzero_with_message(tmp_path):
    empty = tmp_path / "空 文件.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["parse", str(empty)])
    assert result.exit_code == 1
    assert "空 文件.txt" in result.output


def test_ingest_json_follows_contract(tmp_path, schema):
    out = run_json("ingest", str(seed("000")), "--store", str(tmp_path / "s"))
    schema("ingest", out)
    assert out["documents"] == 1 and out["triples"] > 0


def test_eligibility_json_follows_contract(store, schema):
    out = run_json("eligibility", "--profile", str(ROOT / "data/profiles/qingdao_rd_firm.json"),
                   "--store", store, "--as-of", "2026-11-22")
    schema("eligibility", out)
    assert out["as_of"] == "2026-11-22" and out["results"]


def test_ask_json_follows_contract(store, schema):
    out = run_json("ask", "我们是青岛的高新技术企业，去年研发投入3000万元，比前年增长50%，能申请哪些补贴？",
                   "--store", store)
    schema("eligibility", out)
    assert out["profile"]["rd_expense"] == 30_000_000


def test_status_json_follows_contract(store, schema):
    out = run_json("status", "--store", store, "--as-of", "2026-11-22")
    schema("status", out)
    assert {d["status"] for d in out["documents"]} & {"in_force", "expired"}


def test_overlaps_json_follows_contract(store, schema):
    out = run_json("overlaps", "--store", store)
    schema("overlaps", out)
    assert any(p["relation"] == "duplicate" for p in out["documents"])


def test_drop_removes_a_file_graph(tmp_path):
    path = str(tmp_path / "s")
    run_json("ingest", str(CORPUS / seed("000").name), str(seed("002")), "--store", path)
    out = run_json("drop", seed("002").name, "never-ingested.txt", "--store", path)
    assert out == {"dropped": [seed("002").name], "missing": ["never-ingested.txt"]}
    stats = run_json("stats", "--store", path)
    assert stats["counts"]["documents"] == 1


def test_store_error_is_a_message_not_a_traceback(tmp_path):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    result = runner.invoke(app, ["status", "--store", str(not_a_dir / "store")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "error" in result.output
