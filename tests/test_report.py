"""`policygraph report`: DOCX read back with python-docx, PDF through poppler (pdftotext shows the
Chinese text intact, pdffonts shows every font embedded)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from cli import app
from conftest import CORPUS, ROOT

PROFILE = ROOT / "data" / "profiles" / "qingdao_rd_firm.json"
runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "store"
    assert runner.invoke(app, ["ingest", str(CORPUS), "--store", str(path), "--json"]).exit_code == 0
    return str(path)


def _report(store, fmt, out):
    res = runner.invoke(app, ["report", "--profile", str(PROFILE), "--as-of", "2025-06-01", "--format", fmt,
                              "-o", str(out), "--store", store, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_docx_reads_back_with_profile_measures_formula_and_citations(store, tmp_path):
    from docx import Document
    summary = _report(store, "docx", tmp_path / "r.docx")
    assert summary["measures"] > 3
    text = "\n".join(p.text for p in Document(str(tmp_path / "r.docx")).paragraphs)
    assert "政策匹配报告" in text and "注册地/所在地：青岛市" in text and "主体类型：企业" in text
    assert "【符合】100万元" in text
    assert "计算：min(0.10 * rd_increment, 1500000)，其中 研发投入增量 = 1,000万元 → 100万元" in text
    assert "【满足】较上年度增长30%及以上" in text and "责任单位：青岛市科学技术局" in text
    assert re.search(r"出处：《青岛市进一步提升全社会研发投入若干政策》.*第 \d+–\d+ 行", text)
    assert "单个企业最高奖补150万元" in text  # the cited source text itself


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdf_has_chinese_text_intact_and_fonts_embedded(store, tmp_path):
    pdf = tmp_path / "r.pdf"
    _report(store, "pdf", pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    for s in ("一、企业信息", "注册地/所在地：青岛市", "【符合】100万元", "青岛市进一步提升全社会研发投入若干政策",
              "单个企业最高奖补150万元", "责任单位：青岛市科学技术局"):
        assert s in flat, s
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(re.search(r"\byes\s+yes\s+yes\b", f) for f in fonts), fonts  # emb sub uni
    assert any("CJK" in f for f in fonts)


def test_report_windows_are_listed_for_a_policy_that_states_one(tmp_path):
    from queries.catalog import catalog_from_paths
    from queries.report import report_data
    from app_pages.views_report import blocks
    src = ROOT / "tests" / "fixtures" / "guangzhou" / "city_guangzhou_jujia-shequ-yanglao-fuwu-guanli-banfa_2022.txt"
    data = report_data(catalog_from_paths([src]), {"region": "广州市"}, "2025-01-01")
    assert data["measures"] and all([w["yearly_start"] for w in m["windows"]] == ["03-01"] for m in data["measures"])
    said = [t for _, t in blocks(data) if t.startswith("申报时间")]
    assert len(said) == len(data["measures"]) and all(t.startswith("申报时间：每年3月1日至3月31日（逾期不予受理）（第114行") for t in said)


def test_bad_format_and_missing_font_are_clear_errors(store, tmp_path, monkeypatch):
    res = runner.invoke(app, ["report", "--profile", str(PROFILE), "--format", "odt", "-o", str(tmp_path / "r"),
                              "--store", store])
    assert res.exit_code == 2 and "'odt'" in res.output
    from app_pages import views_report
    views_report.cjk_font.cache_clear()
    monkeypatch.setenv("POLICYGRAPH_CJK_FONT", str(tmp_path / "none.ttf"))
    try:
        res = runner.invoke(app, ["report", "--profile", str(PROFILE), "--format", "pdf", "-o", str(tmp_path / "r.pdf"),
                                  "--store", store])
        assert res.exit_code == 2 and "none.ttf" in res.output and not (tmp_path / "r.pdf").exists()
    finally:
        views_report.cjk_font.cache_clear()
