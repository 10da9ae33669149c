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
