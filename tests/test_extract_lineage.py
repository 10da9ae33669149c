"""References and lineage relations of a document's paragraphs."""
import doctest

import ingest.extract.lineage
from ingest.extract import relations
from ingest.model import Para


def rel(*texts, start=10):
    paras = tuple(Para(t, t, start + i, start + i, None, ((0, start + i),)) for i, t in enumerate(texts))
    return relations(paras)


def lineage(*texts):
    return [(x.type, x.target_title, x.target_doc_number) for x in rel(*texts)[1]]


def test_doctests():
    assert doctest.testmod(ingest.extract.lineage).failed == 0


def test_reference_with_doc_number_and_line():
    refs, _ = rel("前言。", "根据《青岛市人民政府关于印发深入推进科技创新加快建设科技强市行动计划的通知》（青政字[2024] 20号）要求。")
    (r,) = refs
    assert (r.title, r.doc_number, r.line) == ("青岛市人民政府关于印发深入推进科技创新加快建设科技强市行动计划的通知",
                                               "青政字〔2024〕20号", 11)


def test_reference_deduplicated_keeps_doc_number():
    refs, _ = rel("《青岛市专利保护规定》已经通过。", "执行《青岛市专利保护规定》（青政发〔2020〕5号）。")
    assert [(r.title, r.doc_number, r.line) for r in refs] == [("青岛市专利保护规定", "青政发〔2020〕5号", 10)]


def test_named_repeal():
    got = lineage("本办法自2025年1月1日起施行，《青岛市科技企业孵化器管理办法》（青科规〔2018〕3号）和《青岛市众创空间管理办法》同时废止。")
    assert got == [("repeals", "青岛市科技企业孵化器管理办法", "青科规〔2018〕3号"), ("repeals", "青岛市众创空间管理办法", None)]


def test_generic_repeal_is_replaces():
    assert lineage("本政策自发布之日起实施，此前出台的有关政策同时废止。") == [("replaces", None, None)]


def test_repeal_procedure_is_not_a_repeal():
    assert lineage("市人民代表大会常务委员会可以制定、修改和废止地方性法规。") == []


def test_overrides_inconsistent():
    assert lineage("此前发布的有关文件规定，与本文件政策措施不一致的，按本文件政策措施执行。") == [
        ("overrides_inconsistent", None, None)]
    assert lineage("与本办法不一致的，以本办法为准。") == [("overrides_inconsistent", None, None)]


def test_amending_decision():
    assert lineage("《关于修改〈青岛市专利保护规定〉的决定》已经通过，现予公布。") == [("amends", "青岛市专利保护规定", None)]
    assert lineage("青岛市人民代表大会常务委员会关于修改《青岛市专利保护规定》的决定") == [("amends", "青岛市专利保护规定", None)]


def test_revision_history():
    got = lineage("（2002年9月9日青岛市人民政府令第142号公布 根据2018年2月7日《关于修改〈青岛市平时使用人防工程管理和收费的实施办法〉"
                  "等27件政府规章的决定》第二次修订）")
    assert got == [("revises", "关于修改〈青岛市平时使用人防工程管理和收费的实施办法〉等27件政府规章的决定", None)]
    assert lineage("（2011年6月28日通过 2024年8月23日青岛市第十七届人民代表大会常务委员会第十八次会议修订）") == [
        ("revises", None, None)]
    assert lineage("制定修订促进知识产权保护的政策文件。") == []


def test_based_on_and_implements():
    got = lineage("为贯彻落实《国务院关于山东新旧动能转换综合试验区建设总体方案的批复》（国函〔2018〕1号）要求，按照《中共青岛市委"
                  "关于推进新旧动能转换重大工程的实施意见》部署，制定本行动计划。")
    assert got == [("implements", "国务院关于山东新旧动能转换综合试验区建设总体方案的批复", "国函〔2018〕1号"),
                   ("implements", "中共青岛市委关于推进新旧动能转换重大工程的实施意见", None)]
    assert lineage("根据《中华人民共和国专利法》等法律、法规的规定，结合本市实际，制定本规定。") == [
        ("based_on", "中华人民共和国专利法", None)]


def test_mention_without_making_is_not_lineage():
    assert lineage("依据《青岛市打造国际化创新型城市五年规划》，青岛将重点聚焦两个维度。") == []
    assert lineage("《青岛市进一步提升全社会研发投入若干政策》已经市政府研究同意，现印发给你们。") == []
