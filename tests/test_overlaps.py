import doctest
import random

import pytest

import queries.overlaps
from builders import all_documents, duplicate_pair, override_pair
from conftest import CORPUS
from queries.catalog import build_catalog
from queries.neardup import all_pairs, near_duplicates
from queries.diffing import token_diff
from queries.overlaps import overlaps_report

AS_OF = "2026-11-22"


@pytest.fixture(scope="module")
def report():
    return overlaps_report(build_catalog(all_documents()), AS_OF)


def test_doctests():
    assert doctest.testmod(queries.overlaps).failed == 0


def test_contract(report, schema):
    schema("overlaps", report)


def test_duplicate_documents_with_exactly_two_word_differences(report):
    [d] = [d for d in report["documents"] if {d["a"], d["b"]} == {"000:01", "004:03"}]
    assert d["relation"] == "duplicate" and d["similarity"] > 0.98
    assert d["differences"] == [{"a_text": "500", "b_text": "600", "a_line": 20, "b_line": 520},
                                {"a_text": "全国", "b_text": "国家", "a_line": 26, "b_line": 526}]


def test_revision_pair_is_a_revision(report):
    [d] = [d for d in report["documents"] if {d["a"], d["b"]} == {"reg:01", "reg:02"}]
    assert d["relation"] == "revision"
    assert {"a_text": "500", "b_text": "1000", "a_line": 14, "b_line": 14} in d["differences"]


def test_near_duplicate_provisions_cite_both_sides(report):
    pairs = {(p["a"]["document"], p["a"]["provision"], p["b"]["document"], p["b"]["provision"])
             for p in report["provisions"]}
    assert ("000:01", "art_2", "004:03", "art_2") in pairs  # identical
    assert ("000:01", "art_1", "004:03", "art_1") in pairs  # one number differs
    assert all(p["a"]["document"] != p["b"]["document"] for p in report["provisions"])
    p = next(p for p in report["provisions"] if p["a"]["document"] == "000:01" and p["a"]["provision"] == "art_1")
    assert (p["a"]["line_start"], p["b"]["line_start"]) == (20, 520) and 0.85 <= p["similarity"] < 1


def test_conflict_same_beneficiary_and_purpose_different_caps(report):
    [c] = [c for c in report["conflicts"] if {c["a"]["document"], c["b"]["document"]} == {"early:01", "late:01"}]
    assert "30万元" in c["reason"] and "50万元" in c["reason"]
    assert c["resolution"].startswith("按 late:01 执行")


def test_no_conflict_between_a_document_and_its_copy(report):
    assert not [c for c in report["conflicts"] if {c["a"]["document"], c["b"]["document"]} == {"000:01", "004:03"}]


def test_conflicts_only_between_measures_in_force():
    early, late = override_pair()
    cat = build_catalog([early, late])
    assert len(overlaps_report(cat, "2026-11-22")["conflicts"]) == 1
    assert overlaps_report(cat, "2021-01-01")["conflicts"] == []  # the later notice is not issued yet


def test_token_diff_ignores_width_and_spaces():
    assert token_diff("给予最高５００万元", "给予最高 500万元") == []


def _line_map(text):
    """(offset, line) of every line of a text: its own source."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    return tuple((o, n) for n, o in enumerate(starts, 1))


def test_inserted_article_renumbering_the_rest_is_three_differences():
    """Sentences are aligned before words: an article inserted before a changed one and a
    renumbered last article read as the insertion, the amount and the number, each on its line."""
    a = ("第一条　为了促进科技创新，制定本条例。\n第二条　对新认定的企业给予最高500万元奖补。资金由市财政列支。\n"
         "第三条　本条例自2020年1月1日起施行。\n")
    b = ("第一条　为了促进科技创新，制定本条例。\n第二条　本条例所称企业，是指在本市登记注册的企业。\n"
         "第三条　对新认定的企业给予最高600万元奖补。资金由市财政列支。\n第四条　本条例自2020年1月1日起施行。\n")
    assert [{k: d[k] for k in ("a_text", "b_text", "a_line", "b_line")} for d in token_diff(a, b, _line_map(a), _line_map(b))] == [
        {"a_text": "", "b_text": "本条例所称企业，是指在本市登记注册的企业。\n第三条", "a_line": 2, "b_line": 2},
        {"a_text": "500", "b_text": "600", "a_line": 2, "b_line": 3},
        {"a_text": "第三条", "b_text": "第四条", "a_line": 3, "b_line": 4}]


def test_difference_lines_found_clause_by_clause_are_those_of_the_whole_map():
    """doc_lines maps only the clause a difference is in; the line is the one the document's
    whole map (every clause's map, shifted to where the clause starts in doc_body) gives."""
    from builders import corpus_catalog
    from ingest.model import line_at
    from queries.catalog import clause_units, doc_body, doc_lines, line_map_of
    for d in corpus_catalog().documents[:6]:
        whole, n = [], 0
        for p in clause_units(d):
            whole.extend((n + o, ln) for o, ln in line_map_of(p))
            n += len(p.text) + 1
        body, line = doc_body(d), doc_lines(d)
        offsets = [o for o, _ in whole] + list(range(0, len(body) + 1, 97))
        assert len(body) == n and offsets
        assert [line(o) for o in offsets] == [line_at(tuple(whole), o) for o in offsets], d.id


def test_bad_threshold():
    with pytest.raises(ValueError, match="threshold"):
        overlaps_report(build_catalog(list(duplicate_pair())), AS_OF, threshold=0)


def _synthetic_clauses(n_base=1000, seed=7):
    """Real corpus lines plus copies with 1-3 random character edits (substitute/insert/delete)."""
    lines = sorted({ln.strip() for f in sorted(CORPUS.glob("*.txt"))
                    for ln in f.read_text(encoding="utf-8").splitlines() if 20 <= len(ln.strip()) <= 300})
    rng = random.Random(seed)
    base = rng.sample(lines, n_base)
    alphabet = "".join(sorted(set("".join(base))))
    out = list(base)
    for t in rng.sample(base, n_base):
        t = list(t)
        for _ in range(rng.randint(1, 3)):
            k = rng.randrange(len(t))
            op = rng.choice("sid")
            if op == "s":
                t[k] = rng.choice(alphabet)
            elif op == "i":
                t.insert(k, rng.choice(alphabet))
            elif len(t) > 1:
                del t[k]
        out.append("".join(t))
    return out


@pytest.mark.slow
def test_lsh_recall_against_the_all_pairs_oracle():
    texts = _synthetic_clauses()
    oracle = all_pairs(texts)
    found = {(i, j) for i, j, _ in near_duplicates(texts, threshold=0.5)}
    assert len(oracle) > 900
    assert found <= oracle  # the exact check leaves no false positives
    assert len(found & oracle) / len(oracle) >= 0.95


# ---- the real corpus --------------------------------------------------------------------------------

def test_corpus_000_and_004_copy_differ_in_exactly_two_words(schema):
    from builders import corpus_catalog
    cat = corpus_catalog()
    res = overlaps_report(cat, AS_OF)
    schema("overlaps", res)
    seed000 = next(d.id for d in cat.documents if d.id.startswith("000_"))
    [d] = [d for d in res["documents"] if seed000 in (d["a"], d["b"]) and d["b"].startswith("004_")]
    assert d["relation"] == "duplicate"
    assert d["differences"] == [
        {"a_text": "交流活动", "b_text": "交流互动", "a_line": 205, "b_line": 594},
        {"a_text": "中级法院", "b_text": "中级人民法院", "a_line": 319, "b_line": 630}]


def test_restated_provision_with_another_amount_is_a_conflict():
    from datetime import date

    from builders import doc, prov
    from ingest.model import Amount

    def lab(did, wan, issue):
        text = f"对新获批建设的全国重点实验室，在建设期内对牵头组建单位给予最高{wan}万元奖补。"
        return doc(did, f"实验室政策{did}", (prov("art_1", text, 5, amounts=(
            Amount(f"最高{wan}万元", wan * 10_000, "cap", None, None, 5),)),),
            issue=issue, start=issue, vtext="自印发之日起施行", vline=9)
    res = overlaps_report(build_catalog([lab("a:01", 1000, date(2023, 1, 1)), lab("b:01", 500, date(2024, 1, 1))]), AS_OF)
    [c] = res["conflicts"]
    assert "[10000000] vs [5000000]" in c["reason"] and c["resolution"] is None
    assert (c["a"]["line_start"], c["b"]["line_start"]) == (5, 5)


def test_numpy_banding_gives_datasketch_lsh_candidates():
    from queries.neardup import candidate_pairs, match_form
    texts = [match_form(t) for t in _synthetic_clauses(150, seed=3)]
    assert candidate_pairs(texts, 0.5) == candidate_pairs(texts, 0.5, engine="datasketch")


def test_printed_overlaps(report):
    from rich.console import Console
    from cli_render import print_overlaps
    con = Console(record=True, width=200)
    print_overlaps(report, con)
    out = con.export_text()
    assert "duplicate" in out and "「500」→" in out and "冲突" in out


def test_corpus_conflicts_are_real_restatements_with_other_terms(schema):
    """Read by hand: on 2024-09-15 the 2024 plan (000) pays 50 % of 创新券 purchases, the 2022
    硕果计划 (004's 7th policy) 30 %; the 2018 plan (003) pays 50万 per 专利池, 硕果计划 up to
    100万. Each later document says 与本文件不一致的，按本文件执行, which settles it. Nothing
    else in the corpus is a conflict (tiers, plan vs 细则 with the same cap, news restatements)."""
    from builders import corpus_catalog
    cat = corpus_catalog()
    res = overlaps_report(cat, "2024-09-15")
    schema("overlaps", res)
    found = {(c["a"]["document"][:3], c["b"]["document"][:3], c["purpose"]): c for c in res["conflicts"]}
    assert set(found) == {("000", "004", "创新券"), ("003", "004", "专利池")}
    c = found[("000", "004", "创新券")]
    assert "50%" in c["reason"] and "30%" in c["reason"] and c["resolution"].startswith("按 000_")
    assert (c["a"]["line_start"], c["b"]["line_start"]) == (275, 1042)
    assert found[("003", "004", "专利池")]["a"]["status"] == "unknown"  # shown, so the user can judge
    assert overlaps_report(cat, AS_OF)["conflicts"] == []  # 硕果计划 expired on 2025-05-07


def test_news_reports_restate_but_never_conflict():
    from builders import corpus_catalog
    cat = corpus_catalog()
    res = overlaps_report(cat, "2024-09-15")
    news = {d.id for d in cat.documents if d.doc_type == "新闻报道"}
    assert len(news) == 2
    assert not any(c["a"]["document"] in news or c["b"]["document"] in news for c in res["conflicts"])
