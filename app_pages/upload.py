"""上传 Upload: files saved under generated names inside the store, ingested, listed."""
from __future__ import annotations

import streamlit as st

from app_pages import views_uploads
from app_pages.common import L, catalog, store_spec, table
from app_pages.views_uploads import MAX_UPLOAD_BYTES, UPLOAD_TYPES


def page_upload() -> None:
    st.header(L("上传", "Upload"))
    st.caption(L(f"支持 {'、'.join(UPLOAD_TYPES)}，单个文件不超过 {MAX_UPLOAD_BYTES >> 20} MB。文件以内容摘要命名保存，导入后在所有页面可用。",
                 f"{', '.join(UPLOAD_TYPES)}, at most {MAX_UPLOAD_BYTES >> 20} MB each. Stored under a "
                 "generated name and ingested: they join every page."))
    files = st.file_uploader(L("选择文件", "Choose files"), type=list(UPLOAD_TYPES), accept_multiple_files=True,
                             max_upload_size=MAX_UPLOAD_BYTES >> 20)
    if files and st.button(L("导入", "Ingest"), type="primary"):
        bar = st.progress(0.0)
        st.session_state.upload_report = views_uploads.ingest_uploads(
            [(f.name, f.getvalue()) for f in files], store_spec(),
            on_file=lambda i, n, name: bar.progress(i / n, text=f"{i + 1}/{n} {name}"))
        bar.progress(1.0, text=L("完成", "Done"))
    for name, r in st.session_state.get("upload_report", []):
        if r["errors"]:
            st.error(L("导入失败：", "Not ingested: ") + "；".join(
                f"{name} — {e.removeprefix(name).lstrip(':： ')}" for e in r["errors"]))
        else:
            st.success(f"✓ {name}：" + L(f"{r['documents']} 份文件，{r['provisions']} 个条款", f"{r['documents']} documents, {r['provisions']} provisions"))
    mine = views_uploads.uploaded_documents(catalog(), store_spec())
    if mine:
        st.subheader(L("已上传的文件", "Uploaded documents"))
        table(mine)


if __name__ == "__main__":  # run by st.navigation (app.py) as this page's script
    page_upload()
