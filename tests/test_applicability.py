"""Applicability by nesting of divisions: where a document's measures reach a firm."""
import pytest

from builders import doc, prov
from ingest.model import Amount
from ingest.places import gazetteer
from queries.applicability import MET, UNKNOWN, UNMET, firm_place, location_state, same_chain
from queries.catalog import build_catalog
from queries.eligibility import eligibility
from ingest.jurisdiction import as_jurisdiction


def jur(name):
    return as_jurisdiction(gazetteer().resolve(name))


def state(doc_place, firm_place_name):
    firm = gazetteer().resolve(firm_place_name) if firm_place_name else None
    return location_state(jur(doc_place) if doc_place else None, firm)[0]


@pytest.mark.parametrize("doc_place, firm, expected", [
    ("安徽省", "安徽省合肥市", MET),  # a province's measures in its cities
    ("安徽省", "安徽省合肥市蜀山区", MET),
    ("广州市", "广州市天河区", MET),  # a city's in its districts
    ("广州市南沙区", "广州市天河区", UNMET),  # a district's only inside it
    ("广州市南沙区", "广州市", UNKNOWN),  # the firm named only its city
    ("广州市天河区", "广东省", UNKNOWN),
    ("浙江省杭州市", "江苏省南京市", UNMET),
    ("浙江省杭州市", None, UNKNOWN),  # no location: possible, location decides
    ("两江新区", "重庆市渝北区", UNKNOWN),  # a zone over part of the district
    ("两江新区", "重庆市万州区", UNMET),
    ("南沙新区", "广州市南沙区", MET),  # a zone covering the district
    ("重庆市渝北区", "两江新区", UNKNOWN),
])
def test_nesting(doc_place, firm, expected):
    assert state(doc_place, firm) == expected


def test_national_applies_everywhere_even_without_a_location():
    national = as_jurisdiction(gazetteer().get("000000"))
    assert location_state(national, None)[0] == MET


def test_exclusion_leaves_the_zone_out():
    from ingest.model import Jurisdiction
    cq = Jurisdiction("重庆市", "province", "500000", (), ("500157",), ("两江新区",))
    assert location_state(cq, gazetteer().resolve("两江新区"))[0] == UNMET
    assert location_state(cq, gazetteer().resolve("重庆市万州区"))[0] == MET
    assert location_state(cq, gazetteer().resolve("重庆市渝北区"))[0] == UNKNOWN  # partly in the zone


def test_unknown_place_is_a_clear_error():
    with pytest.raises(ValueError, match="'火星市' is not a known"):
        firm_place({"location": "火星市"})


def test_conflicts_only_along_one_chain():
    assert same_chain(jur("广州市"), jur("广州市天河区"))
    assert not same_chain(jur("广州市南沙区"), jur("广州市天河区"))
    assert not same_chain(jur("重庆市渝北区"), jur("广州市南沙区"))


def _measure_doc(did, title, issuer):
    return doc(did, title, (prov("p1", "对高新技术企业给予最高10万元支持。", 3, amounts=(
        Amount("最高10万元", 100_000, "cap", "高新技术企业", "支持", 3),)),),
        issuers=(issuer,), region=None, start=None)


def test_a_firm_is_never_offered_a_measure_of_a_division_it_is_not_in():
    cat = build_catalog([_measure_doc("ns:01", "南沙区支持企业若干措施", "广州市南沙区人民政府"),
                         _measure_doc("th:01", "天河区支持企业若干措施", "广州市天河区人民政府"),
                         _measure_doc("gd:01", "广东省支持企业若干措施", "广东省人民政府")])
    res = eligibility(cat, {"location": "广州市天河区", "qualifications": ["高新技术企业"]}, "2026-11-22")
    assert {r["document"]["id"] for r in res["results"]} == {"th:01", "gd:01"}
    res = eligibility(cat, {"qualifications": ["高新技术企业"]}, "2026-11-22")  # no location
    assert {r["verdict"] for r in res["results"]} == {"possible"}
    assert all("location" in r["deciding_fields"] for r in res["results"])
    ineligible = eligibility(cat, {"location": "广州市天河区", "qualifications": ["高新技术企业"]}, "2026-11-22",
                             include_ineligible=True)
    [ns] = [r for r in ineligible["results"] if r["document"]["id"] == "ns:01"]
    assert ns["verdict"] == "ineligible" and "南沙区" in ns["conditions"][0]["text"]
