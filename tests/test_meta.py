"""describe: titles, issuers, 文号, dates, revisions and validity (hand-checked facts + traps)."""
from __future__ import annotations

from datetime import date

import pytest

from conftest import seed
from _paras import join_wrapped, paras_from_file, paras_from_lines, paras_from_text
from ingest.dates import add_years, parse_date
from ingest.meta import describe, doc_type_of, normalise_doc_number, split_orgs


def seed_lines(prefix, start, end):
    return seed(prefix).read_text(encoding="utf-8").splitlines()[start - 1:end]


# ---- seeds ---------------------------------------------------------------------------------

def test_seed_000_action_plan_behind_a_notice():
    paras = paras_from_file(seed("000"))
    m = describe(paras)
    assert m.title == "青岛市深入推进科技创新加快建设科技强市行动计划（2024—2028年）"
    assert (m.doc_type, m.doc_class) == ("行动计划", "规范性文件")
    assert m.issuers == ("青岛市人民政府",)
    assert m.issue_date == date(2024, 7, 31)
    assert m.region == "青岛市" and m.doc_number is None
    assert paras[m.body_start].text.startswith("为认真落实国家、省有关部署要求")
    assert m.validity.start is None  # 000 states no validity


def test_seed_003_wrapper_with_red_header_and_doc_number():
    paras = paras_from_file(seed("003"), simplify=True)
    m = describe(paras)
    assert m.title == "青岛市新旧动能转换重大工程科技创新行动计划"
    assert m.doc_number == "青政办字〔2018〕73号"
    assert m.issue_date == date(2018, 8, 21)
    # titles are shown as written (this header is in traditional characters); norm is for matching
    assert "關於印發" in m.wrapper_title and m.wrapper_title.endswith("的通知")
    assert paras[m.body_start].norm.startswith("为贯彻落实《国务院关于山东新旧动能转换")


def test_seed_004_local_regulation_with_history():
    m = describe(paras_from_lines(join_wrapped(seed_lines("004", 56, 375))))
    assert m.title == "青岛市科技创新促进条例"
    assert m.wrapper_title == "山东省人民代表大会常务委员会关于批准《青岛市科技创新促进条例》的决定"
    assert (m.doc_type, m.doc_class) == ("条例", "地方性法规")
    assert [(r.kind, r.date) for r in m.revisions] == [
        ("通过", date(2011, 6, 28)), ("批准", date(2011, 7, 29)),
        ("修订", date(2024, 8, 23)), ("批准", date(2024, 9, 26))]
    assert m.issuers == ("青岛市人民代表大会常务委员会",)
    assert m.issue_date == date(2024, 9, 26)
    assert (m.validity.start, m.validity.end) == (date(2024, 11, 1), None)
    assert m.validity.text == "本条例自 2024 年 11 月 1 日起施行。"


def test_seed_004_government_rule_with_decree_number():
    m = describe(paras_from_lines(join_wrapped(seed_lines("004", 376, 522))))
    assert m.title == "青岛市科学技术奖励办法"
    assert m.doc_number == "青岛市人民政府令第298号"
    assert (m.doc_type, m.doc_class) == ("办法", "规章")
    assert m.issuers == ("青岛市人民政府",)
    assert m.revisions[0].kind == "公布" and m.revisions[-1].date == date(2023, 10, 2)
    assert m.validity.start == date(2023, 11, 15)


def test_seed_004_joint_notice_six_issuers():
    m = describe(paras_from_lines(seed_lines("004", 2300, 2377)))
    assert m.title == "加强科技财政金融协同支持企业创新发展的若干政策措施"
    assert m.issuers == ("青岛市科学技术局", "青岛市财政局", "中共青岛市委金融委员会办公室",
                         "中国人民银行青岛市分行", "国家金融监督管理总局青岛监管局",
                         "中国证券监督管理委员会青岛监管局")
    assert m.issue_date == date(2024, 8, 1)
    assert (m.validity.start, m.validity.end) == (date(2024, 8, 1), date(2028, 12, 31))
    assert m.doc_type == "措施"


# ---- made-up documents of other kinds --------------------------------------------------------

NATIONAL_LAW = """中华人民共和国示例促进法
（2024年6月28日第十四届全国人民代表大会常务委员会第十次会议通过）
第一章 总则
第一条 为了促进示例事业发展，制定本法。
第二条 取得许可证的单位，许可证有效期五年。
第二章 附则
第三条 本法自2025年1月1日起施行。"""


def test_national_law_excerpt():
    m = describe(paras_from_text(NATIONAL_LAW))
    assert (m.title, m.doc_type, m.doc_class) == ("中华人民共和国示例促进法", "法", "法律")
    assert m.issuers == ("全国人民代表大会常务委员会",) and m.region == "全国"
    assert m.issue_date == date(2024, 6, 28)
    assert (m.validity.start, m.validity.end) == (date(2025, 1, 1), None)  # the 许可证 term is a trap
    assert m.body_start == 2


COUNTY_NOTICE = """示例政办发[2023]5号
示例县人民政府办公室关于印发《示例县促进科技创新若干措施》的通知
各乡镇人民政府，县政府各部门：
现将《示例县促进科技创新若干措施》印发给你们，请认真贯彻执行。
示例县人民政府办公室
2023年3月1日
示例县促进科技创新若干措施
一、对新认定的高新技术企业给予10万元奖励。
二、对企业研发费用给予补助。经认定的研发平台资格有效期三年。
三、本措施自印发之日起施行，有效期两年。"""


def test_county_notice_with_two_year_term():
    m = describe(paras_from_text(COUNTY_NOTICE))
    assert m.title == "示例县促进科技创新若干措施"
    assert m.wrapper_title == "示例县人民政府办公室关于印发《示例县促进科技创新若干措施》的通知"
    assert m.doc_number == "示例政办发〔2023〕5号"
    assert m.issuers == ("示例县人民政府办公室",) and m.region == "示例县"
    assert m.issue_date == date(2023, 3, 1)
    assert (m.validity.start, m.validity.end) == (date(2023, 3, 1), date(2025, 2, 28))
    assert m.body_start == 7 and m.doc_type == "措施"


GOV_RULE = """示例市人民政府令
第123号
《示例市科技企业孵化器管理办法》已经2024年3月1日市政府第5次常务会议通过，现予公布，自2024年5月1日起施行。
市长 张三
2024年3月20日
示例市科技企业孵化器管理办法
第一条 为了规范科技企业孵化器管理，制定本办法。
第二条 孵化器认定证书有效期三年。
第三条 本办法自2024年5月1日起施行。"""


def test_government_rule_with_decree_header():
    m = describe(paras_from_text(GOV_RULE))
    assert m.title == "示例市科技企业孵化器管理办法"
    assert m.doc_number == "示例市人民政府令第123号" and m.doc_class == "规章"
    assert m.issuers == ("示例市人民政府",) and m.issue_date == date(2024, 3, 20)
    assert (m.validity.start, m.validity.end) == (date(2024, 5, 1), None)


# ---- validity regression fixtures ----------------------------------------------------------

def _validity(body: str, head: str = "示例市科学技术局关于印发《示例办法》的通知\n示例市科学技术局\n2024年1月10日\n示例办法\n"):
    return describe(paras_from_text(head + body))


def test_licence_term_is_not_document_validity():
    m = _validity("第一条 备案有效期为3年，期满重新备案。\n第二条 本办法自2024年2月1日起施行。")
    assert (m.validity.start, m.validity.end) == (date(2024, 2, 1), None)


def test_term_in_a_separate_sentence():
    m = _validity("第一条 支持企业。\n第二条 本办法自2024年2月1日起施行。有效期三年。")
    assert (m.validity.start, m.validity.end) == (date(2024, 2, 1), date(2027, 1, 31))


def test_from_publication_uses_issue_date_and_provisional_term():
    m = _validity("一、支持企业。\n二、本办法自发布之日起实施，暂定三年。")
    assert (m.validity.start, m.validity.end) == (date(2024, 1, 10), date(2027, 1, 9))


def test_valid_until_date():
    m = _validity("一、支持企业。\n本政策自2024年2月1日起执行，有效期至2028年12月31日。")
    assert (m.validity.start, m.validity.end) == (date(2024, 2, 1), date(2028, 12, 31))


def test_same_time_as_another_document_warns():
    m = _validity("一、支持企业。\n二、本细则与《示例市促进条例》同步实施。")
    assert m.validity.start is None and "同步实施" in m.validity.text
    assert any("validity tied" in w for w in m.warnings)


def test_old_commencement_sentence_in_revised_law_moves_to_the_revision_date():
    text = """示例市科技条例
（2010年6月1日示例市人民代表大会常务委员会通过 2023年8月1日示例市人民代表大会常务委员会修订）
第一条 为了促进科技进步，制定本条例。
第二条 本条例自2010年10月1日起施行。"""
    m = describe(paras_from_text(text))
    assert m.doc_class == "地方性法规" and m.issue_date == date(2023, 8, 1)
    # this version takes effect on its revision's date, and the evidence says why
    assert m.validity.start == date(2023, 8, 1) and m.validity.line == 4
    assert m.validity.text.startswith("本条例自2010年10月1日起施行。") and "本版本于2023-08-01修订" in m.validity.text


def test_no_title_no_date_warns():
    m = describe(paras_from_text("支持企业加大研发投入，给予奖励。"))
    assert m.title is None and "no title found" in m.warnings and "no issue date found" in m.warnings


# ---- small parsers -------------------------------------------------------------------------

@pytest.mark.parametrize("raw,norm", [("青政字[2024]20号", "青政字〔2024〕20号"), ("青政字(2024)20号", "青政字〔2024〕20号"),
                                      ("青政字［2024］20号", "青政字〔2024〕20号"), ("鲁政字〔2023〕155号", "鲁政字〔2023〕155号")])
def test_doc_number_brackets(raw, norm):
    assert normalise_doc_number(raw) == norm


def test_dates_types_orgs():
    assert parse_date("二〇二四年七月三十一日") == date(2024, 7, 31)
    assert add_years(date(2023, 3, 1), 2) == date(2025, 2, 28)
    assert doc_type_of("青岛市科技成果转化概念验证平台建设备案管理办法（试行）") == "办法"
    assert doc_type_of("深化产学研合作提升科技成果转化质效专项行动方案") == "方案"
    assert doc_type_of("青岛市深入推进科技创新加快建设科技强市行动计划（2024—2028年）") == "行动计划"
    assert split_orgs("中共青岛市委组织部 青岛市科学技术局") == ["中共青岛市委组织部", "青岛市科学技术局"]
    assert split_orgs("中共青岛市委组织部青岛市科学技术局") == ["中共青岛市委组织部", "青岛市科学技术局"]


def test_start_and_end_in_separate_paragraphs():
    m = _validity("第一条 支持企业。\n第二条 本办法自2024年2月1日起施行。\n本办法有效期至2026年12月31日。")
    assert (m.validity.start, m.validity.end) == (date(2024, 2, 1), date(2026, 12, 31))


PLAIN_NOTICE = """关于开展2024年度科技型企业申报工作的通知
各区（市）科技主管部门：
为加快培育科技型企业，现将有关事项通知如下：
一、申报条件
在本市注册的企业均可申报。
二、申报时间
2024年3月1日至3月31日。
青岛市科学技术局
2024年2月20日"""


def test_plain_notice_signed_at_the_end():
    paras = paras_from_text(PLAIN_NOTICE)
    m = describe(paras)
    assert (m.title, m.doc_type, m.wrapper_title) == ("关于开展2024年度科技型企业申报工作的通知", "通知", None)
    assert m.issuers == ("青岛市科学技术局",) and m.issue_date == date(2024, 2, 20)
    assert paras[m.body_start].text.startswith("为加快培育科技型企业")  # addressees skipped, intro kept


# ---- news reports and interpretations are not policies ------------------------------------

NEWS = """《某市促进数字经济高质量发展若干措施》出台
到2027年数字经济核心产业增加值突破2000亿元
□某某日报记者 张三 通讯员 李四
日前，《某市促进数字经济高质量发展若干措施》（以下简称《措施》）正式出台。
《措施》提出，对新认定的数字经济示范企业给予最高100万元奖励。
《措施》明确，自2025年1月1日起施行，有效期至2027年12月31日。"""


def test_news_report_of_a_policy_is_classified_and_has_no_validity_of_its_own():
    m = describe(paras_from_text(NEWS))
    assert (m.doc_type, m.doc_class) == ("新闻报道", None)
    assert m.title == "《某市促进数字经济高质量发展若干措施》出台"  # the headline, as written
    assert m.validity.start is None and m.validity.end is None  # the reported policy's dates, not its own
    assert "no issue date found" not in m.warnings


def test_news_feature_with_photo_credit_gets_its_headline_as_title():
    m = describe(paras_from_file(seed("002")))
    assert (m.doc_type, m.doc_class) == ("新闻报道", None)
    assert m.title == "实施“八大工程”，青岛打造国际化创新型城市"


def test_interpretation_is_classified_by_its_title():
    text = "《某县中小企业纾困办法》政策解读\n一、出台背景\n为帮助中小企业渡过难关，县政府出台了本办法。"
    assert describe(paras_from_text(text)).doc_type == "政策解读"


def test_signed_notice_with_reporting_words_stays_a_policy():
    text = """某市新闻出版局关于做好2025年度新闻记者证核验工作的通知
某新发〔2025〕3号
各新闻单位：
日前，国家新闻出版署部署了记者证核验工作。据了解，各单位已做好准备。现将有关事项通知如下。
一、核验范围
持有新闻记者证的采编人员。
某市新闻出版局
2025年1月6日"""
    m = describe(paras_from_text(text))
    assert m.doc_type == "通知" and m.doc_class == "规范性文件"


def test_title_is_shown_as_written_not_in_its_matching_form():
    from ingest.model import Para
    paras = (Para("某市科技计划（2024—2028年）", "某市科技计划（2024-2028年）", 1, 1),
             Para("一、总体要求", "一、总体要求", 2, 2), Para("加快发展。", "加快发展。", 3, 3))
    assert describe(paras).title == "某市科技计划（2024—2028年）"


def test_policy_posted_on_a_website_with_source_line_stays_a_policy():
    text = """某县促进中小企业发展若干措施
来源：某县人民政府办公室
一、对新认定的专精特新中小企业给予10万元奖励。
二、本措施自2025年3月1日起施行。"""
    m = describe(paras_from_text(text))
    assert m.doc_type == "措施" and m.doc_class == "规范性文件"
