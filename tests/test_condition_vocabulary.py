"""Conditions in general: the subject of a growth rate, 成立/注册 N年, 上市, qualifications with
新认定/首次认定 told apart from 复审, qualifications listed together as alternatives."""
import doctest

import pytest

import ingest.extract.conditions
from ingest.extract.conditions import find_conditions


def conds(text):
    return [(c.field, c.op, c.value) for c in find_conditions(text)]


def test_doctests():
    assert doctest.testmod(ingest.extract.conditions).failed == 0


@pytest.mark.parametrize("text, expected", [
    # 研发 in the clause no longer makes every growth R&D growth
    ("研发投入占营业收入比重不低于3%且营业收入较上年增长20%以上的企业", [("rd_intensity", ">=", 0.03), ("revenue_growth", ">=", 0.2)]),
    ("研发投入较上年增长30%的企业", [("rd_growth", ">=", 0.3)]),
    ("年纳税额较上年增长15%", [("tax_growth", ">=", 0.15)]),
    ("固定资产投资同比增长10%", [("investment_growth", ">=", 0.1)]),
    ("同比增长10%", []),  # no subject: no guess
    ("年纳税额达到500万元以上的企业", [("tax_paid", ">=", 5_000_000)]),
])
def test_growth_and_threshold_subjects(text, expected):
    assert conds(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("对成立不满3年的企业", [("years_established", "<", 3)]),
    ("注册满1年的企业", [("years_established", ">=", 1)]),
    ("成立5年以内的企业", [("years_established", "<=", 5)]),
    ("对在主板上市企业", [("listed", "is", True)]),
    ("新三板挂牌的企业", [("listed", "is", True)]),
])
def test_age_and_listing(text, expected):
    assert conds(text) == expected


def test_first_certification_and_renewal_are_told_apart():
    assert conds("对首次认定的高新技术企业") == [("certification", "==", "new"), ("qualifications", "has", "高新技术企业")]
    assert conds("通过复审的高新技术企业") == [("certification", "==", "renewal"), ("qualifications", "has", "高新技术企业")]


@pytest.mark.parametrize("text, expected", [
    ("对省级“专精特新”中小企业或国家高新技术企业", [("qualifications", "in", ("专精特新", "高新技术企业"))]),
    ("对高新技术企业、科技型中小企业给予", [("qualifications", "in", ("高新技术企业", "科技型中小企业"))]),
    ("对同时为高新技术企业和专精特新企业的", [("qualifications", "has", "高新技术企业"), ("qualifications", "has", "专精特新")]),
    ("对新认定的瞪羚企业、牛羚企业", [("certification", "==", "new"), ("qualifications", "in", ("瞪羚企业", "牛羚企业"))]),
])
def test_qualification_lists(text, expected):
    assert conds(text) == expected


def test_years_established_is_derived_on_the_day_asked():
    from queries.eligibility import derive
    from datetime import date
    assert derive({"founded": "2020-06-01"}, day=date(2026, 6, 1))["years_established"] == 6.0
