"""The app's 政策月历 and 关注企业 pages and the report downloads, through AppTest (no browser)."""
from __future__ import annotations

from datetime import date

import pytest

pytest.importorskip("streamlit")
from conftest import ROOT  # noqa: E402
from test_app import app, monkeypatch_module, no_failure, rd_firm, store, texts  # noqa: E402,F401

pytestmark = pytest.mark.slow
NOTICES = ROOT / "tests" / "fixtures" / "notices"
GUANGZHOU = ROOT / "tests" / "fixtures" / "guangzhou"


@pytest.fixture(scope="module")
def with_notices(store):  # noqa: F811
    from graph.ingesting import ingest_paths
    res = ingest_paths(sorted(NOTICES.glob("*/*.txt")) + [GUANGZHOU / "city_guangzhou_jujia-shequ-yanglao-fuwu-guanli-banfa_2022.txt"],
                       str(store))
    assert not res["errors"]
    return store


def test_calendar_page_lists_upcoming_deadlines_first_with_month_view_and_ics(with_notices):
    at = app("policy_calendar")
    at.date_input(key="cal_from").set_value(date(2021, 4, 1))
    at.date_input(key="cal_to").set_value(date(2021, 6, 30))
    at.sidebar.date_input[0].set_value(date(2021, 5, 1)).run()
    no_failure(at)
    shown = texts(at)
    assert shown.index("2021-05-06") < shown.index("2021-05-07") < shown.index("2021-05-14")
    assert "小巨人" in shown and "还剩 5 天" in shown
    assert any("下载日历" in b.label for b in at.get("download_button"))
    assert any("截止" in m.value and "<table" in m.value for m in at.markdown)  # the month view


def test_report_buttons_make_word_and_pdf(with_notices):
    at = rd_firm()
    at.button(key="report_make").click().run()
    no_failure(at)
    labels = {b.label for b in at.get("download_button")}
    assert {"下载报告（Word）", "下载报告（PDF）"} <= labels
    files = at.session_state["report_files"]
    assert files["pdf"][:5] == b"%PDF-" and files["docx"][:2] == b"PK"


def _watch_page():
    at = app("watch")
    at.sidebar.date_input[0].set_value(date(2025, 1, 1)).run()  # the 天河 policy is in force until 2026-09
    no_failure(at)
    return at


def test_saved_profile_shows_what_is_new_since_the_last_visit(with_notices):
    from graph.ingesting import ingest_paths
    from queries.watch import add_watch
    add_watch(str(with_notices), "广州", {"region": "广州市", "entity_type": "enterprise"})
    at = _watch_page()
    first = texts(at)
    assert "首次查看" in first and "居家社区养老" in first
    at.button(key="watch_seen").click().run()
    no_failure(at)
    assert "以来新增：0" in texts(at)
    ingest_paths([GUANGZHOU / "county_guangzhou-tianhe_gangao-qingnian-chuangye_2023.txt"], str(with_notices))
    shown = texts(_watch_page())
    assert "以来新增" in shown and "港澳青年" in shown and "居家社区养老" not in shown.split("以来新增")[1]


def test_the_last_profile_is_saved_from_the_page(with_notices):
    at = rd_firm()
    at.switch_page("app_pages/watch.py").run()
    at.text_input(key="watch_name").set_value("青岛研发企业")
    at.button(key="watch_save").click().run()
    no_failure(at)
    from queries.watch import list_watches
    saved = {w["name"]: w for w in list_watches(str(with_notices))["watches"]}
    assert saved["青岛研发企业"]["profile"]["rd_expense"] == 30_000_000
