"""A government web page saved as text (navigation, breadcrumbs, metadata table, decree preamble,
related links and footer around a real regulation): the body is found, never an exception (issue 13)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from ingest.pipeline import parse_file

PAGE = Path(__file__).parent / "fixtures" / "gov_page_saved_as_text.txt"


def test_regulation_inside_a_saved_page_is_found():
    pf = parse_file(PAGE)
    assert len(pf.documents) == 1
    d = pf.documents[0]
    assert (d.title, d.doc_class, d.issuers) == ("国家科学技术奖励条例", "行政法规", ("国务院",))
    assert [r.date for r in d.revisions][-1] == d.issue_date == date(2024, 5, 26)
    assert d.validity.start == date(2024, 5, 26)  # 自2020年12月1日起施行 is the text before its 2024 revision
    labels = [p.label for p in d.walk() if p.kind == "article"]
    assert labels == [f"第{c}条" for c in "一二三四五六"]
    body = "\n".join(p.text for p in d.walk())
    for furniture in ("当前位置", "相关链接", "主办单位", "ICP备", "扫一扫", "打印本页", "政务公开"):
        assert furniture not in body, furniture
    assert d.provisions[-1].text.startswith("第二章") or "本条例自2020年12月1日起施行" in body


def test_page_text_lines_leave_ordinary_texts_alone(tmp_path):
    from ingest.readers_text import page_text_lines
    law = ("示例条例", "第一条 为了规范管理，制定本条例。", "相关文件：见附件。", "第二条 本条例自公布之日起施行。")
    assert page_text_lines(law) == law
