"""ingest.clean: furniture, hard-wrap joining, spaces, norm, line maps (seeds read as plain lines)."""
from __future__ import annotations

import signal
from contextlib import contextmanager

import pytest
from hypothesis import given, settings, strategies as st

from conftest import seed
from docgen import wrap_to_width
from ingest.clean import clean, normalize, tidy_line
from ingest.model import RawText
from ingest.patterns import match_label


def raw(lines, pages=None, source="t.txt") -> RawText:
    lines = tuple(lines)
    return RawText(source, "txt", lines, tuple(pages) if pages else (None,) * len(lines))


def texts(lines, pages=None) -> list[str]:
    return [p.text for p in clean(raw(lines, pages)).paras]


@pytest.fixture(scope="module")
def seeds():
    out = {}
    for k in ("000", "001", "002", "003", "004"):
        path = seed(k)
        out[k] = clean(raw(path.read_text(encoding="utf-8").splitlines(), source=str(path)))
    return out


def para_at(tm, line):
    return next(p for p in tm.paras if p.line_start <= line <= p.line_end)


# ---- joining hard-wrapped lines -------------------------------------------------------------

def test_continuation_starting_with_year_is_joined():
    assert texts(["坚持把科技创新摆在发展全局的核心位置，推动全市创新发展，力争到", "",
                  "2028年，全社会研发经费超过800亿元。"]) == [
        "坚持把科技创新摆在发展全局的核心位置，推动全市创新发展，力争到2028年，全社会研发经费超过800亿元。"]


def test_continuation_starting_with_amount_is_joined():
    out = texts(["每年组织实施一批关键技术攻关项目和科技示范工程，分别给予最高500万元和", "", "1000万元支持。"])
    assert out == ["每年组织实施一批关键技术攻关项目和科技示范工程，分别给予最高500万元和1000万元支持。"]


def test_continuation_starting_with_decimal_is_joined():
    out = texts(["力争实现翻一番，科技型企业数量翻一番、全市科技型企业数量超过", "2.2万家，全社会研发经费总量翻一番。"])
    assert len(out) == 1 and "超过2.2万家" in out[0]


def test_numbered_item_is_not_joined():
    out = texts(["1.引领优势产业提档升级。实施强链计划，聚焦制约产业升级的重大技术难题，推动产业发展", "",
                 "2.引领新兴产业集群发展。实施建链计划。"])
    assert len(out) == 2


def test_law_article_reference_continues_the_sentence():
    out = texts(["有关部门及其工作人员违反本条例规定，未依照本条例", "第三十条规定履行职责的，由上级机关责令改正。"])
    assert len(out) == 1


def test_heading_is_not_joined_to_its_prose():
    assert len(texts(["一、总体要求", "以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大精神。"])) == 2
    assert len(texts(["二、加快引领产业创新，培育发展新质生产力新动能",
                      "围绕智能家电、轨道交通装备等优势产业，每年组织实施一批行业共性技术攻关项目。"])) == 2


def test_signature_date_and_title_lines_are_not_joined():
    lines = ["青岛市人民政府", "", "2024年7月31日", "", "（此件公开发布）", "",
             "青岛市深入推进科技创新加快建设科技强市行动计划（2024—2028年）", "",
             "为认真落实国家、省有关部署要求，深入推进科技创新，制定以下行动计划。"]
    assert len(texts(lines)) == 5


def test_title_ending_with_doc_type_is_not_joined():
    lines = ["关于印发《青岛市新型研发机构管理暂行办法》的通知", "各区（市）科技主管部门、财政部门，各有关单位：",
             "深化产学研合作 提升科技成果转化质效 专项行动方案", "为深入实施创新驱动发展战略，推动科技成果转化和产业化。"]
    assert len(texts(lines)) == 4


def test_table_rows_are_not_joined():
    assert len(texts(["指 标\t单 位\t2017 年", "研发经费支出占生产总值比重\t%\t2.78", "万人有效发明专利拥有量\t件\t23.97"])) == 3


def test_page_break_in_a_sentence_is_joined_without_wrap_width():  # seed 004 line 98
    out = texts(["第十条 市人民政府设立自然科学基金，支持面向经济社会", "",
                 "发展中的基础性、战略性、前瞻性科学问题，开展基础研究和科学前沿探索。"])
    assert out == ["第十条市人民政府设立自然科学基金，支持面向经济社会发展中的基础性、战略性、前瞻性科学问题，开展基础研究和科学前沿探索。"]


def test_short_tail_of_a_sentence_is_joined():  # seed 004 line 148
    assert len(texts(["从事科技成果转化的人员可以按照规定参加技术经纪人职", "", "称评定。"])) == 1


def test_line_starting_with_continuation_punctuation_is_joined():
    assert texts(["支持企业开展研发活动", "，每年给予奖励。"]) == ["支持企业开展研发活动，每年给予奖励。"]


def test_blank_lines_make_no_paragraph():
    assert texts(["", "  ", "\u3000", "正文。", ""]) == ["正文。"]


def test_seed000_wraps_separated_by_blank_lines_are_joined(seeds):
    tm = seeds["000"]
    p = para_at(tm, 19)
    assert (p.line_start, p.line_end) == (19, 31)
    assert "坚持把科技创新摆在发展全局的核心位置" in p.text
    items = [p for p in tm.paras if (match_label(p.text) or ("",))[0] == "arabic"]
    assert len(items) == 28  # every measure 1.–28. one paragraph, each starting on its own line
    # a sentence ending exactly at the margin ends the paragraph (it may; the segmenter appends an
    # unnumbered paragraph to the open measure, so nothing is lost when it did not)
    assert (para_at(tm, 35).line_end, para_at(tm, 41).line_start) == (39, 41)
    assert [p.text for p in tm.paras[2:5]] == ["青岛市人民政府", "2024年7月31日", "（此件公开发布）"]


def test_seed001_newspaper_paragraphs_are_not_joined(seeds):
    tm = seeds["001"]
    assert para_at(tm, 23).line_end == 23  # an infographic box ends without punctuation
    assert para_at(tm, 35).line_end == 35


def test_seed004_page_breaks(seeds):
    tm = seeds["004"]
    assert (para_at(tm, 98).line_start, para_at(tm, 98).line_end) == (98, 100)
    assert para_at(tm, 56).line_end == 56  # the 决定's title stays on its own
    assert para_at(tm, 62).text == "青岛市科技创新促进条例"


# ---- spaces, markup, norm ----------------------------------------------------------------------

def test_spaces_between_cjk_are_removed_in_seed001(seeds):
    body = "\n".join(p.text for p in seeds["001"].paras)
    assert "进一步增强发展内生动力" in body  # "进一 步" in the source
    assert "超过1200亿元" in body  # "超过 1200 亿元"
    assert tidy_line("科 技 创 新") == "科技创新"


def test_spaces_between_latin_words_are_kept(seeds):
    body = "\n".join(p.text for p in seeds["003"].paras)
    assert "Asahi Kasei Microsystems" in body
    assert "MEMS传感器" in body


def test_space_between_agency_names_is_kept():
    assert tidy_line("青岛市科学技术局 青岛市财政局") == "青岛市科学技术局 青岛市财政局"
    assert tidy_line("中共青岛市委办公厅 关于印发") == "中共青岛市委办公厅关于印发"


def test_markdown_markers_are_dropped_but_bullets_kept():
    assert tidy_line("## 实施7大计划") == "实施7大计划"
    assert tidy_line("（一）**激发高校服务地方活力**。") == "（一）激发高校服务地方活力。"
    assert tidy_line("-  附件：1. 名单") == "- 附件：1.名单"


def test_traditional_header_of_seed003_is_simplified_in_norm(seeds):
    tm = seeds["003"]
    p = para_at(tm, 3)
    assert p.text == "青島市人民政廳辦公廳" and p.norm == "青岛市人民政府办公厅"
    assert para_at(tm, 5).norm == "青政办字〔2018〕73号"
    assert para_at(tm, 7).norm.startswith("青岛市人民政府办公厅关于印发青岛市新旧动能转换重大工程")


def test_norm_form():
    assert normalize("２０２４年ＡＢ，（试行）") == "2024年AB，（试行）"
    assert normalize("(2024-2028年),包括:") == "（2024-2028年），包括："
    assert normalize("2024—2028年") == "2024-2028年"
    assert normalize("1,000 and 10:30") == "1,000 and 10:30"
    assert normalize('实施"强链计划"和"建链计划"') == "实施“强链计划”和“建链计划”"
    assert normalize("青科字[2024]27号") == "青科字〔2024〕27号"


def test_norm_has_the_length_of_text(seeds):
    for tm in seeds.values():
        assert all(len(p.norm) == len(p.text) for p in tm.paras)
        assert not any("  " in p.norm for p in tm.paras)


# ---- furniture ---------------------------------------------------------------------------------

def test_page_footers_are_removed_and_the_sentence_joined_across_them():
    out = texts(["为了促进科技创新，推动经济社会高质量发展，根据有关法律法规，结合本市", "", "— 3 —", "",
                 "- 4 -", "第3页 共10页", "12", "实际，制定本条例。"])
    assert out == ["为了促进科技创新，推动经济社会高质量发展，根据有关法律法规，结合本市实际，制定本条例。"]


def test_numbers_in_table_rows_and_years_are_not_furniture():
    assert texts(["序号\t单位名称", "1\t中国海洋大学", "2024"]) == ["序号\t单位名称", "1\t中国海洋大学", "2024"]


def test_repeated_pdf_header_is_removed_after_the_first_page():
    lines, pages = [], []
    for pg in range(1, 5):
        for ln in ("青岛市人民政府公报 2024年第" + str(pg) + "期", "正文" * pg + "。", f"— {pg} —"):
            lines.append(ln)
            pages.append(pg)
    out = clean(raw(lines, pages))
    assert [p.text for p in out.paras][:2] == ["青岛市人民政府公报2024年第1期", "正文。"]
    assert sum("公报" in p.text for p in out.paras) == 1
    assert out.warnings and "furniture" in out.warnings[0]
    assert [p.page for p in out.paras] == [1, 1, 2, 3, 4]


# ---- line maps ---------------------------------------------------------------------------------

def _check_map(p, n_lines):
    assert 1 <= p.line_start <= p.line_end <= n_lines
    offs = [o for o, _ in p.line_map]
    assert offs[0] == 0 and offs == sorted(offs) and offs[-1] < max(len(p.text), 1)
    assert all(p.line_start <= ln <= p.line_end for _, ln in p.line_map)
    assert p.line_map[0][1] == p.line_start and p.line_map[-1][1] == p.line_end
    for off in range(len(p.text)):
        assert p.line_start <= p.line_of(off) <= p.line_end


def test_line_map_of_seeds_stays_inside_each_paragraph(seeds):
    for k, tm in seeds.items():
        n = len(seed(k).read_text(encoding="utf-8").splitlines())
        for p in tm.paras:
            _check_map(p, n)
        starts = [p.line_start for p in tm.paras]
        assert starts == sorted(starts)


def test_line_map_points_at_the_line_a_character_came_from(seeds):
    p = para_at(seeds["000"], 19)
    assert p.line_of(p.text.index("新摆在发展全局")) == 21
    assert p.line_of(p.text.index("作出贡献")) == 25


def test_cleaning_seed_output_again_changes_nothing(seeds):
    for tm in seeds.values():
        lines = []
        for p in tm.paras:
            lines += [p.text, ""]
        assert [p.text for p in clean(raw(lines)).paras] == [p.text for p in tm.paras]


# ---- properties --------------------------------------------------------------------------------

_CHARS = st.sampled_from(list("科技创新条例第一二三十条章、，。；：（）()《》“”\"'—-.0123456789０１ＡａAb 　\t青島發展"
                              "年月日万亿元局府附件目录·…!?#*\u200b\ufffd"))
_LINE = st.text(_CHARS, max_size=70)


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINE, max_size=25))
def test_clean_never_raises_and_maps_inside_the_source(lines):
    tm = clean(raw(lines))
    prev_end = 0
    for p in tm.paras:
        assert p.text and len(p.norm) == len(p.text)
        _check_map(p, len(lines))
        assert p.line_start > prev_end
        prev_end = p.line_end


@settings(max_examples=150, deadline=None)
@given(_LINE)
def test_tidy_and_normalize_are_idempotent(line):
    once = tidy_line(line)
    assert tidy_line(once) == once
    n = normalize(once)
    assert normalize(n) == n and len(n) == len(once)


@settings(max_examples=60, deadline=None)
@given(st.lists(_LINE, max_size=12))
def test_a_paragraph_cleaned_again_alone_is_unchanged(lines):
    for p in clean(raw(lines)).paras:
        assert [q.text for q in clean(raw([p.text])).paras] == [p.text]


# ---- re-wrapping: a clean text broken at a fixed width (with page footers) cleans back ------------

@pytest.mark.parametrize("prefix,start,end,share", [("004", 62, 374, 0.97), ("003", 1, 1034, 0.93)])
def test_rewrapped_text_cleans_back_to_its_paragraphs(seeds, prefix, start, end, share):
    ref = [p.text for p in seeds[prefix].paras if start <= p.line_start <= end and "\t" not in p.text]
    for cols in (60, 72, 90):
        lines = []
        for i, t in enumerate(ref):
            lines += wrap_to_width(t, cols) + (["", f"— {i} —", ""] if i % 7 == 3 else [])
        got = {p.text for p in clean(raw(lines)).paras}
        assert sum(t in got for t in ref) >= share * len(ref), cols  # the rest: a 。 exactly at the margin


def test_wrapped_markdown_list_item_is_joined():
    out = texts(["- 十一、在项目资金中以任何方式列支应由个人负担的有关费用或支付各种罚款、",
                 "捐款、赞助、投资、偿还债务等。", "- 十二、其他行为。"])
    assert out == ["- 十一、在项目资金中以任何方式列支应由个人负担的有关费用或支付各种罚款、捐款、赞助、投资、偿还债务等。",
                   "- 十二、其他行为。"]


def test_indentation_marks_paragraph_starts_in_a_wrapped_text():
    body = "为了促进科技创新，推动经济社会高质量发展，根据有关法律法规，结合本市实际情况"  # 38 CJK characters
    lines = []
    for k in range(4):
        lines += ["\u3000\u3000" + body[:34], body[34:] + "制定本办法。" + body[:24] + "结", "束了。",
                  "\u3000\u3000第二段" + body[:31], "还有" + body[:33] + "。", "继续第二段，直到结束。"]
    out = texts(lines)
    assert len(out) == 8  # two paragraphs a round: the sentence ending at the margin does not end them
    assert out[1] == "第二段" + body[:31] + "还有" + body[:33] + "。继续第二段，直到结束。"


def test_label_that_stops_matching_once_joined_does_not_crash():  # was TypeError in _is_heading
    lines = ["1、", "1条为了促进科技创新推动经济社会高质量发展，制定", "本办法适用于本市行政区域内的科技活动"]
    out = texts(lines)
    assert "".join(out) == "".join(lines) and out[0].startswith("1、1条")

# ---- hostile sizes: every step linear in the input (hang guards, not timings) ----------------------

@contextmanager
def hang_guard(seconds: int = 30):
    """Fail instead of hanging: a quadratic step takes minutes on these inputs (linear: < 1 s)."""
    def stop(*_):
        raise TimeoutError(f"still running after {seconds} s: quadratic again?")
    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _unpunctuated(n: int) -> list[str]:
    base = "坚持把科技创新摆在发展全局的核心位置推动全市创新发展力争到全社会研发经费超过亿元"  # 40 characters
    return [base[i % 20:] + base[:i % 20] for i in range(n)]


def test_long_unpunctuated_file_cleans_in_linear_time():  # was ~170 s: the paragraph re-joined per line
    lines = _unpunctuated(20_000)
    with hang_guard():
        tm = clean(raw(lines))
    assert len(tm.paras) == 1
    p = tm.paras[0]
    assert p.text == "".join(lines) and len(p.norm) == len(p.text)
    assert (p.line_start, p.line_end) == (1, 20_000) and p.line_map[-1] == (40 * 19_999, 20_000)


def test_run_keeps_only_the_end_of_a_long_paragraph():
    from ingest.clean_joins import Run, line
    from ingest.clean_rules import rules
    r = rules()
    lines = [line(i, None, t, t, r) for i, t in enumerate(_unpunctuated(2_000), 1)]
    run = Run.of(lines[0])
    for ln in lines[1:]:
        run = run.then(ln)
    assert (run.lines, run.chars, run.width) == (2_000, 80_000, 160_000)
    assert run.tail == "".join(ln.text for ln in lines)[-r.tail_chars:] and run.head is None


def test_nested_bullets_and_long_lines_are_tidied_without_recursion_or_rescans():
    with hang_guard():
        assert tidy_line("- " * 20_000 + "x") == "- " * 20_000 + "x"  # was RecursionError
        assert tidy_line("- ## " * 5_000 + "x") == "- " * 5_000 + "x"
        assert tidy_line("局 " * 50_000 + "局") == "局" * 50_001
        assert normalize("中" + ",?" * 50_000) == "中" + "，？" * 50_000  # was one pass per mark


def test_ascii_marks_touching_cjk_turn_full_width_as_a_run():
    assert normalize("中,?") == "中，？" and normalize("a,?中") == "a，？中"
    assert normalize("a,?b 1,000 10:30") == "a,?b 1,000 10:30"
