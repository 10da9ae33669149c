"""The division dataset and the names that refer to it; where a document applies."""
import doctest

import pytest

import ingest.jurisdiction
import ingest.places
from ingest.jurisdiction import jurisdiction, place_of, place_of_doc_number
from ingest.model import DocMeta, Para
from ingest.places import gazetteer


def test_doctests():
    assert doctest.testmod(ingest.places).failed == 0
    assert doctest.testmod(ingest.jurisdiction).failed == 0


def test_the_dataset_has_every_level_with_parents():
    g = gazetteer()
    levels = [d.level for d in g.by_key.values() if not d.former]
    assert levels.count("province") == 34 and levels.count("city") >= 330 and levels.count("county") >= 2800
    assert [a.name for a in g.ancestors("440106")] == ["天河区", "广州市", "广东省", "全国"]


@pytest.mark.parametrize("name, key", [
    ("广州市天河区", "440106"), ("天河", "440106"), ("南沙", "440115"), ("浦东", "310115"),
    ("渝北", "500112"),  # a district the 2025 data no longer lists: kept as a former unit
    ("乌鲁木齐市", "650100"),  # four characters
    ("两江新区", "500157"), ("南京市鼓楼区", "320106"), ("福州市鼓楼区", "350102"),
    ("吉林", "220000"),  # the province, not the city of the same short name
    ("黔南", "522700"), ("即墨市", "370282"),
])
def test_names_resolve(name, key):
    assert gazetteer().resolve(name).key == key


def test_a_name_shared_by_several_divisions_stays_open_without_context():
    assert gazetteer().resolve("鼓楼区") is None


def test_renamed_units_point_at_their_successor():
    d = gazetteer().resolve("即墨市")
    assert d.former and d.successor == "370215"  # 即墨区


@pytest.mark.parametrize("number, name", [
    ("穗府办规〔2019〕5号", "广州市"), ("渝北府办发〔2022〕7号", "渝北区"), ("皖政办秘〔2023〕1号", "安徽省"),
    ("国办发〔2020〕1号", "全国"), ("财税〔2019〕13号", "全国"), ("粤府〔2023〕1号", "广东省"),
    ("天河府办〔2023〕3号", "天河区"), ("杭政办函〔2023〕81号", "杭州市"),
])
def test_doc_number_prefixes(number, name):
    assert place_of_doc_number(number).name == name


def test_an_ambiguous_abbreviation_decides_nothing():
    assert place_of_doc_number("青政字〔2024〕20号") is None  # 青海 or 青岛: the issuer decides


@pytest.mark.parametrize("issuer, name, level", [
    ("广州市天河区人民政府", "天河区", "county"), ("两江新区管委会", "两江新区", "zone"),
    ("合肥高新技术产业开发区管理委员会", "合肥高新技术产业开发区", "zone"),
    ("国家税务总局广东省税务局", "广东省", "province"), ("中共杭州市委", "杭州市", "city"),
])
def test_issuers(issuer, name, level):
    d = place_of(issuer)
    assert (d.name, d.level) == (name, level)


def test_jurisdiction_of_a_document_with_exclusion():
    meta = DocMeta(title="重庆市支持企业发展若干措施", issuers=("重庆市人民政府办公厅",))
    paras = [Para("本措施适用于本市行政区域（不含两江新区直管区）。", "本措施适用于本市行政区域（不含两江新区直管区）。", 1, 1)]
    j = jurisdiction(meta, paras)
    assert (j.name, j.level, j.code, j.parents) == ("重庆市", "province", "500000", ())
    assert j.exclude_names == ("两江新区",)


def test_national_document_from_its_issuers():
    j = jurisdiction(DocMeta(title="关于进一步支持小微企业的通知", issuers=("财政部", "税务总局")))
    assert (j.level, j.code) == ("national", None)


def test_ministry_rule_titled_with_the_country_name_is_national():
    # 外国人在中华人民共和国收养子女登记办法 (民政部令第15号): 中华人民共和国 holds 共和, the short form of
    # 共和县; the ministry is a national issuer
    meta = DocMeta(title="外国人在中华人民共和国收养子女登记办法", issuers=("民政部",))
    assert jurisdiction(meta).level == "national"
    assert place_of("外国人在中华人民共和国收养子女登记办法") is None
    assert place_of("青海省共和县人民政府").name == "共和县"  # with its suffix it is still found


def test_nothing_said_nothing_guessed():
    assert jurisdiction(DocMeta(title="关于做好有关工作的通知")) is None
