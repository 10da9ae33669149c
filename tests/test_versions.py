"""Versions of one work and repeal (issue 13): the later version supersedes the earlier (title
normalised: 中华人民共和国, 《》, （试行）), a 修正案 amends its base law, and a document abolished by
name with no successor in the store is ``repealed`` - each with its evidence."""
from __future__ import annotations

import pytest

from queries.catalog import catalog_from_paths
from queries.status import status_map

AS_OF = __import__("datetime").date(2026, 11, 22)

POPULAR_SCIENCE_2002 = """中华人民共和国科学技术普及法
（2002年6月29日第九届全国人民代表大会常务委员会第二十八次会议通过）
第一条　为了实施科教兴国战略，制定本法。
第二条　本法自公布之日起施行。"""
POPULAR_SCIENCE_2024 = """科学技术普及法
（2002年6月29日第九届全国人民代表大会常务委员会第二十八次会议通过　2024年12月25日第十四届全国人民代表大会常务委员会第十三次会议修订）
第一条　为了实施科教兴国战略，加强科学技术普及，制定本法。
第二条　本法自公布之日起施行。"""
TRIAL_RULE = """示例市科技企业认定管理办法（试行）
（2019年3月1日示例市人民政府令第10号公布）
第一条　为了规范认定，制定本办法。
第二条　本办法自2019年4月1日起施行。"""
FINAL_RULE = """示例市科技企业认定管理办法
（2023年6月1日示例市人民政府令第40号公布）
第一条　为了规范认定，制定本办法。
第二条　本办法自2023年7月1日起施行。"""
CRIMINAL_LAW = """中华人民共和国示例刑法
（1997年3月14日第八届全国人民代表大会第五次会议修订）
第一条　为了惩罚犯罪，保护人民，制定本法。
第二条　本法自1997年10月1日起施行。"""
AMENDMENT = """中华人民共和国示例刑法修正案（十一）
（2020年12月26日第十三届全国人民代表大会常务委员会第二十四次会议通过）
一、将刑法第十七条修改为：“已满十六周岁的人犯罪，应当负刑事责任。”
二、本修正案自2021年3月1日起施行。"""
OLD_MEASURES = """示例市人才引进办法
（2015年5月1日示例市人民政府令第5号公布）
第一条　为了引进人才，制定本办法。
第二条　本办法自2015年6月1日起施行。"""
ABOLISHING = """示例市人民政府关于废止《示例市人才引进办法》的决定
（2022年3月1日示例市人民政府令第30号公布）
一、《示例市人才引进办法》予以废止。
二、本决定自公布之日起施行。"""


@pytest.fixture(scope="module")
def status(tmp_path_factory):
    folder = tmp_path_factory.mktemp("versions")
    for name, text in {"普及法2002.txt": POPULAR_SCIENCE_2002, "普及法2024.txt": POPULAR_SCIENCE_2024,
                       "试行.txt": TRIAL_RULE, "正式.txt": FINAL_RULE, "刑法.txt": CRIMINAL_LAW,
                       "修正案十一.txt": AMENDMENT, "人才.txt": OLD_MEASURES, "废止决定.txt": ABOLISHING}.items():
        (folder / name).write_text(text, encoding="utf-8")
    cat = catalog_from_paths([folder])
    return {d.id.split(":")[0]: entry for d, entry in ((d, status_map(cat, AS_OF)[d.id]) for d in cat.documents)}


def test_later_version_of_a_law_supersedes_the_earlier_with_evidence(status):
    old, new = status["普及法2002"], status["普及法2024"]
    assert new["status"] == "in_force" and new["issue_date"] == "2024-12-25"
    assert old["status"] == "superseded" and old["superseded_by"] == ["普及法2024:01"]
    assert any("2024-12-25 版本晚于 2002-06-29 版本" in e["text"] for e in old["evidence"])


def test_final_rule_supersedes_its_trial_version(status):
    assert status["试行"]["status"] == "superseded" and status["试行"]["superseded_by"] == ["正式:01"]
    assert status["正式"]["status"] == "in_force"


def test_amendment_amends_its_base_law(status):
    base = status["刑法"]
    assert base["status"] == "partly_superseded" and base["amended_by"] == ["修正案十一:01"]
    assert any("修改《中华人民共和国示例刑法》" in e["text"] for e in base["evidence"])
    assert status["修正案十一"]["status"] == "in_force"


def test_abolished_without_successor_is_repealed(status):
    old = status["人才"]
    assert old["status"] == "repealed" and old["superseded_by"] == ["废止决定:01"]
    assert any("予以废止" in e["text"] for e in old["evidence"])
