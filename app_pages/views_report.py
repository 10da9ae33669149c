"""The firm's report (queries.report.report_data) laid out as DOCX (python-docx) or PDF (fpdf2,
CJK font embedded) — for `policygraph report` and the app's download buttons.

Why these libraries: python-docx is already how DOCX is read here, writes Word files that Word,
WPS and LibreOffice open, and needs no office suite; fpdf2 is pure Python, embeds a subset of an
OpenType/TrueType font (CID fonts with a ToUnicode map, so the Chinese text can be searched and
copied), and reads the Noto CJK collection directly — no browser or LaTeX at run time.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from queries.formula import condition_fields
from queries.money import yuan_text

from .views import ENTITY, STATUS, VERDICT, field_label
from .views_calendar import window_text

FORMATS = ("docx", "pdf")
STATE_MARK = {"met": "【满足】", "unknown": "【待确认】", "unmet": "【不满足】"}
NOTE = ("金额为条文所列上限或按公式计算的最高额；“可能符合”的条件待补充信息或以申报指南、评审为准。"
        "分档取所在档，注明不重复享受的取最高，不作合计。出处为政策原文的文件、条款与行号。")

# (file, family inside a collection) tried in order; POLICYGRAPH_CJK_FONT=path[:index] overrides
CJK_FONTS = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", None),
)
DOCX_FONT = "Noto Sans CJK SC"  # DOCX names the font (readers substitute); the PDF embeds it


@lru_cache(maxsize=1)
def cjk_font() -> tuple[str, int]:
    """(font file, index in its collection) for Chinese text; ValueError naming what was tried."""
    env = os.environ.get("POLICYGRAPH_CJK_FONT")
    if env:
        path, _, index = env.partition(":")
        if not Path(path).is_file():
            raise ValueError(f"POLICYGRAPH_CJK_FONT={env!r}: no such font file")
        return path, int(index or 0)
    for path, family in CJK_FONTS:
        if Path(path).is_file():
            return path, _collection_index(path, family)
    raise ValueError("no CJK font for the PDF report: install fonts-noto-cjk or fonts-arphic-uming "
                     f"(tried {', '.join(p for p, _ in CJK_FONTS)}) or set POLICYGRAPH_CJK_FONT")


def _collection_index(path: str, family: str | None) -> int:
    if family is None or not path.endswith(".ttc"):
        return 0
    from fontTools.ttLib import TTCollection
    names = [f["name"].getDebugName(1) for f in TTCollection(path, lazy=True).fonts]
    return names.index(family) if family in names else 0


def write_report(data: dict, fmt: str, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(report_bytes(data, fmt))


def report_bytes(data: dict, fmt: str) -> bytes:
    """The report file's bytes (the app's download button; ``write_report`` for a path)."""
    return docx_bytes(data) if fmt == "docx" else pdf_bytes(data)


# ---- the sections, once for both formats ------------------------------------------------------------

def value_text(field: str, value) -> str:
    """A profile value for people: money in 万元, ratios in %, 企业 for enterprise."""
    kind = condition_fields().get(field, {}).get("type")
    if field == "entity_type":
        return ENTITY.get(value, value)
    if isinstance(value, list):
        return "、".join(map(str, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if kind == "yuan" and isinstance(value, int | float):
        return yuan_text(value)
    if kind == "ratio" and isinstance(value, int | float):
        return f"{value:.0%}"
    return str(value)


def formula_text(m: dict) -> str | None:
    """min(0.10 * rd_increment, 1500000)，其中 研发投入增量 = 1,000万元 → 100万元"""
    if not m["formula"]:
        return None
    known = "；".join(f"{field_label(f)} = {value_text(f, v)}" for f, v in m["formula_values"])
    return (m["formula"] + (f"，其中 {known}" if known else "") + f" → {yuan_text(m['max_yuan'])}"
            + ("" if m["basis"] == "formula" else "（上限，待补充数据）"))


def blocks(data: dict):
    """The report as (kind, text) blocks: title, heading, subheading, para, item, quote, small."""
    yield "title", f"{data['name'] or '企业'}政策匹配报告"
    yield "small", f"截至 {data['as_of']} · 依据 {data['documents']} 份政策文件 · policygraph 生成"
    yield "heading", "一、企业信息"
    for field, value in data["profile"] or [("（未填写）", "")]:
        yield "item", f"{field_label(field)}：{value_text(field, value)}"
    for field, value in data["derived"]:
        yield "item", f"{field_label(field)}（推算）：{value_text(field, value)}"
    yield "heading", "二、结论"
    yield "para", (f"符合 {data['eligible']} 项，可能符合 {data['possible']} 项。确定可得合计 "
                   f"{yuan_text(data['eligible_max_yuan'])}；若待定条件满足，最多 {yuan_text(data['possible_max_yuan'])}。")
    yield "small", NOTE
    yield "heading", "三、适用政策措施"
    for i, m in enumerate(data["measures"], 1):
        yield "subheading", f"{i}. 【{VERDICT[m['verdict']][0]}】{yuan_text(m['max_yuan'])}" + ("（上限）" if m["basis"] == "cap" else "")
        yield "para", m["measure"]
        if m["formula"] and not m["formula"].replace(".", "").isdigit():  # a formula, not a bare amount
            yield "item", f"计算：{formula_text(m)}"
        for state, text in m["conditions"]:
            yield "item", STATE_MARK[state] + text
        if m["deciding_fields"]:
            yield "item", "待补充：" + "、".join(field_label(f) for f in m["deciding_fields"])
        for w in m["windows"]:
            yield "item", f"申报时间：{window_text(w)}（第{w['line']}行：{w['text'][:60]}）"
        if not m["windows"]:
            yield "item", "申报时间：原文未写明，以申报通知为准"
        yield "item", f"责任单位：{'、'.join(m['agencies']) or '—'} · 时效：{STATUS.get(m['status'], (m['status'],))[0]}"
        d, p = m["document"], m["provision"]
        yield "small", (f"出处：《{d['title']}》" + (f"（{d['doc_number']}）" if d["doc_number"] else "")
                        + f" {p['label']}，{d['file']} 第 {p['line_start']}–{p['line_end']} 行")
        yield "quote", m["source_text"]
    if data["omitted"]:
        yield "small", f"另有 {data['omitted']} 项未列出，见 policygraph eligibility --json。"


def report_for_store(store: str, profile: dict, fmt: str, output, as_of=None) -> dict:
    """Write the report of ``profile`` to ``output`` as ``fmt`` (docx | pdf); a summary back."""
    from queries.catalog import catalog_for_store
    from queries.report import report_data
    if fmt not in FORMATS:
        raise ValueError(f"--format {fmt!r}: expected one of {', '.join(FORMATS)}")
    data = report_data(catalog_for_store(store), profile, as_of)
    write_report(data, fmt, Path(output))
    return {"output": str(output), "format": fmt, "as_of": data["as_of"], "measures": len(data["measures"]),
            "omitted": data["omitted"], "eligible": data["eligible"], "possible": data["possible"]}


# ---- DOCX -----------------------------------------------------------------------------------------

def docx_bytes(data: dict) -> bytes:
    import io

    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor
    doc = Document()
    for style in ("Normal", "Title", "Heading 1", "Heading 2", "Quote"):
        st = doc.styles[style]
        st.font.name = DOCX_FONT
        st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_FONT)
    for kind, text in blocks(data):
        if kind == "title":
            doc.add_heading(text, level=0)
        elif kind == "heading":
            doc.add_heading(text, level=1)
        elif kind == "subheading":
            doc.add_heading(text, level=2)
        elif kind == "item":
            doc.add_paragraph(text, style="List Bullet")
        elif kind == "quote":
            doc.add_paragraph(text, style="Quote")
        elif kind == "small":
            run = doc.add_paragraph().add_run(text)
            run.font.size, run.font.color.rgb = Pt(9), RGBColor(0x66, 0x66, 0x66)
        else:
            doc.add_paragraph(text)
    doc.core_properties.title = f"{data['name'] or '企业'}政策匹配报告"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---- PDF ------------------------------------------------------------------------------------------

_PDF_STYLE = {"title": (18, 10, (0, 0, 0)), "heading": (14, 8, (0, 0, 0)), "subheading": (12, 7, (0x1e, 0x5a, 0xa0)),
              "para": (10.5, 6, (0, 0, 0)), "item": (10, 5.5, (0, 0, 0)), "quote": (9.5, 5.2, (0x44, 0x44, 0x44)),
              "small": (8.5, 4.8, (0x66, 0x66, 0x66))}


def pdf_bytes(data: dict) -> bytes:
    from fpdf import FPDF
    path, index = cjk_font()
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(18, 16, 18)
    pdf.add_font("cjk", "", path, collection_font_number=index) if path.endswith(".ttc") else pdf.add_font("cjk", "", path)
    pdf.set_title(f"{data['name'] or '企业'}政策匹配报告")
    pdf.set_creator("policygraph")
    pdf.alias_nb_pages()
    pdf.add_page()
    for kind, text in blocks(data):
        size, height, colour = _PDF_STYLE[kind]
        pdf.set_font("cjk", size=size)
        pdf.set_text_color(*colour)
        if kind in ("heading", "subheading"):
            pdf.ln(2)
        indent = {"item": 4, "quote": 8}.get(kind, 0)
        pdf.set_x(pdf.l_margin + indent)
        text = ("·\u00a0" + text) if kind == "item" else text  # a bullet the line never breaks after
        if kind == "quote":
            pdf.set_fill_color(0xf3, 0xf3, 0xf3)
        pdf.multi_cell(pdf.epw - indent, height, text, fill=kind == "quote", align="L", new_x="LMARGIN", new_y="NEXT")
        if kind == "title":
            pdf.ln(1)
    return bytes(pdf.output())
