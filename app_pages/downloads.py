"""What the eligibility page offers beyond the answer: the firm's report as Word and PDF files."""
from __future__ import annotations

import json

import streamlit as st

from app_pages.common import L, catalog
from queries.report import report_data
from app_pages.views_report import report_bytes

MIME = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf"}


def report_downloads(res: dict) -> None:
    """A button that makes the report of the answer on screen (the PDF takes a few seconds),
    then one download button per format."""
    key = json.dumps([res.get("profile"), res.get("as_of")], sort_keys=True, ensure_ascii=False, default=str)
    files = st.session_state.get("report_files")
    c1, c2, _ = st.columns([1, 1, 4])
    if not files or files["key"] != key:
        if not c1.button(L("生成报告（Word / PDF）", "Make the report (Word / PDF)"), key="report_make"):
            return
        with st.spinner(L("正在生成报告…", "Making the report…")):
            data = report_data(catalog(), res.get("profile") or {}, res.get("as_of"))
            files = {"key": key, **{fmt: report_bytes(data, fmt) for fmt in MIME}}
        st.session_state.report_files = files
    c1.download_button(L("下载报告（Word）", "Download report (Word)"), files["docx"], "policygraph-report.docx",
                       MIME["docx"], key="report_docx")
    c2.download_button(L("下载报告（PDF）", "Download report (PDF)"), files["pdf"], "policygraph-report.pdf",
                       MIME["pdf"], key="report_pdf")
