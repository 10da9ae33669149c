import doctest

import pytest

import queries.catalog
import queries.formula
from queries.formula import evaluate, evaluate_bounds, formula_fields, max_yuan, parse_formula


def test_doctests():
    for mod in (queries.formula, queries.catalog):
        assert doctest.testmod(mod).failed == 0


@pytest.mark.parametrize("increment, expected", [
    (0, 0), (8_000_000, 800_000), (15_000_000, 1_500_000), (40_000_000, 1_500_000), (-5_000_000, 0)])
def test_ten_percent_of_increment_capped_at_150wan(increment, expected):
    assert max_yuan("min(0.10 * rd_increment, 1500000)", {"rd_increment": increment}) == expected


def test_unknown_field_gives_the_cap_and_no_exact_value():
    f = "min(0.10 * rd_increment, 1500000)"
    assert max_yuan(f, {}) == 1_500_000
    assert evaluate(f, {}) is None
    assert max_yuan("0.05 * rd_expense", {}) is None  # no cap: unbounded, not a guess


def test_arithmetic_and_nesting():
    vals = {"rd_expense": 30_000_000, "rd_expense_prev": 20_000_000}
    assert evaluate("max(100000, min((rd_expense - rd_expense_prev) / 10, 2000000))", vals) == 1_000_000
    assert evaluate("-rd_expense + 2 * rd_expense_prev", vals) == 10_000_000
    assert evaluate_bounds("rd_expense / rd_increment", {"rd_expense": 1}) == (float("-inf"), float("inf"))
    assert formula_fields("min(rd_expense, revenue) + 1") == {"rd_expense", "revenue"}


@pytest.mark.parametrize("bad", [
    "__import__('os').system('true')", "rd_expense ** 2", "rd_expense.real", "min(rd_expense, key=1)",
    "[rd_expense][0]", "lambda: 1", "'100'", "rd_expense if 1 else 2", "abs(rd_expense)", "True + 1",
    "rd_expense // 2", "min()"])
def test_everything_outside_the_grammar_is_refused(bad):
    with pytest.raises(ValueError) as e:
        parse_formula(bad)
    assert "benefit formula" in str(e.value)


def test_unknown_field_is_named():
    with pytest.raises(ValueError, match="'turnover'"):
        parse_formula("0.1 * turnover")


def test_syntax_error_quotes_the_formula():
    with pytest.raises(ValueError, match=r"'min\(0.1 \*'"):
        parse_formula("min(0.1 *")


def test_condition_table_agrees_with_the_closures():
    """The vectorised check and the per-condition closures give the same Kleene verdict."""
    import random

    from builders import all_documents
    from ingest.model import Condition
    from queries.catalog import build_catalog
    from queries.eligibility import derive
    from queries.eligibility_measures import prepared_measures
    from queries.formula import ConditionTable, compile_condition, normalise_profile
    pms = prepared_measures(build_catalog(all_documents()))
    extra = [[Condition("founded", "<", "2020-01-01"), Condition("employees", "in", (10, 20))],
             [Condition("region", "!=", "青岛市")], [Condition("turnover", ">", 1)], []]
    lists = [pm["conditions"] for pm in pms] + extra
    table = ConditionTable(lists)
    rng = random.Random(1)
    for _ in range(200):
        prof = {k: v for k, v in {
            "region": rng.choice(["青岛市", "青岛", "上海市"]), "entity_type": rng.choice(["enterprise", "hospital"]),
            "qualifications": rng.sample(["高新技术企业", "科技型中小企业", "专精特新"], rng.randint(0, 2)),
            "rd_expense": rng.choice([5e6, 1e7, 3e7, 5e7, 1e8, 1e9]), "rd_expense_prev": rng.choice([4e6, 2e7, 9e8]),
            "rd_increment_rank": rng.randint(1, 60), "new_arrival": rng.random() < 0.5,
            "founded": rng.choice(["2019-12-31", "2020-01-01"]), "employees": rng.choice([10, 15, 20]),
        }.items() if rng.random() < 0.7}
        norm = normalise_profile(derive(prof))
        want = [max((["met", "unknown", "unmet"].index(compile_condition(c)(norm)) for c in conds), default=0)
                for conds in lists]
        assert table.states(norm).tolist() == want, prof
