"""第X条 structure invariants of laws: numbers run 1..N (第X条之一 after 第X条), articles that start
like a cross-reference or with the law's own subject are not merged into the one before, OCR
spaces inside numbers are closed, and a gap or repeat is a warning naming its line (issue 13)."""
from __future__ import annotations

from ingest.pipeline import parse_file


def _articles(tmp_path, text: str, name: str = "law.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    pf = parse_file(path)
    return [p.label for d in pf.documents for p in d.walk() if p.kind == "article"], pf.warnings


def test_article_starting_with_the_state_or_the_titles_subject_is_its_own(tmp_path):
    text = """中关村示例区条例
（2010年12月23日北京市第十三届人民代表大会常务委员会第二十二次会议通过）
第一条　为了促进中关村示例区建设，制定本条例。
第二条　本条例适用于中关村示例区。
第三条　中关村示例区管理委员会负责示例区的统筹协调。
第四条　中华人民共和国公民和组织依法在示例区从事创新活动，受法律保护。
第五条　规定本市特别重大事项的地方性法规，由市人民代表大会通过。
第六条　第三方机构应当独立开展评估。
第七条　本条例自2011年3月1日起施行。依照本条例第三条规定的事项，由管理委员会办理。"""
    labels, warnings = _articles(tmp_path, text)
    assert labels == [f"第{c}条" for c in "一二三四五六七"]
    assert not any("numbering" in w for w in warnings)


def test_cross_reference_at_a_line_start_stays_in_its_article(tmp_path):
    text = """示例条例
第一条　为了规范管理，制定本条例。
第二条　违反本条例规定的，依法处理：
第一条规定的情形除外。
第三条　本条例自2024年1月1日起施行。"""
    labels, _ = _articles(tmp_path, text)
    assert labels == ["第一条", "第二条", "第三条"]


def test_ocr_spaces_inside_article_numbers(tmp_path):
    lines = ["示例管理办法"] + [f"第 {' '.join(str(n))} 条 第{n}条的内容。" if n >= 10 else f"第{n}条 第{n}条的内容。"
                               for n in range(1, 27)]
    lines[12] = "第1 2条 第12条的内容。"  # spaced without spaces around the number
    labels, warnings = _articles(tmp_path, "\n".join(lines))
    assert labels == [f"第{n}条" for n in range(1, 27)]
    assert not any("numbering" in w for w in warnings)


def test_zhi_yi_articles_and_a_gap_reported_with_its_line(tmp_path):
    text = """示例条例
第一条　为了规范管理，制定本条例。
第二条　示例事项由主管部门负责。
第二条之一　示例平台应当依法运营。
第四条　违反本条例的，依法处理。
第四条　重复的条文。
第五条　本条例自2024年1月1日起施行。"""
    labels, warnings = _articles(tmp_path, text)
    assert labels == ["第一条", "第二条", "第二条之一", "第四条", "第四条", "第五条"]
    numbering = [w for w in warnings if "numbering" in w]
    assert numbering == ["document 1: article numbering: 第四条 at line 5 follows 第二条之一 (第3条 missing)",
                         "document 1: article numbering: 第四条 at line 6 repeats 第四条"]
