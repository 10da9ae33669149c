"""A law or regulation whose text states no effective date (issue 13: LawRefBook texts cut off
before their 施行 article) is presumed in force once a bounded time has passed since its version
date (data/rules/history.yaml ``presumed_in_force_after_days``); before that it is ``unknown``;
its effective date is never invented."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from ingest.history import rules
from queries.catalog import build_catalog, catalog_from_paths
from queries.derived import at
from queries.derived_update import status_timeline
from queries.status import document_status, status_report

# a 设区的市 regulation, adopted, approved, published by the city's 公告 (the file name's date), and
# cut off before its 附则
CUT_OFF_REGULATION = """示例市居民养老服务保障条例
（2019年10月25日示例市第十七届人民代表大会常务委员会第二十三次会议通过　2019年11月29日山东省第十三届人民代表大会常务委员会第十五次会议批准）
第一章　总则
第一条　为了保障居民养老服务，规范养老服务活动，根据有关法律、法规，结合本市实际，制定本条例。
第二条　本市行政区域内居民养老服务保障及其监督管理活动，适用本条例。
第三条　居民养老服务保障应当坚持政府主导、社会参与、市场运作的原则。"""
# its next version states when it takes effect
NEXT_VERSION = """示例市居民养老服务保障条例
（2019年10月25日示例市第十七届人民代表大会常务委员会第二十三次会议通过　2019年11月29日山东省第十三届人民代表大会常务委员会第十五次会议批准　2023年8月30日示例市第十八届人民代表大会常务委员会第十二次会议修正　2023年9月28日山东省第十四届人民代表大会常务委员会第五次会议批准）
第一条　为了保障居民养老服务，规范养老服务活动，根据有关法律、法规，结合本市实际，制定本条例。
第二条　本市行政区域内居民养老服务保障及其监督管理活动，适用本条例。
第三条　本条例自2023年11月1日起施行。"""
# a 规范性文件 silent about its dates says nothing about being in force
SILENT_NOTICE = """示例市人力资源和社会保障局关于职工全年月平均工作时间和工资折算问题的通知
示人社发〔2019〕3号
各区人力资源和社会保障局：
一、职工全年月平均工作天数和工作时间分别调整为20.83天和166.64小时。
二、职工的日工资和小时工资按照月计薪天数进行折算。
示例市人力资源和社会保障局
2019年3月1日"""

PUBLISHED = date(2019, 12, 10)


@pytest.fixture(scope="module")
def cat(tmp_path_factory):
    folder = tmp_path_factory.mktemp("presumed")
    (folder / f"示例市居民养老服务保障条例({PUBLISHED}).txt").write_text(CUT_OFF_REGULATION, encoding="utf-8")
    (folder / "通知.txt").write_text(SILENT_NOTICE, encoding="utf-8")
    return catalog_from_paths([folder])


def _entry(cat, as_of: date, title_part: str = "养老") -> dict:
    [e] = [e for e in status_report(cat, as_of)["documents"] if title_part in (e["title"] or "")]
    return e


def test_cut_off_regulation_in_force_long_after_publication(cat, schema):
    days = rules()["presumed_in_force_after_days"]
    e = _entry(cat, date(2026, 11, 22))
    assert e["issue_date"] == PUBLISHED.isoformat()
    assert (e["status"], e["effective_start"], e["effective_end"]) == ("in_force", None, None)
    assert e["evidence"] == [{"text": f"未找到施行日期；公布于{PUBLISHED}，超过{days}日，推定已施行", "line": None}]
    schema("status", status_report(cat, date(2026, 11, 22)))


def test_cut_off_regulation_unknown_within_the_bound(cat):
    days = rules()["presumed_in_force_after_days"]
    assert _entry(cat, PUBLISHED - timedelta(days=1))["status"] == "not_yet_effective"
    for day in (PUBLISHED, PUBLISHED + timedelta(days=30), PUBLISHED + timedelta(days=days)):
        e = _entry(cat, day)
        assert (e["status"], e["effective_start"]) == ("unknown", None), day
        assert e["evidence"][0]["text"].startswith("未找到施行日期或有效期")
    assert _entry(cat, PUBLISHED + timedelta(days=days + 1))["status"] == "in_force"


def test_silent_notice_stays_unknown(cat):
    e = _entry(cat, date(2026, 11, 22), "通知")
    assert e["status"] == "unknown" and not any("推定" in x["text"] for x in e["evidence"])


def test_cut_off_regulation_superseded_by_its_next_version(tmp_path):
    (tmp_path / f"示例市居民养老服务保障条例({PUBLISHED}).txt").write_text(CUT_OFF_REGULATION, encoding="utf-8")
    (tmp_path / "示例市居民养老服务保障条例(2023-10-10).txt").write_text(NEXT_VERSION, encoding="utf-8")
    cat = catalog_from_paths([tmp_path])
    old, new = sorted(status_report(cat, date(2026, 11, 22))["documents"], key=lambda e: e["issue_date"])
    assert (old["status"], old["superseded_by"]) == ("superseded", [new["id"]])
    assert (new["status"], new["effective_start"]) == ("in_force", "2023-11-01")
    # presumed in force in between: a year after publication, before the next version applies
    assert _status_of(cat, old["id"], date(2022, 1, 1)) == "in_force"


def _status_of(cat, doc_id: str, day: date) -> str:
    return status_report(cat, day, doc_id)["documents"][0]["status"]


def test_cut_off_regulation_stored_timeline_turns_at_the_bound(cat):
    """The derived timeline (what ``status`` reads from a store) changes on the presumption's day."""
    doc = next(d for d in cat.documents if "养老" in d.title)
    line = status_timeline(build_catalog([doc]), doc, set())
    days = rules()["presumed_in_force_after_days"]
    for day in (PUBLISHED, PUBLISHED + timedelta(days=days), PUBLISHED + timedelta(days=days + 1), date(2030, 1, 1)):
        assert at(line, day) == document_status(build_catalog([doc]), doc, day), day
    assert at(line, PUBLISHED + timedelta(days=days + 1))["status"] == "in_force"
