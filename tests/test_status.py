import doctest

import pytest

import queries.status
from builders import all_documents, doc, prov, regulation
from queries.catalog import build_catalog
from queries.status import diff_documents, status_report

AS_OF = "2026-11-22"


@pytest.fixture(scope="module")
def cat():
    return build_catalog(all_documents())


@pytest.fixture(scope="module")
def report(cat):
    return {d["id"]: d for d in status_report(cat, AS_OF)["documents"]}


def test_doctests():
    assert doctest.testmod(queries.status).failed == 0


def test_contract(cat, schema):
    schema("status", status_report(cat, AS_OF))
    schema("status", status_report(cat, "2020-01-01", document="reg:01"))


def test_in_force_with_its_validity_sentence(report):
    d = report["rd:01"]
    assert (d["status"], d["effective_start"], d["effective_end"]) == ("in_force", "2024-08-02", "2028-12-31")
    assert d["evidence"] == [{"text": "自发布之日起实施，有效期至2028年12月31日", "line": 40}]


def test_expired_rules_as_of_2026_11_22(cat, report):
    d = report["xz:01"]
    assert (d["status"], d["effective_end"]) == ("expired", "2025-02-28")
    assert d["evidence"][0] == {"text": "自2022年3月1日起施行，有效期三年", "line": 30}
    assert status_report(cat, "2025-02-28", "xz:01")["documents"][0]["status"] == "in_force"  # last day counts
    assert status_report(cat, "2022-02-28", "xz:01")["documents"][0]["status"] == "not_yet_effective"


def test_regulation_superseded_by_its_revision(cat, report):
    old, new = report["reg:01"], report["reg:02"]
    assert (old["status"], old["superseded_by"], new["supersedes"]) == ("superseded", ["reg:02"], ["reg:01"])
    assert new["status"] == "in_force"
    assert old["chain"] == new["chain"] == ["reg:01", "reg:02"]
    assert any(e.get("document") == "reg:02" for e in old["evidence"])
    # the revision applies from 2021-09-01: the day before, the old text was still in force
    assert status_report(cat, "2021-08-31", "reg:01")["documents"][0]["status"] == "in_force"


def test_named_repeal_by_doc_number(cat, report):
    old = report["old:01"]
    assert (old["status"], old["superseded_by"]) == ("superseded", ["new:01"])
    ev = [e for e in old["evidence"] if e.get("kind") == "repeals"]
    assert ev == [{"text": "《青岛市科技型企业培育办法》（青政发〔2015〕3号）同时废止。", "line": 52,
                   "document": "new:01", "title": "青岛市科技企业梯次培育办法", "kind": "repeals"}]
    assert status_report(cat, "2022-12-31", "old:01")["documents"][0]["status"] == "in_force"


def test_repeal_of_a_document_not_in_the_catalog_is_listed_by_title():
    from ingest.model import Lineage
    d = doc("x:01", "新办法", (prov("a", "本办法自2020年1月1日起施行。", 3),), start=__import__("datetime").date(2020, 1, 1),
            lineage=(Lineage("repeals", "旧办法汇编", None, "《旧办法汇编》同时废止。", 3),))
    [e] = status_report(build_catalog([d]), AS_OF)["documents"]
    assert e["supersedes"] == ["旧办法汇编"]


def test_unknown_never_guessed_and_not_yet_effective(report):
    assert report["nd:01"]["status"] == "unknown"
    assert report["nd:01"]["evidence"][0]["line"] is None
    assert report["fut:01"]["status"] == "not_yet_effective"


def test_generic_override_lists_candidates_with_evidence(report):
    late, early = report["late:01"], report["early:01"]
    [c] = late["override_candidates"]
    assert (c["document"], c["provision"], c["displaced_by"]) == ("early:01", "art_1", "art_1")
    assert c["evidence"] == [{"text": "此前出台的有关规定与本通知不一致的，按本通知执行。", "line": 12}]
    assert early["possibly_displaced_by"][0]["by"] == "late:01"
    assert early["status"] == "in_force"  # a candidate, not a verdict


def test_compilation_copy_is_the_same_work(report):
    assert report["000:01"]["same_work"] == ["004:03"] and report["004:03"]["same_work"] == ["000:01"]
    assert report["004:03"]["status"] == report["000:01"]["status"] == "in_force"
    assert report["000:01"]["superseded_by"] == []  # a copy does not supersede its original


def test_one_document_by_title(cat):
    [d] = status_report(cat, AS_OF, document="科技型中小企业研发费用补助实施细则")["documents"]
    assert d["id"] == "xz:01"
    with pytest.raises(ValueError, match="no document"):
        status_report(cat, AS_OF, document="不存在的文件")
    with pytest.raises(ValueError, match="matches 2 documents"):
        status_report(cat, AS_OF, document="青岛市科技创新促进条例")


def test_bad_date_is_a_clear_error(cat):
    with pytest.raises(ValueError, match="'2026-13-01'"):
        status_report(cat, "2026-13-01")


def test_diff_regulation_and_revision_clause_by_clause():
    cat = build_catalog([regulation("reg:01"), regulation("reg:02", revised=True)])
    d = diff_documents(cat, "reg:01", "reg:02")
    assert d["summary"] == {"same": 2, "changed": 1, "removed": 1, "added": 1}
    changed = [c for c in d["clauses"] if c["change"] == "changed"]
    assert [(c["a"]["label"], c["b"]["label"]) for c in changed] == [("第十条", "第十条")]
    assert changed[0]["differences"] == [{"a_text": "500", "b_text": "1000", "a_line": 14, "b_line": 14,
                                          "context": "家级重点实验室，给予最高"}]
    assert [c["a"]["label"] for c in d["clauses"] if c["change"] == "removed"] == ["第十二条"]
    assert [c["b"]["label"] for c in d["clauses"] if c["change"] == "added"] == ["第十一条"]


# ---- the real corpus --------------------------------------------------------------------------------

def test_corpus_expired_rules_as_of_2026_11_22(schema):
    from builders import corpus_catalog
    cat = corpus_catalog()
    res = status_report(cat, AS_OF)
    schema("status", res)
    by_title = {d["title"]: d for d in res["documents"]}
    d = by_title["青岛市科学技术局关于研发机构科技成果转化绩效评价奖补实施细则（试行）"]
    assert (d["status"], d["effective_start"], d["effective_end"]) == ("expired", "2023-08-25", "2026-08-24")
    assert d["evidence"] == [{"text": "本细则自发布之日起施行，有效期3年。", "line": 1415}]
    # three years from 印发 2024-09-14: still in force
    d = by_title["青岛市关键技术攻关项目管理实施细则"]
    assert (d["status"], d["effective_end"]) == ("in_force", "2027-09-13")
    assert d["evidence"][0]["line"] == 2161


def test_corpus_in_step_and_copy():
    from builders import corpus_catalog
    cat = corpus_catalog()
    by_title = {}
    for d in status_report(cat, AS_OF)["documents"]:
        by_title.setdefault(d["title"], []).append(d)
    # 与《加强科技财政金融协同…若干政策措施》同步实施: that document's dates, both sentences as evidence
    [d] = by_title["青岛市科技创新贷款贴息管理办法"]
    assert (d["status"], d["effective_start"], d["effective_end"]) == ("in_force", "2024-08-01", "2028-12-31")
    assert "同步实施" in d["evidence"][0]["text"] and d["evidence"][1]["document"] == cat.document(
        "加强科技财政金融协同支持企业创新发展的若干政策措施").id
    # seed 000 and 004's third policy: one work, neither supersedes the other
    a, b = by_title["青岛市深入推进科技创新加快建设科技强市行动计划（2024—2028年）"]  # as written
    assert a["same_work"] == [b["id"]] and b["same_work"] == [a["id"]]
    assert a["superseded_by"] == b["superseded_by"] == []


@pytest.mark.slow
def test_store_wrappers_use_and_refresh_the_cached_catalog(tmp_path, schema):
    """cli.py's path: ingest two seeds into a store, ask, re-ingest more, ask again."""
    pytest.importorskip("graph.ingesting")
    from conftest import seed
    from queries import catalog as catmod
    from graph.ingesting import ingest_paths
    from queries.status import diff_for_store, status_for_store
    store = str(tmp_path / "store")
    ingest_paths([seed("001")], store=store, workers=1, dask=None, ocr=False)
    first = catmod.catalog_for_store(store)
    assert catmod.catalog_for_store(store) is first  # unchanged store: cached
    res = status_for_store(store, as_of=AS_OF)
    schema("status", res)
    assert len(res["documents"]) == len(first.documents)
    ingest_paths([seed("000")], store=store, workers=1, dask=None, ocr=False)
    second = catmod.catalog_for_store(store)
    assert second is not first and len(second.documents) == len(first.documents) + 1
    # lines survive the store (line maps rebuilt from the source file)
    seed000 = next(d.id for d in second.documents if d.id.startswith("000_"))
    d = diff_for_store(store, seed000, seed000)
    assert d["summary"] == {"same": len(d["clauses"])}


def test_printed_status_and_diff(cat):
    from rich.console import Console
    from cli_render import print_diff, print_status
    con = Console(record=True, width=200)
    print_status(status_report(cat, AS_OF), con)
    print_diff(diff_documents(cat, "reg:01", "reg:02"), con)
    out = con.export_text()
    assert "superseded" in out and "被替代: reg:02" in out and "-500 +1000" in out


def test_titles_as_written_still_match_across_dash_width_and_script():
    """Titles are stored as written (2024—2028, traditional characters); a repeal naming the
    same title in another form must still find it."""
    from datetime import date
    from builders import doc, prov
    from ingest.model import Lineage
    from queries.catalog import build_catalog
    from queries.lineage import resolve_target
    old = doc("old:01", "某市科技計劃（2024—2028年）", [prov("art_1", "给予支持。", 3)], issue=date(2024, 1, 1))
    new = doc("new:01", "某市科技条例", [prov("art_1", "施行。", 3)], issue=date(2025, 1, 1),
              lineage=[Lineage("repeals", "某市科技计划(2024-2028年)", None, "《某市科技计划(2024-2028年)》同时废止。", 9)])
    cat = build_catalog([old, new])
    assert [d.id for d in resolve_target(cat, "某市科技计划(2024-2028年)", None, "new:01")] == ["old:01"]
    assert status_report(cat, "2025-06-01")["documents"][0]["superseded_by"] == ["new:01"]


# ---- per-catalog indexes (status is linear in the documents) -------------------------------------

def test_lineage_target_found_by_region_prefixed_title_and_bracket_variant_number():
    from datetime import date as day

    from queries.lineage import resolve_target
    a = doc("a:01", "青岛市科技企业孵化器管理办法", (prov("a", "第一条 孵化器。", 3),), doc_number="青科发〔2015〕3号",
            issue=day(2015, 1, 1))
    b = doc("b:01", "管理办法", (prov("a", "第一条 办法。", 3),), issue=day(2016, 1, 1))
    cat = build_catalog([a, b])
    assert [d.id for d in resolve_target(cat, "科技企业孵化器管理办法", None, "x")] == ["a:01"]  # suffix ≥ 6
    assert [d.id for d in resolve_target(cat, "《管理办法》", None, "x")] == ["b:01"]  # short: exact only
    assert [d.id for d in resolve_target(cat, None, "青科发[2015] 3号", "x")] == ["a:01"]
    assert resolve_target(cat, None, "青科发[2015] 3号", "a:01") == []


def test_override_restatements_equal_a_search_of_each_documents_earlier_clauses():
    """One LSH query of every overriding document against the catalog finds what a fresh
    near-duplicate search over each document's earlier clauses finds, in the same order."""
    import random

    from queries.catalog import clause_units
    from queries.neardup import near_duplicates
    from queries.lineage import version_date
    from queries.status import OVERRIDE_SIMILARITY, _restatements, overriding
    rng = random.Random(5)
    words = "企业 研发 投入 给予 最高 万元 奖补 高新技术 认定 平台 建设 人才 引进 贴息 贷款".split()
    base = ["".join(rng.choices(words, k=12)) for _ in range(6)]
    docs = []
    for i in range(12):
        texts = [t.replace("万元", f"{rng.randint(1, 9)}00万元", 1) if rng.random() < .5 else t
                 for t in rng.sample(base, 3)]
        provs = tuple(prov(f"art_{k}", t, 3 + k) for k, t in enumerate(texts))
        lin = ()
        if i % 3 == 2:
            from ingest.model import Lineage
            lin = (Lineage("overrides_inconsistent", None, None, "与本办法不一致的，按本办法执行。", 9),)
        docs.append(doc(f"d{i}:01", f"办法{i}", provs, issue=__import__("datetime").date(2015 + i, 1, 1),
                        lineage=lin))
    cat = build_catalog(docs)
    assert len(overriding(cat)) == 4
    for d in overriding(cat):
        earlier = [o for o in cat.documents if o.id != d.id and version_date(o) < version_date(d)]
        units = [(d, p) for p in clause_units(d)] + [(o, p) for o in earlier for p in clause_units(o)]
        want = [(units[i], units[j], s) for i, j, s in near_duplicates(
            [p.text for _, p in units], 0.5, OVERRIDE_SIMILARITY, groups=[x.id for x, _ in units]) if i < len(clause_units(d))]
        got = _restatements(cat, d, lambda o: o in earlier)
        assert [(a[1].id, b[0].id, b[1].id, s) for a, b, s in got] == \
               [(a[1].id, b[0].id, b[1].id, s) for a, b, s in want]
        assert got  # the clauses are shared: every overriding document restates some
