import doctest

import pytest

import queries.ask
from builders import WAN, all_documents
from queries.ask import answer, parse_question
from queries.catalog import build_catalog

SAMPLE = "我们是青岛的高新技术企业，去年研发投入3000万元，比前年增长50%，能申请哪些补贴？"


def test_doctests():
    assert doctest.testmod(queries.ask).failed == 0


def test_the_sample_question():
    prof, notes = parse_question(SAMPLE)
    assert prof == {"region": "青岛市", "qualifications": ["高新技术企业"], "entity_type": "enterprise",
                    "rd_expense": 3000 * WAN, "rd_growth": 0.5}
    assert {"field": "rd_expense", "value": 3000 * WAN, "text": "3000万元"} in notes
    assert {"field": "region", "value": "青岛市", "text": "青岛"} in notes


@pytest.mark.parametrize("question, expected", [
    ("崂山区的科技型中小企业，研发费用一千二百万，前年八百万元", {
        "district": "崂山区", "region": "青岛市", "qualifications": ["科技型中小企业"],
        "entity_type": "enterprise", "rd_expense": 1200 * WAN, "rd_expense_prev": 800 * WAN}),
    ("新引进的专精特新企业，营收1.5亿元，研发投入增量排名第12", {
        "qualifications": ["专精特新"], "entity_type": "enterprise", "new_arrival": True,
        "revenue": 150_000_000, "rd_increment_rank": 12}),
    ("公司2019年成立，员工120人，首次开展研发活动，研发投入比上年下降10%", {
        "entity_type": "enterprise", "founded": "2019-01-01", "employees": 120, "first_rd_activity": True,
        "rd_growth": -0.1}),
    ("济南市的高校能申请什么", {"region": "济南市", "entity_type": "university"}),
    ("研发投入两亿元", {"rd_expense": 200_000_000}),
])
def test_questions_to_profiles(question, expected):
    assert parse_question(question)[0] == expected


def test_an_amount_with_no_field_is_reported_not_guessed():
    prof, notes = parse_question("我们有500万元")
    assert "rd_expense" not in prof and any(n["field"] is None for n in notes)


def test_answer_shows_profile_and_matches(schema):
    res = answer(build_catalog(all_documents()), SAMPLE, as_of="2026-11-22")
    schema("eligibility", res)
    assert res["profile"]["rd_expense"] == 3000 * WAN and res["question"] == SAMPLE
    tier = next(r for r in res["results"] if r["measure"]["tier_group"])
    # 3000万 growing 50 %: tier 1; the rank is not in the question, so it stays possible
    assert tier["measure"]["text"].startswith("第1档") and tier["verdict"] == "possible"
    assert tier["deciding_fields"] == ["rd_increment_rank"]
    assert tier["benefit"]["max_yuan"] == 100 * WAN  # 10 % of the 1000万 increment


def test_empty_question():
    with pytest.raises(ValueError, match="empty"):
        answer(build_catalog([]), " ")


def test_printed_answer_shows_what_was_understood():
    from rich.console import Console
    from cli_render import print_answer
    con = Console(record=True, width=200)
    print_answer(answer(build_catalog(all_documents()), SAMPLE, as_of="2026-11-22"), con)
    out = con.export_text()
    assert "rd_expense = 30000000（“3000万元”）" in out and "possible" in out
