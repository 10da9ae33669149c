import doctest

import pytest

import queries.search
from builders import all_documents
from queries.catalog import build_catalog
from queries.search import search

AS_OF = "2026-11-22"


@pytest.fixture(scope="module")
def cat():
    return build_catalog(all_documents())


def test_doctests():
    assert doctest.testmod(queries.search).failed == 0


def test_ranked_hits_with_citations(cat):
    r = search(cat, "重点实验室 奖补", limit=3)
    assert r["total"] >= 4 and len(r["hits"]) == 3
    top = r["hits"][0]
    assert top["document"]["id"] in {"reg:01", "reg:02", "000:01", "004:03"}
    assert "重点实验室" in top["snippet"]
    assert set(top["provision"]) >= {"id", "label", "line_start", "line_end"}
    assert [h["score"] for h in r["hits"]] == sorted((h["score"] for h in r["hits"]), reverse=True)


def test_bigrams_find_words_jieba_cuts_differently(cat):
    # "研发总部" is not a jieba word; the character bigrams still find the provision
    r = search(cat, "研发总部")
    assert r["hits"][0]["document"]["id"] == "rd:01" and r["hits"][0]["provision"]["id"] == "art_2"


def test_exact_phrase_ranks_first(cat):
    r = search(cat, "国家临床医学研究中心")
    assert (r["hits"][0]["document"]["id"], r["hits"][0]["provision"]["id"]) == ("rd:01", "art_4")


def test_filters(cat):
    ids = lambda r: {h["document"]["id"] for h in r["hits"]}  # noqa: E731
    assert ids(search(cat, "科技型中小企业", status="expired", as_of=AS_OF)) == {"xz:01"}
    assert "xz:01" not in ids(search(cat, "科技型中小企业", status=["in_force"], as_of=AS_OF))
    assert ids(search(cat, "重点实验室", issuer="人民代表大会")) == {"reg:01", "reg:02"}
    assert ids(search(cat, "重点实验室", doc_type="条例", date_from="2020-01-01")) == {"reg:02"}
    assert ids(search(cat, "重点实验室", date_to="2015-01-01")) == {"reg:01"}


def test_no_match_and_bad_input(cat):
    assert search(cat, "量子引力")["hits"] == []
    with pytest.raises(ValueError, match="empty"):
        search(cat, "  ")
    with pytest.raises(ValueError, match="limit"):
        search(cat, "奖补", limit=0)


def test_printed_hits(cat):
    from rich.console import Console
    from cli_render import print_hits
    con = Console(record=True, width=200)
    print_hits(search(cat, "研发总部"), con)
    out = con.export_text()
    assert "研发总部" in out and "L19-22" in out
