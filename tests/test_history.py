"""History blocks (题注) of national laws, 行政法规, 司法解释 and local regulations: revisions oldest
first, the version date, the adopting body, and the effective date of a revised text (issue 13).
Shapes as published by the NPC, the State Council and the courts, and as LawRefBook lays them out."""
from __future__ import annotations

from datetime import date

from _paras import paras_from_text
from ingest.history import adopting_body, is_history, parse_history
from ingest.meta import describe


def _kinds(m):
    return [(r.kind, r.date.isoformat(), r.by) for r in m.revisions]


CLEANER_PRODUCTION = """中华人民共和国清洁生产促进法
（2002年6月29日第九届全国人民代表大会常务委员会第二十八次会议通过　根据2012年2月29日第十一届全国人民代表大会常务委员会第二十五次会议《关于修改〈中华人民共和国清洁生产促进法〉的决定》修正）
第一章　总　　则
第一条　为了促进清洁生产，提高资源利用效率，制定本法。
第二章　附　　则
第二条　本法自2003年1月1日起施行。"""


def test_national_law_amended_by_decision_takes_effect_on_the_amendment_date():
    m = describe(paras_from_text(CLEANER_PRODUCTION))
    assert _kinds(m) == [("通过", "2002-06-29", "全国人民代表大会常务委员会"),
                         ("修正", "2012-02-29", "全国人民代表大会常务委员会")]
    assert m.issue_date == date(2012, 2, 29) and m.issuers == ("全国人民代表大会常务委员会",)
    assert (m.doc_class, m.region) == ("法律", "全国")
    assert m.validity.start == date(2012, 2, 29)
    assert m.validity.text.startswith("本法自2003年1月1日起施行。") and "2012-02-29修正" in m.validity.text
    assert m.revisions[1].line == 2 and "《关于修改〈中华人民共和国清洁生产促进法〉的决定》修正" in m.revisions[1].text


STATE_COUNCIL_AWARDS = """国家科学技术奖励条例
（1999年5月23日中华人民共和国国务院令第265号发布　根据2003年12月20日《国务院关于修改〈国家科学技术奖励条例〉的决定》第一次修订　根据2013年7月18日《国务院关于废止和修改部分行政法规的决定》第二次修订　2020年10月7日中华人民共和国国务院令第731号第三次修订　2024年5月26日中华人民共和国国务院令第782号第四次修订）
第一章　总　　则
第一条　为了奖励在科学技术进步活动中做出突出贡献的个人、组织，制定本条例。
第二条　本条例自2020年12月1日起施行。"""


def test_state_council_regulation_four_revisions_and_an_old_effective_sentence():
    m = describe(paras_from_text(STATE_COUNCIL_AWARDS))
    assert [(k, d) for k, d, _ in _kinds(m)] == [("发布", "1999-05-23"), ("修订", "2003-12-20"), ("修订", "2013-07-18"),
                                                 ("修订", "2020-10-07"), ("修订", "2024-05-26")]
    assert all(by == "国务院" for _, _, by in _kinds(m))
    assert m.issue_date == date(2024, 5, 26) and m.issuers == ("国务院",) and m.doc_class == "行政法规"
    assert m.doc_number == "中华人民共和国国务院令第782号"
    assert m.validity.start == date(2024, 5, 26) and "原施行日期" in m.validity.text


LAWREFBOOK_DECREE = """# 专利代理条例

1991年3月4日 中华人民共和国国务院令第76号发布

2018年9月6日 国务院第23次常务会议修订通过

2018年11月6日 中华人民共和国国务院令第706号公布

2019年3月1日 施行

## 第一章 总则

第一条 为了规范专利代理行为，制定本条例。

第二条 本条例自2019年3月1日起施行。"""


def test_history_one_entry_a_line_with_a_publication_and_an_effective_line():
    m = describe(paras_from_text(LAWREFBOOK_DECREE))
    assert [(k, d) for k, d, _ in _kinds(m)] == [("发布", "1991-03-04"), ("修订", "2018-09-06"), ("公布", "2018-11-06")]
    assert m.issue_date == date(2018, 11, 6) and m.issuers == ("国务院",)
    assert m.validity.start == date(2019, 3, 1)


JUDICIAL = """最高人民法院关于审理示例纠纷案件适用法律若干问题的解释
（2020年12月23日最高人民法院审判委员会第1823次会议通过，自2021年1月1日起施行）
法释〔2020〕17号
为正确审理示例纠纷案件，制定本解释。
第一条　人民法院审理示例纠纷案件，适用本解释。
第二条　本解释自2021年1月1日起施行。"""


def test_judicial_interpretation_with_its_fashi_number():
    m = describe(paras_from_text(JUDICIAL))
    assert _kinds(m) == [("通过", "2020-12-23", "最高人民法院")]
    assert m.doc_number == "法释〔2020〕17号" and m.doc_class == "司法解释"
    assert m.issue_date == date(2020, 12, 23) and m.issuers == ("最高人民法院",)
    assert m.validity.start == date(2021, 1, 1)


def test_two_courts_adopting_one_interpretation_are_both_issuers():
    text = ("最高人民法院、最高人民检察院关于办理示例刑事案件适用法律若干问题的解释\n"
            "2023年3月27日 最高人民法院审判委员会第1882次会议、2023年7月27日最高人民检察院第十四届检察委员会第十次会议通过\n"
            "2023年8月15日 施行\n第一条 实施示例行为的，依法处理。\n第二条 本解释自2023年8月15日起施行。")
    m = describe(paras_from_text(text))
    assert m.issuers == ("最高人民法院", "最高人民检察院") and m.issue_date == date(2023, 7, 27)
    assert m.validity.start == date(2023, 8, 15)


def test_procuratorate_rule_discussed_and_adopted_names_its_issuer():
    """…检察委员会第九十六次会议讨论通过 / …常务会议审议通过: the meeting discussed, the body adopted."""
    text = ("人民检察院办理示例案件的规定\n"
            "2001年9月10日 最高人民检察院第九届检察委员会第九十六次会议讨论通过\n"
            "第一条 为了规范示例案件的办理，制定本规定。")
    m = describe(paras_from_text(text))
    assert _kinds(m) == [("通过", "2001-09-10", "最高人民检察院")] and m.issuers == ("最高人民检察院",)
    assert adopting_body("国务院第100次常务会议审议通过") == "国务院"


def test_interpretation_published_by_two_courts_in_one_notice_has_both_issuers():
    """2013年11月11日 最高人民法院、最高人民检察院公告公布: two issuers, not one joined name."""
    text = ("最高人民法院、最高人民检察院关于办理示例刑事案件适用法律若干问题的解释\n"
            "2013年9月30日 最高人民法院审判委员会第1592次会议、2013年10月22日最高人民检察院第十二届检察委员会第12次会议通过\n"
            "2013年11月11日 最高人民法院、最高人民检察院公告公布\n2013年11月18日 施行\n"
            "第一条 实施示例行为的，依法处理。")
    m = describe(paras_from_text(text))
    assert m.issuers == ("最高人民法院", "最高人民检察院") and m.issue_date == date(2013, 11, 11)


CITY_REGULATION = """示例市养犬管理条例
2017年8月31日 示例市第八届人民代表大会常务委员会第5次会议通过
2017年9月30日 示范省第十二届人民代表大会常务委员会第三十二次会议批准
第一条 为了规范养犬行为，制定本条例。
第二条 本条例自公布之日起施行。"""


def test_city_regulation_approved_by_the_province_is_the_citys_and_effective_on_publication():
    m = describe(paras_from_text(CITY_REGULATION))
    assert _kinds(m) == [("通过", "2017-08-31", "示例市人民代表大会常务委员会"),
                         ("批准", "2017-09-30", "示范省人民代表大会常务委员会")]
    assert m.issuers == ("示例市人民代表大会常务委员会",) and m.doc_class == "地方性法规"
    assert m.issue_date == date(2017, 9, 30) and m.validity.start == date(2017, 9, 30)


def test_entry_broken_inside_a_decision_title_is_joined():
    text = ("示范省县、乡两级人民代表大会代表选举实施细则\n"
            "1984年2月19日 示范省第六届人民代表大会常务委员会第五次会议通过\n"
            "2021年3月26日 示范省第十三届人民代表大会常务委员会第二十八次会议《关于修改〈示范省县\n"
            "乡两级人民代表大会代表选举实施细则〉的决定》第七次修正\n"
            "第一条 根据法律，制定本细则。\n第二条 本细则自公布之日起施行。")
    m = describe(paras_from_text(text))
    assert [(k, d) for k, d, _ in _kinds(m)] == [("通过", "1984-02-19"), ("修正", "2021-03-26")]
    assert m.issue_date == m.validity.start == date(2021, 3, 26)


def test_decision_adopted_by_the_city_and_approved_by_the_province():
    entries = parse_history("2018年8月29日 示例市第十五届人民代表大会常务委员会第十六次会议通过并经2018年9月21日示范省第十三届"
                            "人民代表大会常务委员会第五次会议批准的《示例市人民代表大会常务委员会关于修改〈示例市国土绿化条例〉等十三件地方性法规的决定》修正")
    assert [(r.kind, r.date.isoformat(), r.by) for r in entries] == [
        ("通过", "2018-08-29", "示例市人民代表大会常务委员会"), ("修正", "2018-09-21", "示例市人民代表大会常务委员会")]


def test_history_shapes_and_traps():
    assert is_history("（2002年6月29日第九届全国人民代表大会常务委员会第二十八次会议通过）")
    assert is_history("1999年5月23日中华人民共和国国务院令第265号发布")
    assert is_history("2009年1月7日 宁波市第十三届人民代表大会常务委员会公告第9号公布")
    assert not is_history("2024年7月1日起，对新认定的高新技术企业给予奖励。")
    assert not is_history("2023年，全市研发投入增长10%，通过认定的企业达到500家。")
    assert adopting_body("第十一届全国人民代表大会常务委员会第二十五次会议《关于修改〈X法〉的决定》修正") == "全国人民代表大会常务委员会"
    assert adopting_body("2023年10月2日青岛市人民政府令第298号第三次修订"[10:]) == "青岛市人民政府"


# A 设区的市 regulation as LawRefBook files it: the city adopts, the province approves, the city's 公告
# publishes it days later under a date only the file name carries (威海市城市国际化促进条例(2021-08-03).md).
PUBLISHED_BY_CITY = """# 威海市城市国际化促进条例

2021年6月29日 威海市第十七届人民代表大会常务委员会第三十四次会议通过

2021年7月29日 山东省第十三届人民代表大会常务委员会第二十九次会议批准

<!-- INFO END -->

## 第一章  总则

第一条 为了促进城市国际化，根据有关法律、法规，结合本市实际，制定本条例。

第二条 本条例自公布之日起施行。
"""


def _parse_named(tmp_path, name, text=PUBLISHED_BY_CITY, **kw):
    from ingest.pipeline import parse_file
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return parse_file(f, **kw)


def test_date_in_file_name_dates_the_publication_after_the_approval(tmp_path):
    pf = _parse_named(tmp_path, "威海市城市国际化促进条例(2021-08-03).md")
    doc = pf.documents[0]
    assert doc.issue_date == date(2021, 8, 3) and doc.validity.start == date(2021, 8, 3)  # 自公布之日起施行
    assert [r.kind for r in doc.revisions] == ["通过", "批准"]  # the history stays what the text states
    assert any("2021-08-03 from the file name" in w and "2021-07-29 批准" in w for w in pf.warnings)


def test_file_name_date_ignored_when_the_text_disagrees_or_when_asked(tmp_path):
    for name in ("威海市城市国际化促进条例(2021-07-01).md",  # before the approval: an older catalogue row
                 "威海市城市国际化促进条例(2022-03-01).md",  # long after: a later version than this text
                 "威海市城市国际化促进条例.md"):
        assert _parse_named(tmp_path, name).documents[0].issue_date == date(2021, 7, 29), name
    pf = _parse_named(tmp_path, "威海市城市国际化促进条例(2021-08-03).md", name_dates=False)
    assert pf.documents[0].issue_date == date(2021, 7, 29)


def test_file_name_date_never_overrides_a_publication_the_text_states(tmp_path):
    text = PUBLISHED_BY_CITY.replace("<!-- INFO END -->",
                                   "2021年7月30日 威海市人民代表大会常务委员会公告公布\n\n<!-- INFO END -->")
    assert _parse_named(tmp_path, "x(2021-08-03).md", text).documents[0].issue_date == date(2021, 7, 30)


def test_revised_city_regulation_takes_effect_when_its_amendment_is_published(tmp_path):
    text = PUBLISHED_BY_CITY.replace("自公布之日起施行", "自2019年2月1日起施行").replace(
        "<!-- INFO END -->", "2023年9月3日 威海市第十八届人民代表大会常务委员会第28次会议通过并经2023年9月25日山东省第十四届"
        "人民代表大会常务委员会第五次会议批准的《威海市人民代表大会常务委员会关于修改<威海市城市国际化促进条例>的决定》修正"
        "\n\n<!-- INFO END -->")
    doc = _parse_named(tmp_path, "威海市城市国际化促进条例(2023-10-10).md", text).documents[0]
    assert doc.issue_date == date(2023, 10, 10) and doc.validity.start == date(2023, 10, 10)
    assert "原施行日期" in doc.validity.text and "2023-10-10公布" in doc.validity.text


def test_file_name_date_dates_a_text_that_states_none(tmp_path):
    # 上海市促进就业若干规定(2005-12-29).md: a header of its title only, the 施行 date in the body
    text = "# 上海市促进就业若干规定\n\n<!-- INFO END -->\n\n第一条 为了促进就业，制定本规定。\n\n第二条 本规定自2006年3月1日起施行。\n"
    pf = _parse_named(tmp_path, "上海市促进就业若干规定(2005-12-29).md", text)
    assert pf.documents[0].issue_date == date(2005, 12, 29)
    assert pf.documents[0].validity.start == date(2006, 3, 1)
    assert any("from the file name: the text states none" in w for w in pf.warnings)
    assert _parse_named(tmp_path, "上海市促进就业若干规定.md", text).documents[0].issue_date is None


def test_a_body_adopting_its_regulation_again_revises_it(tmp_path):
    # 上海市人民代表大会常务委员会规范性文件备案审查条例(2024-11-28): the 2024 entry says only …通过
    text = ("# 示例市规范性文件备案审查条例\n\n2021年5月21日示例市第十五届人民代表大会常务委员会第三十一次会议通过\n\n"
            "2024年11月28日示例市第十六届人民代表大会常务委员会第十七次会议通过\n\n<!-- INFO END -->\n\n"
            "第一条 为了加强备案审查，制定本条例。\n\n第二条 本条例自2021年7月1日起施行。\n")
    doc = _parse_named(tmp_path, "x.md", text).documents[0]
    assert doc.issue_date == date(2024, 11, 28) and doc.validity.start == date(2024, 11, 28)
    assert "原施行日期" in doc.validity.text


# A judicial interpretation as LawRefBook files it: two bodies adopt it months apart, the 公告 date is
# only in the file name, the history's 施行 line follows it (…洗钱刑事案件…解释(2024-08-19).md shape).
INTERPRETATION_PUBLISHED_MONTHS_LATER = """# 最高人民法院、最高人民检察院关于办理示例刑事案件适用法律若干问题的解释

2023年3月20日 最高人民法院审判委员会第1880次会议、2024年3月29日最高人民检察院第十四届检察委员会第二十八次会议通过

2024年8月20日 施行

<!-- INFO END -->

法释〔2024〕10号

第一条 为依法惩治示例犯罪活动，根据《中华人民共和国刑法》的规定，现就办理此类刑事案件适用法律的若干问题解释如下。

第二条 本解释自2024年8月20日起施行。
"""


def test_judicial_interpretation_published_months_after_adoption_dated_by_file_name(tmp_path):
    pf = _parse_named(tmp_path, "示例解释(2024-08-19).md", INTERPRETATION_PUBLISHED_MONTHS_LATER)
    doc = pf.documents[0]
    assert doc.doc_class == "司法解释"
    assert doc.issue_date == date(2024, 8, 19) and doc.validity.start == date(2024, 8, 20)  # 143 days after 通过
    assert any("2024-08-19 from the file name" in w and "2024-03-29 通过" in w for w in pf.warnings)
    # a name date after this version's own 施行 line is not its publication
    assert _parse_named(tmp_path, "示例解释(2024-09-01).md",
                        INTERPRETATION_PUBLISHED_MONTHS_LATER).documents[0].issue_date == date(2024, 3, 29)
    # the courts' window is theirs: a city's regulation 143 days after its approval is a later version
    late = _parse_named(tmp_path, "威海市城市国际化促进条例(2021-12-19).md").documents[0]
    assert late.issue_date == date(2021, 7, 29)


def test_classes_of_national_texts_read_from_their_histories():
    decree_rule = describe(paras_from_text(
        "个人存款账户实名制规定\n（2000年3月20日中华人民共和国国务院令第285号发布）\n"
        "第一条 为了保证个人存款账户的真实性，制定本规定。\n第二条 本规定自2000年4月1日起施行。"))
    assert decree_rule.doc_class == "行政法规" and decree_rule.issuers == ("国务院",)
    npc_regulation = describe(paras_from_text(
        "中华人民共和国户口登记条例\n（1958年1月9日全国人民代表大会常务委员会第九十一次会议通过）\n"
        "第一条 为了维持社会秩序，制定本条例。\n第二条 本条例自公布之日起施行。"))
    assert npc_regulation.doc_class == "法律"
    ministry_rule = describe(paras_from_text(
        "中国公民收养子女登记办法\n（1999年5月25日民政部令第14号发布）\n第一条 为了规范收养登记行为，制定本办法。"))
    assert ministry_rule.doc_class == "规章"
    approved = describe(paras_from_text(  # approved by the State Council, issued by a ministry: 行政法规
        "中外合资经营企业合营期限暂行规定\n1990年9月30日 国务院批准\n1990年10月22日 对外经济贸易部发布\n"
        "第一条 为了明确合营期限，制定本规定。"))
    assert approved.doc_class == "行政法规" and approved.issuers == ("对外经济贸易部",)
