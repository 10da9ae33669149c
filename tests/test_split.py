"""ingest.split: compilations behind a table of contents, and files that are one document."""
from __future__ import annotations

import pytest

from conftest import seed
from ingest.clean import clean
from ingest.model import RawText
from ingest.split import parse_toc, split_documents, title_key


def raw(lines, source="t.txt") -> RawText:
    lines = tuple(lines)
    return RawText(source, "txt", lines, (None,) * len(lines))


def split_lines(lines):
    return split_documents(clean(raw(lines)))


def split_seed(prefix):
    path = seed(prefix)
    return split_documents(clean(raw(path.read_text(encoding="utf-8").splitlines(), str(path))))


@pytest.fixture(scope="module")
def docs004():
    return split_seed("004")


def test_compilation_004_has_28_documents(docs004):
    assert len(docs004) == 28


# (document number, first source line, how its first paragraph starts) - checked by hand in the seed
FIRST_LINES = [
    (1, 56, "山东省人民代表大会常务委员会关于批准《青岛市科技创新促进条例》的决定"),  # the 决定 + the 条例
    (2, 376, "青岛市科学技术奖励办法"),
    (3, 523, "青岛市人民政府关于印发青岛市深入推进"),  # body title without 《》
    (6, 831, "关于《青岛市深入实施“海创计划”"),
    (8, 1058, "深化产学研合作提升科技成果转化质效"),  # TOC entry without a wrapper
    (10, 1345, "关于印发《青岛市科学技术局关于研发机构科技成果转化"),  # TOC entry wrapped over two lines
    (17, 2303, "青岛市科学技术局青岛市财政局中共青岛市委"),  # wrapper with six issuers; TOC names the inner title
    (21, 2719, "关于印发《青岛市科技保险费用补贴管理办法》的通知"),  # TOC entry wrapped as "…的通" + "知"
    (24, 3071, "青岛市专利保护规定"),  # right after the part heading 二、知识产权管理类
    (27, 3346, "《全面提升知识产权工作效能服务经济高质量发展的若干措施》"),
    (28, 3366, "青岛市人民政府办公厅关于印发知识产权领域"),
]


@pytest.mark.parametrize("number,line,start", FIRST_LINES)
def test_compilation_004_documents_start_at_their_titles(docs004, number, line, start):
    first = docs004[number - 1][0]
    assert first.line_start == line
    assert first.text.startswith(start)


def test_cover_toc_and_part_headings_belong_to_no_document(docs004):
    covered = {ln for d in docs004 for p in d for ln in range(p.line_start, p.line_end + 1)}
    assert min(covered) == 56  # cover, 目录, 第三部分, 一、科技创新及成果转化综合
    assert 3069 not in covered  # 二、知识产权管理类 between documents 23 and 24
    assert docs004[22][-1].line_end < 3069


def test_documents_are_in_order_and_disjoint(docs004):
    spans = [(d[0].line_start, d[-1].line_end) for d in docs004]
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:]))
    assert spans[-1][1] == 3420


def test_toc_of_004_is_parsed_with_wrapped_entries():
    path = seed("004")
    tm = clean(raw(path.read_text(encoding="utf-8").splitlines()))
    head, end, entries = parse_toc(tm.paras)
    docs = [e for e in entries if e.is_document]
    assert len(docs) == 28 and len(entries) == 31
    assert docs[9].title.endswith("绩效评价奖补实施细则（试行）》的通知") and docs[9].page == 110
    assert docs[20].title.endswith("补贴管理办法》的通知") and docs[20].page == 211
    assert [e.title for e in entries if not e.is_document] == [
        "青岛市科技成果转化政策", "科技创新及成果转化综合", "知识产权管理类"]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_file_without_toc_is_one_document(prefix):
    docs = split_seed(prefix)
    assert len(docs) == 1
    assert docs[0][0].line_start <= 5  # the first non-blank line


# ---- made-up compilations -----------------------------------------------------------------

PAGED = """政策汇编

目  录

第一部分 综合类……1
1.关于印发《甲市促进科技创新若干措施》的通知……2
2.甲市科技型企业培育办法……5
3.关于印发《甲市科技成果转化奖励实施细则
（试行）》的通知……9
第二部分 人才类……12
4.甲市人才引进规定……13

第一部分

综合类

甲市人民政府关于印发甲市促进科技创新若干措施的通知

各区人民政府：

现将《甲市促进科技创新若干措施》印发给你们，请认真贯彻执行。

甲市人民政府

2024年1月5日

甲市促进科技创新若干措施

一、支持企业研发。对企业研发投入给予奖励。

甲市科技型企业培育办法

第一条 为培育科技型企业，制定本办法。

第二条 本办法自发布之日起施行。

甲市科学技术局关于印发

《甲市科技成果转化奖励实施细则（试行）》的通知

各有关单位：

现印发给你们。

第一条 对科技成果转化给予奖励。

第二部分

人才类

甲市人才引进规定

第一条 本规定所称人才是指高层次人才。
""".splitlines()


def test_synthetic_compilation_with_page_numbers_and_wrapped_entries():
    docs = split_lines(PAGED)
    firsts = [d[0].text for d in docs]
    assert firsts == ["甲市人民政府关于印发甲市促进科技创新若干措施的通知", "甲市科技型企业培育办法",
                      "甲市科学技术局关于印发", "甲市人才引进规定"]  # a title over two lines
    assert docs[0][-1].text == "一、支持企业研发。对企业研发投入给予奖励。"  # wrapper + policy: one document
    assert docs[2][-1].text == "第一条对科技成果转化给予奖励。"  # part headings trimmed
    assert all("部分" not in p.text and p.text != "人才类" for d in docs for p in d)


UNPAGED = """目录
一、科技成果转化类
（一）关于印发《乙县科技项目管理办法》
的通知
（二）乙县技术合同奖补细则
二、知识产权类
（三）乙县专利资助规定
乙县科技局关于印发乙县科技项目管理办法的通知
各乡镇：现印发给你们。
乙县科技项目管理办法
第一条 本办法规范科技项目管理。
乙县技术合同奖补细则
第一条 对技术合同给予奖补。
二、知识产权类
乙县专利资助规定
第一条 对专利给予资助。""".splitlines()


def test_synthetic_compilation_without_page_numbers():
    docs = split_lines(UNPAGED)
    assert [d[0].line_start for d in docs] == [8, 12, 15]
    assert docs[1][-1].line_end == 13  # the repeated part heading (line 14) belongs to no document


def test_decision_followed_by_the_regulation_it_approves_is_two_documents():
    lines = seed("004").read_text(encoding="utf-8").splitlines()[55:374]  # lines 56-374, no TOC
    docs = split_documents(clean(raw([""] * 55 + lines)))
    assert [(d[0].line_start, d[-1].line_end) for d in docs] == [(56, 60), (62, 374)]
    assert docs[1][0].text == "青岛市科技创新促进条例"


def test_decision_without_the_full_regulation_stays_one_document():
    lines = ["关于修改《甲市科技条例》的决定", "甲市人民代表大会常务委员会决定对《甲市科技条例》作如下修改：",
             "一、将第三条修改为：……", "本决定自公布之日起施行。"]
    assert len(split_lines(lines)) == 1


def test_a_laws_own_table_of_contents_does_not_split_it():
    law = ["中华人民共和国促进科技成果转化法", "目录", "第一章 总则", "第二章 组织实施", "第三章 法律责任",
           "第一章 总则", "第一条 为了促进科技成果转化，制定本法。", "第二章 组织实施", "第二条 国家支持转化。",
           "第三章 法律责任", "第三条 违反本法的，依法处理。"]
    assert len(split_lines(law)) == 1


def test_a_plans_own_table_of_contents_does_not_split_it():
    plan = ["甲市科技创新发展规划", "目录", "一、发展基础……1", "二、总体要求……3", "三、重点任务……5",
            "一、发展基础", "全市科技创新能力持续提升。", "二、总体要求", "坚持创新驱动。", "三、重点任务", "建设平台。"]
    assert len(split_lines(plan)) == 1


def test_toc_entry_missing_from_the_body_is_skipped(caplog):
    lines = ["目录", "1.甲办法……1", "2.乙规定……3", "3.丙细则……5",
             "甲办法", "第一条 甲。", "丙细则", "第一条 丙。"]
    docs = split_lines(lines)
    assert [d[0].text for d in docs] == ["甲办法", "丙细则"]
    assert "乙规定" in caplog.text


def test_title_key_ignores_brackets_spaces_and_yinfa():
    assert title_key("关于印发《甲市办法（试行）》 的通知") == title_key("关于甲市办法(试行)的通知")


def test_empty_text_has_no_document():
    from ingest.model import TextMap
    assert split_documents(TextMap("x", "txt", ())) == ()


# ---- properties ----------------------------------------------------------------------------

# ---- regulations one after another, no TOC (a PDF made of a database's texts) ------------------

_CONCATENATED = [
    "丽水市传统村落保护条例",
    "2019年5月28日 丽水市第四届人民代表大会常务委员会第十六次会议通过",
    "2019年8月1日 浙江省第十三届人民代表大会常务委员会第十三次会议批准",
    "第一章 总则",
    "第一条 为了加强传统村落保护和利用，制定本条例。",
    "第二条 本条例自2019年11月1日起施行。",
    "丽水市制定地方性法规条例",
    "2016年3月15日 丽水市第三届人民代表大会第七次会议通过",
    "2016年4月15日 丽水市第三届人民代表大会常务委员会公告第1号公布",
    "<!-- INFO END -->",
    "第一章 总则",
    "第一条 为了规范地方立法活动，制定本条例。",
    "第二条 本条例自公布之日起施行。",
    "台州市物业管理条例",
    "（2021年3月26日台州市第五届人民代表大会常务委员会第三十七次会议通过）",
    "第一条 为了规范物业管理活动，制定本条例。",
]


def test_regulations_concatenated_without_toc_are_separate_documents():
    docs = split_lines(_CONCATENATED)
    assert [d[0].text for d in docs] == ["丽水市传统村落保护条例", "丽水市制定地方性法规条例", "台州市物业管理条例"]
    assert [d[-1].text for d in docs] == ["第二条本条例自2019年11月1日起施行。", "第二条本条例自公布之日起施行。",
                                          "第一条为了规范物业管理活动，制定本条例。"]


def test_one_regulation_whose_history_quotes_a_title_stays_one_document():
    """浙江省义务教育条例: its first history line ends with the old title 《…条例》 and the next
    line is dated too; a history line is never a document's title."""
    lines = ["浙江省义务教育条例",
             "1985年6月13日 浙江省第六届人民代表大会常务委员会第三次会议通过《浙江省实行九年制义务教育条例》",
             "2009年11月27日 浙江省第十一届人民代表大会常务委员会第十四次会议修订",
             "第一章 总则", "第一条 为了保障适龄儿童、少年享有平等接受义务教育的权利，制定本条例。"]
    assert len(split_lines(lines)) == 1
    assert len(split_lines(_CONCATENATED[:6])) == 1  # one regulation: nothing to split


from hypothesis import given, settings, strategies as st  # noqa: E402

_LINES = st.lists(st.one_of(
    st.sampled_from(["目录", "目 录", "1.甲办法……1", "2.乙规定\t3", "一、综合类", "甲办法", "乙规定", "第一部分",
                     "关于印发《甲办法》的通知", "第一条 甲。", "", "\t\t", "— 2 —", "（说明）"]),
    st.text(st.sampled_from(list("甲乙办法规定通知目录一二、.…\t 0123（）《》，。")), max_size=20)), max_size=30)


@settings(max_examples=200, deadline=None)
@given(_LINES)
def test_split_never_raises_and_documents_are_ordered_and_disjoint(lines):
    tm = clean(raw(lines))
    docs = split_documents(tm)
    assert all(docs)
    flat = [p for d in docs for p in d]
    assert all(a.line_end < b.line_start for a, b in zip(flat, flat[1:]))
    assert set(map(id, flat)) <= set(map(id, tm.paras))
    if parse_toc(tm.paras) is None:
        assert docs in ((tm.paras,), ()) or len(docs) == 2  # one document, or a 决定 and its regulation


def test_compilation_whose_first_toc_entry_is_not_found_keeps_that_text(tmp_path):
    """Regression (issue 9): a damaged title of the first policy made the whole policy (a 319-line
    regulation in seed 004) vanish with the TOC, with only a log line on stderr."""
    from ingest.pipeline import parse_file
    lines = seed("004").read_text(encoding="utf-8").splitlines()
    whole = parse_file(seed("004"))
    first = whole.documents[0]
    damaged = [i for i in range(first.span.line_start - 1, first.span.line_start + 8) if first.title[:6] in lines[i]]
    assert damaged
    for i in damaged:
        lines[i] = "（此行已损坏）"
    path = tmp_path / "004_damaged_first_title.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    pf = parse_file(path)
    assert len(pf.documents) == len(whole.documents)
    assert pf.documents[0].span.line_start == first.span.line_start
    assert pf.documents[0].span.line_end == first.span.line_end  # every line of it still in a document
    assert any("not found in the body" in w for w in pf.warnings)  # and the user is told
