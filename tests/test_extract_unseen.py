"""Documents that were NOT used to build the dev set or the rules: a notice without amounts,
a provincial-capital policy, a county notice and a national law article."""
from extract_helpers import run
from ingest.model import DocMeta

NOTICE = """关于组织开展2025年度科技型中小企业评价工作的通知
各区（市）科技主管部门，各有关单位：
根据《科技型中小企业评价办法》（国科发政〔2017〕115号）要求，现就2025年度评价工作有关事项通知如下。
一、企业于2025年3月1日至10月31日登录服务平台填报信息，逾期不予受理。
二、请各区（市）科技主管部门于每月10日前完成审核，审核通过率原则上不低于90%。
三、联系人：王某，联系电话：0532-85911234，传真：85911235。
附件：1.评价指标（共3项）2.填报说明
青岛市科学技术局
2025年2月20日"""


def test_notice_without_amounts_yields_none():
    for i, para in enumerate(NOTICE.split("\n"), 1):
        p = run(para, line=i)
        assert p.amounts == () and p.measures == () and p.benefit_formula is None, para


def test_other_city_policy():
    suzhou = DocMeta(title=None, region="苏州市")
    p = run("对首次认定的高新技术企业，给予30万元奖励；对年销售收入首次突破1亿元的企业，再奖励50万元。"
            "（责任单位：市科技局、市财政局）", meta=suzhou)
    assert [(a.value_yuan, a.kind) for a in p.amounts] == [(300_000, "fixed"), (100_000_000, "threshold"),
                                                           (500_000, "fixed")]
    assert [a.name for a in p.agencies] == ["苏州市科学技术局", "苏州市财政局"]
    assert [m.benefit_formula for m in p.measures] == ["300000", "500000"]


def test_county_notice_with_yuan_in_thousands():
    county = DocMeta(title=None, region="莱西市")
    p = run("对新认定的市级众创空间，给予一次性奖励5万元；对入驻孵化器的初创团队，每年给予不超过2万元的房租补贴，"
            "补贴期限不超过3年。（牵头单位：市科技局；配合单位：市财政局）", meta=county)
    assert [(a.value_yuan, a.kind) for a in p.amounts] == [(50_000, "fixed"), (20_000, "annual_cap")]
    assert [(a.name, a.role) for a in p.agencies] == [("莱西市科学技术局", "lead"), ("莱西市财政局", "cooperating")]


def test_national_law_article():
    p = run("第四十五条 科技成果完成单位未规定、也未与科技人员约定奖励和报酬的方式和数额的，应当按照下列标准对完成、转化"
            "职务科技成果做出重要贡献的人员给予奖励和报酬。国务院科学技术行政部门会同有关部门制定具体办法。",
            meta=DocMeta(title=None, region=None))
    assert p.amounts == ()
    assert p.agencies == () or all(a.role == "mentioned" for a in p.agencies)
