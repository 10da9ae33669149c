"""Small hand-built Documents for the query tests (no parser involved).

Each builder mirrors a situation the answers layer must handle; the figures are written out
here by hand so that the tests' expected answers can be checked by reading this file.
"""
from __future__ import annotations

from datetime import date

from ingest.jurisdiction import jurisdiction
from ingest.model import (AgencyMention, Amount, Condition, DocMeta, Document, Lineage, Measure, Provision,
                          Revision, Span, Validity)

WAN = 10_000
YI = 100_000_000
KEJIJU = AgencyMention("青岛市科学技术局", "市科技局", "responsible")
CAIZHENGJU = AgencyMention("青岛市财政局", "市财政局", "responsible")


def prov(pid: str, text: str, line: int, *, source: str = "t.txt", kind: str = "article", label=None,
         heading=None, children=(), line_end=None, **extra) -> Provision:
    return Provision(id=pid, kind=kind, label=label, heading=heading, text=text,
                     span=Span(source, line, line_end or line), children=tuple(children), **extra)


def doc(did: str, title: str, provisions, *, issuers=("青岛市人民政府办公厅",), doc_number=None, issue=None,
        start=None, end=None, vtext=None, vline=None, lineage=(), revisions=(), region="青岛市",
        doc_type=None, source=None, line_start=1) -> Document:
    source = source or f"{did.split(':')[0]}.txt"
    provisions = tuple(_resource(p, source) for p in provisions)
    last = max((q.span.line_end for p in provisions for q in p.walk()), default=line_start)
    where = jurisdiction(DocMeta(title, issuers=tuple(issuers), doc_number=doc_number, region=region))
    return Document(id=did, title=title, doc_type=doc_type, issuers=tuple(issuers), doc_number=doc_number,
                    issue_date=issue, validity=Validity(start, end, vtext, vline),
                    span=Span(source, line_start, last), provisions=provisions,
                    revisions=tuple(revisions), lineage=tuple(lineage), region=region, jurisdiction=where)


def _resource(p: Provision, source: str) -> Provision:
    from dataclasses import replace
    return replace(p, span=Span(source, p.span.line_start, p.span.line_end),
                   children=tuple(_resource(c, source) for c in p.children))


def _tier(n, lo, hi, growth, rank, cap, line):
    conds = [Condition("rd_expense", "between" if hi else ">=", (lo, hi) if hi else lo, "yuan",
                       f"研发投入在{lo // WAN}万元（含）" + (f"-{hi // WAN}万元之间" if hi else "以上"), line),
             Condition("rd_growth", ">=", growth, "ratio", f"较上年度增长{int(growth * 100)}%及以上", line)]
    if rank:
        conds.append(Condition("rd_increment_rank", "<=", rank, None, f"增量排名前{rank}位", line))
        formula = f"min(0.10 * rd_increment, {cap})"
        amounts = (Amount(f"单个企业最高奖补{cap // WAN}万元", cap, "cap", "企业", "研发投入奖补", line),)
    else:
        formula = None
        amounts = (Amount(f"一次性给予{cap // WAN}万元奖补", cap, "fixed", "企业", "研发投入奖补", line),)
    return Measure(text=f"第{n}档：{conds[0].text}，{conds[1].text}", conditions=tuple(conds), amounts=amounts,
                   benefit_formula=formula, beneficiary="企业", purpose="研发投入奖补", line=line,
                   tier_group="rd_tiers")


def rd_policy(did: str = "rd:01") -> Document:
    """A 研发投入 policy: four tiers, a 研发总部 award, a first-R&D award, a hospital measure,
    a 从优、就高、不重复 clause; in force 2024-08-02 … 2028-12-31."""
    tiers = (_tier(1, 1000 * WAN, 5000 * WAN, 0.30, 50, 150 * WAN, 12),
             _tier(2, 5000 * WAN, 1 * YI, 0.20, 30, 200 * WAN, 13),
             _tier(3, 1 * YI, 10 * YI, 0.15, 20, 200 * WAN, 14),
             _tier(4, 10 * YI, None, 0.08, None, 500 * WAN, 15))
    art1 = prov("art_1", "一、鼓励企业加大研发投入。对符合规定的企业，按年研发投入增量给予分档支持……"
                "（责任单位：市科技局、市财政局）", 11, label="一、", line_end=16, measures=tiers,
                agencies=(KEJIJU, CAIZHENGJU))
    hq = Measure(text="对新引进且年研发投入额达1000万元及以上的研发总部，按不超过当年研发投入额的5%给予一次性奖补，最高奖补500万元",
                 conditions=(Condition("new_arrival", "is", True, None, "新引进", 20),
                             Condition("rd_expense", ">=", 1000 * WAN, "yuan", "年研发投入额达1000万元及以上", 20)),
                 amounts=(Amount("最高奖补500万元", 500 * WAN, "cap", "研发总部", "研发总部奖补", 20),),
                 benefit_formula="min(0.05 * rd_expense, 5000000)", beneficiary="研发总部", purpose="研发总部奖补", line=20)
    first = Measure(text="对首次开展研发活动且研发经费投入占主营业务收入比重超过5%（含）的，一次性给予奖补30万元",
                    conditions=(Condition("first_rd_activity", "is", True, None, "首次开展研发活动", 21),
                                Condition("rd_intensity", ">=", 0.05, "ratio", "占主营业务收入比重超过5%（含）", 21)),
                    amounts=(Amount("一次性给予奖补30万元", 30 * WAN, "fixed", "企业", "首次研发奖补", 21),),
                    beneficiary="企业", purpose="首次研发奖补", line=21)
    art2 = prov("art_2", "二、支持企业开展研发活动。" + hq.text + "。" + first.text + "。（责任单位：市科技局）", 19,
                label="二、", line_end=22, measures=(hq, first), agencies=(KEJIJU,))
    clinic = Measure(text="对新获批的国家临床医学研究中心给予最高1000万元奖补",
                     amounts=(Amount("最高1000万元", 1000 * WAN, "cap", "医疗机构", "临床医学研究中心奖补", 26),),
                     beneficiary="医疗机构", purpose="临床医学研究中心奖补", line=26)
    art4 = prov("art_4", "四、增强医疗机构研发能力。" + clinic.text + "。", 25, label="四、", line_end=26,
                measures=(clinic,), agencies=(KEJIJU,))
    tail = prov("art_8", "各类专项政策与本政策按照“从优、就高、不重复”原则执行。本政策由市科技局负责解释，"
                "自发布之日起实施，有效期至2028年12月31日。", 40, kind="paragraph")
    return doc(did, "青岛市进一步提升全社会研发投入若干政策", (art1, art2, art4, tail),
               doc_number="青政办字〔2024〕5号", issue=date(2024, 8, 2), start=date(2024, 8, 2),
               end=date(2028, 12, 31), vtext="自发布之日起实施，有效期至2028年12月31日", vline=40, doc_type="措施")


def expired_rules(did: str = "xz:01") -> Document:
    """A 细则 valid three years from 2022-03-01: expired on 2025-03-01."""
    m = Measure(text="对科技型中小企业给予研发费用补助，最高50万元",
                conditions=(Condition("qualifications", "has", "科技型中小企业", None, "科技型中小企业", 5),),
                amounts=(Amount("最高50万元", 50 * WAN, "cap", "科技型中小企业", "研发费用补助", 5),),
                beneficiary="科技型中小企业", purpose="研发费用补助", line=5)
    return doc(did, "青岛市科技型中小企业研发费用补助实施细则", (
        prov("art_3", "第三条 对科技型中小企业给予研发费用补助，最高50万元。", 5, label="第三条", measures=(m,)),
        prov("art_21", "第二十一条 本实施细则由市科技局负责解释，自2022年3月1日起施行，有效期三年。", 30, label="第二十一条")),
        issuers=("青岛市科学技术局",), issue=date(2022, 2, 20), start=date(2022, 3, 1), end=date(2025, 2, 28),
        vtext="自2022年3月1日起施行，有效期三年", vline=30, doc_type="细则")


REG_ARTICLES = ("第一条 为了促进科技创新，根据有关法律，结合本市实际，制定本条例。",
                "第二条 本条例适用于本市行政区域内的科技创新活动。",
                "第十条 对新认定的国家级重点实验室，给予最高500万元奖补。",
                "第十二条 市科学技术行政部门负责本条例的组织实施。")


def regulation(did: str = "reg:01", revised: bool = False) -> Document:
    """A 条例 (2010) or its revision (2021): article 10 changed, article 11 added, article 12 removed."""
    arts = list(REG_ARTICLES)
    if revised:
        arts[2] = "第十条 对新认定的国家级重点实验室，给予最高1000万元奖补。"
        arts[3] = "第十一条 支持企业建设新型研发机构，提升自主创新能力。"
    provs = [prov(f"art_{i + 1}", t, 10 + 2 * i, label=t.split(" ")[0]) for i, t in enumerate(arts)]
    if revised:
        return doc(did, "青岛市科技创新促进条例", provs, issuers=("青岛市人民代表大会常务委员会",),
                   issue=date(2021, 6, 1), start=date(2021, 9, 1), vtext="本条例自2021年9月1日起施行", vline=30,
                   revisions=(Revision("通过", date(2010, 5, 1), "2010年5月1日通过"),
                              Revision("修订", date(2021, 6, 1), "2021年6月1日修订")), doc_type="条例")
    return doc(did, "青岛市科技创新促进条例", provs, issuers=("青岛市人民代表大会常务委员会",),
               issue=date(2010, 5, 1), start=date(2010, 7, 1), vtext="本条例自2010年7月1日起施行", vline=30,
               revisions=(Revision("通过", date(2010, 5, 1), "2010年5月1日通过"),), doc_type="条例")


def repealed_and_repealer() -> tuple[Document, Document]:
    """An 办法 (青政发〔2015〕3号) and a later policy whose last article repeals it by name."""
    old = doc("old:01", "青岛市科技型企业培育办法", (
        prov("art_1", "第一条 对新认定的科技型中小企业给予一次性奖励10万元。", 3, label="第一条"),),
        issuers=("青岛市人民政府",), doc_number="青政发〔2015〕3号", issue=date(2015, 3, 1), start=date(2015, 3, 1),
        vtext="自发布之日起施行", vline=9)
    rep = Lineage("repeals", "青岛市科技型企业培育办法", "青政发[2015]3号",
                  "《青岛市科技型企业培育办法》（青政发〔2015〕3号）同时废止。", 52)
    new = doc("new:01", "青岛市科技企业梯次培育办法", (
        prov("art_1", "第一条 对新认定的科技型中小企业给予一次性奖励20万元。", 3, label="第一条"),
        prov("art_9", "第九条 本办法自2023年1月1日起施行。《青岛市科技型企业培育办法》（青政发〔2015〕3号）同时废止。",
             52, label="第九条")),
        issuers=("青岛市人民政府",), doc_number="青政发〔2022〕30号", issue=date(2022, 12, 1), start=date(2023, 1, 1),
        vtext="本办法自2023年1月1日起施行", vline=52, lineage=(rep,))
    return old, new


def _sme_measure(amount_wan: int, line: int) -> Measure:
    return Measure(text=f"对科技型中小企业给予研发补助，最高{amount_wan}万元",
                   conditions=(Condition("qualifications", "has", "科技型中小企业", None, "科技型中小企业", line),),
                   amounts=(Amount(f"最高{amount_wan}万元", amount_wan * WAN, "cap", "科技型中小企业", "研发补助", line),),
                   beneficiary="科技型中小企业", purpose="研发补助", line=line)


def override_pair() -> tuple[Document, Document]:
    """An earlier notice (30万) and a later one (50万, same issuer) saying 与本通知不一致的，按本通知执行."""
    early = doc("early:01", "关于支持科技型中小企业发展的通知", (
        prov("art_1", "一、对科技型中小企业给予研发补助，最高30万元。", 4, label="一、", measures=(_sme_measure(30, 4),)),),
        issuers=("青岛市科学技术局",), issue=date(2020, 1, 10), start=date(2020, 1, 10), vtext="自印发之日起施行", vline=8)
    ov = Lineage("overrides_inconsistent", None, None, "此前出台的有关规定与本通知不一致的，按本通知执行。", 12)
    late = doc("late:01", "关于进一步支持科技型中小企业发展的通知", (
        prov("art_1", "一、对科技型中小企业给予研发补助，最高50万元。", 4, label="一、", measures=(_sme_measure(50, 4),)),
        prov("art_5", "五、此前出台的有关规定与本通知不一致的，按本通知执行。", 12, label="五、")),
        issuers=("青岛市科学技术局",), issue=date(2024, 3, 1), start=date(2024, 3, 1), vtext="自印发之日起施行", vline=13,
        lineage=(ov,))
    return early, late


DUP_TEXTS = ("1.引领优势产业提档升级。聚焦新一代信息技术、高端装备等产业，实施关键核心技术攻关项目，给予最高500万元支持。（责任单位：市科技局）",
             "2.培育壮大科技型企业。对新认定的高新技术企业给予一次性奖励20万元，对科技型中小企业给予研发补助。",
             "3.建设高能级创新平台。对新获批的全国重点实验室，给予最高1000万元奖补，支持建设省级技术创新中心。",
             "4.加强科技金融支持。设立科技成果转化引导基金，引导社会资本投向早期科技型企业。")


def duplicate_pair() -> tuple[Document, Document]:
    """A policy and its copy inside a compilation: same title, issuer and date; exactly two
    words differ (500 → 600 in item 1, 全国 → 国家 in item 3)."""
    a_texts = DUP_TEXTS
    b_texts = (DUP_TEXTS[0].replace("最高500万元", "最高600万元"), DUP_TEXTS[1],
               DUP_TEXTS[2].replace("全国重点实验室", "国家重点实验室"), DUP_TEXTS[3])
    common = dict(issuers=("青岛市人民政府",), doc_number="青政字〔2024〕20号", issue=date(2024, 5, 6),
                  start=date(2024, 5, 6), vtext="自印发之日起施行", doc_type="行动计划")
    a = doc("000:01", "深入推进科技创新加快建设科技强市行动计划", [
        prov(f"art_{i + 1}", t, 20 + 3 * i, label=f"{i + 1}.", line_end=21 + 3 * i) for i, t in enumerate(a_texts)],
        vline=40, **common)
    b = doc("004:03", "深入推进科技创新加快建设科技强市行动计划", [
        prov(f"art_{i + 1}", t, 520 + 3 * i, label=f"{i + 1}.", line_end=521 + 3 * i) for i, t in enumerate(b_texts)],
        vline=540, line_start=500, **common)
    return a, b


def undated(did: str = "nd:01") -> Document:
    return doc(did, "关于做好科技政策宣传工作的通知", (prov("p_1", "一、各单位要加强政策宣传。", 3, label="一、"),))


def future(did: str = "fut:01") -> Document:
    return doc(did, "青岛市未来产业培育办法", (prov("art_1", "第一条 对未来产业企业给予最高100万元支持。", 3, label="第一条"),),
               issue=date(2026, 10, 1), start=date(2027, 1, 1), vtext="自2027年1月1日起施行", vline=9)


def all_documents() -> list[Document]:
    """Every hand-built document in one catalog."""
    return [rd_policy(), expired_rules(), regulation("reg:01"), regulation("reg:02", revised=True),
            *repealed_and_repealer(), *override_pair(), *duplicate_pair(), undated(), future()]


def corpus_catalog():
    """The bundled seed corpus parsed by the real pipeline (cached); skips the calling test
    when the pipeline cannot be imported yet."""
    import pytest
    global _CORPUS
    if _CORPUS is None:
        try:
            from queries.catalog import catalog_from_paths
            import ingest.pipeline  # noqa: F401
        except ImportError as e:
            pytest.skip(f"pipeline not importable: {e}")
        from conftest import CORPUS
        _CORPUS = catalog_from_paths([CORPUS])
    return _CORPUS


_CORPUS = None
