"""政策月历 and the report download in a real headless Chromium (Playwright, /usr/bin/chromium)."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from test_app_e2e import ARGS, CHROMIUM, ROOT, fill_rd_firm, idle, server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NOTICES = ROOT / "tests" / "fixtures" / "notices"


def test_calendar_ics_and_pdf_report_download_in_a_real_browser(server, tmp_path):  # noqa: F811
    from playwright.sync_api import sync_playwright

    from graph.ingesting import ingest_paths
    icalendar = pytest.importorskip("icalendar")
    url, _ = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True)
        page.set_default_timeout(90_000)
        page.goto(url)
        page.get_by_text("查询可申请政策").wait_for()
        idle(page, 90_000)  # first start: the bundled corpus
        assert not ingest_paths(sorted(NOTICES.glob("*/*.txt")), str(tmp_path / "store"))["errors"]

        page.goto(f"{url}/calendar?as_of=2021-05-01")
        page.get_by_role("heading", name="政策月历").wait_for()
        idle(page)
        assert page.get_by_text("还剩 5 天").first.is_visible()
        with page.expect_download() as dl:
            page.get_by_role("button", name="下载日历（.ics）").click()
        cal = icalendar.Calendar.from_ical(open(dl.value.path(), "rb").read())
        assert any("小巨人" in str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
        page.get_by_role("tab", name="月视图").click()
        assert page.locator("table").filter(has_text="截止").first.is_visible()

        page.goto(url)
        page.get_by_text("查询可申请政策").wait_for()
        idle(page)
        fill_rd_firm(page)
        page.get_by_role("button", name="查询可申请政策").click()
        idle(page)
        page.get_by_role("button", name="生成报告（Word / PDF）").click()
        idle(page)
        with page.expect_download() as dl:
            page.get_by_role("button", name="下载报告（PDF）").click()
        pdf = tmp_path / "report.pdf"
        dl.value.save_as(pdf)
        browser.close()
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "政策匹配报告" in text and "青岛市" in text
