"""The report (queries.report.report_data) as DOCX (python-docx) or PDF (fpdf2, CJK font embedded).

Why these libraries: python-docx is already how DOCX is read here, writes Word files that Word,
WPS and LibreOffice open, and needs no office suite; fpdf2 is pure Python, embeds a subset of an
OpenType/TrueType font (CID fonts with a ToUnicode map, so the Chinese text can be searched and
copied), and reads the Noto CJK collection directly — no browser or LaTeX at run time.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

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

def blocks(data: dict):
    """The report as (kind, text) blocks: title, heading, para, item, quote, small."""
    yield "title", data["title"]
    yield "small", f"截至 {data['as_of']} · 依据 {data['documents']} 份政策文件 · policygraph 生成"
    yield "heading", "一、企业信息"
    for label, value in data["profile"] or [("（未填写）", "")]:
        yield "item", f"{label}：{value}"
    for label, value in data["derived"]:
        yield "item", f"{label}（推算）：{value}"
    s = data["summary"]
    yield "heading", "二、结论"
    yield "para", (f"符合 {s['eligible']} 项，可能符合 {s['possible']} 项。确定可得合计 {s['certain_total']}；"
                   f"若待定条件满足，最多 {s['upper_bound']}。")
    yield "small", data["note"]
    yield "heading", "三、适用政策措施"
    for i, m in enumerate(data["measures"], 1):
        yield "subheading", f"{i}. 【{m['verdict']}】{m['amount']}" + ("（上限）" if m["amount_basis"] == "cap" else "")
        yield "para", m["measure"]
        if m["formula"]:
            yield "item", f"计算：{m['formula']}"
        for c in m["conditions"]:
            yield "item", c
        if m["unknown_fields"]:
            yield "item", "待补充：" + "、".join(m["unknown_fields"])
        for w in m["windows"] or ["申报时间：原文未写明，以申报通知为准"]:
            yield "item", ("申报时间：" + w) if not w.startswith("申报时间") else w
        yield "item", f"责任单位：{m['agencies']} · 时效：{m['status']}"
        yield "small", "出处：" + m["citation"]
        yield "quote", m["source_text"]
    if data["omitted"]:
        yield "small", f"另有 {data['omitted']} 项未列出（金额较小或条件较多），见 policygraph eligibility --json。"


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
    doc.core_properties.title = data["title"]
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
    pdf.set_title(data["title"])
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
        text = ("· " + text) if kind == "item" else text
        if kind == "quote":
            pdf.set_fill_color(0xf3, 0xf3, 0xf3)
        pdf.multi_cell(pdf.epw - indent, height, text, fill=kind == "quote", align="L", new_x="LMARGIN", new_y="NEXT")
        if kind == "title":
            pdf.ln(1)
    return bytes(pdf.output())
