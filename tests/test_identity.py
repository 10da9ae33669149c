"""Document identity: ids unique whatever the file names, same content reported and not stored
twice, and no query fails on what a user drops into a folder (issue 13)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from queries.catalog import build_catalog, catalog_for_store
from graph.ingesting import ingest_paths
from ingest.sources import targets
from queries.search_store import search_for_store
from queries.status import status_for_store

ROOT = Path(__file__).resolve().parent.parent

LAW_A = """中华人民共和国示例促进法
（2002年6月29日第九届全国人民代表大会常务委员会第二十八次会议通过　根据2012年2月29日第十一届全国人民代表大会常务委员会第二十五次会议《关于修改〈中华人民共和国示例促进法〉的决定》修正）
第一条 为了促进示例事业发展，制定本法。
第二条 本法自2003年1月1日起施行。
"""
NOTICE_B = """示例市人民政府关于支持科技企业发展的通知
各区人民政府：
一、对新认定的高新技术企业给予10万元奖励。
二、本通知自印发之日起施行。
示例市人民政府
2024年3月1日
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def dropped(tmp_path) -> Path:
    """What users drop into a folder: 通知.txt in two sub-folders, x.md beside x.txt, a byte copy."""
    root = tmp_path / "in"
    _write(root / "法律" / "通知.txt", LAW_A)
    _write(root / "地方" / "通知.txt", NOTICE_B)
    _write(root / "x.md", LAW_A.replace("示例促进法", "样例保护法"))
    _write(root / "x.txt", NOTICE_B.replace("示例市", "样例市"))
    _write(root / "附件" / "另一个名字.txt", LAW_A)  # same bytes as 法律/通知.txt
    return root


def test_two_files_named_alike_in_two_folders_are_two_documents_and_queries_run(dropped, tmp_path):
    store = str(tmp_path / "store")
    summary = ingest_paths([dropped], store)
    assert summary["errors"] == [] and summary["files"] == 4
    ids = [d.id for d in catalog_for_store(store).documents]
    assert len(ids) == len(set(ids)) == 4
    assert {"法律/通知:01", "地方/通知:01"} <= set(ids)
    status = status_for_store(store, as_of="2026-11-22")
    assert len(status["documents"]) == 4
    assert search_for_store(store, "高新技术企业")["hits"]
    from queries.ask import ask
    assert "results" in ask(store, "我们是示例市的高新技术企业，能申请哪些奖励？", as_of="2026-11-22")


def test_same_content_is_reported_not_stored_twice(dropped, tmp_path):
    store = str(tmp_path / "store")
    summary = ingest_paths([dropped], store)
    assert summary["same_content"] == [{"file": str(dropped / "附件" / "另一个名字.txt"), "same_as": "法律/通知.txt"}]
    assert any("same content as 法律/通知.txt" in w for w in summary["warnings"])
    again = ingest_paths([dropped], store)  # a re-ingest of the same folder changes nothing
    assert again["files"] == 4 and len(again["same_content"]) == 1


def test_two_folders_given_with_the_same_file_name_keep_two_keys(tmp_path):
    a = _write(tmp_path / "a" / "通知.txt", LAW_A).parent
    b = _write(tmp_path / "b" / "通知.txt", NOTICE_B).parent
    keys = [k for _, k in targets([a, b])]
    assert keys == ["通知.txt", "b/通知.txt"]
    store = str(tmp_path / "store")
    assert ingest_paths([a, b], store)["files"] == 2
    assert len(catalog_for_store(store).documents) == 2


def test_catalog_never_fails_on_a_repeated_id():
    from datetime import date

    from ingest.model import Document, Span, Validity
    docs = [Document(id="通知:01", title=t, doc_type=None, issuers=(), doc_number=None, issue_date=date(2024, 1, 1),
                     validity=Validity(), span=Span(f"{k}/通知.txt", 1, 2)) for k, t in (("a", "甲"), ("b", "乙"), ("c", "丙"))]
    cat = build_catalog(docs)
    assert [d.id for d in cat.documents] == ["通知:01", "通知:01~2", "通知:01~3"]
    assert cat.by_id["通知:01~2"].title == "乙"


def test_parse_takes_folders_like_ingest(dropped):
    proc = subprocess.run([sys.executable, "-m", "cli", "parse", str(dropped), "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=240, env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr
    files = json.loads(proc.stdout)["files"]
    assert len(files) == 5 and not any(f.get("error") for f in files)
    ids = [d["id"] for f in files for d in f["documents"]]
    assert {"法律/通知:01", "地方/通知:01", "x:01"} <= set(ids)
