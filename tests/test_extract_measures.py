"""Measures, conditions and benefit formulas (fields of data/rules/condition_fields.yaml only)."""
import doctest
from pathlib import Path

import yaml

import ingest.extract.conditions
import ingest.extract.formulas
from extract_helpers import run

FIELDS = set(yaml.safe_load((Path(__file__).resolve().parents[1] / "data/rules/condition_fields.yaml")
                            .read_text(encoding="utf-8"))["fields"])
OPS = {">=", ">", "<=", "<", "==", "in", "between", "has", "is"}

RD_TIERS = ("研发投入在1000万元（含）-5000万元之间，且研发投入经费较上年度增长30%及以上的企业，对增量排名前50位的按不超过"
            "新增额的10%给予奖补，单个企业最高奖补150万元；研发投入在5000万元（含）-1亿元之间，且研发投入经费较上年度增长"
            "20%及以上的企业，对增量排名前30位的按不超过新增额的10%给予奖补，单个企业最高奖补200万元；研发投入在1亿元（含）"
            "-10亿元之间，且研发投入经费较上年度增长15%及以上的企业，对增量排名前20位的按不超过新增额的10%给予奖补，单个企业"
            "最高奖补200万元；对研发投入10亿元（含）以上，且研发投入经费较上年度增长8%及以上的企业，单个企业一次性给予500万元奖补。")


def conds(m):
    return {(c.field, c.op, c.value) for c in m.conditions}


def test_doctests():
    for mod in (ingest.extract.conditions, ingest.extract.formulas):
        assert doctest.testmod(mod).failed == 0


def test_rd_tiers_four_measures_one_group():
    p = run(RD_TIERS)
    assert len(p.measures) == 4
    assert len({m.tier_group for m in p.measures}) == 1 and p.measures[0].tier_group
    first, last = p.measures[0], p.measures[-1]
    assert {("rd_expense", "between", (10_000_000, 50_000_000)), ("rd_growth", ">=", 0.3),
            ("rd_increment_rank", "<=", 50)} <= conds(first)
    assert first.benefit_formula == "min(0.10 * rd_increment, 1500000)"
    assert p.measures[1].benefit_formula == "min(0.10 * rd_increment, 2000000)"
    assert {("rd_expense", ">=", 1_000_000_000), ("rd_growth", ">=", 0.08)} <= conds(last)
    assert last.benefit_formula == "5000000"
    assert p.benefit_formula is None  # the tiers differ


def test_two_objects_two_measures_not_tiers():
    p = run("对新获批建设（重组）的全国重点实验室，在建设期内，对牵头组建单位给予最高1000万元奖补，对参与其他省市全国重点"
            "实验室建设单位给予最高300万元奖补。")
    assert [m.amounts[0].value_yuan for m in p.measures] == [10_000_000, 3_000_000]
    assert {m.tier_group for m in p.measures} == {None}
    assert p.measures[0].beneficiary == "牵头组建单位"


def test_new_arrival_ratio_formula():
    (m,) = run("对新引进且年研发投入额达1000万元及以上（基础研究支出可按2倍计入）的研发总部，按不超过当年研发投入额的5%"
               "给予一次性奖补，最高奖补500万元。").measures
    assert {("new_arrival", "is", True), ("rd_expense", ">=", 10_000_000)} <= conds(m)
    assert m.benefit_formula == "min(0.05 * rd_expense, 5000000)"
    assert m.beneficiary == "研发总部"


def test_first_rd_activity_and_intensity():
    (m,) = run("对符合条件的企业首次开展研发活动，且研发经费投入占主营业务收入比重超过5%（含）的，一次性给予奖补30万元。").measures
    assert {("first_rd_activity", "is", True), ("rd_intensity", ">=", 0.05),
            ("entity_type", "==", "enterprise")} <= conds(m)
    assert m.benefit_formula == "300000"


def test_intensity_without_inclusive_is_strict():
    (m,) = run("研发经费投入占主营业务收入比重超过5%的企业，给予30万元奖补。").measures
    assert ("rd_intensity", ">", 0.05) in conds(m)


def test_first_above_scale_with_qualification():
    (m,) = run("对首次升规纳统且研发经费投入占主营业务收入比重超过5%（含）的高新技术企业，一次性给予30万元奖补。").measures
    assert {("first_above_scale", "is", True), ("qualifications", "has", "高新技术企业")} <= conds(m)


def test_registered_in_qingdao():
    (m,) = run("对注册在青岛的科技型中小企业，给予最高20万元补助。").measures
    assert {("region", "==", "青岛市"), ("qualifications", "has", "科技型中小企业")} <= conds(m)
    (m,) = run("对在本市注册的企业，给予最高20万元补助。").measures
    assert ("region", "==", "青岛市") in conds(m)


def test_revenue_threshold_condition():
    (m,) = run("对年销售收入首次突破1亿元的企业，奖励50万元。").measures
    assert ("revenue", ">=", 100_000_000) in conds(m)
    assert m.benefit_formula == "500000"


def test_cap_alone_has_no_formula():
    (m,) = run("每个项目给予最高500万元支持。").measures
    assert m.benefit_formula is None and m.amounts[0].kind == "cap"


def test_ratio_with_unknown_base_has_no_formula():
    (m,) = run("按照不超过实际活动经费支出的50%、单项活动给予最高50万元奖补。").measures
    assert [a.kind for a in m.amounts] == ["ratio", "cap"] and m.benefit_formula is None


def test_fraction_formula():
    (m,) = run("市级财政资金支持额度不超过项目总投资的 1/3，最高 1000 万元。").measures
    assert m.benefit_formula == "min(1 / 3 * investment, 10000000)"


def test_industries_condition():
    p = run("围绕智能家电、轨道交通装备等优势产业，每年组织实施一批攻关项目，给予最高500万元支持。")
    assert ("industries", "in", ("智能家电", "轨道交通装备")) in conds(p.measures[0])


def test_no_benefit_no_measure():
    p = run("到2027年，力争全市营收5000万元以上规上制造业企业无研发活动企业实现“清零”。")
    assert p.measures == () and p.conditions == ()


def test_conditions_use_only_vocabulary_fields():
    texts = [RD_TIERS, "对首次升规纳统且研发经费投入占主营业务收入比重超过5%（含）的高新技术企业，一次性给予30万元奖补。",
             "对注册在青岛的新引进企业，职工人数100人以上的，给予最高20万元补助。"]
    for text in texts:
        for c in run(text).conditions:
            assert c.field in FIELDS and c.op in OPS, c


def test_provision_conditions_are_union_of_measures():
    p = run(RD_TIERS)
    assert {(c.field, c.op, c.value) for c in p.conditions} == set().union(*(conds(m) for m in p.measures))


def test_respectively_pairs_each_level_with_its_amount():
    p = run("对新认定的国家级、省级，以及建设成效显著的市级国际科技合作基地分别给予最高50万元、30万元、20万元奖补。")
    assert [(m.beneficiary, m.amounts[0].value_yuan) for m in p.measures] == [
        ("国家级国际科技合作基地", 500_000), ("省级国际科技合作基地", 300_000), ("市级国际科技合作基地", 200_000)]


def test_respectively_pairs_each_project_kind_with_its_amount():
    p = run("围绕智能制造等优势产业，每年组织实施一批行业共性技术攻关项目和科技示范工程，分别给予最高500万元和1000万元支持。")
    assert [(m.purpose, m.amounts[0].value_yuan) for m in p.measures] == [
        ("行业共性技术攻关项目", 5_000_000), ("科技示范工程", 10_000_000)]


def test_respectively_without_a_matching_list_pairs_nothing():
    p = run("对投资期间牵头获得省技术奖励一、二等奖的投资项目，在股权退出时，最高可分别让渡60%、40%财政资金投资收益。")
    assert all(m.beneficiary != "在股权退出时" for m in p.measures)


def test_purpose_from_the_instrument_named_before_the_amount():
    p = run("支持科技型中小企业使用创新券购买检验检测等服务，按实际支付最高50%、年最高20万元标准予以兑付。")
    assert [(m.beneficiary, m.purpose) for m in p.measures] == [("科技型中小企业", "创新券")]
    p = run("通过贷款贴息、股权投资等形式给予最高2000万元支持。")
    assert p.measures[0].purpose != "股权投资"  # one of several forms, not what it is for
    p = run("聚焦重点产业构建关键核心技术专利组合（专利池），对入围企业最高奖励100万元。")
    assert (p.measures[0].beneficiary, p.measures[0].purpose) == ("入围企业", "专利池")


def test_purpose_falls_back_to_the_provision_heading():
    from ingest.extract import enrich
    from ingest.model import Provision, Span
    p = Provision("art_3", "article", "3.", "深化科技管理改革", "深化科技管理改革。引导智库参与决策，给予最高100万元支持。",
                  Span("x", 1, 1), line_map=((0, 1),))
    assert enrich(p, None).measures[0].purpose == "深化科技管理改革"
