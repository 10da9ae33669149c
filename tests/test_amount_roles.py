"""Amount roles: only a benefit is money a firm may get (eligibility, totals, conflicts)."""
import pytest

from extract_helpers import run


def roles(text):
    return [(a.value_yuan, a.role) for a in run(text).amounts if a.value_yuan]


@pytest.mark.parametrize("text, expected", [
    # the 北京 fine offered as a 5,000万 benefit
    ("违反本条例规定的，由有关部门责令改正，处罚款，最高不超过五千万元。", [(50_000_000, "penalty")]),
    ("处五千元以上五万元以下罚款。", [(5_000, "penalty"), (50_000, "penalty")]),
    # the liability limit offered as a 2,100万 benefit
    ("承运人的赔偿限额按照规定执行，最高不超过2100万元。", [(21_000_000, "liability_limit")]),
    ("用人单位应当按照每人每月500元的标准支付职工生活补助。", [(500, "obligation")]),
    ("设立规模不低于1亿元的重点产业发展引导资金。", [(100_000_000, "fund")]),
    ("接受捐赠金额在五万元以上、不超过十万元的，应当报宗教事务部门备案。", [(50_000, "threshold"), (100_000, "other")]),
    ("对首次认定的高新技术企业，给予最高30万元奖励。", [(300_000, "benefit")]),
    ("对新认定的市级众创空间，给予一次性奖励5万元；违规骗取的，追回资金并处罚款。", [(50_000, "benefit")]),
])
def test_roles(text, expected):
    assert roles(text) == expected


def test_fee_per_unit_is_a_fee():
    p = run("按照每立方米二元的标准收取森林植被恢复费。")
    assert {a.role for a in p.amounts} == {"fee"} and p.measures == ()


def test_items_under_a_penalty_article_are_penalties():
    from ingest.extract import enrich
    from ingest.model import Provision, Span
    item = Provision("i1", "item", "（一）", None, "车货总质量超过限值百分之二十的，处五百元罚款；", Span("x", 2, 2))
    art = Provision("a1", "article", "第五十条", None, "违反本条例规定超限运输的，按照下列规定处理：", Span("x", 1, 1),
                    children=(item,))
    [child] = enrich(art, None).children
    assert {a.role for a in child.amounts} == {"penalty"} and child.measures == ()


def test_only_benefits_reach_eligibility():
    from builders import doc, prov
    from queries.catalog import build_catalog
    from queries.eligibility import eligibility
    p = run("违反本条例规定的，处罚款，最高不超过五千万元。对高新技术企业给予最高10万元奖励。")
    d = doc("fine:01", "某市条例", (prov("art_1", p.text, 3, amounts=p.amounts, measures=p.measures),))
    res = eligibility(build_catalog([d]), {"location": "青岛市", "qualifications": ["高新技术企业"]}, "2026-11-22")
    assert [r["benefit"]["max_yuan"] for r in res["results"]] == [100_000]
