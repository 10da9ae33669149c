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


# A 部门规章 the 国务院 revised as a 行政法规 (民政部令第15号发布, then 《国务院关于修改部分行政法规的决定》修订):
# two issuers, one jurisdiction (the country), one work.
ADOPTION_RULE_1999 = """外国人在中华人民共和国收养子女登记办法
1999年5月12日 国务院批准
1999年5月25日 民政部令第15号发布
第一条　为了规范外国人在中华人民共和国境内收养子女登记行为，保护收养关系当事人的合法权益，根据《中华人民共和国收养法》，制定本办法。
第二条　外国人在中华人民共和国境内收养子女，应当依照本办法办理登记。
第三条　本办法自发布之日起施行。"""
ADOPTION_RULE_2019 = """外国人在中华人民共和国收养子女登记办法
（1999年5月12日国务院批准　1999年5月25日民政部令第15号发布　根据2019年3月2日《国务院关于修改部分行政法规的决定》修订）
第一条　为了规范外国人在中华人民共和国境内收养子女登记行为，保护收养关系当事人的合法权益，根据《中华人民共和国民法典》，制定本办法。
第二条　外国人在中华人民共和国境内收养子女，应当依照本办法办理登记。
第三条　本办法自发布之日起施行。"""
# Two cities' regulations of one name: two works.
CITY_A_SANITATION = """城市市容和环境卫生管理条例
（2016年6月30日台州市第四届人民代表大会常务委员会第三十四次会议通过　2016年7月29日浙江省第十二届人民代表大会常务委员会第三十一次会议批准）
第一条　为了加强城市市容和环境卫生管理，创造清洁、优美的城市环境，根据国务院《城市市容和环境卫生管理条例》等法律、法规，结合本市实际，制定本条例。
第二条　本条例自2016年10月1日起施行。"""
CITY_B_SANITATION = """城市市容和环境卫生管理条例
（2016年10月27日衢州市第七届人民代表大会常务委员会第三十七次会议通过　2016年11月29日浙江省第十二届人民代表大会常务委员会第三十五次会议批准）
第一条　为了加强城市市容和环境卫生管理，创造整洁、优美的城市环境，根据国务院《城市市容和环境卫生管理条例》等法律、法规，结合本市实际，制定本条例。
第二条　本条例自2017年1月1日起施行。"""


def _statuses(folder, texts: dict[str, str], as_of) -> dict[str, dict]:
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    cat = catalog_from_paths([folder])
    return {d.id.split(":")[0]: status_map(cat, as_of)[d.id] for d in cat.documents}


def test_ministry_rule_revised_by_state_council_superseded_across_issuers(tmp_path):
    st = _statuses(tmp_path, {"收养1999.txt": ADOPTION_RULE_1999, "收养2019.txt": ADOPTION_RULE_2019}, AS_OF)
    old, new = st["收养1999"], st["收养2019"]
    assert (old["issuers"], new["issuers"]) == (["民政部"], ["国务院"])
    assert old["jurisdiction"]["level"] == new["jurisdiction"]["level"] == "national"
    assert (old["status"], old["superseded_by"]) == ("superseded", ["收养2019:01"])
    assert new["status"] == "in_force" and new["supersedes"] == ["收养1999:01"]
    assert any("2019-03-02 版本晚于 1999-05-25 版本" in e["text"] for e in old["evidence"])


def test_two_cities_same_titled_regulations_stay_separate(tmp_path):
    st = _statuses(tmp_path, {"甲市.txt": CITY_A_SANITATION, "乙市.txt": CITY_B_SANITATION}, AS_OF)
    assert st["甲市"]["jurisdiction"]["name"] != st["乙市"]["jurisdiction"]["name"]
    for e in st.values():
        assert (e["status"], e["superseded_by"], e["supersedes"]) == ("in_force", [], [])


# 上海-style revision: the body adopts the work again (…第十七次会议通过) and the revised text keeps its
# original 施行 sentence.
FILING_REVIEW_2021 = """示例省人民代表大会常务委员会规范性文件备案审查条例
2021年5月21日 示例省第十五届人民代表大会常务委员会第三十一次会议通过
第一条　为了加强规范性文件备案审查工作，保障宪法和法律的实施，制定本条例。
第二条　规范性文件的备案审查，适用本条例。
第三条　本条例自2021年7月1日起施行。"""
FILING_REVIEW_2024 = """示例省人民代表大会常务委员会规范性文件备案审查条例
2021年5月21日 示例省第十五届人民代表大会常务委员会第三十一次会议通过
2024年11月28日 示例省第十六届人民代表大会常务委员会第十七次会议通过
第一条　为了加强规范性文件备案审查工作，保障宪法和法律的实施，维护国家法制统一，制定本条例。
第二条　规范性文件的备案审查，适用本条例。
第三条　备案审查工作应当坚持有件必备、有备必审、有错必纠。
第四条　本条例自2021年7月1日起施行。"""


def test_readopted_revision_keeping_old_effective_sentence_dated_by_its_own_versions(tmp_path):
    from datetime import date
    texts = {"备案2021.txt": FILING_REVIEW_2021, "备案2024.txt": FILING_REVIEW_2024}
    between = _statuses(tmp_path, texts, date(2023, 1, 1))
    assert between["备案2021"]["status"] == "in_force" and between["备案2021"]["superseded_by"] == []
    assert between["备案2024"]["status"] == "not_yet_effective"  # not yet published
    late = _statuses(tmp_path, texts, AS_OF)
    old, new = late["备案2021"], late["备案2024"]
    assert (new["status"], new["effective_start"]) == ("in_force", "2024-11-28")
    assert (old["status"], old["superseded_by"]) == ("superseded", ["备案2024:01"])
    # the versions' own dates, not the new one's against the old one's 施行 date (2021-07-01)
    assert any(e["text"].endswith("2024-11-28 版本晚于 2021-05-21 版本") for e in old["evidence"])
    assert _statuses(tmp_path, texts, date(2024, 11, 27))["备案2021"]["status"] == "in_force"
    assert _statuses(tmp_path, texts, date(2024, 11, 28))["备案2021"]["status"] == "superseded"
