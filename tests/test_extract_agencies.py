"""Agencies: canonical names from data/rules/agencies.yaml, roles, generic bodies."""
import doctest

import ingest.extract.agencies
from extract_helpers import run
from ingest.model import DocMeta


def names(text, meta=None):
    p = run(text) if meta is None else run(text, meta=meta)
    return [(a.name, a.role) for a in p.agencies]


def test_doctests():
    assert doctest.testmod(ingest.extract.agencies).failed == 0


def test_city_court_aliases_one_body():
    p = run("（责任单位：市中级人民法院、市中级法院）")
    assert [(a.name, a.role) for a in p.agencies] == [("青岛市中级人民法院", "responsible")]


def test_surface_form_is_kept():
    (a,) = run("（责任单位：市科技局）").agencies
    assert (a.name, a.text) == ("青岛市科学技术局", "市科技局")


def test_generic_district_governments_not_split():
    got = names("（责任单位：市科技局、市财政局，各区、市政府，以下各项工作均需各区、市政府配合落实，不再一一列出）")
    assert got == [("青岛市科学技术局", "responsible"), ("青岛市财政局", "responsible"),
                   ("各区（市）人民政府", "responsible")]
    assert not any(n in ("各区", "市政府") for n, _ in got)


def test_unknown_agency_in_list_still_extracted():
    got = names("（负责部门：市退役军人事务局、青岛港集团）")
    assert got == [("青岛市退役军人事务局", "responsible"), ("青岛港集团", "responsible")]


def test_region_from_meta():
    jinan = DocMeta(title=None, region="济南市")
    assert names("（责任单位：市科技局）", jinan) == [("济南市科学技术局", "responsible")]
    assert names("（责任单位：市科技局）", None)[0][0] in ("青岛市科学技术局", "市科学技术局")


def test_explicit_place_prefix():
    assert names("具体由青岛市科技局负责解释。") == [("青岛市科学技术局", "interpreting")]


def test_interpreting_role_with_huitong():
    got = names("本实施细则由市科技局会同市财政局、人民银行青岛市分行负责解释。")
    assert got == [("青岛市科学技术局", "interpreting"), ("青岛市财政局", "interpreting"),
                   ("中国人民银行青岛市分行", "interpreting")]


def test_lead_and_cooperating():
    assert names("由市科技局牵头，市财政局配合。") == [("青岛市科学技术局", "lead"), ("青岛市财政局", "cooperating")]
    assert names("（牵头单位：市发展改革委；配合单位：市科技局）") == [("青岛市发展和改革委员会", "lead"),
                                                       ("青岛市科学技术局", "cooperating")]


def test_department_in_general_is_not_ministry():
    assert names("完善“行业部门提出需求、科技部门组织攻关”的项目形成机制。") == []
    assert names("获科技部认定的联合实验室。") == [("中华人民共和国科学技术部", "mentioned")]


def test_market_supervision_not_read_as_city_prefix():
    assert names("（责任单位：市市场监管局）") == [("青岛市市场监督管理局", "responsible")]


def test_party_bodies():
    assert names("（责任单位：市委组织部、团市委、市委金融办）") == [
        ("中共青岛市委组织部", "responsible"), ("共青团青岛市委员会", "responsible"),
        ("中共青岛市委金融委员会办公室", "responsible")]


def test_nested_brackets_in_role_list():
    got = names("（责任单位：市科技局，各区（市）政府）")
    assert got == [("青岛市科学技术局", "responsible"), ("各区（市）人民政府", "responsible")]


def test_leading_enterprise_is_not_an_agency():
    assert names("支持科技领军企业牵头建立创新联合体。") == []


def test_province_prefix_resolved_against_the_documents_own_province():
    anhui = DocMeta(title=None, issuers=("合肥市人民政府",))
    assert names("（责任单位：省科技厅、市科技局）", anhui) == [("安徽省科学技术厅", "responsible"),
                                                    ("合肥市科学技术局", "responsible")]


def test_collective_addressees_of_any_shape_are_one_body():
    got = names("（责任单位：市经信局，各县（市、区）人民政府）", DocMeta(title=None, issuers=("合肥市人民政府",)))
    assert got == [("合肥市经济和信息化局", "responsible"), ("各县（市、区）人民政府", "responsible")]
    assert "各县（市" not in {n for n, _ in got}


def test_places_of_any_length_and_branches_of_national_bodies():
    assert names("请乌鲁木齐市科技局、浙江证监局、人民银行杭州中心支行配合。", None) == [
        ("乌鲁木齐市科学技术局", "mentioned"), ("中国证券监督管理委员会浙江监管局", "mentioned"),
        ("中国人民银行杭州中心支行", "mentioned")]


def test_former_national_bodies_keep_their_name():
    assert names("根据国家工商行政管理总局、农业部的规定。", None) == [
        ("国家工商行政管理总局", "mentioned"), ("农业部", "mentioned")]


def test_traditional_characters_through_the_normal_form():
    jinhua = DocMeta(title=None, issuers=("嵊州市人民政府",))
    assert names("（責任單位：市經信局、市財政局）", jinhua) == [("嵊州市经济和信息化局", "responsible"),
                                                      ("嵊州市财政局", "responsible")]


def test_no_place_specific_entries_in_the_rules():
    from ingest.places import gazetteer
    from ingest.rules import load
    r = load("agencies")
    for table in ("fixed", "generic", "local", "inner"):
        for surface in r.get(table, {}):
            d, end = gazetteer().chain_at(surface)
            assert d is None, f"{table}: {surface!r} names a place ({d.name}): make it a template"
