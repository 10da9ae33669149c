"""The Streamlit app's page logic, through streamlit.testing.v1.AppTest (no browser).

One store per session: the first AppTest run meets an empty store and ingests the bundled
corpus (the app's first start); every other test reuses it.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

pytest.importorskip("streamlit")
pytestmark = pytest.mark.slow  # ~30 s in all: one first-start ingest, then a run per page
from streamlit.testing.v1 import AppTest  # noqa: E402

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 60


def texts(at) -> str:
    """Every piece of text the run rendered (markdown, captions, alerts, metrics)."""
    parts = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "header", "subheader"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(parts)


def no_failure(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.fixture(scope="module")
def store(tmp_path_factory, monkeypatch_module):
    path = tmp_path_factory.mktemp("appstore") / "store"
    monkeypatch_module.setenv("POLICYGRAPH_STORE", str(path))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()  # first start: ingests data/corpus
    no_failure(at)
    assert "份文件" in "\n".join(c.value for c in at.sidebar.caption)
    return path


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def app(page: str | None = None) -> AppTest:
    """The app run once (on its home page, 政策匹配), then, given a page name, on that page
    (app_pages/<page>.py, served at /<page>)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
    return at


def rd_result(res: dict) -> dict:
    """The measure rewarding R&D increments (its formula uses rd_increment)."""
    hits = [r for r in res["results"] if "rd_increment" in (r["benefit"]["formula"] or "")]
    assert hits, [r["benefit"] for r in res["results"]][:10]
    return hits[0]


def test_first_start_filled_the_store_and_later_starts_reuse_it(store):
    from queries.catalog import catalog_for_store
    docs = catalog_for_store(str(store)).documents
    assert docs and all(d.span.source for d in docs)
    before = sorted(p.stat().st_mtime_ns for p in store.glob("*.sst"))
    no_failure(app())
    assert sorted(p.stat().st_mtime_ns for p in store.glob("*.sst")) == before  # nothing re-ingested


def rd_firm() -> AppTest:
    """The eligibility page answered for an R&D-heavy Qingdao high-tech firm."""
    at = app()
    at.multiselect(key="pf_qualifications").set_value(["高新技术企业"])
    at.number_input(key="pf_rd_expense_wan").set_value(3000.0)
    at.number_input(key="pf_rd_expense_prev_wan").set_value(2000.0)
    at.number_input(key="pf_rd_increment_rank").set_value(10)
    at.button(key="pf_submit").click().run()
    no_failure(at)
    return at


def test_profile_form_finds_the_rd_subsidy_with_amount_and_citation(store):
    at = rd_firm()
    res = at.session_state["elig"]
    assert res["profile"]["rd_expense"] == 30_000_000 and res["derived"]["rd_increment"] == 10_000_000
    r = rd_result(res)
    assert r["verdict"] == "eligible" and r["benefit"]["max_yuan"] == 1_000_000
    shown = texts(at)
    assert "100万元" in shown and r["document"]["title"] in shown
    assert r["provision"]["text"][:20] in shown  # the cited text, in the card's expander
    assert {b.label for b in at.get("download_button")} >= {"下载 CSV", "下载 JSON"}


def test_totals_review_only_and_related_reading_are_shown_apart(store):
    from app_pages import views
    from queries.money import yuan_text
    at = rd_firm()
    res, shown = at.session_state["elig"], texts(at)
    c = res["combined"]
    labels = {m.label: m.value for m in at.metric}
    assert labels["确定可得合计"] == yuan_text(c["eligible_max_yuan"])
    assert labels["若待定条件满足，最多可得"] == yuan_text(c["possible_max_yuan"])
    assert c["explain"]["eligible_max_yuan"] in shown and c["explain"]["possible_max_yuan"] in shown
    assert "含可能符合" not in shown
    review = [r for r in res["results"] if views.review_only(r)]
    subheaders = [h.value for h in at.subheader]
    if review:  # counted apart with the largest single amount, not in the totals
        assert "以申报指南/评审为准" in subheaders
        assert f"单项最高 {yuan_text(c['discretionary']['best_single_yuan'])}" in shown
    assert res["related_reading"], "the bundled corpus has news reports restating the R&D measures"
    assert "相关解读/新闻（非政策原文）" in subheaders
    first = res["related_reading"][0]
    assert first["document"]["title"] in shown and "请以政策原文为准" in shown
    assert f"第 {first['measure']['line']} 行" in shown  # its citation


def test_unknown_fields_say_what_would_change_the_answer(store):
    at = app()
    at.multiselect(key="pf_qualifications").set_value(["高新技术企业"])
    at.number_input(key="pf_rd_expense_wan").set_value(3000.0)
    at.number_input(key="pf_rd_expense_prev_wan").set_value(2000.0)
    at.button(key="pf_submit").click().run()  # no increment rank given
    no_failure(at)
    r = rd_result(at.session_state["elig"])
    assert r["verdict"] == "possible" and "rd_increment_rank" in r["deciding_fields"]
    assert "补充哪些信息会改变结论" in [e.label for e in at.expander]
    assert "研发投入增量全市排名" in texts(at)


def test_question_box_uses_the_ask_path(store):
    at = app()
    at.text_area(key="question").set_value("我们是青岛的高新技术企业，去年研发投入3000万元，比前年增长50%，增量排名第10")
    at.button(key="ask_submit").click().run()
    no_failure(at)
    res = at.session_state["elig"]
    assert res["understood"] and rd_result(res)["benefit"]["max_yuan"] == 1_000_000
    assert "理解为" in texts(at)


def test_hostile_profile_and_question_text_give_messages_not_tracebacks(store):
    at = app()
    at.text_input(key="pf_region").set_value("'); DELETE WHERE {?s ?p ?o} #")
    at.button(key="pf_submit").click().run()
    assert not at.exception
    at.text_area(key="question").set_value('" } ; DROP')
    at.button(key="ask_submit").click().run()
    assert not at.exception
    at.text_area(key="question").set_value("   ")
    at.button(key="ask_submit").click().run()
    assert not at.exception and at.error  # empty question: a message


def test_status_page_renders_timeline_details_and_diff(store):
    at = app("status")
    no_failure(at)
    shown = texts(at)
    assert "现行有效" in shown and "新旧对照" in shown
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    at.sidebar.date_input(key="as_of").set_value("2000-01-01").run()
    no_failure(at)
    assert any(m.label == "尚未施行" and int(m.value) > 0 for m in at.metric)


def test_overlaps_page_lists_duplicates_with_differences(store):
    at = app("overlaps")
    no_failure(at)
    assert any(m.label == "重复/修订文件对" for m in at.metric)
    assert "<mark" in texts(at) or "未发现重复文件" in texts(at)


def test_overlaps_page_shows_conflicts_with_both_citations_as_of_the_sidebar_date(store):
    from queries.catalog import catalog_for_store
    from queries.overlaps import overlaps_report
    at = app("overlaps")
    at.sidebar.date_input(key="as_of").set_value("2024-09-15").run()
    no_failure(at)
    shown = texts(at)
    assert "截至 2024-09-15" in shown
    conflicts = overlaps_report(catalog_for_store(str(store)), "2024-09-15")["conflicts"]
    assert any(m.label == "冲突" and int(m.value) == len(conflicts) for m in at.metric)
    assert conflicts, "the corpus has measures in force together on 2024-09-15 with different caps"
    for c in conflicts[:30]:
        for side in (c["a"], c["b"]):
            assert f"第 {side['line_start']}–{side['line_end']} 行" in shown and side["title"] in shown
        assert c["a_text"][:20] in shown and c["b_text"][:20] in shown
    settles = [m.value for m in at.markdown if m.value.startswith("**以何为准**")]
    assert len(settles) == min(len(conflicts), 30)
    ids = {c[s]["document"] for c in conflicts for s in "ab"}
    assert not any(i in m for m in settles for i in ids)  # documents named by title, not by id
    at.sidebar.date_input(key="as_of").set_value("2100-01-01").run()
    no_failure(at)
    assert "截至 2100-01-01，未发现冲突" in texts(at)


def test_graph_page_has_neighbourhood_table_and_agency_stats(store):
    at = app("graph")
    no_failure(at)
    assert len(at.dataframe) >= 2  # neighbourhood edges, agencies by measures and money
    at.selectbox[0].set_value("agency").run()
    no_failure(at)


def test_search_filters_and_read_only_sparql(store):
    at = app("search")
    at.text_input(key="search_q").set_value("研发投入").run()
    no_failure(at)
    assert "研发投入" in texts(at) and "<mark>" in texts(at)
    at.text_input(key="search_q").set_value('" } ; DROP').run()
    assert not at.exception
    at.text_area[0].set_value("DROP ALL")
    at.button[0].click().run()
    assert any("not allowed" in e.value or "read-only" in e.value for e in at.error)
    at.text_area[0].set_value("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    at.button[0].click().run()
    no_failure(at)


def test_upload_of_a_bad_file_is_an_error_and_the_store_survives(store):
    from queries.catalog import catalog_for_store
    before = len(catalog_for_store(str(store)).documents)
    at = app("upload")
    at.file_uploader[0].set_value([("坏 文件.pdf", b"\x00\x01garbage" * 50, "application/pdf"),
                                   ("../../escape.txt", b"", "text/plain")]).run()
    at.button[0].click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 2 and "坏 文件.pdf" in errors[0] and "escape.txt" in errors[1], errors
    assert all(e.startswith("导入失败") for e in errors)
    assert not any(str(store) in e for e in errors)  # the generated path is not shown
    assert len(catalog_for_store(str(store)).documents) == before
    assert not list((store / "uploads").glob("*.pdf"))  # the failed upload is not kept
    assert not (store.parent.parent / "escape.txt").exists()


def test_upload_of_a_good_file_joins_search(store, tmp_path):
    from queries.catalog import catalog_for_store
    text = ("青岛市测试区关于支持海藻产业发展的若干措施\n\n第一条 对海藻加工企业给予最高20万元奖励。\n"
            "第二条 本措施自2025年1月1日起施行。\n")
    at = app("upload")
    at.file_uploader[0].set_value(("海藻 措施.txt", text.encode("utf-8"), "text/plain")).run()
    at.button[0].click().run()
    no_failure(at)
    assert at.success and "海藻 措施.txt" in at.success[0].value
    docs = catalog_for_store(str(store)).documents
    assert any("海藻" in (d.title or "") for d in docs)
    at.button[0].click().run()  # the same file again: replaces its graph, adds nothing
    assert at.success and len(catalog_for_store(str(store)).documents) == len(docs)
    assert list(at.dataframe[0].value.columns) == ["上传文件名", "标题", "文件编号", "条款数"]
    at = app("search")
    at.text_input(key="search_q").set_value("海藻加工").run()
    assert "海藻" in texts(at)


def test_english_toggle(store):
    at = app()
    at.sidebar.toggle(key="en").set_value(True).run()
    no_failure(at)
    assert at.header[0].value == "Eligibility"
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)  # AppTest keeps the old option labels: start anew
    at.session_state["en"] = True
    at.switch_page("app_pages/overlaps.py").run()  # the page's URL path is its file's name: found before a run
    no_failure(at)
    assert "Conflicts" in [h.value for h in at.subheader] and "As of " in texts(at)


def test_views_csv_has_a_bom_and_a_row_per_result(store):
    from app_pages import views
    from queries.catalog import catalog_for_store
    from queries.eligibility import eligibility
    res = eligibility(catalog_for_store(str(store)), {"region": "青岛市", "qualifications": ["高新技术企业"]})
    data = views.to_csv(views.result_rows(res))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert data.startswith("\ufeff".encode()) and len(rows) == len(res["results"]) > 0
    assert rows[0]["document"] == res["results"][0]["document"]["title"]
