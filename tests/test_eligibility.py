import doctest
import json

import pytest

import queries.eligibility
import queries.eligibility_measures
from builders import WAN, YI, all_documents, expired_rules, rd_policy
from queries.catalog import build_catalog
from queries.eligibility import derive, eligibility, load_profile, validate_profile

AS_OF = "2026-11-22"
QINGDAO = {"region": "青岛市", "entity_type": "enterprise", "qualifications": ["高新技术企业"]}


@pytest.fixture(scope="module")
def cat():
    return build_catalog(all_documents())


def _tier_result(cat, **figures):
    res = eligibility(cat, dict(QINGDAO, **figures), AS_OF, include_ineligible=True)
    [r] = [r for r in res["results"] if r["measure"]["tier_group"] == "rd_tiers"]
    return r, res


def test_doctests():
    assert doctest.testmod(queries.eligibility).failed == 0
    assert doctest.testmod(queries.eligibility_measures).failed == 0


# (rd_expense, growth, rank) → (tier number, verdict, max_yuan), read off builders.rd_policy by hand
@pytest.mark.parametrize("rd, growth, rank, tier, verdict, max_yuan", [
    (1000 * WAN, 0.30, 50, 1, "eligible", 1000 * WAN * 0.3 / 1.3 * 0.1),  # lower bounds inclusive
    (4999 * WAN, 0.50, 1, 1, "eligible", 150 * WAN),  # 10 % of 1666万 capped at 150万
    (5000 * WAN, 0.20, 30, 2, "eligible", 5000 * WAN * 0.2 / 1.2 * 0.1),  # 5000万 is tier 2, not 1
    (1 * YI, 0.15, 20, 3, "eligible", 1 * YI * 0.15 / 1.15 * 0.1),  # 1亿 is tier 3: 130.4万
    (10 * YI, 0.08, None, 4, "eligible", 500 * WAN),  # fixed 500万, no rank needed
    (1000 * WAN, 0.29, 10, 1, "ineligible", None),  # growth just under 30 %
    (5000 * WAN, 0.25, 31, 2, "ineligible", None),  # rank 31 > 30
    (999 * WAN, 0.50, 1, 1, "ineligible", None),  # below every tier
])
def test_rd_tiers_each_tier_and_boundary(cat, rd, growth, rank, tier, verdict, max_yuan):
    figures = {"rd_expense": rd, "rd_growth": growth}
    if rank is not None:
        figures["rd_increment_rank"] = rank
    r, _ = _tier_result(cat, **figures)
    assert r["verdict"] == verdict
    assert r["measure"]["text"].startswith(f"第{tier}档")
    assert len(r["tiers"]) == 4  # the alternatives are listed, only one is kept
    if max_yuan is not None:
        assert r["benefit"]["max_yuan"] == pytest.approx(max_yuan, abs=1)


def test_increment_from_raw_figures(cat):
    r, res = _tier_result(cat, rd_expense=3000 * WAN, rd_expense_prev=2000 * WAN, rd_increment_rank=5)
    assert res["derived"]["rd_growth"] == 0.5 and res["derived"]["rd_increment"] == 1000 * WAN
    assert (r["verdict"], r["benefit"]["max_yuan"], r["benefit"]["basis"]) == ("eligible", 100 * WAN, "formula")


def test_unknown_fields_make_possible_and_name_what_decides(cat):
    r, _ = _tier_result(cat, rd_expense=3000 * WAN)
    assert r["verdict"] == "possible"
    assert r["deciding_fields"] == ["rd_growth", "rd_increment_rank"]
    assert (r["benefit"]["max_yuan"], r["benefit"]["basis"]) == (150 * WAN, "cap")
    states = {c["field"]: c["state"] for c in r["conditions"]}
    assert states == {"rd_expense": "met", "rd_growth": "unknown", "rd_increment_rank": "unknown",
                      "entity_type": "met", "region": "met"}


def test_empty_profile_everything_possible_nothing_eligible(cat):
    res = eligibility(cat, {}, AS_OF)
    assert res["results"] and {r["verdict"] for r in res["results"]} == {"possible"}


def test_hospital_measure_is_not_for_an_enterprise(cat):
    res = eligibility(cat, dict(QINGDAO, rd_expense=3000 * WAN), AS_OF, include_ineligible=True)
    [clinic] = [r for r in res["results"] if r["measure"]["beneficiary"] == "医疗机构"]
    assert clinic["verdict"] == "ineligible"
    assert [c["state"] for c in clinic["conditions"] if c["field"] == "entity_type"] == ["unmet"]
    shown = eligibility(cat, dict(QINGDAO, rd_expense=3000 * WAN), AS_OF)
    assert all(r["measure"]["beneficiary"] != "医疗机构" for r in shown["results"])
    hospital = eligibility(cat, {"region": "青岛市", "entity_type": "hospital"}, AS_OF)
    [r] = [r for r in hospital["results"] if r["measure"]["beneficiary"] == "医疗机构"]
    # no condition stated beyond who may apply: possible, decided by the call for applications
    assert (r["verdict"], r["deciding_fields"]) == ("possible", ["application_review"])


def test_other_region_is_ineligible(cat):
    res = eligibility(cat, dict(QINGDAO, region="上海市", rd_expense=3000 * WAN), AS_OF)
    assert res["results"] == []


def test_no_stacking_combines_as_the_best_not_the_sum(cat):
    prof = dict(QINGDAO, rd_expense=3000 * WAN, rd_expense_prev=2000 * WAN, rd_increment_rank=5,
                new_arrival=True, first_rd_activity=True, revenue=3 * YI)
    res = eligibility(cat, prof, AS_OF)
    rd = [r for r in res["results"] if r["document"]["id"] == "rd:01"]
    assert [r["benefit"]["max_yuan"] for r in rd] == [150 * WAN, 100 * WAN, 30 * WAN]  # most valuable first
    assert all(r["verdict"] == "eligible" for r in rd)
    [rule] = res["combined"]["no_stacking"]
    assert (rule["sum_yuan"], rule["combined_yuan"]) == (280 * WAN, 150 * WAN)
    assert "不重复" in rule["rule"]["text"] and rule["rule"]["line"] == 40
    assert res["combined"]["eligible_max_yuan"] == 150 * WAN


def test_expired_rules_only_on_request_and_marked(cat):
    prof = {"region": "青岛市", "qualifications": ["科技型中小企业"]}
    assert all(r["document"]["id"] != "xz:01" for r in eligibility(cat, prof, AS_OF)["results"])
    res = eligibility(cat, prof, AS_OF, include_expired=True)
    [old] = [r for r in res["results"] if r["document"]["id"] == "xz:01"]
    assert (old["status"], old["applicable"], old["verdict"]) == ("expired", False, "eligible")
    assert res["results"][-1] is old  # applicable ones first
    before = eligibility(cat, prof, "2024-01-01")
    assert [r["status"] for r in before["results"] if r["document"]["id"] == "xz:01"] == ["in_force"]


def test_citation_and_agencies(cat, schema):
    res = eligibility(cat, dict(QINGDAO, rd_expense=3000 * WAN), AS_OF)
    schema("eligibility", res)
    r = next(r for r in res["results"] if r["measure"]["tier_group"])
    assert r["document"] == {"id": "rd:01", "title": "青岛市进一步提升全社会研发投入若干政策", "source": "rd.txt",
                             "doc_number": "青政办字〔2024〕5号", "issue_date": "2024-08-02"}
    assert (r["provision"]["id"], r["provision"]["label"], r["provision"]["line_start"],
            r["provision"]["line_end"]) == ("art_1", "一、", 11, 16)
    assert [a["name"] for a in r["agencies"]] == ["青岛市科学技术局", "青岛市财政局"]
    assert r["status"] == "in_force"
    assert all(c["text"] for c in r["conditions"])
    json.dumps(res, ensure_ascii=False)


def test_unknown_document_status_is_never_eligible():
    from builders import doc, prov
    from ingest.model import Amount
    d = doc("nd:02", "关于支持企业的通知", (prov("p1", "对高新技术企业给予最高10万元支持。", 3, amounts=(
        Amount("最高10万元", 100_000, "cap", "高新技术企业", "支持", 3),)),))
    res = eligibility(build_catalog([d]), QINGDAO, AS_OF)
    [r] = res["results"]
    assert (r["status"], r["verdict"], r["deciding_fields"]) == ("unknown", "possible", ["document_status"])


def test_profile_validation_names_the_bad_field(tmp_path):
    with pytest.raises(ValueError, match="unknown field 'turnover'"):
        validate_profile({"turnover": 1})
    with pytest.raises(ValueError, match="'rd_expense' has value '3000万'"):
        validate_profile({"rd_expense": "3000万"})
    with pytest.raises(ValueError, match="'entity_type' has value 'company'"):
        validate_profile({"entity_type": "company"})
    p = tmp_path / "bad.json"
    p.write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.json: not valid JSON"):
        load_profile(p)


def test_example_profiles_load_and_answer(cat, schema):
    from conftest import ROOT
    paths = sorted((ROOT / "data" / "profiles").glob("*.json"))
    assert len(paths) >= 3
    for path in paths:
        schema("eligibility", eligibility(cat, load_profile(path), AS_OF, include_expired=True, include_ineligible=True))
    prof = load_profile(ROOT / "data" / "profiles" / "qingdao_rd_firm.json")
    assert derive(prof)["rd_growth"] == pytest.approx(0.5)
    [tier] = [r for r in eligibility(cat, prof, AS_OF)["results"] if r["measure"]["tier_group"]]
    assert (tier["verdict"], tier["benefit"]["max_yuan"]) == ("eligible", 100 * WAN)  # as README.md says


def test_only_rd_policy_catalog_is_fast_enough_to_rebuild():
    res = eligibility(build_catalog([rd_policy(), expired_rules()]), QINGDAO, AS_OF)
    assert {r["document"]["id"] for r in res["results"]} == {"rd:01"}


# ---- the real corpus: 004's 青岛市进一步提升全社会研发投入若干政策 (seed 004, lines 2261-2301) -----

RD_POLICY = "青岛市进一步提升全社会研发投入若干政策"


def _corpus_tier(**figures):
    from builders import corpus_catalog
    cat = corpus_catalog()
    doc = cat.document(RD_POLICY)
    res = eligibility(cat, dict(QINGDAO, **figures), AS_OF, include_ineligible=True)
    [r] = [r for r in res["results"] if r["document"]["id"] == doc.id and r["measure"]["tier_group"]]
    return r, res


# the four tiers as the text states them (line 2267), at and around each boundary
@pytest.mark.parametrize("rd, growth, increment, rank, verdict, max_yuan, bracket", [
    (3000 * WAN, 0.50, 1000 * WAN, 10, "eligible", 100 * WAN, "1000万元（含）-5000万元"),
    (1000 * WAN, 0.30, 230 * WAN, 50, "eligible", 23 * WAN, "1000万元（含）-5000万元"),  # every bound inclusive
    (4000 * WAN, 0.60, 1500 * WAN, 1, "eligible", 150 * WAN, "1000万元（含）-5000万元"),  # capped at 150万
    (5000 * WAN, 0.20, 833 * WAN, 30, "eligible", 83.3 * WAN, "5000万元（含）-1亿元"),  # 5000万 is tier 2
    (9000 * WAN, 0.50, 3000 * WAN, 2, "eligible", 200 * WAN, "5000万元（含）-1亿元"),  # capped at 200万
    (1 * YI, 0.15, 1304 * WAN, 20, "eligible", 130.4 * WAN, "1亿元（含）-10亿元"),
    (10 * YI, 0.08, 7400 * WAN, None, "eligible", 500 * WAN, "10亿元（含）以上"),  # fixed, no ranking
    (1000 * WAN, 0.29, 225 * WAN, 10, "ineligible", None, "1000万元（含）-5000万元"),  # growth < 30 %
    (3000 * WAN, 0.50, 1000 * WAN, 51, "ineligible", None, "1000万元（含）-5000万元"),  # rank 51 > 50
    (999 * WAN, 0.50, 333 * WAN, 1, "ineligible", None, "1000万元（含）-5000万元"),  # below every tier
])
def test_corpus_rd_tiers(rd, growth, increment, rank, verdict, max_yuan, bracket):
    figures = {"rd_expense": rd, "rd_growth": growth, "rd_increment": increment}
    if rank is not None:
        figures["rd_increment_rank"] = rank
    r, _ = _corpus_tier(**figures)
    assert r["verdict"] == verdict
    assert bracket in r["measure"]["text"]
    assert len(r["tiers"]) == 4
    assert (r["provision"]["label"], r["provision"]["line_start"]) == ("一、", 2265)
    assert "青岛市科学技术局" in [a["name"] for a in r["agencies"]]
    if max_yuan is not None:
        assert r["benefit"]["max_yuan"] == pytest.approx(max_yuan, abs=1)


def test_corpus_rd_tier_with_unknown_fields():
    r, res = _corpus_tier(rd_expense=3000 * WAN)
    assert r["verdict"] == "possible" and "1000万元（含）-5000万元" in r["measure"]["text"]
    assert r["deciding_fields"] == ["rd_growth", "rd_increment_rank"]
    assert (r["benefit"]["max_yuan"], r["benefit"]["basis"]) == (150 * WAN, "cap")
    [rule] = [x["rule"] for x in res["combined"]["no_stacking"] if "不重复" in x["rule"]["text"]]
    assert rule["line"] == 2301  # 各类专项政策与本政策按照“从优、就高、不重复”原则执行


def test_corpus_expired_rules_only_on_request(schema):
    from builders import corpus_catalog
    cat = corpus_catalog()
    d = cat.document("青岛市科学技术局关于研发机构科技成果转化绩效评价奖补实施细则（试行）")
    prof = {"region": "青岛市", "entity_type": "new_rd_institution"}
    assert all(r["document"]["id"] != d.id for r in eligibility(cat, prof, AS_OF)["results"])
    res = eligibility(cat, prof, AS_OF, include_expired=True)
    schema("eligibility", res)
    mine = [r for r in res["results"] if r["document"]["id"] == d.id]
    assert mine and all(r["status"] == "expired" and not r["applicable"] for r in mine)
    assert [r["document"]["id"] for r in eligibility(cat, prof, "2025-01-01")["results"]].count(d.id) == len(mine)


def test_printed_table_shows_verdict_amount_and_no_stacking(cat):
    from rich.console import Console
    from cli_render import print_results
    con = Console(record=True, width=200)
    print_results(eligibility(cat, dict(QINGDAO, rd_expense=3000 * WAN, rd_expense_prev=2000 * WAN,
                                         rd_increment_rank=5, new_arrival=True), AS_OF), con)
    out = con.export_text()
    assert "eligible" in out and "100万元" in out and "取最高 150万元" in out


def test_corpus_news_report_measures_are_related_reading_not_policies():
    from builders import corpus_catalog
    cat = corpus_catalog()
    res = eligibility(cat, dict(QINGDAO, rd_expense=3000 * WAN), AS_OF)
    news = {d.id for d in cat.documents if d.doc_type in ("新闻报道", "政策解读")}
    assert news and not [r for r in res["results"] if r["document"]["id"] in news]
    assert res["related_reading"] and {r["document"]["id"] for r in res["related_reading"]} <= news
    assert all("原文" in r["note"] for r in res["related_reading"])


def test_corpus_conditions_listed_once():
    """高新技术企业 was listed twice: the extracted qualification and the entity type it implies."""
    from builders import corpus_catalog
    res = eligibility(corpus_catalog(), dict(QINGDAO), AS_OF)
    for r in res["results"]:
        keys = [(c["field"], c["op"], json.dumps(c["value"], ensure_ascii=False)) for c in r["conditions"]]
        assert len(keys) == len(set(keys))
        if any(c["field"] == "qualifications" for c in r["conditions"]):
            assert not any(c["field"] == "entity_type" and c["value"] in ("enterprise", ["enterprise"])
                           for c in r["conditions"])


def test_corpus_sub_item_repeating_its_article_is_one_result():
    from builders import corpus_catalog
    res = eligibility(corpus_catalog(), dict(QINGDAO), AS_OF)
    seen = [(r["document"]["id"], r["measure"]["text"], r["benefit"]["text"]) for r in res["results"]]
    assert len(seen) == len(set(seen))


def test_combined_totals_say_what_they_are_and_never_sum_alternatives():
    from queries.eligibility import combine

    def r(doc, verdict, amount, deciding=(), stack=(), who="企业", what=None, text="x"):
        return {"verdict": verdict, "applicable": True, "document": {"id": doc}, "no_stacking": list(stack),
                "benefit": {"max_yuan": amount}, "deciding_fields": list(deciding),
                "measure": {"beneficiary": who, "purpose": what, "text": text}}
    rule = {"text": "按照“从优、就高、不重复”原则执行", "line": 9}
    results = [r("a", "eligible", 100, what="研发投入奖补"),
               r("b", "eligible", 100, what="研发投入奖补"),  # the same measure restated: once
               r("c", "possible", 50, ["rd_growth"], [rule], what="p1"),
               r("c", "possible", 30, ["rd_growth"], [rule], what="p2"),  # 就高 within c: 50, not 80
               r("d", "possible", 9999, ["application_review"], what="p3")]  # review only: never added
    c = combine(results)
    assert (c["eligible_max_yuan"], c["possible_max_yuan"]) == (100, 150)
    assert c["restatements_merged"] == 1 and c["no_stacking"][0]["combined_yuan"] == 50
    assert c["discretionary"] == {"count": 1, "best_single_yuan": 9999}
    assert set(c["explain"]) == {"eligible_max_yuan", "possible_max_yuan", "discretionary"}


def test_first_time_and_repeat_awards_are_alternatives_in_the_total():
    from queries.eligibility import combine

    def r(text, amount):
        return {"verdict": "eligible", "applicable": True, "document": {"id": "d"}, "provision": {"id": "p"},
                "no_stacking": [], "benefit": {"max_yuan": amount}, "deciding_fields": [],
                "measure": {"beneficiary": "高新技术企业", "purpose": None, "text": text}}
    c = combine([r("对首次认定的高新技术企业给予最高10万元奖补，", 10), r("对再次认定的高新技术企业给予最高5万元奖补。", 5)])
    assert c["eligible_max_yuan"] == 10
    c = combine([r("对首次认定的高新技术企业给予最高10万元奖补，", 10), r("对首次购买保险的给予5万元。", 5)])
    assert c["eligible_max_yuan"] == 15  # two first-time awards are not alternatives
