"""Amounts: values in exact yuan and their kinds; regressions named after the case."""
import doctest

import pytest

import ingest.extract
import ingest.extract.amounts
import ingest.rules
import ingest.extract.text
from extract_helpers import amounts, run


def test_doctests():
    for mod in (ingest.extract, ingest.extract.amounts, ingest.rules, ingest.extract.text):
        assert doctest.testmod(mod).failed == 0


@pytest.mark.parametrize("text, value", [
    ("给予五百万元奖励", 5_000_000), ("给予1.5亿元支持", 150_000_000), ("给予千万元支持", 10_000_000),
    ("给予1000万元支持", 10_000_000), ("给予一千二百万元支持", 12_000_000), ("给予 50 万元奖补", 500_000),
    ("给予５０万元奖补", 500_000), ("奖励2000元", 2_000), ("给予1,000万元支持", 10_000_000)])
def test_chinese_numerals_and_units(text, value):
    assert [v for v, _ in amounts(text)] == [value]


def test_not_amount_national_top_science_award():
    assert amounts("对获得国家最高科学技术奖的科学家予以表彰。") == []
    # 最高 in the award's name does not make the prize a cap
    assert amounts("对获得国家最高科学技术奖的，给予500万元奖励。") == [(5_000_000, "fixed")]


def test_not_amount_supreme_court():
    p = run("依照最高人民法院的司法解释办理，最高人民检察院另有规定的除外。")
    assert p.amounts == ()
    assert {a.name for a in p.agencies} == {"最高人民法院", "最高人民检察院"}


def test_top_prize_money_is_fixed_not_cap():
    assert amounts("市科学技术最高奖的奖金为每人 100 万元。") == [(1_000_000, "fixed")]


def test_cap():
    assert amounts("每个项目给予最高500万元支持。") == [(5_000_000, "cap")]
    assert amounts("通过市自然科学基金给予最高不超过100万元的分级分类支持。") == [(1_000_000, "cap")]


def test_annual_cap():
    assert amounts("按实际支付最高50%、年最高20万元标准予以兑付。") == [(0.5, "ratio"), (200_000, "annual_cap")]


def test_yearly_cumulative_cap_is_annual():
    assert amounts("每家机构每年累计奖励最高1000万元。") == [(10_000_000, "annual_cap")]
    assert amounts("按上年度登记技术合同成交额给予最高50万元奖补。") == [(500_000, "cap")]


def test_ratio_after_yi_and_aside_with_comma():
    assert amounts("最高按照获贷当期贷款市场报价利率（LPR，下同）的50%给予贴息。") == [(0.5, "ratio")]
    assert amounts("500万元至1000万元部分以LPR的50%给予贴息。") == [(10_000_000, "threshold"), (0.5, "ratio")]


def test_fixed_one_off():
    assert amounts("对符合条件的，一次性给予奖补30万元。") == [(300_000, "fixed")]


def test_range_amount():
    p = run("经评审认定，给予团队1000万—1亿元综合资助。")
    (a,) = p.amounts
    assert (a.kind, a.min_yuan, a.value_yuan) == ("range", 10_000_000, 100_000_000)
    assert amounts("给予10-100万元支持。") == [(1_000_000, "range")]
    assert run("给予10-100万元支持。").amounts[0].min_yuan == 100_000


def test_fund_is_not_a_grant():
    assert amounts("设立规模10亿元的天使投资基金，引导社会资本投早投小。") == [(1_000_000_000, "fund")]
    assert amounts("每年安排5000万元专项资金。") == [(50_000_000, "fund")]


def test_threshold_is_not_a_benefit():
    assert amounts("对年营业收入5000万元以上的企业给予最高50万元奖励。") == [(50_000_000, "threshold"),
                                                                 (500_000, "cap")]
    assert amounts("相应的产品投资额不低于100万元。") == [(1_000_000, "threshold")]


def test_threshold_range_keeps_both_bounds():
    (a,) = run("研发投入在1000万元（含）-5000万元之间的企业。").amounts
    assert (a.kind, a.min_yuan, a.value_yuan) == ("threshold", 10_000_000, 50_000_000)


def test_target_is_not_a_benefit():
    assert amounts("到2028年，全社会研发经费总量翻一番、超过800亿元。") == [(80_000_000_000, "target")]
    assert amounts("力争技术合同成交额突破220亿元。") == [(22_000_000_000, "target")]


def test_list_continuation_inherits_cap():
    text = "对新认定的国家级、省级、市级基地分别给予最高50万元、30万元、20万元奖补。"
    assert amounts(text) == [(500_000, "cap"), (300_000, "cap"), (200_000, "cap")]
    assert amounts("分别给予最高500万元和1000万元支持。") == [(5_000_000, "cap"), (10_000_000, "cap")]


def test_ratio_has_base():
    (r, cap) = run("按不超过新增额的10%给予奖补，单个企业最高奖补150万元。").amounts
    assert (r.kind, r.ratio, r.base, cap.kind, cap.value_yuan) == ("ratio", 0.1, "新增额", "cap", 1_500_000)


def test_fraction():
    (f, cap) = run("市级财政资金支持额度不超过项目资金总额度的 1/3，最高 1000 万元。").amounts
    assert (f.kind, round(f.ratio, 4), f.base, cap.value_yuan) == ("fraction", 0.3333, "项目资金总额度", 10_000_000)


def test_percent_condition_is_not_ratio():
    assert amounts("研发经费投入占主营业务收入比重超过5%（含）的，一次性给予奖补30万元。") == [(300_000, "fixed")]
    assert amounts("研发投入较上年度增长30%及以上的企业给予奖补。") == []


def test_disbursement_percent_is_not_benefit():
    assert amounts("首期拨付不超过 40%，中期评估通过后拨付不超过 40%。") == []


def test_yuan_inside_words_is_not_money():
    assert amounts("构建多元化投入体系，推动一元化管理和电子元器件产业发展。") == []
    assert amounts("引进外资100万美元以上的项目。") == []


def test_amount_line_from_line_map():
    text = "第一行没有金额。\n对首次认定的高新技术企业给予最高10万元奖补。"
    p = run(text, line=40, line_map=((0, 40), (9, 41)))
    assert [(a.value_yuan, a.line) for a in p.amounts] == [(100_000, 41)]


def test_beneficiary_and_purpose():
    (a,) = run("对新认定的国家级重点实验室，给予最高500万元奖补。").amounts
    assert a.beneficiary == "国家级重点实验室"
    (a,) = run("对建设成效显著的市级新型研发机构给予最高50万元项目经费支持。").amounts
    assert (a.beneficiary, a.purpose) == ("市级新型研发机构", "项目经费")


def test_applicant_size_limit_is_a_threshold_not_a_benefit():
    # seed 004's 科技保险 办法: a condition on the applicant, once read as a 5000万 cap
    assert amounts("（三）上年度资产总额和年销售收入不超过5000万元。") == [(50_000_000, "threshold")]
    assert amounts("申报单位职工人数不超过300人，营业收入不超过2亿元。") == [(200_000_000, "threshold")]
    # …but a benefit named after such a noun stays a benefit
    assert amounts("按上年度登记技术合同成交额给予最高50万元奖补。") == [(500_000, "cap")]
    assert amounts("单个企业当年获得奖补资金总额不超过600万元。") == [(6_000_000, "cap")]


def test_beneficiary_is_not_a_qualifier_nor_a_cost():
    (a,) = run("建设一批科技金融服务基地，对建设成效显著的给予最高50万元奖补。").amounts
    assert a.beneficiary is None  # 建设成效显著 is no beneficiary
    (a,) = run("支持技术合同服务点深化产学研对接服务，按成交额给予最高50万元奖补。").amounts
    assert a.beneficiary is None  # 对接 is no 对-object
    (a,) = run("对企业使用大型科学仪器发生的检验检测费用，按实际发生额的20%给予补贴。").amounts
    assert (a.beneficiary, a.purpose) == (None, "检验检测费用")
