"""Programmes and beneficiary types: one canonical name per programme, taxonomy from data/rules/."""
import doctest

import ingest.extract.beneficiaries
import ingest.extract.programmes
from extract_helpers import run
from ingest.extract.programmes import find_programmes


def test_doctests():
    for mod in (ingest.extract.programmes, ingest.extract.beneficiaries):
        assert doctest.testmod(mod).failed == 0


def test_programme_variants_one_name():
    texts = ["实施新时代“人才强青”计划。", "深入推进“人才强青”计划。", "实施“人才强青计划”。"]
    assert {find_programmes(t) for t in texts} == {("人才强青计划",)}
    assert find_programmes("实施“海创计划”") == find_programmes("实施“海创”计划") == ("海创计划",)


def test_unquoted_action_after_verb():
    assert find_programmes("实施种业振兴行动，支持重大良种攻关。") == ("种业振兴行动",)


def test_generic_plan_not_programme():
    assert find_programmes("每年组织实施一批行业共性技术攻关项目和科技示范工程。") == ()
    assert find_programmes("快速组织实施技术攻关专项。") == ()
    assert find_programmes("改进科技计划管理体系。") == ()
    assert find_programmes("通过实施“七大计划”、推进“八大工程”") == ()


def test_quoted_slogan_is_not_programme():
    assert find_programmes("形成企业“出题”、院所“答题”、市场“阅卷”机制。") == ()


def test_beneficiary_types():
    p = run("支持科技型中小企业、高校院所和新型研发机构，鼓励创投风投机构投早投小。")
    assert p.beneficiaries == ("科技型中小企业", "高校", "科研院所", "新型研发机构", "创投机构")
