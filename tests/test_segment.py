"""segment: provision trees of laws, action plans, boxes and attachments (hand-checked facts)."""
from __future__ import annotations

from collections import Counter

import pytest

from conftest import seed
from _paras import join_wrapped, paras_from_file, paras_from_lines, paras_from_text
from ingest.meta import describe
from ingest.model import line_at
from ingest.segment import segment


def tree(paras):
    meta = describe(paras)
    return segment(paras[meta.body_start:], "src.txt")


def flat(provs):
    return [q for p in provs for q in p.walk()]


def by_id(provs):
    return {q.id: q for q in flat(provs)}


# ---- seed 000: an action plan behind a notice --------------------------------------------

@pytest.fixture(scope="module")
def plan():
    return tree(paras_from_file(seed("000")))


def test_action_plan_has_28_articles_in_order(plan):
    arts = [q for q in flat(plan) if q.kind == "article"]
    assert [a.label for a in arts] == [f"{n}." for n in range(1, 29)]
    assert Counter(q.kind for q in flat(plan)) == {"article": 28, "section": 10, "preamble": 1}


def test_action_plan_groups_and_headings(plan):
    ids = by_id(plan)
    assert ids["pre"].text.startswith("为认真落实国家、省有关部署要求")
    assert ids["sec_2"].heading == "加快引领产业创新，培育发展新质生产力新动能"
    assert ids["sec_2/art_1"].heading == "引领优势产业提档升级"
    assert ids["sec_3/art_5"].heading == "完善多层次实验室体系"
    assert ids["sec_9/art_28"].heading == "营造创新创业良好氛围"
    assert ids["sec_1"].heading == "总体要求" and not ids["sec_1"].children
    # a container carries its own text only; an article its full text
    assert ids["sec_2"].text == "二、加快引领产业创新，培育发展新质生产力新动能"
    assert "（责任单位：市科技局、市工业和信息化局、市农业农村局）" in ids["sec_2/art_1"].text


def test_action_plan_spans_and_line_map(plan):
    art = by_id(plan)["sec_2/art_1"]
    assert (art.span.line_start, art.span.line_end) == (35, 43)
    assert by_id(plan)["sec_2"].span.line_end == 73  # a container's span covers its subtree
    off = art.text.index("1000万元")
    assert line_at(art.line_map, off) == 39


# ---- seed 004's first document: a local regulation ---------------------------------------

@pytest.fixture(scope="module")
def law():
    lines = seed("004").read_text(encoding="utf-8").splitlines()[55:375]
    return tree(paras_from_lines(join_wrapped(lines)))


def test_law_chapters_articles(law):
    kinds = Counter(q.kind for q in flat(law))
    assert kinds["chapter"] == 10 and kinds["article"] == 71
    ids = by_id(law)
    assert [c.heading for c in law][:3] == ["总则", "科学技术研究", "科技成果转化"]
    assert law[-1].heading == "附则" and law[-1].children[0].label == "第七十一条"
    assert ids["chp_2/art_12"].heading is None
    assert ids["chp_1/art_1"].label == "第一条"


def test_law_paragraphs_are_kuan(law):
    ids = by_id(law)
    art3 = ids["chp_1/art_3"]
    assert [c.id for c in art3.children] == ["chp_1/art_3/para_2"]
    assert art3.children[0].label == "第二款" and art3.children[0].kind == "paragraph"
    assert art3.children[0].text.startswith("科技创新工作应当面向世界科技前沿")
    assert "第三条" in art3.text and "科技创新工作应当" in art3.text  # full text with its 款
    assert [c.label for c in ids["chp_2/art_15"].children] == ["第二款", "第三款"]


def test_items_belong_to_their_kuan():
    lines = seed("004").read_text(encoding="utf-8").splitlines()[375:470]
    ids = by_id(tree(paras_from_lines(join_wrapped(lines))))
    assert [c.id for c in ids["art_7"].children] == ["art_7/item_1", "art_7/item_2"]
    item = ids["art_8/para_2/item_3"]
    assert item.kind == "item" and item.label == "（三）" and item.heading is None
    assert ids["art_10/para_2/item_3"].label == "(三)"  # half-width brackets too
    # items of the first 款 hang on the article; the text after them is the second 款
    assert [c.kind for c in ids["art_15"].children] == ["item"] * 6 + ["paragraph"]
    assert ids["art_15/para_2"].text.startswith("同一人在同一年度")


# ---- seed 003: 专栏 boxes inside measures ------------------------------------------------

@pytest.fixture(scope="module")
def boxes():
    return tree(paras_from_file(seed("003"), simplify=True))


def test_boxes_are_their_own_kind(boxes):
    all_boxes = [q for q in flat(boxes) if q.kind == "box"]
    assert len(all_boxes) == 22
    box1 = by_id(boxes)["sec_2/art_1/item_1/box_1"]
    assert box1.heading == "微电子技术"
    assert [c.heading for c in box1.children] == ["MEMS 及传感器", "集成电路", "物联网"]
    assert all(c.kind == "item" for c in box1.children)


def test_box_closes_when_outer_numbering_continues(boxes):
    ids = by_id(boxes)
    # "2. 光电子技术。…" follows box 1's rows 1.–3.: it is the next measure, not box row 2
    assert ids["sec_2/art_1/item_2"].heading == "光电子技术"
    # after box 2's rows 1.–2., "3. 人工智能技术。…" could be row 3 or measure 3: its shape decides
    assert ids["sec_2/art_1/item_3"].heading == "人工智能技术"
    assert [c.heading for c in ids["sec_2/art_1/item_2/box_2"].children] == ["新型显示", "光通信"]


def test_trailing_banji_is_not_in_last_measure(boxes):
    last = flat(boxes)[-1]
    assert last.id == "sig" and last.kind == "other"
    assert "2018年8月21日印发" in last.text


# ---- made-up documents: numbering guards -------------------------------------------------

RESTART = """一、加强平台建设
1. 建设实验室。对新建实验室给予支持。
2. 建设中心。对新建中心给予支持。
3. 建设基地。对新建基地给予支持。
二、加强人才引育
1. 引进人才。对引进的人才给予奖励。
（1）顶尖人才，给予100万元。
（2）领军人才，给予50万元。
2. 培养人才。
2028年，人才总量超过300万人。"""


def test_numbering_restart_under_new_group():
    ids = by_id(segment(paras_from_text(RESTART), "x"))
    assert sorted(i for i in ids if i.count("/") == 1) == [
        "sec_1/art_1", "sec_1/art_2", "sec_1/art_3", "sec_2/art_1", "sec_2/art_2"]
    assert [c.label for c in ids["sec_2/art_1"].children] == ["（1）", "（2）"]
    assert ids["sec_2/art_1/item_1"].kind == "item"
    # a continuation line starting with a year is text, not a label
    assert ids["sec_2/art_2"].text.endswith("2028年，人才总量超过300万人。")


def test_flat_measures_are_articles_and_toc_lines_are_not_labels():
    text = """目录
1. 总体要求.....3
2. 支持措施.....5
一、实施职务科技成果单列管理
高校院所可将职务科技成果单列管理。
二、深化职务科技成果赋权改革
支持高校院所赋予科研人员所有权。"""
    provs = segment(paras_from_text(text), "x")
    assert [(p.id, p.kind) for p in provs] == [("pre", "preamble"), ("art_1", "article"), ("art_2", "article")]
    assert provs[1].heading == "实施职务科技成果单列管理"


def test_attachment_list_forms_and_rows():
    text = """一、申报条件
（一）在本市注册的企业。
（二）研发投入不低于100万元。
附件：1. 申报表
2. 承诺书
附件1
项目申报表
1. 单位名称：
2. 统一社会信用代码：
序号\t项目\t金额
1\t设备\t100
附件2
承诺书
本单位承诺所填内容真实。
青岛市科学技术局办公室
2024年12月16日印发"""
    provs = segment(paras_from_text(text), "x")
    assert [(p.id, p.kind) for p in provs] == [
        ("sec_1", "section"), ("att_list", "other"), ("att_1", "attachment"),
        ("att_2", "attachment"), ("sig", "other")]
    att1 = provs[2]
    assert att1.heading == "项目申报表"
    assert [c.kind for c in att1.children] == ["item", "item"]  # numbered form rows are not articles
    assert "1\t设备\t100" in att1.text
    assert [c.kind for c in provs[0].children] == ["article", "article"]


def test_ids_stable_when_unrelated_text_changes():
    base = segment(paras_from_text(RESTART), "x")
    edited = segment(paras_from_text("为加快发展，制定本方案。\n" + RESTART.replace("建设中心。", "建设创新中心。")), "x")
    assert {q.id for q in flat(base)} | {"pre"} == {q.id for q in flat(edited)}


NATIONAL_LAW = """第一章 总则
第一条 为了促进科学技术进步，制定本法。
第二条 国家鼓励科学技术研究。
国家支持下列活动：
（一）基础研究；
（二）应用研究。
前款规定的活动，依照本法管理。
第二章 科学研究
第一节 基础研究
第三条 国家加强基础研究。第五条规定的机构除外。
第五条规定的机构应当报告。
第二节 应用研究
第四条 国家加强应用研究。
第三章 附则
第五条 本法自2025年1月1日起施行。"""


def test_law_with_sections_kuan_items_and_cross_references():
    ids = by_id(segment(paras_from_text(NATIONAL_LAW), "law.txt"))
    assert ids["chp_2/sec_1/art_3"].kind == "article" and ids["chp_2/sec_2"].heading == "应用研究"
    assert [c.id for c in ids["chp_1/art_2"].children] == ["chp_1/art_2/para_2", "chp_1/art_2/para_3"]
    assert [c.label for c in ids["chp_1/art_2/para_2"].children] == ["（一）", "（二）"]
    # "第五条规定的…" at a paragraph start is a cross-reference: a 款, not article 5
    assert ids["chp_2/sec_1/art_3/para_2"].text.startswith("第五条规定的")
    assert ids["chp_3/art_5"].span.line_start == 15


def test_empty_and_unlabelled_bodies():
    assert segment((), "x") == ()
    provs = segment(paras_from_text("青岛实施八大工程。\n到2026年高新技术企业超过1万家。"), "x")
    assert [(p.id, p.kind) for p in provs] == [("pre", "preamble")]


def test_never_raises_and_spans_stay_inside():
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import given, settings, strategies as st
    alphabet = st.sampled_from(list("一二十（）()1.、第章条节款附件专栏：:。，\t 2028年万元本办法自起施行有效期①") + ["\n"])

    @settings(max_examples=60, deadline=None)
    @given(st.text(alphabet, max_size=120))
    def run(text):
        paras = paras_from_text(text)
        meta = describe(paras)
        provs = segment(paras[meta.body_start:], "x")
        ids = [q.id for q in flat(provs)]
        assert len(ids) == len(set(ids))
        for q in flat(provs):
            assert paras[0].line_start <= q.span.line_start <= q.span.line_end <= paras[-1].line_end

    run()


@pytest.mark.slow
def test_pipeline_on_compilation_seed():
    """Through the real reader, cleaner and splitter (skipped until they exist)."""
    pytest.importorskip("ingest.split")
    from ingest.pipeline import parse_file
    docs = parse_file(seed("004"), extract=False).documents
    assert len(docs) == 28
    law, rule, plan = docs[0], docs[1], docs[2]
    assert law.title == "青岛市科技创新促进条例" and law.doc_class == "地方性法规"
    assert Counter(q.kind for q in law.walk())["article"] == 71
    assert rule.doc_number == "青岛市人民政府令第298号"
    arts = [q for q in plan.walk() if q.kind == "article"]
    assert [a.label for a in arts] == [f"{n}." for n in range(1, 29)]
    assert plan.issuers == ("青岛市人民政府",) and str(plan.issue_date) == "2024-07-31"
